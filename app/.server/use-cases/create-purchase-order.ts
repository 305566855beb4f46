import { sameOrder, validatePurchaseOrder, type ValidPurchaseOrder } from "~/domain/inventory/purchase-orders";
import { database, RetryableConflict, type Tx } from "../db/database";
import { findLocationByReference, findPurchaseOrder, insertPurchaseOrder, purchaseOrderLines, variantIdsBySku } from "../db/purchase-orders-sql";
import { enqueueChannelStockSync } from "../jobs/queue";
import { AppError } from "../errors";
import { readPurchaseOrder, type PurchaseOrderView } from "./read-purchase-orders";
import { recomputeIncoming } from "./recompute-incoming";

export interface PurchaseOrderInput {
  number: string;
  supplier: string;
  /** Our location id, its Shopify id (numeric or gid) or its name. */
  location: string;
  /** YYYY-MM-DD or an ISO time with its zone. */
  expectedAt: string;
  lines: { sku: string; quantity: number }[];
  status?: "draft" | "open";
}

/**
 * Record a purchase order and, when it is open, put its units on its location's incoming, in one transaction.
 * Everything wrong with it is refused at once and nothing is stored; the same order posted again is a replay
 * (created: false), another order under a number already used is a conflict.
 */
export async function createPurchaseOrder(shopId: string, input: PurchaseOrderInput, opts: { now?: Date } = {}): Promise<{ created: boolean; purchaseOrder: PurchaseOrderView }> {
  const now = opts.now ?? new Date();
  const result = await database().transaction(async (tx) => {
    const skus = await variantIdsBySku(tx, shopId, input.lines.map((l) => l.sku));
    const locationId = await findLocationByReference(tx, shopId, input.location);
    const check = validatePurchaseOrder({ ...input, locationId: locationId ?? null }, skus, now);
    if (!check.ok) throw new AppError("invalid_data", "PURCHASE_ORDER.INVALID", `Purchase order not recorded: ${check.errors.join("; ")}`, { errors: check.errors });
    const existing = await findPurchaseOrder(tx, shopId, check.order.number);
    if (existing) return { created: false, incomingMoved: await replayOrConflict(tx, shopId, existing, check.order) };
    const id = await insertPurchaseOrder(tx, shopId, check.order);
    if (!id) throw new RetryableConflict(`Purchase order ${check.order.number} was recorded meanwhile`); // read it again and decide
    if (check.order.status !== "open") return { created: true, incomingMoved: false };
    const changes = await recomputeIncoming(tx, shopId, check.order.lines.map((l) => ({ variantId: l.variantId, locationId: check.order.locationId })), { key: `po:${id}:opened`, reason: "purchase_order_opened", purchaseOrder: check.order.number });
    return { created: true, incomingMoved: changes.some((c) => c.delta !== 0) };
  });
  if (result.incomingMoved) await enqueueChannelStockSync({ shopId });
  return { created: result.created, purchaseOrder: (await readPurchaseOrder(database(), shopId, input.number))! };
}

async function replayOrConflict(tx: Tx, shopId: string, existing: { id: string; number: string; supplier: string; locationId: string; expectedAt: string; status: string }, order: ValidPurchaseOrder): Promise<false> {
  const lines = await purchaseOrderLines(tx, shopId, [existing.id]);
  const stored = { ...existing, lines: lines.map((l) => ({ variantId: l.variantId, ordered: Number(l.ordered) })) };
  if (!sameOrder(stored, order)) {
    throw new AppError("conflict", "PURCHASE_ORDER.NUMBER_TAKEN", `Purchase order ${order.number} already exists with other content; nothing was changed. Use a new number for a new order.`);
  }
  return false;
}
