import type { DesiredPlacement } from "~/domain/fulfillment/fulfillment-order-types";
import { canTransition } from "~/domain/orders/status-machine";
import { db } from "../db/client";
import { auditSql, getOrder, setOrderStatus } from "../db/pipeline-sql";
import { immediate, sql } from "../db/sql";
import type { ApplyRoutingData } from "../jobs/queue";
import { orderFacts } from "./allocate-order";
import { applyRoutingToShopify } from "./apply-routing-to-shopify";

/**
 * Make the channel follow the latest allocation of an order: for Shopify, move/split/hold its
 * fulfillment orders; then the order is `routed` (a backordered one stays backordered, its units held).
 * A job for a superseded decision does nothing: the newer decision's job carries the work.
 */
export async function completeRouting({ shopId, orderId, decisionId }: ApplyRoutingData): Promise<"applied" | "superseded" | "closed" | "gone"> {
  const order = await db().order.findFirst({
    where: { id: orderId, shopId },
    include: {
      shop: { select: { domain: true } },
      channel: { select: { kind: true } },
      lines: { include: { allocations: { where: { status: { in: ["reserved", "backordered"] } }, include: { location: { select: { externalId: true } } } } } },
    },
  });
  if (!order) return "gone";
  const latest = await db().routingDecision.findFirst({ where: { shopId, orderId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
  if (latest?.id !== decisionId) return "superseded";
  if (order.status === "cancelled" || order.status === "returned") return "closed";

  if (order.channel.kind === "shopify") {
    await applyRoutingToShopify(order.shop.domain, order.externalId, desiredPlacement(order.lines));
  }
  const conn = sql();
  await immediate(conn, () => {
    const row = getOrder(conn, shopId, orderId);
    if (!row) return;
    const ctx = { db: conn, shopId, now: new Date(), actor: "job:apply-routing" };
    const facts = orderFacts(ctx, orderId);
    if (row.status === "reserved" && canTransition("reserved", "routed", facts).ok) {
      setOrderStatus(conn, shopId, orderId, "routed");
      auditSql(conn, shopId, ctx.actor, "order.routed", { type: "order", id: orderId }, { decisionId, channel: order.channel.kind });
    }
  });
  return "applied";
}

type LineWithAllocations = { externalId: string; allocations: { quantity: number; location: { externalId: string } | null }[] };

/** Open allocations grouped by Shopify location (legacy id), backordered units under `null`. */
export function desiredPlacement(lines: LineWithAllocations[]): DesiredPlacement[] {
  const byLocation = new Map<string | null, Map<string, number>>();
  for (const line of lines) {
    for (const a of line.allocations) {
      const key = a.location?.externalId ?? null;
      const group = byLocation.get(key) ?? new Map<string, number>();
      group.set(line.externalId, (group.get(line.externalId) ?? 0) + a.quantity);
      byLocation.set(key, group);
    }
  }
  return [...byLocation.entries()].map(([locationId, group]) => ({ locationId, lines: [...group.entries()].map(([lineItemId, quantity]) => ({ lineItemId, quantity })) }));
}
