import { transitionPurchaseOrder, type PurchaseOrderAction } from "~/domain/inventory/purchase-orders";
import { database, RetryableConflict } from "../db/database";
import { findPurchaseOrder, purchaseOrderLines, setPurchaseOrderStatus } from "../db/purchase-orders-sql";
import { enqueueChannelStockSync } from "../jobs/queue";
import { AppError } from "../errors";
import { readPurchaseOrder, type PurchaseOrderView } from "./read-purchase-orders";
import { recomputeIncoming } from "./recompute-incoming";

/**
 * Open a draft purchase order (its units become incoming) or cancel one (what is still to come is no longer
 * incoming; what was received stays), recomputing its location's incoming in the same transaction. Asking for
 * the status it already has changes nothing (changed: false).
 */
export async function changePurchaseOrderStatus(shopId: string, number: string, action: PurchaseOrderAction): Promise<{ changed: boolean; purchaseOrder: PurchaseOrderView }> {
  const result = await database().transaction(async (tx) => {
    const order = await findPurchaseOrder(tx, shopId, number);
    if (!order) throw new AppError("not_found", "PURCHASE_ORDER.NOT_FOUND", `No purchase order ${JSON.stringify(number)} in this shop`);
    const move = transitionPurchaseOrder(order.status, action);
    if (!move.ok) throw new AppError("conflict", "PURCHASE_ORDER.STATUS", `Purchase order ${number} ${move.reason}`);
    if (!move.changed) return { changed: false, incomingMoved: false };
    if (!(await setPurchaseOrderStatus(tx, shopId, order.id, order.status, move.to))) throw new RetryableConflict(`Purchase order ${number} changed meanwhile`);
    const lines = await purchaseOrderLines(tx, shopId, [order.id]);
    const changes = await recomputeIncoming(tx, shopId, lines.map((l) => ({ variantId: l.variantId, locationId: order.locationId })), {
      key: `po:${order.id}:${move.to}`,
      reason: move.to === "open" ? "purchase_order_opened" : "purchase_order_cancelled",
      purchaseOrder: number,
    });
    return { changed: true, incomingMoved: changes.some((c) => c.delta !== 0) };
  });
  if (result.incomingMoved) await enqueueChannelStockSync({ shopId });
  return { changed: result.changed, purchaseOrder: (await readPurchaseOrder(database(), shopId, number))! };
}
