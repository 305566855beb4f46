import { isNewer, type ChannelKind, type ChannelOrder } from "~/domain/orders/channel-order";
import type { ChannelRefund } from "~/domain/orders/map-shopify-refund";
import { allocationAfterLineChanges, linesToRelease, planLineChanges } from "~/domain/orders/plan-line-changes";
import { orderTriggeredAt, setOrderTriggeredAt, unitsByLine } from "../db/fulfillment-sql";
import { auditSql, findOrder, insertOrder, markDecisionDispatched, orderLines, resolveLineVariants, setOrderStatus, updateOrder, upsertLines } from "../db/pipeline-sql";
import { forgetIfRedacted } from "../db/privacy";
import { grouped } from "../db/group-commit";
import { sql, stmt } from "../db/sql";
import { AppError } from "../errors";
import { enqueueApplyRouting } from "../jobs/queue";
import { promiseDelivery } from "./promise-delivery";
import { allocateLines, fillBackorders, releaseLines, releaseOrder, settleStatus, type AllocationContext, type Reallocation } from "./allocate-order";
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
    // A redacted customer's order (a late webhook, a poll) is stored anonymised: their data never comes back.
    if (outcome.kind !== "stale") forgetIfRedacted(ctx.db, shopDomain, shopId, outcome.orderId, order, ctx.now);
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
  // What changed in the lines (pure rule): a line whose item changed, or that is gone, first gives back
  // what it holds — its allocations are of the old item — and only then takes its new content.
  const variantIds = resolveLineVariants(db, shopId, order.lines);
  const changes = planLineChanges(orderLines(db, shopId, existing.id), order.lines.map((l, i) => ({ externalId: l.externalId, variantId: variantIds[i], sku: l.sku, quantity: l.quantity })));
  const freedByLines = releaseLines(ctx, existing.id, linesToRelease(changes), "line_changed");
  upsertLines(db, shopId, existing.id, order, variantIds);
  if (changes.replaced.length + changes.removed.length > 0) {
    auditSql(db, shopId, ctx.actor, "order.lines_replaced", { type: "order", id: existing.id }, { replaced: changes.replaced.map((r) => r.externalId), removed: changes.removed.map((r) => r.externalId) });
  }
  if (order.cancelledAt) {
    if (existing.status === "cancelled") return { kind: "updated", orderId: existing.id, reallocated: fillBackorders(ctx, freedByLines) };
    const freed = releaseOrder(ctx, existing.id, "cancelled");
    setOrderStatus(db, shopId, existing.id, "cancelled");
    auditSql(db, shopId, ctx.actor, "order.cancelled", { type: "order", id: existing.id });
    return { kind: "cancelled", orderId: existing.id, reallocated: fillBackorders(ctx, [...new Set([...freedByLines, ...freed])]) };
  }
  const next = allocationAfterLineChanges(existing.status, changes);
  if (next === "reroute") {
    const freed = releaseOrder(ctx, existing.id, "order_edited");
    auditSql(db, shopId, ctx.actor, "order.edited", { type: "order", id: existing.id });
    const row = findOrder(db, shopId, channelId, order.externalId)!;
    const units = unitsByLine(db, shopId, existing.id);
    const toShip = orderLines(db, shopId, existing.id).map((line) => ({ line, quantity: Math.max(0, line.quantity - (units.get(line.id)?.fulfilled ?? 0)) }));
    const summary = allocateLines(ctx, row, toShip);
    settleStatus(ctx, row);
    return { kind: "updated", orderId: existing.id, reallocated: [{ orderId: existing.id, decisionId: summary.decisionId }, ...fillBackorders(ctx, [...new Set([...freedByLines, ...freed])])] };
  }
  // Part of it has left (or is being picked): never re-route what may be on its way; reserve what the lines still miss.
  const topUp = next === "top_up" ? fitOpenAllocations(ctx, existing.id, { trim: false }).reallocated : [];
  return { kind: "updated", orderId: existing.id, reallocated: [...topUp, ...fillBackorders(ctx, freedByLines)] };
}

/**
 * The shop and its channel of this kind: one indexed read. Only an installed shop takes orders in; a shop
 * is never created here (only an install creates one: install-shop.ts), so a domain that never installed,
 * an uninstalled shop and a redacted one store nothing.
 */
async function shopChannel(shopDomain: string, kind: ChannelKind): Promise<{ shopId: string; channelId: string }> {
  const found = stmt(sql(), `SELECT s."id" AS "shopId", s."status" AS "status", c."id" AS "channelId" FROM "Shop" s LEFT JOIN "Channel" c ON c."shopId" = s."id" AND c."kind" = ? WHERE s."domain" = ? ORDER BY c."createdAt" LIMIT 1`).get(kind, shopDomain) as
    | { shopId: string; status: string; channelId: string | null }
    | undefined;
  if (!found || found.status !== "installed") throw new AppError("not_allowed", "SHOP.NOT_INSTALLED", `${shopDomain} is not installed: its orders are not taken in`);
  if (!found.channelId) throw new Error(`Shop ${shopDomain} has no ${kind} channel`);
  return { shopId: found.shopId, channelId: found.channelId };
}
