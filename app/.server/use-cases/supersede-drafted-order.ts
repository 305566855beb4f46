import { draftSupersession } from "~/domain/orders/draft-order";
import { audit } from "../db/audit";
import { setOrderCancelledAt, unitsShipped } from "../db/edi-inbound-sql";
import { orderWithChannel, setOrderStatus } from "../db/pipeline-sql";
import { orderFacts, releaseOrder, type AllocationContext } from "./allocate-order";
import { unpickCancelledOrder } from "./unpick-cancelled-order";

// A manual order the merchant also sent to Shopify as a draft (ADR 0019): when the draft is completed, Shopify
// makes an order of it that arrives by orders/create carrying our order's id (`oms_order_id`). That order is the
// sale from then on (Shopify takes the payment, fulfils it, refunds it), so ours gives way in the same transaction
// the new one is stored in: cancelled, its reservation released before the new order reserves, so the sale
// holds stock once. An order that can no longer be cancelled (units shipped) is kept and the merchant is told.

export interface Supersession {
  /** Variants the manual order held: what the new order did not take goes to the oldest backorders. */
  freed: string[];
  superseded: boolean;
}

export async function supersedeDraftedOrder(ctx: AllocationContext, manualOrderId: string, by: { orderId: string; name: string }): Promise<Supersession> {
  const { tx, shopId } = ctx;
  const target = await orderWithChannel(tx, shopId, manualOrderId);
  const facts = target ? { ...(await orderFacts(ctx, target.id)), unitsShipped: await unitsShipped(tx, shopId, target.id) } : { unitsOrdered: 0, unitsReserved: 0, unitsBackordered: 0 };
  const verdict = draftSupersession(target, facts);
  if (!target || verdict.action === "keep") {
    await audit(tx, shopId, ctx.actor, "order.draft_completed_not_linked", { type: "order", id: by.orderId }, { draftOf: manualOrderId, reason: verdict.action === "keep" ? verdict.reason : "" });
    return { freed: [], superseded: false };
  }
  const freed = await releaseOrder(ctx, target.id, "superseded");
  await unpickCancelledOrder(ctx, target.id); // picking / packed at a warehouse: lines closed, staged units to put away
  await setOrderStatus(tx, shopId, target.id, "cancelled");
  await setOrderCancelledAt(tx, shopId, target.id, ctx.now);
  await audit(tx, shopId, ctx.actor, "order.superseded", { type: "order", id: target.id }, { by: by.orderId, name: by.name, reason: "its Shopify draft was completed: the Shopify order is the sale now" });
  await audit(tx, shopId, ctx.actor, "order.supersedes", { type: "order", id: by.orderId }, { manualOrder: target.id, manualOrderName: target.externalId });
  return { freed, superseded: true };
}
