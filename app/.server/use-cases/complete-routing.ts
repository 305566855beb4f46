import { canTransition } from "~/domain/orders/status-machine";
import { channelAdapter } from "../channels";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { getOrder, latestDecisionId, openPlacements, orderWithChannel, setOrderStatus } from "../db/pipeline-sql";
import { channelById } from "../db/shops";
import type { ApplyRoutingData } from "../jobs/queue";
import { orderFacts } from "./allocate-order";

/**
 * Make the channel follow the latest allocation of an order through its adapter (Shopify: move, split and
 * hold its fulfillment orders); then the order is `routed` (a backordered one stays backordered, its units
 * held). A job for a superseded decision does nothing: the newer decision's job carries the work.
 */
export async function completeRouting({ shopId, orderId, decisionId }: ApplyRoutingData): Promise<"applied" | "superseded" | "closed" | "gone"> {
  const db = database();
  const order = await orderWithChannel(db, shopId, orderId);
  if (!order) return "gone";
  if ((await latestDecisionId(db, shopId, orderId)) !== decisionId) return "superseded";
  if (order.status === "cancelled" || order.status === "returned") return "closed";

  const channel = await channelById(db, shopId, order.channelId);
  if (!channel) return "gone";
  await channelAdapter(channel.kind).applyRouting({ shopDomain: order.shopDomain, channel, orderId, orderExternalId: order.externalId, placements: await openPlacements(db, shopId, orderId) });
  await db.transaction(async (tx) => {
    const row = await getOrder(tx, shopId, orderId);
    if (!row) return;
    const ctx = { tx, shopId, now: new Date(), actor: "job:apply-routing" };
    const facts = await orderFacts(ctx, orderId);
    if (row.status === "reserved" && canTransition("reserved", "routed", facts).ok) {
      await setOrderStatus(tx, shopId, orderId, "routed");
      await audit(tx, shopId, ctx.actor, "order.routed", { type: "order", id: orderId }, { decisionId, channel: channel.kind });
    }
  });
  return "applied";
}
