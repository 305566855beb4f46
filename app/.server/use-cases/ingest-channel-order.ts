import { isNewer, type ChannelKind, type ChannelOrder } from "~/domain/orders/channel-order";
import type { ChannelRefund } from "~/domain/orders/map-shopify-refund";
import { isReallocatable } from "~/domain/orders/status-machine";
import { orderTriggeredAt, setOrderTriggeredAt, unitsByLine } from "../db/fulfillment-sql";
import { auditSql, findOrder, insertOrder, markDecisionDispatched, orderLines, setOrderStatus, updateOrder, upsertLines } from "../db/pipeline-sql";
import { ensureShop } from "../db/shops";
import { grouped } from "../db/group-commit";
import { sql, stmt } from "../db/sql";
import { enqueueApplyRouting } from "../jobs/queue";
import { promiseDelivery } from "./promise-delivery";
import { allocateLines, fillBackorders, releaseOrder, settleStatus, type AllocationContext, type Reallocation } from "./allocate-order";
import { fitOpenAllocations } from "./fit-allocations";
import { applyRefund } from "./record-refund";

export type IngestOutcome = { kind: "created" | "updated" | "stale" | "cancelled"; orderId: string };

export interface IngestOptions {
  now?: Date;
  actor?: string;
  /**
   * When the channel produced this payload (Shopify's X-Shopify-Triggered-At). Breaks ties between payloads
   * with the same updated_at (Shopify's is whole seconds): the later-triggered one wins, whatever arrives first.
   */
  triggeredAt?: Date | null;
  /**
   * Refunds the payload already reflects (Shopify's order payload lists them): applied in the same
   * transaction, once each, so refunds/create and the order update agree whichever comes first.
   */
  refunds?: ChannelRefund[];
}

/**
 * Store a channel's order exactly once and keep its stock in step, in one transaction: a new order is
 * routed and reserves stock the moment it lands (what cannot be reserved is backordered); a cancel
 * releases its stock to the oldest backorders; an edit before picking re-routes it (units already
 * shipped excepted). An older payload never overwrites newer state. Concurrent ingests share a commit
 * (group commit), each atomic alone.
 */
export async function ingestChannelOrder(shopDomain: string, channelKind: ChannelKind, order: ChannelOrder, opts: IngestOptions = {}): Promise<IngestOutcome> {
  const { shopId, channelId } = await shopChannel(shopDomain, channelKind);
  const ctx: AllocationContext = { db: sql(), shopId, now: opts.now ?? new Date(), actor: opts.actor ?? `channel:${channelKind}` };
  const result = await grouped(ctx.db, () => {
    const outcome = ingestInTransaction(ctx, channelId, order, opts.triggeredAt ?? null);
    if (outcome.kind === "stale" || !opts.refunds?.length) return outcome;
    const row = findOrder(ctx.db, shopId, channelId, order.externalId)!;
    const fromRefunds = opts.refunds.flatMap((refund) => applyRefund(ctx, refund, { order: row, reflected: true })?.reallocated ?? []);
    return { ...outcome, reallocated: [...(outcome.reallocated ?? []), ...fromRefunds] };
  });
  await enqueueReallocations(shopId, result.reallocated);
  return { kind: result.kind, orderId: result.orderId };
}

/**
 * Enqueue the apply-routing job of each new decision, then mark it dispatched. A decision is committed
 * undispatched, so if this process dies in between, the sweep (sweep-inbox.ts) dispatches it: the
 * decision row is the outbox.
 */
export async function enqueueReallocations(shopId: string, reallocated: Reallocation[] = []): Promise<void> {
  for (const r of reallocated) {
    await enqueueApplyRouting(shopId, r.orderId, r.decisionId);
    markDecisionDispatched(sql(), r.decisionId);
  }
}

/** Same updated_at as what we hold, but triggered later: the newer payload of a same-second pair. */
function triggeredLater(ctx: AllocationContext, existing: { id: string; externalUpdatedAt: string | null }, order: ChannelOrder, triggeredAt: Date | null): boolean {
  if (!triggeredAt || !existing.externalUpdatedAt || Date.parse(order.updatedAt) !== Date.parse(existing.externalUpdatedAt)) return false;
  const stored = orderTriggeredAt(ctx.db, ctx.shopId, existing.id);
  return stored !== null && triggeredAt.getTime() > Date.parse(stored);
}

function ingestInTransaction(ctx: AllocationContext, channelId: string, order: ChannelOrder, triggeredAt: Date | null): IngestOutcome & { reallocated?: Reallocation[] } {
  const { db, shopId } = ctx;
  const existing = findOrder(db, shopId, channelId, order.externalId);
  if (existing && !isNewer(order.updatedAt, existing.externalUpdatedAt) && !triggeredLater(ctx, existing, order, triggeredAt)) return { kind: "stale", orderId: existing.id };

  if (!existing) {
    const orderId = insertOrder(db, shopId, channelId, order, promiseDelivery(db, shopId, order).promisedBy);
    setOrderTriggeredAt(db, shopId, orderId, triggeredAt);
    upsertLines(db, shopId, orderId, order);
    auditSql(db, shopId, ctx.actor, "order.received", { type: "order", id: orderId }, { name: order.name });
    if (order.cancelledAt) {
      setOrderStatus(db, shopId, orderId, "cancelled");
      return { kind: "cancelled", orderId };
    }
    const row = findOrder(db, shopId, channelId, order.externalId)!;
    const summary = allocateLines(ctx, row, orderLines(db, shopId, orderId).map((line) => ({ line, quantity: line.quantity })));
    settleStatus(ctx, row);
    return { kind: "created", orderId, reallocated: [{ orderId, decisionId: summary.decisionId }] };
  }

  updateOrder(db, shopId, existing.id, order);
  setOrderTriggeredAt(db, shopId, existing.id, triggeredAt);
  const linesChanged = upsertLines(db, shopId, existing.id, order);
  if (order.cancelledAt) {
    if (existing.status === "cancelled") return { kind: "updated", orderId: existing.id };
    const freed = releaseOrder(ctx, existing.id, "cancelled");
    setOrderStatus(db, shopId, existing.id, "cancelled");
    auditSql(db, shopId, ctx.actor, "order.cancelled", { type: "order", id: existing.id });
    return { kind: "cancelled", orderId: existing.id, reallocated: fillBackorders(ctx, freed) };
  }
  if (linesChanged && isReallocatable(existing.status)) {
    const freed = releaseOrder(ctx, existing.id, "order_edited");
    auditSql(db, shopId, ctx.actor, "order.edited", { type: "order", id: existing.id });
    const row = findOrder(db, shopId, channelId, order.externalId)!;
    const units = unitsByLine(db, shopId, existing.id);
    const toShip = orderLines(db, shopId, existing.id).map((line) => ({ line, quantity: Math.max(0, line.quantity - (units.get(line.id)?.fulfilled ?? 0)) }));
    const summary = allocateLines(ctx, row, toShip);
    settleStatus(ctx, row);
    return { kind: "updated", orderId: existing.id, reallocated: [{ orderId: existing.id, decisionId: summary.decisionId }, ...fillBackorders(ctx, freed)] };
  }
  if (linesChanged && existing.status === "partially_shipped") {
    // Part of it has left: never re-route what may be on its way; reserve units added by the edit.
    return { kind: "updated", orderId: existing.id, reallocated: fitOpenAllocations(ctx, existing.id, { trim: false }).reallocated };
  }
  return { kind: "updated", orderId: existing.id };
}

/** The shop and its channel of this kind: one indexed read; created on first sight. */
async function shopChannel(shopDomain: string, kind: ChannelKind): Promise<{ shopId: string; channelId: string }> {
  const find = () =>
    stmt(sql(), `SELECT s."id" AS "shopId", c."id" AS "channelId" FROM "Shop" s JOIN "Channel" c ON c."shopId" = s."id" AND c."kind" = ? WHERE s."domain" = ? ORDER BY c."createdAt" LIMIT 1`).get(kind, shopDomain) as
      | { shopId: string; channelId: string }
      | undefined;
  const found = find();
  if (found) return found;
  await ensureShop(shopDomain);
  const created = find();
  if (!created) throw new Error(`Shop ${shopDomain} has no ${kind} channel`);
  return created;
}
