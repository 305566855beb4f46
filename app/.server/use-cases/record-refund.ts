import { mapShopifyRefund, type ChannelRefund, type ChannelRefundLine } from "~/domain/orders/map-shopify-refund";
import { splitRefundLine, takeUnits } from "~/domain/orders/refund-split";
import { shopifyChannel } from "../channels/shopify/shopify-channel";
import type { IntakeChannel } from "../channels/intake-channel";
import { audit } from "../db/audit";
import { database } from "../db/database";
import {
  findOrderByLines, insertRefundLine, lineAllocations, locationIdByExternalId, refundLineRecorded, setLineQuantity, splitAllocation,
} from "../db/fulfillment-sql";
import { findOrder, orderLines, type LineRow, type OrderRow } from "../db/pipeline-sql";
import { AppError } from "../errors";
import { parseWebhookBody } from "../shopify/parse-webhook-body";
import { fillBackorders, type AllocationContext, type Reallocation } from "./allocate-order";
import { fitOpenAllocations, settleShippingStatus } from "./fit-allocations";
import { enqueueReallocations } from "./dispatch-reallocations";
import { confirmClaimedLevel, restockUnits } from "./sync-inventory-level";

// refunds/create: what the refund did to the units, applied once per (refund, refund line).
// - cancel (units never shipped): the line shrinks and its reservation (or backorder claim) is released;
//   freed stock goes to the oldest backorders.
// - return (units shipped and back): stock is added at the refund's location (else where they shipped
//   from), the fulfilled units become `returned`, and the arrival goes to the oldest backorders.
// - legacy_restock (older payloads, `restock: true`): cancel for units still open, return for the rest.
// - no_restock: nothing in stock changes (the order's own update carries the smaller quantity).
// Shopify's order payloads list the order's refunds and carry quantities net of them (current_quantity):
// ingesting such a payload applies the refunds it lists (ingest-channel-order.ts), so whichever of
// refunds/create and orders/updated comes first applies the refund and the other finds it done.

export interface RefundOutcome {
  kind: "applied" | "unchanged" | "nothing";
  orderId: string | null;
  lines: number;
  status?: string;
}

export async function recordRefund(shopDomain: string, rawPayload: string): Promise<RefundOutcome> {
  const mapped = mapShopifyRefund(parseWebhookBody(rawPayload, "refunds/create"));
  if (!mapped.ok) throw new AppError("invalid_data", "REFUND.INVALID_PAYLOAD", `Shopify refund payload rejected: ${mapped.error}`);
  const refund = mapped.refund;
  if (refund.lines.length === 0) return { kind: "nothing", orderId: null, lines: 0 }; // money only (shipping, adjustments)
  // Shopify restocked the returned units itself: an increase of its on hand we already read may be these very units.
  return recordChannelRefund(await shopifyChannel(shopDomain), refund, "webhook:refunds/create", { shopifyRestocked: true });
}

/** A channel's refund (mapped by its adapter) applied to its order, once per (refund, refund line). */
export async function recordChannelRefund(channel: IntakeChannel, refund: ChannelRefund, actor: string, opts: { shopifyRestocked?: boolean } = {}): Promise<RefundOutcome> {
  const result = await database().transaction((tx) => applyRefund({ tx, shopId: channel.shopId, now: new Date(), actor }, refund, { channelId: channel.channelId, shopifyRestocked: opts.shopifyRestocked }));
  if (!result) throw new AppError("conflict", "REFUND.ORDER_UNKNOWN", `Refund ${refund.externalId}: order ${refund.orderExternalId ?? "?"} is not known (yet) in ${channel.shopDomain}`);
  await enqueueReallocations(channel.shopId, result.reallocated);
  for (const level of result.claimed) await confirmClaimedLevel(channel, level, { type: "refund", id: refund.externalId });
  return result.outcome;
}

/**
 * Apply a refund inside the caller's transaction (null when its order is not here). `reflected`: the
 * order's quantities already show it (it came inside an order payload); otherwise they do only when
 * the order we hold was updated strictly after the refund (an Admin GraphQL read). `shopifyRestocked`: Shopify put
 * the returned units back on hand itself, so an increase read from it earlier is claimed first (restockUnits); the
 * levels claimed are returned for the caller to read from Shopify once committed (confirmClaimedLevel).
 */
export async function applyRefund(
  ctx: AllocationContext, refund: ChannelRefund, opts: { order?: OrderRow; channelId?: string; reflected?: boolean; shopifyRestocked?: boolean } = {},
): Promise<{ outcome: RefundOutcome; reallocated: Reallocation[]; claimed: { variantId: string; locationId: string }[] } | null> {
  const { tx, shopId } = ctx;
  const channelId = opts.order?.channelId ?? opts.channelId;
  if (!channelId) throw new Error("applyRefund needs the order or its channel");
  const order = opts.order ?? (refund.orderExternalId ? await findOrder(tx, shopId, channelId, refund.orderExternalId) : undefined) ?? (await findOrderByLines(tx, shopId, channelId, refund.lines.map((l) => l.lineExternalId)));
  if (!order) return null;
  const reflected = opts.reflected ?? (order.externalUpdatedAt !== null && Date.parse(order.externalUpdatedAt) > Date.parse(refund.createdAt));
  const lines = new Map((await orderLines(tx, shopId, order.id)).map((l) => [l.externalId, l]));
  const freed = new Set<string>();
  const claims = opts.shopifyRestocked ? new Map<string, { variantId: string; locationId: string }>() : null;
  let applied = 0;
  for (const rl of refund.lines) {
    if (await refundLineRecorded(tx, shopId, refund.externalId, rl.refundLineExternalId)) continue;
    const line = lines.get(rl.lineExternalId);
    const { effect, locationId } = line ? await applyRefundLine(ctx, order.id, line, rl, refund.externalId, reflected, freed, claims) : { effect: "none", locationId: null };
    await insertRefundLine(tx, shopId, { orderId: order.id, refundExternalId: refund.externalId, refundLineExternalId: rl.refundLineExternalId, lineExternalId: rl.lineExternalId, quantity: rl.quantity, restockType: rl.restockType, locationId, effect });
    applied += 1;
  }
  if (applied === 0) return { outcome: { kind: "unchanged", orderId: order.id, lines: 0, status: order.status }, reallocated: [], claimed: [] };
  const fit = await fitOpenAllocations(ctx, order.id, { reason: "refund_cancel" });
  const reallocated = [...fit.reallocated, ...(await fillBackorders(ctx, [...new Set([...freed, ...fit.freed])]))];
  const status = await settleShippingStatus(ctx, order.id);
  await audit(tx, shopId, ctx.actor, "order.refund_recorded", { type: "order", id: order.id }, { refund: refund.externalId, lines: applied, reflected });
  return { outcome: { kind: "applied", orderId: order.id, lines: applied, status }, reallocated, claimed: [...(claims?.values() ?? [])] };
}

async function applyRefundLine(
  ctx: AllocationContext, orderId: string, line: LineRow, rl: ChannelRefundLine, refundId: string, reflected: boolean, freed: Set<string>,
  claims: Map<string, { variantId: string; locationId: string }> | null,
): Promise<{ effect: string; locationId: string | null }> {
  const { tx, shopId } = ctx;
  if (rl.restockType === "no_restock") return { effect: "none", locationId: null };
  const fulfilled = await lineAllocations(tx, shopId, line.id, ["fulfilled"]);
  const split = splitRefundLine(rl, { quantity: line.quantity, shipped: fulfilled.reduce((s, a) => s + a.quantity, 0), reflected });
  if (split.lineQuantity !== null) {
    line.quantity = split.lineQuantity;
    await setLineQuantity(tx, shopId, line.id, line.quantity); // the reservation follows in fitOpenAllocations
  }
  const effects: string[] = [];
  if (split.cancelUnits > 0) effects.push(reflected ? "already_reflected" : "released");
  let locationId: string | null = null;
  if (split.returnUnits > 0) {
    locationId = rl.locationExternalId ? ((await locationIdByExternalId(tx, shopId, rl.locationExternalId)) ?? null) : (fulfilled.find((a) => a.locationId)?.locationId ?? null);
    for (const { row, units } of takeUnits(fulfilled, split.returnUnits)) await splitAllocation(tx, shopId, row, units, "returned", row.locationId);
    if (locationId && line.variantId) {
      await restockUnits(ctx, line.variantId, locationId, split.returnUnits, "returned", `refund:${refundId}:${rl.refundLineExternalId}`, { type: "refund", id: refundId }, claims);
      freed.add(line.variantId);
      effects.push("restocked");
    } else {
      await audit(tx, shopId, ctx.actor, "refund.restock_location_unknown", { type: "order", id: orderId }, { refund: refundId, line: rl.lineExternalId, units: split.returnUnits });
    }
  }
  return { effect: effects.join("+") || "none", locationId };
}
