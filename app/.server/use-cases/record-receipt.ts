import { createHash } from "node:crypto";
import { decideReceipt, receiptContent, receiptLineKey, type ReceiptLine } from "~/domain/inventory/receipt-document";
import { database, type Queryable } from "../db/database";
import { addOnHand } from "../db/pipeline-sql";
import { findLocationId, findReceiptDocument, findVariantIdBySku, insertReceiptDocument } from "../db/receipt-sql";
import { insertStockPushes, type NewStockPush } from "../db/stock-push-sql";
import { enqueueChannelStockSync, enqueuePushOnHand } from "../jobs/queue";
import { AppError } from "../errors";
import { fillBackorders, type AllocationContext, type Reallocation } from "./allocate-order";
import { enqueueReallocations } from "./dispatch-reallocations";

export interface ReceiptLineInput {
  sku: string;
  /** The location's Shopify id (legacy numeric) or our id. */
  location: string;
  quantity: number;
}

export interface ReceiptOutcome {
  reference: string;
  linesApplied: number;
  linesAlreadyApplied: number;
  backordersFilled: string[];
}

/**
 * Record stock received (from an ERP, a purchase order, a transfer) as one document, in ONE transaction: every
 * line is checked, the document (reference + hash of its lines) is recorded and every line is added to on hand
 * and handed to the oldest backorders — all of it or nothing. Each line is its own ledger entry (shop +
 * reference + line number). The same reference again with the same lines is a replay that changes nothing;
 * with different lines it is a conflict (409) and nothing is applied.
 */
export async function recordReceipt(shopId: string, reference: string, lines: ReceiptLineInput[], opts: { now?: Date } = {}): Promise<ReceiptOutcome> {
  const result = await database().transaction(async (tx) => {
    const ctx: AllocationContext = { tx, shopId, now: opts.now ?? new Date(), actor: "api:receipt" };
    const resolved = await resolveLines(tx, shopId, lines);
    const content = receiptContent(resolved);
    const contentHash = createHash("sha256").update(content).digest("hex");
    const decision = decideReceipt(await findReceiptDocument(tx, shopId, reference), contentHash);
    if (decision.kind === "conflict") {
      throw new AppError("conflict", "RECEIPT.REFERENCE_REUSED", `Receipt ${JSON.stringify(reference)} ${decision.reason}; nothing was applied. Use a new reference for a new receipt.`);
    }
    if (decision.kind === "replay") return { applied: 0, alreadyApplied: resolved.length, filled: [] as Reallocation[], pushes: [] as NewStockPush[] };
    await insertReceiptDocument(tx, shopId, reference, contentHash, resolved.length);
    const pushes: NewStockPush[] = [];
    for (const line of resolved) {
      const key = receiptLineKey(reference, line.lineNumber);
      const added = await addOnHand(tx, shopId, line.variantId, line.locationId, line.quantity, "received", key, { type: "receipt", id: reference });
      if (added) pushes.push({ variantId: line.variantId, locationId: line.locationId, idempotencyKey: key, delta: line.quantity, reason: "received", referenceUri: receiptUri(reference) });
    }
    // Shopify's on hand follows ours (ADR 0008): written after commit, from this durable outbox.
    await insertStockPushes(tx, shopId, pushes);
    const filled = await fillBackorders(ctx, [...new Set(resolved.map((l) => l.variantId))]);
    return { applied: pushes.length, alreadyApplied: resolved.length - pushes.length, filled, pushes };
  });
  await enqueueReallocations(shopId, result.filled);
  for (const push of result.pushes ?? []) await enqueuePushOnHand({ shopId, variantId: push.variantId, locationId: push.locationId }, push.idempotencyKey);
  if ((result.pushes ?? []).length > 0) await enqueueChannelStockSync({ shopId });
  return { reference, linesApplied: result.applied, linesAlreadyApplied: result.alreadyApplied, backordersFilled: [...new Set(result.filled.map((f) => f.orderId))] };
}

/** Every line's SKU and location, checked before anything is written: an unknown one refuses the receipt. */
async function resolveLines(q: Queryable, shopId: string, lines: ReceiptLineInput[]): Promise<(ReceiptLine & { variantId: string })[]> {
  const resolved: (ReceiptLine & { variantId: string })[] = [];
  for (const [index, line] of lines.entries()) {
    const variantId = await findVariantIdBySku(q, shopId, line.sku);
    if (!variantId) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_SKU", `Line ${index + 1}: no SKU "${line.sku}" in this shop`);
    const locationId = await findLocationId(q, shopId, line.location);
    if (!locationId) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_LOCATION", `Line ${index + 1}: no location "${line.location}" in this shop`);
    resolved.push({ lineNumber: index + 1, sku: line.sku, locationId, quantity: line.quantity, variantId });
  }
  return resolved;
}

/** Our receipt document, as Shopify's inventory history names it (referenceDocumentUri). */
export function receiptUri(reference: string): string {
  return `oms://receipt/${encodeURIComponent(reference)}`;
}
