import type { DesiredPlacement } from "~/domain/fulfillment/fulfillment-order-types";
import { canTransition } from "~/domain/orders/status-machine";
import { auditSql, getOrder, latestDecisionId, openPlacements, orderWithChannel, setOrderStatus } from "../db/pipeline-sql";
import { grouped } from "../db/group-commit";
import { sql } from "../db/sql";
import type { ApplyRoutingData } from "../jobs/queue";
import { orderFacts } from "./allocate-order";
import { applyRoutingToShopify } from "./apply-routing-to-shopify";

/**
 * Make the channel follow the latest allocation of an order: for Shopify, move/split/hold its
 * fulfillment orders; then the order is `routed` (a backordered one stays backordered, its units held).
 * A job for a superseded decision does nothing: the newer decision's job carries the work.
 */
export async function completeRouting({ shopId, orderId, decisionId }: ApplyRoutingData): Promise<"applied" | "superseded" | "closed" | "gone"> {
  const conn = sql();
  const order = orderWithChannel(conn, shopId, orderId);
  if (!order) return "gone";
  if (latestDecisionId(conn, shopId, orderId) !== decisionId) return "superseded";
  if (order.status === "cancelled" || order.status === "returned") return "closed";

  if (order.channelKind === "shopify") {
    await applyRoutingToShopify(order.shopDomain, order.externalId, desiredPlacement(openPlacements(conn, shopId, orderId)));
  }
  await grouped(conn, () => {
    const row = getOrder(conn, shopId, orderId);
    if (!row) return;
    const ctx = { db: conn, shopId, now: new Date(), actor: "job:apply-routing" };
    const facts = orderFacts(ctx, orderId);
    if (row.status === "reserved" && canTransition("reserved", "routed", facts).ok) {
      setOrderStatus(conn, shopId, orderId, "routed");
      auditSql(conn, shopId, ctx.actor, "order.routed", { type: "order", id: orderId }, { decisionId, channel: order.channelKind });
    }
  });
  return "applied";
}

/** Open allocations grouped by Shopify location (legacy id), backordered units under `null`. */
export function desiredPlacement(placements: { lineExternalId: string; locationExternalId: string | null; quantity: number }[]): DesiredPlacement[] {
  const byLocation = new Map<string | null, Map<string, number>>();
  for (const p of placements) {
    const group = byLocation.get(p.locationExternalId) ?? new Map<string, number>();
    group.set(p.lineExternalId, (group.get(p.lineExternalId) ?? 0) + p.quantity);
    byLocation.set(p.locationExternalId, group);
  }
  return [...byLocation.entries()].map(([locationId, group]) => ({ locationId, lines: [...group.entries()].map(([lineItemId, quantity]) => ({ lineItemId, quantity })) }));
}
