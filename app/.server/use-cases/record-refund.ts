import { mapShopifyRefund, type ChannelRefund, type ChannelRefundLine } from "~/domain/orders/map-shopify-refund";
import {
  findShopifyOrder, findShopifyOrderByLines, insertRefundLine, lineAllocations, locationIdByExternalId, markLevelRecheck, refundLineRecorded,
  setLineQuantity, shopIdOf, splitAllocation,
} from "../db/fulfillment-sql";
import { addOnHand, auditSql, orderLines, type LineRow, type OrderRow } from "../db/pipeline-sql";
import { grouped } from "../db/group-commit";
import { sql } from "../db/sql";
import { env } from "../env";
import { AppError } from "../errors";
import { parseWebhookBody } from "../shopify/parse-webhook-body";
import { fillBackorders, type AllocationContext, type Reallocation } from "./allocate-order";
import { fitOpenAllocations, settleShippingStatus } from "./fit-allocations";
import { enqueueReallocations } from "./ingest-channel-order";

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
  const conn = sql();
  const shopId = shopIdOf(conn, shopDomain);
  const ctx: AllocationContext | null = shopId ? { db: conn, shopId, now: new Date(), actor: "webhook:refunds/create" } : null;
  const result = ctx ? await grouped(conn, () => applyRefund(ctx, refund)) : null;
  if (!result) throw new AppError("conflict", "REFUND.ORDER_UNKNOWN", `Refund ${refund.externalId}: order ${refund.orderExternalId ?? "?"} is not known (yet) in ${shopDomain}`);
  await enqueueReallocations(ctx!.shopId, result.reallocated);
  return result.outcome;
}

/**
 * Apply a refund inside the caller's transaction (null when its order is not here). `reflected`: the
 * order's quantities already show it (it came inside an order payload); otherwise they do only when
 * the order we hold was updated strictly after the refund (an Admin GraphQL read).
 */
export function applyRefund(ctx: AllocationContext, refund: ChannelRefund, opts: { order?: OrderRow; reflected?: boolean } = {}): { outcome: RefundOutcome; reallocated: Reallocation[] } | null {
  const { db, shopId } = ctx;
  const order = opts.order ?? (refund.orderExternalId ? findShopifyOrder(db, shopId, refund.orderExternalId) : undefined) ?? findShopifyOrderByLines(db, shopId, refund.lines.map((l) => l.lineExternalId));
  if (!order) return null;
  const reflected = opts.reflected ?? (order.externalUpdatedAt !== null && Date.parse(order.externalUpdatedAt) > Date.parse(refund.createdAt));
  const lines = new Map(orderLines(db, shopId, order.id).map((l) => [l.externalId, l]));
  const freed = new Set<string>();
  let applied = 0;
  for (const rl of refund.lines) {
    if (refundLineRecorded(db, shopId, refund.externalId, rl.refundLineExternalId)) continue;
    const line = lines.get(rl.lineExternalId);
    const { effect, locationId } = line ? applyRefundLine(ctx, order.id, line, rl, refund.externalId, reflected, freed) : { effect: "none", locationId: null };
    insertRefundLine(db, shopId, { orderId: order.id, refundExternalId: refund.externalId, refundLineExternalId: rl.refundLineExternalId, lineExternalId: rl.lineExternalId, quantity: rl.quantity, restockType: rl.restockType, locationId, effect });
    applied += 1;
  }
  if (applied === 0) return { outcome: { kind: "unchanged", orderId: order.id, lines: 0, status: order.status }, reallocated: [] };
  const fit = fitOpenAllocations(ctx, order.id, { reason: "refund_cancel" });
  const reallocated = [...fit.reallocated, ...fillBackorders(ctx, [...new Set([...freed, ...fit.freed])])];
  const status = settleShippingStatus(ctx, order.id);
  auditSql(db, shopId, ctx.actor, "order.refund_recorded", { type: "order", id: order.id }, { refund: refund.externalId, lines: applied, reflected });
  return { outcome: { kind: "applied", orderId: order.id, lines: applied, status }, reallocated };
}

function applyRefundLine(ctx: AllocationContext, orderId: string, line: LineRow, rl: ChannelRefundLine, refundId: string, reflected: boolean, freed: Set<string>): { effect: string; locationId: string | null } {
  const { db, shopId } = ctx;
  if (rl.restockType === "no_restock") return { effect: "none", locationId: null };
  // Units of the line not shipped before this refund (an order payload that reflects it has shrunk the line already).
  const shipped = lineAllocations(db, shopId, line.id, ["fulfilled"]).reduce((s, a) => s + a.quantity, 0);
  const unshipped = Math.max(0, (reflected ? line.quantity + rl.quantity : line.quantity) - shipped);
  const cancelUnits = rl.restockType === "cancel" ? rl.quantity : rl.restockType === "legacy_restock" ? Math.min(rl.quantity, unshipped) : 0;
  const returnUnits = rl.quantity - cancelUnits;
  if (!reflected) {
    line.quantity = Math.max(0, line.quantity - rl.quantity);
    setLineQuantity(db, shopId, line.id, line.quantity); // the reservation follows in fitOpenAllocations
  }
  const effects: string[] = [];
  if (cancelUnits > 0) effects.push(reflected ? "already_reflected" : "released");
  let locationId: string | null = null;
  if (returnUnits > 0) {
    const fulfilled = lineAllocations(db, shopId, line.id, ["fulfilled"]);
    locationId = rl.locationExternalId ? (locationIdByExternalId(db, shopId, rl.locationExternalId) ?? null) : (fulfilled.find((a) => a.locationId)?.locationId ?? null);
    let left = returnUnits;
    for (const a of fulfilled) {
      if (left === 0) break;
      const n = Math.min(left, a.quantity);
      splitAllocation(db, shopId, a, n, "returned", a.locationId);
      left -= n;
    }
    if (locationId && line.variantId) {
      addOnHand(db, shopId, line.variantId, locationId, returnUnits, "returned", `refund:${refundId}:${rl.refundLineExternalId}`, { type: "refund", id: refundId });
      markLevelRecheck(db, shopId, line.variantId, locationId, new Date(ctx.now.getTime() + env().INVENTORY_SETTLE_MS));
      freed.add(line.variantId);
      effects.push("restocked");
    } else {
      auditSql(db, shopId, ctx.actor, "refund.restock_location_unknown", { type: "order", id: orderId }, { refund: refundId, line: rl.lineExternalId, units: returnUnits });
    }
  }
  return { effect: effects.join("+") || "none", locationId };
}
