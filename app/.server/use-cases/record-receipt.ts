import { createHash } from "node:crypto";
import { decideReceipt, receiptContent, receiptLineKey, type ReceiptLine } from "~/domain/inventory/receipt-document";
import { database, RetryableConflict, type Queryable, type Tx } from "../db/database";
import { addOnHand } from "../db/pipeline-sql";
import { findPurchaseOrder } from "../db/purchase-orders-sql";
import { findLocationId, findReceiptDocument, findVariantIdBySku, insertReceiptDocument } from "../db/receipt-sql";
import { insertStockPushes, type NewStockPush } from "../db/stock-push-sql";
import { enqueueChannelStockSync, enqueuePushOnHand } from "../jobs/queue";
import { AppError } from "../errors";
import { fillBackorders, type AllocationContext, type Reallocation } from "./allocate-order";
import { countPurchaseOrderReceipt, type PurchaseOrderCount } from "./count-purchase-order-receipt";
import { enqueueReallocations } from "./dispatch-reallocations";
import { intoReceivingBin, suggestPutaways } from "./bin-arrivals";

export interface ReceiptLineInput {
  sku: string;
  /** The location's Shopify id (legacy numeric) or our id; may be left out when the receipt names a purchase order (its location). */
  location?: string;
  quantity: number;
}

export interface ReceiptOutcome {
  reference: string;
  linesApplied: number;
  linesAlreadyApplied: number;
  backordersFilled: string[];
  /** The purchase order the receipt was counted against, as it stands after it. */
  purchaseOrder?: { number: string; status: string; completed: boolean; overReceived: number };
}

/**
 * Record stock received (from an ERP, a purchase order, a transfer) as one document, in ONE transaction: every
 * line is checked, the document (reference + hash of its lines) is recorded and every line is added to on hand
 * and handed to the oldest backorders — all of it or nothing. Each line is its own ledger entry (shop +
 * reference + line number). The same reference again with the same lines is a replay that changes nothing;
 * with different lines it is a conflict (409) and nothing is applied. Naming a purchase order (`purchaseOrder`: its
 * number) counts the lines as received against it in the same transaction: its location's incoming falls as on
 * hand rises, once per receipt, and the order is received when every line is complete.
 */
export async function recordReceipt(shopId: string, reference: string, lines: ReceiptLineInput[], opts: { now?: Date; purchaseOrder?: string } = {}): Promise<ReceiptOutcome> {
  const result = await database().transaction((tx) => applyReceipt(tx, shopId, reference, lines, opts));
  return afterReceipt(shopId, reference, result);
}

export type AppliedReceipt = Awaited<ReturnType<typeof applyReceipt>>;

/**
 * recordReceipt's transaction, for a caller that records more in the same one (a receiving scan): call
 * afterReceipt with its result once it has committed. At a location managed by the warehouse module the units
 * land in its receiving bin too (of `binLot`, when given), so its on hand stays the sum of its bins.
 */
export async function applyReceipt(tx: Tx, shopId: string, reference: string, lines: ReceiptLineInput[], opts: { now?: Date; purchaseOrder?: string; binLot?: { lot: string; expiresAt: string | null } } = {}) {
  const ctx: AllocationContext = { tx, shopId, now: opts.now ?? new Date(), actor: "api:receipt" };
  const order = opts.purchaseOrder === undefined ? undefined : await findPurchaseOrder(tx, shopId, opts.purchaseOrder);
  if (opts.purchaseOrder !== undefined && !order) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_PURCHASE_ORDER", `No purchase order ${JSON.stringify(opts.purchaseOrder)} in this shop; nothing was applied`);
  const resolved = await resolveLines(tx, shopId, lines, order?.locationId);
  const content = receiptContent(resolved, opts.purchaseOrder);
  const contentHash = createHash("sha256").update(content).digest("hex");
  const decision = decideReceipt(await findReceiptDocument(tx, shopId, reference), contentHash);
  if (decision.kind === "conflict") {
    throw new AppError("conflict", "RECEIPT.REFERENCE_REUSED", `Receipt ${JSON.stringify(reference)} ${decision.reason}; nothing was applied. Use a new reference for a new receipt.`);
  }
  const replayedOrder = order && { number: order.number, status: order.status, completed: false, overReceived: 0, incomingMoved: false };
  if (decision.kind === "replay") return { applied: 0, alreadyApplied: resolved.length, filled: [] as Reallocation[], pushes: [] as NewStockPush[], order: replayedOrder };
  // Recorded by a concurrent request meanwhile: run again, and the decision above sees it (replay or conflict).
  if (!(await insertReceiptDocument(tx, shopId, reference, contentHash, resolved.length))) throw new RetryableConflict(`Receipt ${reference} was recorded meanwhile`);
  const counted: PurchaseOrderCount | undefined = order && (await countPurchaseOrderReceipt(tx, shopId, order, reference, resolved.map((l) => ({ receiptLine: l.lineNumber, sku: l.sku, variantId: l.variantId, locationId: l.locationId, quantity: l.quantity }))));
  const pushes: NewStockPush[] = [];
  const putaways: { locationId: string; putawayId: string }[] = [];
  for (const line of resolved) {
    const key = receiptLineKey(reference, line.lineNumber);
    const added = await addOnHand(tx, shopId, line.variantId, line.locationId, line.quantity, "received", key, { type: "receipt", id: reference });
    if (added) pushes.push({ variantId: line.variantId, locationId: line.locationId, idempotencyKey: key, delta: line.quantity, reason: "received", referenceUri: receiptUri(reference) });
    const binned = added && (await intoReceivingBin(tx, shopId, { locationId: line.locationId, variantId: line.variantId, quantity: line.quantity, lot: opts.binLot?.lot ?? "", expiresAt: opts.binLot?.expiresAt ?? null, idempotencyKey: key, ref: { type: "receipt", id: reference } }));
    if (binned) putaways.push(binned);
  }
  await suggestPutaways(tx, shopId, putaways);
  // Shopify's on hand follows ours (ADR 0008): written after commit, from this durable outbox.
  await insertStockPushes(tx, shopId, pushes);
  const filled = await fillBackorders(ctx, [...new Set(resolved.map((l) => l.variantId))]);
  return { applied: pushes.length, alreadyApplied: resolved.length - pushes.length, filled, pushes, order: counted };
}

/** After applyReceipt's transaction committed: reallocations, Shopify's on hand and channel marks; the outcome. */
export async function afterReceipt(shopId: string, reference: string, result: AppliedReceipt): Promise<ReceiptOutcome> {
  await enqueueReallocations(shopId, result.filled);
  for (const push of result.pushes ?? []) await enqueuePushOnHand({ shopId, variantId: push.variantId, locationId: push.locationId }, push.idempotencyKey);
  if ((result.pushes ?? []).length > 0 || result.order?.incomingMoved) await enqueueChannelStockSync({ shopId });
  const outcome: ReceiptOutcome = { reference, linesApplied: result.applied, linesAlreadyApplied: result.alreadyApplied, backordersFilled: [...new Set(result.filled.map((f) => f.orderId))] };
  if (result.order) outcome.purchaseOrder = { number: result.order.number, status: result.order.status, completed: result.order.completed, overReceived: result.order.overReceived };
  return outcome;
}

/**
 * Every line's SKU and location, checked before anything is written: an unknown one refuses the receipt. A line
 * without a location is delivered to the purchase order's (`defaultLocationId`); with neither, it is refused.
 */
async function resolveLines(q: Queryable, shopId: string, lines: ReceiptLineInput[], defaultLocationId?: string): Promise<(ReceiptLine & { variantId: string })[]> {
  const resolved: (ReceiptLine & { variantId: string })[] = [];
  for (const [index, line] of lines.entries()) {
    const variantId = await findVariantIdBySku(q, shopId, line.sku);
    if (!variantId) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_SKU", `Line ${index + 1}: no SKU "${line.sku}" in this shop`);
    if (line.location === undefined && defaultLocationId === undefined) throw new AppError("invalid_data", "RECEIPT.INVALID", `Line ${index + 1}: a location is required (or name the purchaseOrder it is received against)`);
    const locationId = line.location === undefined ? defaultLocationId : await findLocationId(q, shopId, line.location);
    if (!locationId) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_LOCATION", `Line ${index + 1}: no location "${line.location}" in this shop`);
    resolved.push({ lineNumber: index + 1, sku: line.sku, locationId, quantity: line.quantity, variantId });
  }
  return resolved;
}

/** Our receipt document, as Shopify's inventory history names it (referenceDocumentUri). */
export function receiptUri(reference: string): string {
  return `oms://receipt/${encodeURIComponent(reference)}`;
}
