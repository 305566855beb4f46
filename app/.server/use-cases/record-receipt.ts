import { createHash } from "node:crypto";
import { decideReceipt, receiptContent, receiptLineKey, type ReceiptLine } from "~/domain/inventory/receipt-document";
import { grouped } from "../db/group-commit";
import { addOnHand } from "../db/pipeline-sql";
import { findLocationId, findReceiptDocument, findVariantIdBySku, insertReceiptDocument } from "../db/receipt-sql";
import { sql, type Sql } from "../db/sql";
import { AppError } from "../errors";
import { fillBackorders, type AllocationContext } from "./allocate-order";
import { enqueueReallocations } from "./ingest-channel-order";

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
  const ctx: AllocationContext = { db: sql(), shopId, now: opts.now ?? new Date(), actor: "api:receipt" };
  const result = await grouped(ctx.db, () => {
    const resolved = resolveLines(ctx.db, shopId, lines);
    const content = receiptContent(resolved);
    const contentHash = createHash("sha256").update(content).digest("hex");
    const decision = decideReceipt(findReceiptDocument(ctx.db, shopId, reference), contentHash);
    if (decision.kind === "conflict") {
      throw new AppError("conflict", "RECEIPT.REFERENCE_REUSED", `Receipt ${JSON.stringify(reference)} ${decision.reason}; nothing was applied. Use a new reference for a new receipt.`);
    }
    if (decision.kind === "replay") return { applied: 0, alreadyApplied: resolved.length, filled: [] };
    insertReceiptDocument(ctx.db, shopId, reference, contentHash, resolved.length);
    let applied = 0;
    for (const line of resolved) {
      const added = addOnHand(ctx.db, shopId, line.variantId, line.locationId, line.quantity, "received", receiptLineKey(reference, line.lineNumber), { type: "receipt", id: reference });
      if (added) applied += 1;
    }
    const filled = fillBackorders(ctx, [...new Set(resolved.map((l) => l.variantId))]);
    return { applied, alreadyApplied: resolved.length - applied, filled };
  });
  await enqueueReallocations(shopId, result.filled);
  return { reference, linesApplied: result.applied, linesAlreadyApplied: result.alreadyApplied, backordersFilled: [...new Set(result.filled.map((f) => f.orderId))] };
}

/** Every line's SKU and location, checked before anything is written: an unknown one refuses the receipt. */
function resolveLines(db: Sql, shopId: string, lines: ReceiptLineInput[]): (ReceiptLine & { variantId: string })[] {
  return lines.map((line, index) => {
    const variantId = findVariantIdBySku(db, shopId, line.sku);
    if (!variantId) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_SKU", `Line ${index + 1}: no SKU "${line.sku}" in this shop`);
    const locationId = findLocationId(db, shopId, line.location);
    if (!locationId) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_LOCATION", `Line ${index + 1}: no location "${line.location}" in this shop`);
    return { lineNumber: index + 1, sku: line.sku, locationId, quantity: line.quantity, variantId };
  });
}
