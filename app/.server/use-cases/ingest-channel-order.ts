import { supersedeDraftedOrder } from "./supersede-drafted-order";
import { isNewer, type ChannelOrder } from "~/domain/orders/channel-order";
import type { ChannelRefund } from "~/domain/orders/map-shopify-refund";
import { allocationAfterLineChanges, linesToRelease, planLineChanges } from "~/domain/orders/plan-line-changes";
import type { IntakeChannel } from "../channels/intake-channel";
import { SHOPIFY } from "../channels/shopify/shopify-channel";
import { audit, auditAll, auditRow } from "../db/audit";
import { database } from "../db/database";
import { orderTriggeredAt, unitsByLine } from "../db/fulfillment-sql";
import { findOrder, insertOrder, orderLines, resolveLineVariants, setOrderStatus, updateOrder, upsertLines } from "../db/pipeline-sql";
import { forgetIfRedacted, isOrderRedacted } from "../db/privacy";
import { markInboxProcessedInTx } from "../db/webhook-inbox";
import { AppError } from "../errors";
import { enqueueReallocations } from "./dispatch-reallocations";
import { promiseDelivery } from "./promise-delivery";
import { allocateLines, configOf, fillBackorders, releaseLines, releaseOrder, settleStatus, writeQueuedReservations, type AllocationContext, type Reallocation } from "./allocate-order";
import { fitOpenAllocations } from "./fit-allocations";
import { applyRefund } from "./record-refund";
import { confirmClaimedLevel } from "./sync-inventory-level";
import { unpickCancelledOrder } from "./unpick-cancelled-order";
import { enqueueChannelStockSync } from "../jobs/queue";

export type IngestOutcome = {
  kind: "created" | "updated" | "stale" | "cancelled";
  orderId: string;
  /** The order belongs to a redacted customer and was stored anonymised (the webhook keeps no body either). */
  redacted?: boolean;
  /** The webhook's inbox row was marked processed in the same transaction. */
  inboxMarked?: boolean;
};

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
  /** The webhook this payload came in: marked processed in the ingest's own transaction. */
  inbox?: { shopDomain: string; id: string };
  /**
   * The channel ships it from its own stock (Amazon's FBA): stored, counted in sales history, never routed to
   * or reserved at the merchant's locations; it is `shipped` as far as they are concerned.
   */
  fulfilledByChannel?: boolean;
}

/**
 * Store a channel's order exactly once and keep its stock in step, in one transaction: a new order is
 * routed and reserves stock the moment it lands (what cannot be reserved is backordered); a cancel
 * releases its stock to the oldest backorders; an edit before picking re-routes it (units already
 * shipped excepted). An older payload never overwrites newer state. The channel is known by id (its
 * adapter resolved it); concurrent ingests share a commit on SQLite (group commit) and run on their own
 * connections on PostgreSQL, each atomic alone, the order's row locked while it changes.
 */
export async function ingestChannelOrder(channel: IntakeChannel, order: ChannelOrder, opts: IngestOptions = {}): Promise<IngestOutcome> {
  const { shopId, shopDomain, channelId } = channel;
  const lineIds = new Set(order.lines.map((l) => l.externalId));
  if (lineIds.size !== order.lines.length) throw new AppError("invalid_data", "ORDER.DUPLICATE_LINE", `Order ${order.externalId} lists a line id twice`);
  const now = opts.now ?? new Date();
  const actor = opts.actor ?? `channel:${channel.kind}`;
  const result = await database().transaction(async (tx) => {
    const ctx: AllocationContext = { tx, shopId, now, actor, configVersion: channel.configVersion };
    const outcome = await ingestInTransaction(ctx, channelId, order, opts.triggeredAt ?? null, opts.fulfilledByChannel ?? false);
    // A redacted customer's order (a late webhook, a poll) is stored anonymised: their data never comes back.
    const redacted = outcome.kind === "stale" ? await isOrderRedacted(tx, shopDomain, outcome.orderId) : await forgetIfRedacted(tx, shopDomain, shopId, outcome.orderId, order, now);
    // A redacted customer's webhook keeps no body once processed.
    if (opts.inbox) await markInboxProcessedInTx(tx, opts.inbox.shopDomain, opts.inbox.id, redacted ? "customer_redacted" : undefined);
    // A new order's reservation is written last: its row locks on the levels are held for the least time.
    await writeQueuedReservations(ctx);
    // Stock a superseded manual order held and the new order did not take: to the oldest backorders, once the new
    // order's reservation is written (fillBackorders reads the levels).
    if (outcome.freed?.length) outcome.reallocated = [...(outcome.reallocated ?? []), ...(await fillBackorders(ctx, outcome.freed))];
    if (outcome.kind === "stale" || !opts.refunds?.length) return { ...outcome, redacted, claimed: [] };
    const row = (await findOrder(tx, shopId, channelId, order.externalId))!;
    const fromRefunds: Reallocation[] = [];
    const claimed: { variantId: string; locationId: string }[] = [];
    for (const refund of opts.refunds) {
      // Shopify restocks a refund's returned units itself: an increase of its on hand read earlier may be them.
      const done = await applyRefund(ctx, refund, { order: row, reflected: true, shopifyRestocked: channel.kind === SHOPIFY });
      fromRefunds.push(...(done?.reallocated ?? []));
      claimed.push(...(done?.claimed ?? []));
    }
    return { ...outcome, redacted, reallocated: [...(outcome.reallocated ?? []), ...fromRefunds], claimed };
  });
  await enqueueReallocations(shopId, result.reallocated);
  for (const level of result.claimed) await confirmClaimedLevel(channel, level, { type: "order", id: order.externalId });
  // Webhook jobs sync the channels once they finish (definitions.ts); an order from the API or a feed does it here.
  if (!opts.inbox && result.kind !== "stale") await enqueueChannelStockSync({ shopId });
  return { kind: result.kind, orderId: result.orderId, redacted: result.redacted, inboxMarked: opts.inbox !== undefined };
}


/** Same updated_at as what we hold, but triggered later: the newer payload of a same-second pair. */
async function triggeredLater(ctx: AllocationContext, existing: { id: string; externalUpdatedAt: string | null }, order: ChannelOrder, triggeredAt: Date | null): Promise<boolean> {
  if (!triggeredAt || !existing.externalUpdatedAt || Date.parse(order.updatedAt) !== Date.parse(existing.externalUpdatedAt)) return false;
  const stored = await orderTriggeredAt(ctx.tx, ctx.shopId, existing.id);
  return stored !== null && triggeredAt.getTime() > Date.parse(stored);
}

async function ingestInTransaction(
  ctx: AllocationContext, channelId: string, order: ChannelOrder, triggeredAt: Date | null, fulfilledByChannel: boolean,
): Promise<IngestOutcome & { reallocated?: Reallocation[]; freed?: string[] }> {
  const { tx, shopId } = ctx;
  const existing = await findOrder(tx, shopId, channelId, order.externalId);
  if (existing && !isNewer(order.updatedAt, existing.externalUpdatedAt) && !(await triggeredLater(ctx, existing, order, triggeredAt))) return { kind: "stale", orderId: existing.id };

  if (!existing) {
    const row = await insertOrder(tx, shopId, channelId, order, promiseDelivery((await configOf(ctx)).promise, order).promisedBy, triggeredAt);
    const orderId = row.id;
    const lines = await upsertLines(tx, shopId, orderId, order, undefined, { isNew: true });
    // Written with the status it settles into, in one statement (a round trip fewer on PostgreSQL).
    const received = auditRow({ actor: ctx.actor, action: "order.received", subject: { type: "order", id: orderId }, data: { name: order.name } });
    if (order.cancelledAt) {
      await setOrderStatus(tx, shopId, orderId, "cancelled");
      await auditAll(tx, shopId, [received]);
      return { kind: "cancelled", orderId };
    }
    if (fulfilledByChannel) {
      await setOrderStatus(tx, shopId, orderId, "shipped");
      await auditAll(tx, shopId, [received, auditRow({ actor: ctx.actor, action: "order.fulfilled_by_channel", subject: { type: "order", id: orderId }, data: { note: "the channel ships it from its own stock: not routed, nothing reserved" } })]);
      return { kind: "created", orderId };
    }
    // The completed draft of a manual order: that order gives way first, so this one reserves what it held.
    const superseded = order.supersedes ? await supersedeDraftedOrder(ctx, order.supersedes, { orderId, name: order.name }) : { freed: [] };
    ctx.reserveLast = []; // written by the caller as the transaction's last statement (see AllocationContext)
    const summary = await allocateLines(ctx, row, lines.map((line) => ({ line, quantity: line.quantity })));
    // Everything the order holds was just decided: its facts are known without reading them back.
    await settleStatus(ctx, row, { unitsOrdered: lines.reduce((n, l) => n + l.quantity, 0), unitsReserved: summary.unitsReserved, unitsBackordered: summary.unitsBackordered }, [received]);
    return { kind: "created", orderId, reallocated: [{ orderId, decisionId: summary.decisionId }], freed: superseded.freed };
  }

  await updateOrder(tx, shopId, existing.id, order, triggeredAt);
  // What changed in the lines (pure rule): a line whose item changed, or that is gone, first gives back
  // what it holds — its allocations are of the old item — and only then takes its new content.
  const variants = await resolveLineVariants(tx, shopId, order.lines);
  const changes = planLineChanges(await orderLines(tx, shopId, existing.id), order.lines.map((l, i) => ({ externalId: l.externalId, variantId: variants[i]?.id ?? null, sku: l.sku, quantity: l.quantity })));
  const freedByLines = await releaseLines(ctx, existing.id, linesToRelease(changes), "line_changed");
  await upsertLines(tx, shopId, existing.id, order, variants);
  if (changes.replaced.length + changes.removed.length > 0) {
    await audit(tx, shopId, ctx.actor, "order.lines_replaced", { type: "order", id: existing.id }, { replaced: changes.replaced.map((r) => r.externalId), removed: changes.removed.map((r) => r.externalId) });
  }
  if (order.cancelledAt) {
    if (existing.status === "cancelled") return { kind: "updated", orderId: existing.id, reallocated: await fillBackorders(ctx, freedByLines) };
    const freed = await releaseOrder(ctx, existing.id, "cancelled");
    await unpickCancelledOrder(ctx, existing.id); // picking / packed at a warehouse: lines closed, staged units to put away
    await setOrderStatus(tx, shopId, existing.id, "cancelled");
    await audit(tx, shopId, ctx.actor, "order.cancelled", { type: "order", id: existing.id });
    return { kind: "cancelled", orderId: existing.id, reallocated: await fillBackorders(ctx, [...new Set([...freedByLines, ...freed])]) };
  }
  const next = allocationAfterLineChanges(existing.status, changes);
  if (next === "reroute") {
    const freed = await releaseOrder(ctx, existing.id, "order_edited");
    await audit(tx, shopId, ctx.actor, "order.edited", { type: "order", id: existing.id });
    const row = (await findOrder(tx, shopId, channelId, order.externalId))!;
    const units = await unitsByLine(tx, shopId, existing.id);
    const toShip = (await orderLines(tx, shopId, existing.id)).map((line) => ({ line, quantity: Math.max(0, line.quantity - (units.get(line.id)?.fulfilled ?? 0)) }));
    const summary = await allocateLines(ctx, row, toShip);
    await settleStatus(ctx, row);
    return { kind: "updated", orderId: existing.id, reallocated: [{ orderId: existing.id, decisionId: summary.decisionId }, ...(await fillBackorders(ctx, [...new Set([...freedByLines, ...freed])]))] };
  }
  // Part of it has left (or is being picked): never re-route what may be on its way; reserve what the lines still miss.
  const topUp = next === "top_up" ? (await fitOpenAllocations(ctx, existing.id, { trim: false })).reallocated : [];
  return { kind: "updated", orderId: existing.id, reallocated: [...topUp, ...(await fillBackorders(ctx, freedByLines))] };
}
