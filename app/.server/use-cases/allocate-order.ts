import { canTransition, statusAfterAllocation } from "~/domain/orders/status-machine";
import { encodeDecision, route } from "~/domain/routing";
import type { FulfillmentLocation, RoutingDecision } from "~/domain/routing";
import { cutoffHourUtc, defaultPolicy, parsePolicy, type RoutingPolicy } from "~/domain/routing-policy/policy";
import {
  activeLocations, activeRuleSet, appendReservedLedger, auditSql, availableStock, backorderQueue, bumpLocationLoad, getOrder, insertDecision, insertReservedAllocations,
  openAllocations, orderLines, reserveStockAll, setAllocation, setOrderStatus, type AllocationRow, type LineRow, type OrderRow, type Reservation, type StockClaim,
} from "../db/pipeline-sql";
import { moveReserved } from "../db/fulfillment-sql";
import { AppError } from "../errors";
import { newId, sqlTime, utcDay, type Sql } from "../db/sql";
import { stockPricesForRouting } from "./read-stock-prices";

// Allocation inside one synchronous transaction: read stock → route (pure) → guarded reserve → write the
// decision, allocations, ledger and location load. Callers wrap these in `immediate()`.

export interface AllocationContext {
  db: Sql;
  shopId: string;
  now: Date;
  actor: string;
  policy?: { id: string | null; policy: RoutingPolicy };
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

export function loadPolicy(db: Sql, shopId: string): { id: string | null; policy: RoutingPolicy } {
  const row = activeRuleSet(db, shopId);
  if (row) {
    const parsed = parsePolicy({ rules: JSON.parse(row.rules), rateTable: JSON.parse(row.rateTable) });
    if (parsed.ok) return { id: row.id, policy: parsed.policy };
  }
  return { id: null, policy: defaultPolicy() };
}

const skuOf = (line: LineRow) => line.sku ?? `unknown-line:${line.id}`;

/** Route `wanted` quantities of an order's lines, reserve what the decision allocates, backorder the rest. */
export function allocateLines(ctx: AllocationContext, order: OrderRow, wanted: Wanted[]): AllocationSummary {
  const { db, shopId, now } = ctx;
  const policy = (ctx.policy ??= loadPolicy(db, shopId));
  const day = utcDay(now);
  const locations = activeLocations(db, shopId, day).filter((l) => l.latitude !== null && l.longitude !== null);
  const lines = wanted.filter((w) => w.quantity > 0);
  const variantIds = [...new Set(lines.map((w) => w.line.variantId).filter((v): v is string => Boolean(v)))];
  const skuByVariant = new Map(lines.map((w) => [w.line.variantId, skuOf(w.line)]));
  const stock = new Map<string, Record<string, number>>(locations.map((l) => [l.id, {}]));
  for (const row of availableStock(db, shopId, variantIds)) {
    const bucket = stock.get(row.locationId);
    if (bucket && row.available > 0) bucket[skuByVariant.get(row.variantId)!] = row.available;
  }
  const network: FulfillmentLocation[] = locations.map((l) => ({
    id: l.id,
    name: l.name,
    latitude: l.latitude!,
    longitude: l.longitude!,
    stock: stock.get(l.id)!,
    remainingCapacity: Math.max(0, l.dailyCapacity - l.ordersToday),
    cutoffHourUtc: cutoffHourUtc(l.carrierCutoff, l.timezone, now),
    handlingCostMinor: l.handlingCostMinor,
  }));
  const decision = route({
    order: {
      id: order.id,
      lines: lines.map((w) => ({ lineId: w.line.id, sku: skuOf(w.line), quantity: w.quantity, weightGrams: w.line.weightGrams || 500 })),
      destination: destinationOf(order, network),
      placedAt: now.toISOString() > order.placedAt ? now.toISOString() : new Date(order.placedAt).toISOString(),
      promisedBy: order.promisedBy,
    },
    locations: network,
    rateTable: policy.policy.rateTable,
    rules: policy.policy.rules,
    stockShadowPriceMinor: stockPricesForRouting(db, shopId, now), // the planning job's prices, cached per shop; none when stale
  });

  return reserveDecision(ctx, order, lines.map((w) => w.line), decision, policy.id);
}

/**
 * The write half of an allocation: the decision row, a guarded reservation + ledger row per allocated
 * part, a backorder claim per missing quantity, and the location load. Throws (rolling back the
 * surrounding transaction) if any guarded decrement finds less stock than the decision assumed.
 */
export function reserveDecision(ctx: AllocationContext, order: { id: string }, lines: LineRow[], decision: RoutingDecision, ruleSetId: string | null): AllocationSummary {
  const { db, shopId, now } = ctx;
  const day = utcDay(now);
  const at = sqlTime(); // one timestamp for every row of this reservation
  const decisionId = insertDecision(db, shopId, order.id, {
    ruleSetId,
    method: decision.method,
    decidedBy: decision.explanation.decidedBy,
    totalCostMinor: decision.totals.totalMinor,
    shipments: decision.totals.shipments,
    unitsAllocated: decision.totals.unitsAllocated,
    unitsBackordered: decision.totals.unitsUnallocated,
    meetsPromise: decision.totals.meetsPromise,
    explanation: encodeDecision(decision),
  }, at);

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
  if (claims.size > 0 && !reserveStockAll(db, shopId, [...claims.values()], at)) {
    throw new Error(`Stock for order ${order.id} changed during allocation`); // rolls the transaction back
  }
  const backordered = decision.unallocated.map((missing) => ({ id: newId(), orderLineId: missing.lineId, quantity: missing.quantity }));
  const unitsBackordered = backordered.reduce((sum, b) => sum + b.quantity, 0);
  insertReservedAllocations(db, shopId, decisionId, reserved, backordered, at);
  // Each reservation's ledger row is keyed by its fresh allocation id: all are new, so the ledger moves by
  // exactly what the guarded decrement moved the levels (ledger sums = levels by construction).
  if (appendReservedLedger(db, shopId, order.id, reserved, at) !== reserved.length) {
    throw new AppError("unexpected_state", "INVENTORY.LEDGER_KEY_REUSED", `Reservation of order ${order.id}: a ledger row was already recorded`);
  }
  for (const shipment of decision.shipments) bumpLocationLoad(db, shopId, shipment.locationId, day);
  return { decisionId, unitsReserved, unitsBackordered, decision };
}

/** Without coordinates for the destination, cost from the middle of the network (and say so). */
function destinationOf(order: OrderRow, network: FulfillmentLocation[]) {
  if (order.shipLatitude !== null && order.shipLongitude !== null) return { latitude: order.shipLatitude, longitude: order.shipLongitude, countryCode: order.shipCountryCode ?? undefined, zip: order.shipZip ?? undefined };
  const n = Math.max(network.length, 1);
  return { latitude: network.reduce((s, l) => s + l.latitude, 0) / n, longitude: network.reduce((s, l) => s + l.longitude, 0) / n, countryCode: order.shipCountryCode ?? undefined };
}

/** Give back everything the order holds (reserved stock and backorder claims); returns the variants freed. */
export function releaseOrder(ctx: AllocationContext, orderId: string, reason: string): string[] {
  return releaseAllocations(ctx, orderId, openAllocations(ctx.db, ctx.shopId, orderId), reason);
}

/** Give back what these lines of the order hold (their item changed, or the channel dropped them); returns the variants freed. */
export function releaseLines(ctx: AllocationContext, orderId: string, lineIds: string[], reason: string): string[] {
  if (lineIds.length === 0) return [];
  const lines = new Set(lineIds);
  return releaseAllocations(ctx, orderId, openAllocations(ctx.db, ctx.shopId, orderId).filter((a) => lines.has(a.orderLineId)), reason);
}

/** Each reserved allocation's units leave its level's reserved bucket (guarded: never more than is reserved), each claim is closed. */
function releaseAllocations(ctx: AllocationContext, orderId: string, allocations: AllocationRow[], reason: string): string[] {
  const freed = new Set<string>();
  for (const a of allocations) {
    if (a.status === "reserved" && a.locationId && a.variantId) {
      moveReserved(ctx.db, ctx.shopId, a.variantId, a.locationId, -a.quantity, reason, `release:${a.id}`, { type: "order", id: orderId });
      freed.add(a.variantId);
    }
    setAllocation(ctx.db, a.id, "released");
  }
  return [...freed];
}

/** Units ordered / reserved / backordered now, for the status machine's guards. */
export function orderFacts(ctx: AllocationContext, orderId: string) {
  const lines = orderLines(ctx.db, ctx.shopId, orderId);
  const open = openAllocations(ctx.db, ctx.shopId, orderId);
  return {
    unitsOrdered: lines.reduce((s, l) => s + l.quantity, 0),
    unitsReserved: open.filter((a) => a.status === "reserved").reduce((s, a) => s + a.quantity, 0),
    unitsBackordered: open.filter((a) => a.status === "backordered").reduce((s, a) => s + a.quantity, 0),
  };
}

/** Move the order to reserved/backordered if the status machine allows it; returns the new status. */
export function settleStatus(ctx: AllocationContext, order: OrderRow): string {
  const facts = orderFacts(ctx, order.id);
  const target = statusAfterAllocation(facts);
  if (target !== order.status && canTransition(order.status, target, facts).ok) {
    setOrderStatus(ctx.db, ctx.shopId, order.id, target);
    auditSql(ctx.db, ctx.shopId, ctx.actor, `order.${target}`, { type: "order", id: order.id }, facts);
    return target;
  }
  return order.status;
}

/**
 * Stock became available for these variants: the oldest backordered orders get it first, each one
 * re-routed for what it is still missing. Returns the orders that received stock.
 */
export function fillBackorders(ctx: AllocationContext, variantIds: string[]): Reallocation[] {
  const filled: Reallocation[] = [];
  const remaining = () => {
    const perVariant = new Map<string, number>();
    for (const row of availableStock(ctx.db, ctx.shopId, variantIds)) perVariant.set(row.variantId, (perVariant.get(row.variantId) ?? 0) + Math.max(0, row.available));
    return perVariant;
  };
  let stockLeft = remaining();
  for (const { orderId } of backorderQueue(ctx.db, ctx.shopId, variantIds)) {
    if ([...stockLeft.values()].every((v) => v <= 0)) break;
    const order = getOrder(ctx.db, ctx.shopId, orderId)!;
    const waiting = openAllocations(ctx.db, ctx.shopId, orderId).filter((a) => a.status === "backordered" && a.variantId && (stockLeft.get(a.variantId) ?? 0) > 0);
    if (waiting.length === 0) continue;
    const lines = new Map(orderLines(ctx.db, ctx.shopId, orderId).map((l) => [l.id, l]));
    const wanted = new Map<string, Wanted>();
    for (const a of waiting) {
      const w = wanted.get(a.orderLineId) ?? { line: lines.get(a.orderLineId)!, quantity: 0 };
      w.quantity += a.quantity;
      wanted.set(a.orderLineId, w);
      setAllocation(ctx.db, a.id, "released"); // superseded by the new allocation below
    }
    const summary = allocateLines(ctx, order, [...wanted.values()]);
    if (summary.unitsReserved > 0) {
      filled.push({ orderId, decisionId: summary.decisionId });
      auditSql(ctx.db, ctx.shopId, ctx.actor, "order.backorder_filled", { type: "order", id: orderId }, { units: summary.unitsReserved, decisionId: summary.decisionId });
      settleStatus(ctx, order);
      stockLeft = remaining();
    }
  }
  return filled;
}
