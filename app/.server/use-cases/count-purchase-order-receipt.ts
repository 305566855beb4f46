import { receiveAgainstOrder, type PurchaseOrderStatus, type ReceiptAgainstOrder } from "~/domain/inventory/purchase-orders";
import type { Tx } from "../db/database";
import { addLineReceived, insertReceiptCounts, purchaseOrderLines, setPurchaseOrderStatus, type PurchaseOrderRow } from "../db/purchase-orders-sql";
import { AppError } from "../errors";
import { recomputeIncoming } from "./recompute-incoming";

export interface PurchaseOrderCount {
  number: string;
  status: PurchaseOrderStatus;
  /** The receipt completed the order (it is received now). */
  completed: boolean;
  /** Units received beyond what the order's lines expected. */
  overReceived: number;
  /** Incoming moved at some level (channels selling pre-orders need the new figure). */
  incomingMoved: boolean;
}

/**
 * Inside a receipt's transaction, before its stock moves: count its lines against the purchase order it names
 * (locked). A line that is not on the order, or an order that is a draft or cancelled, refuses the whole receipt.
 * Each line's count is keyed by (reference, line number), so only a receipt applied for the first time raises
 * received; the order becomes received when every line is complete, and the location's incoming is recomputed.
 */
export async function countPurchaseOrderReceipt(tx: Tx, shopId: string, order: PurchaseOrderRow, reference: string, lines: ReceiptAgainstOrder[]): Promise<PurchaseOrderCount> {
  const stored = await purchaseOrderLines(tx, shopId, [order.id]);
  const decision = receiveAgainstOrder(
    { number: order.number, status: order.status, locationId: order.locationId, lines: stored.map((l) => ({ id: l.id, lineNumber: Number(l.lineNumber), variantId: l.variantId, ordered: Number(l.ordered), received: Number(l.received) })) },
    lines,
  );
  if (!decision.ok) {
    const closed = order.status === "draft" || order.status === "cancelled";
    throw new AppError(closed ? "conflict" : "invalid_data", closed ? "RECEIPT.PURCHASE_ORDER_NOT_OPEN" : "RECEIPT.NOT_ON_PURCHASE_ORDER", `${decision.errors.join("; ")}; nothing was applied`);
  }
  const fresh = await insertReceiptCounts(tx, shopId, order.id, reference, decision.counts);
  if (fresh.length !== decision.counts.length) {
    // The receipt document is new (its caller recorded it in this transaction), so its counts must be too.
    throw new AppError("unexpected_state", "RECEIPT.COUNTED_TWICE", `Receipt ${JSON.stringify(reference)} was already counted against purchase order ${order.number}`);
  }
  for (const c of fresh) await addLineReceived(tx, shopId, c.purchaseOrderLineId, c.quantity);
  if (decision.completed) await setPurchaseOrderStatus(tx, shopId, order.id, order.status, decision.status);
  const changes = await recomputeIncoming(tx, shopId, [...new Set(lines.map((l) => l.variantId))].map((variantId) => ({ variantId, locationId: order.locationId })), {
    key: `receipt:${reference}`,
    reason: "purchase_order_received",
    purchaseOrder: order.number,
  });
  return { number: order.number, status: decision.status, completed: decision.completed, overReceived: fresh.reduce((s, c) => s + c.overReceived, 0), incomingMoved: changes.some((c) => c.delta !== 0) };
}
