import type { ChannelOrder } from "~/domain/orders/channel-order";
import { canTransition, statusAfterAllocation } from "~/domain/orders/status-machine";
import type { IntakeChannel } from "../channels/intake-channel";
import { auditAll, auditRow, type PendingAudit } from "../db/audit";
import { database, type Tx } from "../db/database";
import { newId, sqlTime, utcDay } from "../db/ids";
import { insertNewLines, insertNewOrders, insertReservationRows, lockedAvailability, ordersByExternalId, reserveLevels, type NewLineRow, type NewOrderRow } from "../db/order-batch-sql";
import { activeLocations, bumpLocationLoad, orderTimes, resolveLineVariants, type LineRow, type OrderRow, type ReservationWrite, type StockClaim } from "../db/pipeline-sql";
import { redactedAmong } from "../db/privacy";
import { enqueueChannelStockSync } from "../jobs/queue";
import { configOf, decideRoute, planReservation, routeBatch, type AllocationContext, type Reallocation } from "./allocate-order";
import { enqueueReallocations } from "./dispatch-reallocations";
import { promiseDelivery } from "./promise-delivery";

// The batch intake (ADR 0032): many brand-new orders of one channel taken in in one transaction, as an import
// brings them. What the per-order path (ingest-channel-order.ts) reads once per order is read once per batch
// (which orders exist already, the routing config, the locations and their day's load, the variants, the stock
// levels — locked on PostgreSQL), each order is routed by the same pure decision (decideRoute, planReservation)
// against a running copy of the levels — the Nth order sees what the earlier ones reserved — and the rows are
// written set-based: multi-row INSERTs, one guarded UPDATE per level touched, one load bump per location.
//
// Only plain new orders take this path. An order the channel already holds (an update, a stale copy, a cancel),
// one that arrives cancelled, the completed draft of a manual order, one listing a line twice, one whose customer
// was redacted, one named twice in the batch, or one the caller's `claim` refuses, is returned as not taken: the
// caller sends it through the per-order path, whose rules decide it. If a guard fails (a level moved under the
// batch, an external id taken meanwhile), the batch rolls back whole and nothing of it is taken.

export interface BatchTaken {
  orderId: string;
  /** What it settled into: reserved or backordered (a routed order), cancelled or shipped (see `unrouted`). */
  status: string;
}

export interface BatchIntakeOptions {
  actor: string;
  now?: Date;
  /**
   * Inside the batch's transaction, before anything is written: which of these (new, eligible) orders may be
   * taken in — e.g. the API's idempotency keys held for them (csv-po). The others go the per-order way.
   */
  claim?: (tx: Tx, orders: readonly ChannelOrder[]) => Promise<ReadonlySet<string>>;
  /**
   * New orders that are stored and never routed, as the per-order path stores them (Amazon reports): one that
   * arrives cancelled (`cancelled`, audit `order.received`), and one the channel ships from its own stock — those
   * in this set (FBA: `shipped`, audits `order.received`, `order.fulfilled_by_channel`). Without it an order that
   * arrives cancelled is left to the per-order path.
   */
  unrouted?: { fulfilledByChannel: ReadonlySet<ChannelOrder> };
}

/** Thrown inside the batch's transaction to roll it back whole (what it counted on moved). */
class BatchGuardFailed extends Error {}

/**
 * Orders per batch: one transaction, so SQLite's writer is held for it (≈ 0.1–0.2 s for 1,000 orders here; webhook
 * acks wait that long at most). 1,000 rather than 500 took ≈ 5 % off a 100k-line Amazon import (fewer commits
 * rewriting the same index pages, a batch's reads shared by more orders); ADR 0032, addendum 3.
 */
export const BATCH_ORDERS = 1000;

/**
 * Take in `orders` (one channel's) in one transaction where they are plain new orders. Returns, per order, what
 * it became when the batch took it in, or null: that one is for the per-order path (as is every order when the
 * batch rolled back). Apply-routing jobs and the channel stock sync are enqueued once, after the commit.
 */
export async function ingestNewOrders(channel: IntakeChannel, orders: readonly ChannelOrder[], opts: BatchIntakeOptions): Promise<(BatchTaken | null)[]> {
  if (orders.length === 0) return [];
  const now = opts.now ?? new Date();
  let outcome: { taken: (BatchTaken | null)[]; reallocated: Reallocation[] };
  try {
    outcome = await database().transaction((tx) => batchInTransaction(tx, channel, orders, opts.actor, now, opts.claim, opts.unrouted));
  } catch (error) {
    if (error instanceof BatchGuardFailed) return orders.map(() => null);
    throw error;
  }
  if (outcome.reallocated.length > 0) await enqueueReallocations(channel.shopId, outcome.reallocated);
  if (outcome.taken.some(Boolean)) await enqueueChannelStockSync({ shopId: channel.shopId });
  return outcome.taken;
}

/** Plain new orders only; the rest is the per-order path's (see above). */
function plain(order: ChannelOrder, unrouted: boolean): boolean {
  if ((order.cancelledAt && !unrouted) || order.supersedes) return false;
  return new Set(order.lines.map((l) => l.externalId)).size === order.lines.length;
}

async function batchInTransaction(tx: Tx, channel: IntakeChannel, orders: readonly ChannelOrder[], actor: string, now: Date, claim: BatchIntakeOptions["claim"], unrouted: BatchIntakeOptions["unrouted"]): Promise<{ taken: (BatchTaken | null)[]; reallocated: Reallocation[] }> {
  const { shopId, channelId } = channel;
  const ctx: AllocationContext = { tx, shopId, now, actor, configVersion: channel.configVersion };
  const seen = new Set<string>();
  let candidates = orders.filter((o) => {
    const ok = plain(o, unrouted !== undefined) && !seen.has(o.externalId);
    seen.add(o.externalId);
    return ok;
  });
  const existing = await ordersByExternalId(tx, shopId, channelId, candidates.map((o) => o.externalId));
  candidates = candidates.filter((o) => !existing.has(o.externalId));
  const redacted = candidates.length ? await redactedAmong(tx, channel.shopDomain, candidates) : new Set<string>();
  candidates = candidates.filter((o) => !redacted.has(o.externalId));
  if (claim && candidates.length) {
    const allowed = await claim(tx, candidates);
    candidates = candidates.filter((o) => allowed.has(o.externalId));
  }
  if (candidates.length === 0) return { taken: orders.map(() => null), reallocated: [] };

  const config = await configOf(ctx);
  const day = utcDay(now);
  // The network as the per-order path reads it before each order; its day's load and the levels then move here
  // as each order reserves, exactly as they would have in the database between two orders.
  const locations = await activeLocations(tx, shopId, day);
  const allLines = candidates.flatMap((o) => o.lines);
  const resolved = await resolveLineVariants(tx, shopId, allLines);
  // Stored without routing (see `unrouted`): cancelled on arrival, or shipped by the channel from its own stock.
  const unroutedStatus = (o: ChannelOrder): "cancelled" | "shipped" | null => (o.cancelledAt ? "cancelled" : unrouted?.fulfilledByChannel.has(o) ? "shipped" : null);
  const variantIds = new Set<string>(); // the levels read (and locked) are those of the orders routed
  let at0 = 0;
  for (const o of candidates) {
    if (!unroutedStatus(o)) for (const v of resolved.slice(at0, at0 + o.lines.length)) if (v) variantIds.add(v.id);
    at0 += o.lines.length;
  }
  // Available units by variant, then location (the running copy: every order's reservation is taken off it).
  const available = new Map<string, Map<string, number>>();
  const levelsOf = (variantId: string) => {
    let byLocation = available.get(variantId);
    if (!byLocation) available.set(variantId, (byLocation = new Map()));
    return byLocation;
  };
  for (const row of await lockedAvailability(tx, shopId, [...variantIds])) levelsOf(row.variantId).set(row.locationId, row.available);
  const availableAt = (variantId: string, locationId: string) => available.get(variantId)?.get(locationId) ?? 0;
  const routing = routeBatch(config); // what every order's route shares: cut-offs, shipping terms

  const orderRows: NewOrderRow[] = [];
  const lineRows: NewLineRow[] = [];
  const writes: ReservationWrite[] = [];
  const audits: PendingAudit[] = [];
  const levelClaims = new Map<string, StockClaim>();
  const loadByLocation = new Map<string, number>();
  const takenByExternalId = new Map<string, BatchTaken>();
  let offset = 0;
  for (const order of candidates) {
    const id = newId();
    const variants = resolved.slice(offset, offset + order.lines.length);
    offset += order.lines.length;
    const promisedBy = promiseDelivery(config.promise, order).promisedBy;
    const s = order.shipTo;
    const times = orderTimes(order);
    const row: OrderRow = {
      id, status: "received", externalUpdatedAt: times.updatedAt, placedAt: times.placedAt, promisedBy,
      shipLatitude: s?.latitude ?? null, shipLongitude: s?.longitude ?? null, shipCountryCode: s?.countryCode ?? null, shipZip: s?.zip ?? null, channelId, externalId: order.externalId,
    };
    const lines: LineRow[] = order.lines.map((l, i) => {
      const v = variants[i];
      const lineId = newId();
      lineRows.push({ id: lineId, orderId: id, externalId: l.externalId, variantId: v?.id ?? null, sku: l.sku, title: l.title, quantity: l.quantity, priceMinor: l.priceMinor });
      return { id: lineId, externalId: l.externalId, variantId: v?.id ?? null, sku: v?.sku ?? l.sku, quantity: l.quantity, weightGrams: v?.weightGrams ?? null };
    });
    const received = auditRow({ actor, action: "order.received", subject: { type: "order", id }, data: { name: order.name } });
    const stored = unroutedStatus(order);
    if (stored) {
      // As ingestInTransaction stores a new order that arrives cancelled, or that the channel fulfils.
      audits.push(received);
      if (stored === "shipped") audits.push(auditRow({ actor, action: "order.fulfilled_by_channel", subject: { type: "order", id }, data: { note: "the channel ships it from its own stock: not routed, nothing reserved" } }));
      orderRows.push({ id, channelId, order, status: stored, promisedBy, times });
      takenByExternalId.set(order.externalId, { orderId: id, status: stored });
      continue;
    }
    const wanted = lines.filter((line) => line.quantity > 0).map((line) => ({ line, quantity: line.quantity }));
    const decision = decideRoute(config, locations, availableAt, row, wanted, now, routing);
    const planned = planReservation(row, wanted.map((w) => w.line), decision, config.policy.id, now);
    writes.push(planned.write);
    for (const c of planned.write.claims) {
      levelsOf(c.variantId).set(c.locationId, availableAt(c.variantId, c.locationId) - c.quantity);
      const key = `${c.variantId}@${c.locationId}`;
      const total = levelClaims.get(key);
      if (total) total.quantity += c.quantity;
      else levelClaims.set(key, { ...c });
    }
    for (const locationId of planned.write.shipFrom) {
      loadByLocation.set(locationId, (loadByLocation.get(locationId) ?? 0) + 1);
      const at = locations.findIndex((l) => l.id === locationId);
      if (at >= 0) locations[at] = { ...locations[at], ordersToday: locations[at].ordersToday + 1 };
    }
    // settleStatus with the facts just decided, as the per-order path does for a new order.
    const facts = { unitsOrdered: lines.reduce((n, l) => n + l.quantity, 0), unitsReserved: planned.unitsReserved, unitsBackordered: planned.unitsBackordered };
    const target = statusAfterAllocation(facts);
    let status = "received";
    audits.push(received);
    if (target !== status && canTransition(status, target, facts).ok) {
      status = target;
      audits.push(auditRow({ actor, action: `order.${target}`, subject: { type: "order", id }, data: facts }));
    }
    orderRows.push({ id, channelId, order, status, promisedBy, times });
    takenByExternalId.set(order.externalId, { orderId: id, status });
  }

  const at = sqlTime();
  if ((await insertNewOrders(tx, shopId, orderRows, at)) !== orderRows.length) throw new BatchGuardFailed("an order of the batch was taken in meanwhile");
  await insertNewLines(tx, shopId, lineRows, at);
  const reservedParts = writes.reduce((n, w) => n + w.reserved.length, 0);
  if ((await insertReservationRows(tx, shopId, writes)) !== reservedParts) throw new BatchGuardFailed("a reservation's ledger key was used already");
  if (!(await reserveLevels(tx, shopId, [...levelClaims.values()], at))) throw new BatchGuardFailed("a stock level moved under the batch");
  for (const [locationId, count] of [...loadByLocation].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) await bumpLocationLoad(tx, shopId, locationId, day, count, writes[0].decisionId);
  for (let i = 0; i < audits.length; i += 200) await auditAll(tx, shopId, audits.slice(i, i + 200));

  return {
    taken: orders.map((o) => {
      const t = takenByExternalId.get(o.externalId);
      if (!t) return null;
      takenByExternalId.delete(o.externalId); // a second copy in the batch is the per-order path's (it finds the first)
      return t;
    }),
    reallocated: writes.map((w) => ({ orderId: w.orderId, decisionId: w.decisionId })),
  };
}
