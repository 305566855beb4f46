import { anyStockLeft, backorderClaim, stockByVariant } from "~/domain/orders/backorder-fill";
import { canTransition, statusAfterAllocation } from "~/domain/orders/status-machine";
import { encodeDecision, route, RouteMemo } from "~/domain/routing";
import type { FulfillmentLocation, RoutingDecision } from "~/domain/routing";
import { cutoffHourUtc } from "~/domain/routing-policy/policy";
import { audit, auditAll, auditRow, type PendingAudit } from "../db/audit";
import type { Queryable, Tx } from "../db/database";
import { RetryableConflict } from "../db/database";
import { moveReserved } from "../db/fulfillment-sql";
import { newId, sqlTime, sqlTimeOfText, utcDay } from "../db/ids";
import {
  activeLocations, activeRuleSet, availableStock, backorderQueue, getOrder, openAllocations, orderLines, setAllocation, setOrderStatus, writeReservation,
  type AllocationRow, type DecisionInput, type LineRow, type LocationRow, type OrderRow, type Reservation, type ReservationWrite, type StockClaim,
} from "../db/pipeline-sql";
import { AppError } from "../errors";
import { stockPricesForRouting } from "./read-stock-prices";
import { policyOf, shopConfig, type ShopConfig } from "./shop-config";

// Allocation inside one transaction: read stock → route (pure) → guarded reserve → write the decision,
// allocations, ledger and location load. Callers run these inside `database().transaction()`.

export interface AllocationContext {
  tx: Tx;
  shopId: string;
  now: Date;
  actor: string;
  /** The shop's configVersion when the caller knows it (the intake channel read it); else read once. */
  configVersion?: number;
  /** Loaded on first use within this transaction. */
  config?: ShopConfig;
  /**
   * When set, reservations are queued here instead of written at once, and the caller writes them as the
   * transaction's last statement (writeQueuedReservations). Their guarded level updates lock the rows every
   * order of a best-seller wants; taken last, those locks are held for one statement and the commit rather
   * than for the rest of the transaction's round trips (PostgreSQL; on SQLite one writer runs at a time anyway).
   * Only for a transaction that reads no allocation or level after allocating (a new order's intake).
   */
  reserveLast?: ReservationWrite[];
  /** Locations one order must not be allocated from in this transaction (a re-route that excludes some: reroute-order.ts). */
  excludeLocations?: { orderId: string; locationIds: readonly string[] };
}

export interface Wanted {
  line: LineRow;
  quantity: number;
}

/** An order whose allocation changed: the channel's fulfillment must follow (apply-routing job). */
export interface Reallocation {
  orderId: string;
  decisionId: string;
}

export interface AllocationSummary {
  decisionId: string;
  unitsReserved: number;
  unitsBackordered: number;
  decision: RoutingDecision;
}

/** The active policy, read now (the planning job, Simulate); live routing uses the cached shop config. */
export async function loadPolicy(q: Queryable, shopId: string): Promise<ReturnType<typeof policyOf>> {
  return policyOf(await activeRuleSet(q, shopId));
}

/** The shop's routing configuration for this transaction (cached per process and config version). */
export async function configOf(ctx: AllocationContext): Promise<ShopConfig> {
  return (ctx.config ??= await shopConfig(ctx.tx, ctx.shopId, ctx.configVersion));
}

const skuOf = (line: LineRow) => line.sku ?? `unknown-line:${line.id}`;

/** Route `wanted` quantities of an order's lines, reserve what the decision allocates, backorder the rest. */
export async function allocateLines(ctx: AllocationContext, order: OrderRow, wanted: Wanted[]): Promise<AllocationSummary> {
  const { tx, shopId, now } = ctx;
  const config = await configOf(ctx);
  const excluded = ctx.excludeLocations?.orderId === order.id ? ctx.excludeLocations.locationIds : [];
  const locations = (await activeLocations(tx, shopId, utcDay(now))).filter((l) => !excluded.includes(l.id));
  const lines = wanted.filter((w) => w.quantity > 0);
  const variantIds = [...new Set(lines.map((w) => w.line.variantId).filter((v): v is string => Boolean(v)))];
  const available = new Map<string, number>();
  for (const row of await availableStock(tx, shopId, variantIds)) available.set(`${row.variantId}@${row.locationId}`, row.available);
  const decision = decideRoute(config, locations, (variantId, locationId) => available.get(`${variantId}@${locationId}`) ?? 0, order, lines, now);
  return reserveDecision(ctx, order, lines.map((w) => w.line), decision, config.policy.id);
}

/**
 * The routing decision for `lines` of an order (pure: no I/O): the network is the active locations with
 * coordinates, each with what `available(variant, location)` says and its remaining capacity for the day.
 * The per-order path reads the levels for each order; the batch intake (ingest-order-batch.ts) passes its
 * running copy of them — the same decision from the same facts.
 */
export function decideRoute(config: ShopConfig, locations: readonly LocationRow[], available: (variantId: string, locationId: string) => number, order: OrderRow, lines: readonly Wanted[], now: Date, batch?: RouteBatch): RoutingDecision {
  const policy = config.policy;
  const cutoffOf = (l: LocationRow) => {
    if (!batch) return cutoffHourUtc(l.carrierCutoff, l.timezone, now);
    let hour = batch.cutoffs.get(l.id);
    if (hour === undefined) batch.cutoffs.set(l.id, (hour = cutoffHourUtc(l.carrierCutoff, l.timezone, now)));
    return hour;
  };
  const nowIso = batch ? batch.isoOf(now) : now.toISOString();
  const withCoordinates = locations.filter((l) => l.latitude !== null && l.longitude !== null);
  const skuByVariant = new Map(lines.map((w) => [w.line.variantId, skuOf(w.line)]));
  const network: FulfillmentLocation[] = withCoordinates.map((l) => {
    const stock: Record<string, number> = {};
    for (const [variantId, sku] of skuByVariant) {
      if (!variantId) continue;
      const n = available(variantId, l.id);
      if (n > 0) stock[sku] = n;
    }
    return {
      id: l.id,
      name: l.name,
      latitude: l.latitude!,
      longitude: l.longitude!,
      stock,
      remainingCapacity: Math.max(0, l.dailyCapacity - l.ordersToday),
      cutoffHourUtc: cutoffOf(l),
      handlingCostMinor: l.handlingCostMinor,
    };
  });
  return route({
    order: {
      id: order.id,
      lines: lines.map((w) => ({ lineId: w.line.id, sku: skuOf(w.line), quantity: w.quantity, weightGrams: w.line.weightGrams || 500 })),
      destination: destinationOf(order, network),
      placedAt: nowIso > order.placedAt ? nowIso : sqlTimeOfText(order.placedAt),
      promisedBy: order.promisedBy,
    },
    locations: network,
    rateTable: policy.policy.rateTable,
    rules: policy.policy.rules,
    stockShadowPriceMinor: stockPricesForRouting(config, now), // the planning job's prices; none when stale
  }, batch?.memo);
}

/**
 * What the routes of a batch of orders share (the batch intake: one config, one moment): each location's cut-off hour
 * and the engine's memo of shipping terms (RouteMemo). Decisions are the same with or without it.
 */
export interface RouteBatch {
  memo: RouteMemo;
  /** Cut-off hour (UTC) by location, at the batch's `now` (one moment for the whole batch). */
  cutoffs: Map<string, number>;
  /** `now` as ISO text, formatted once. */
  isoOf(now: Date): string;
}

export function routeBatch(config: ShopConfig): RouteBatch {
  let last = { ms: NaN, iso: "" };
  const isoOf = (now: Date) => {
    if (now.getTime() !== last.ms) last = { ms: now.getTime(), iso: now.toISOString() };
    return last.iso;
  };
  return { memo: new RouteMemo(config.policy.policy.rateTable), cutoffs: new Map(), isoOf };
}

/**
 * The write half of an allocation: the decision row, a guarded reservation + ledger row per allocated
 * part, a backorder claim per missing quantity, and the location load. Throws (rolling back the
 * surrounding transaction) if any guarded decrement finds less stock than the decision assumed.
 */
export async function reserveDecision(ctx: AllocationContext, order: { id: string }, lines: LineRow[], decision: RoutingDecision, ruleSetId: string | null): Promise<AllocationSummary> {
  const planned = planReservation(order, lines, decision, ruleSetId, ctx.now);
  if (ctx.reserveLast) ctx.reserveLast.push(planned.write);
  else await applyReservation(ctx.tx, ctx.shopId, planned.write);
  return { decisionId: planned.write.decisionId, unitsReserved: planned.unitsReserved, unitsBackordered: planned.unitsBackordered, decision };
}

/** What a decision writes (pure but for fresh ids and the time): the rows of reserveDecision, for it and the batch intake. */
export function planReservation(order: { id: string }, lines: LineRow[], decision: RoutingDecision, ruleSetId: string | null, now: Date): { write: ReservationWrite; unitsReserved: number; unitsBackordered: number } {
  const day = utcDay(now);
  const at = sqlTime(); // one timestamp for every row of this reservation
  const input: DecisionInput = {
    ruleSetId,
    method: decision.method,
    decidedBy: decision.explanation.decidedBy,
    totalCostMinor: decision.totals.totalMinor,
    shipments: decision.totals.shipments,
    unitsAllocated: decision.totals.unitsAllocated,
    unitsBackordered: decision.totals.unitsUnallocated,
    meetsPromise: decision.totals.meetsPromise,
    explanation: encodeDecision(decision),
  };

  const byLine = new Map(lines.map((line) => [line.id, line]));
  const reserved: Reservation[] = [];
  const claims = new Map<string, StockClaim>(); // per (variant, location): two lines may share a SKU
  let unitsReserved = 0;
  for (const lineId in decision.allocations) {
    const line = byLine.get(lineId)!;
    const variantId = line.variantId;
    for (const { locationId, quantity } of decision.allocations[lineId]) {
      if (!variantId) throw new Error(`Line ${lineId} (${skuOf(line)}) has no variant to reserve`);
      const key = `${variantId}@${locationId}`;
      const claim = claims.get(key);
      if (claim) claim.quantity += quantity;
      else claims.set(key, { variantId, locationId, quantity });
      reserved.push({ allocationId: newId(), orderLineId: lineId, variantId, locationId, quantity });
      unitsReserved += quantity;
    }
  }
  const backordered = decision.unallocated.map((missing) => ({ id: newId(), orderLineId: missing.lineId, quantity: missing.quantity }));
  const unitsBackordered = backordered.reduce((sum, b) => sum + b.quantity, 0);
  const claimsInLockOrder = [...claims.values()].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0));
  const shipFrom = [...new Set(decision.shipments.map((s) => s.locationId))].sort(); // one lock order for every transaction
  // Each reservation's ledger row is keyed by its fresh allocation id, so the ledger moves by exactly what the
  // guarded decrements moved the levels (ledger sums = levels by construction).
  const write: ReservationWrite = { decisionId: newId(), orderId: order.id, decision: input, reserved, backordered, claims: claimsInLockOrder, shipFrom, day, at };
  return { write, unitsReserved, unitsBackordered };
}

/** Write the reservations queued on `ctx.reserveLast` (in lock order across them), and stop queueing. */
export async function writeQueuedReservations(ctx: AllocationContext): Promise<void> {
  const queued = ctx.reserveLast ?? [];
  ctx.reserveLast = undefined;
  for (const write of queued) await applyReservation(ctx.tx, ctx.shopId, write);
}

async function applyReservation(tx: Tx, shopId: string, write: ReservationWrite): Promise<void> {
  const written = await writeReservation(tx, shopId, write);
  if (!written.ok && written.reason === "stock_changed") {
    // Another transaction took the stock between the read and the guarded decrement (PostgreSQL, several
    // connections): roll back and route again from a fresh read.
    throw new RetryableConflict(`Stock for order ${write.orderId} changed during allocation`);
  }
  if (!written.ok) throw new AppError("unexpected_state", "INVENTORY.LEDGER_KEY_REUSED", `Reservation of order ${write.orderId}: a ledger row was already recorded`);
}

/** Without coordinates for the destination, cost from the middle of the network (and say so). */
function destinationOf(order: OrderRow, network: FulfillmentLocation[]) {
  if (order.shipLatitude !== null && order.shipLongitude !== null) return { latitude: order.shipLatitude, longitude: order.shipLongitude, countryCode: order.shipCountryCode ?? undefined, zip: order.shipZip ?? undefined };
  const n = Math.max(network.length, 1);
  return { latitude: network.reduce((s, l) => s + l.latitude, 0) / n, longitude: network.reduce((s, l) => s + l.longitude, 0) / n, countryCode: order.shipCountryCode ?? undefined };
}

/** Give back everything the order holds (reserved stock and backorder claims); returns the variants freed. */
export async function releaseOrder(ctx: AllocationContext, orderId: string, reason: string): Promise<string[]> {
  return releaseAllocations(ctx, orderId, await openAllocations(ctx.tx, ctx.shopId, orderId), reason);
}

/** Give back what these lines of the order hold (their item changed, or the channel dropped them); returns the variants freed. */
export async function releaseLines(ctx: AllocationContext, orderId: string, lineIds: string[], reason: string): Promise<string[]> {
  if (lineIds.length === 0) return [];
  const lines = new Set(lineIds);
  return releaseAllocations(ctx, orderId, (await openAllocations(ctx.tx, ctx.shopId, orderId)).filter((a) => lines.has(a.orderLineId)), reason);
}

/** Each reserved allocation's units leave its level's reserved bucket (guarded: never more than is reserved), each claim is closed. */
async function releaseAllocations(ctx: AllocationContext, orderId: string, allocations: AllocationRow[], reason: string): Promise<string[]> {
  const freed = new Set<string>();
  for (const a of allocations) {
    if (a.status === "reserved" && a.locationId && a.variantId) {
      await moveReserved(ctx.tx, ctx.shopId, a.variantId, a.locationId, -a.quantity, reason, `release:${a.id}`, { type: "order", id: orderId });
      freed.add(a.variantId);
    }
    await setAllocation(ctx.tx, ctx.shopId, a.id, "released");
  }
  return [...freed];
}

/** Units ordered / reserved / backordered now, for the status machine's guards. */
export async function orderFacts(ctx: AllocationContext, orderId: string) {
  const lines = await orderLines(ctx.tx, ctx.shopId, orderId);
  const open = await openAllocations(ctx.tx, ctx.shopId, orderId);
  return {
    unitsOrdered: lines.reduce((s, l) => s + l.quantity, 0),
    unitsReserved: open.filter((a) => a.status === "reserved").reduce((s, a) => s + a.quantity, 0),
    unitsBackordered: open.filter((a) => a.status === "backordered").reduce((s, a) => s + a.quantity, 0),
  };
}

export type AllocationFacts = Awaited<ReturnType<typeof orderFacts>>;

/**
 * Move the order to reserved/backordered if the status machine allows it; returns the new status. `known`:
 * the facts when the caller has them (a new order just allocated whole), else they are read. `pendingAudit`:
 * the caller's audit rows not written yet, written with this one in one statement.
 */
export async function settleStatus(ctx: AllocationContext, order: OrderRow, known?: AllocationFacts, pendingAudit: PendingAudit[] = []): Promise<string> {
  const facts = known ?? (await orderFacts(ctx, order.id));
  const target = statusAfterAllocation(facts);
  if (target !== order.status && canTransition(order.status, target, facts).ok) {
    await setOrderStatus(ctx.tx, ctx.shopId, order.id, target);
    await auditAll(ctx.tx, ctx.shopId, [...pendingAudit, auditRow({ actor: ctx.actor, action: `order.${target}`, subject: { type: "order", id: order.id }, data: facts })]);
    return target;
  }
  await auditAll(ctx.tx, ctx.shopId, pendingAudit);
  return order.status;
}

/**
 * Stock became available for these variants: the oldest backordered orders get it first, each one
 * re-routed for what it is still missing (app/domain/orders/backorder-fill.ts). Each order's row is locked
 * before its allocations change, and they are read again under the lock: two transactions filling the same
 * backorder on PostgreSQL take turns, and the second finds it filled. Returns the orders that received stock.
 */
export async function fillBackorders(ctx: AllocationContext, variantIds: string[]): Promise<Reallocation[]> {
  const filled: Reallocation[] = [];
  const remaining = async () => stockByVariant(await availableStock(ctx.tx, ctx.shopId, variantIds));
  let stockLeft = await remaining();
  for (const { orderId } of await backorderQueue(ctx.tx, ctx.shopId, variantIds)) {
    if (!anyStockLeft(stockLeft)) break;
    const order = await getOrder(ctx.tx, ctx.shopId, orderId);
    if (!order) continue;
    const claim = backorderClaim(await openAllocations(ctx.tx, ctx.shopId, orderId), stockLeft);
    if (!claim) continue;
    const lines = new Map((await orderLines(ctx.tx, ctx.shopId, orderId)).map((l) => [l.id, l]));
    for (const id of claim.release) await setAllocation(ctx.tx, ctx.shopId, id, "released"); // superseded by the new allocation below
    const summary = await allocateLines(ctx, order, [...claim.wanted].map(([lineId, quantity]) => ({ line: lines.get(lineId)!, quantity })));
    if (summary.unitsReserved > 0) {
      filled.push({ orderId, decisionId: summary.decisionId });
      await audit(ctx.tx, ctx.shopId, ctx.actor, "order.backorder_filled", { type: "order", id: orderId }, { units: summary.unitsReserved, decisionId: summary.decisionId });
      await settleStatus(ctx, order);
      stockLeft = await remaining();
    }
  }
  return filled;
}
