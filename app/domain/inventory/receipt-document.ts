// A stock receipt (a purchase order received, a transfer in) is one document: a reference and numbered lines.
// The natural key of each line is (shop, reference, line number), so two lines for the same SKU and location
// are two lines. The document's content is its normalised lines; a reference seen again with the same
// content is a replay, with other content a conflict. Pure: the caller hashes the content and applies.

export interface ReceiptLine {
  /** 1-based, in the order the client sent the lines. */
  lineNumber: number;
  sku: string;
  /** Our location id (the client may have named it by its Shopify id). */
  locationId: string;
  quantity: number;
}

/** The content hash of receipts recorded before receipts kept their content (migration 0009). */
export const LEGACY_RECEIPT_HASH = "legacy";

/**
 * The text a receipt's hash is taken over: its lines in order, each as [line number, SKU, location id, quantity],
 * and the purchase order it is counted against when it names one (a receipt naming none hashes as it always did).
 */
export function receiptContent(lines: ReceiptLine[], purchaseOrder?: string): string {
  const rows = lines.map((l) => [l.lineNumber, l.sku, l.locationId, l.quantity]);
  return JSON.stringify(purchaseOrder === undefined ? rows : { purchaseOrder, lines: rows });
}

/** The ledger idempotency key of one receipt line. */
export function receiptLineKey(reference: string, lineNumber: number): string {
  return `receipt:${reference}:${lineNumber}`;
}

export type ReceiptDecision =
  | { kind: "apply" }
  | { kind: "replay" }
  | { kind: "conflict"; reason: string };

/** What to do with a receipt given the document already recorded under its reference (if any). */
export function decideReceipt(recorded: { contentHash: string; lineCount: number } | undefined, contentHash: string): ReceiptDecision {
  if (!recorded) return { kind: "apply" };
  if (recorded.contentHash === contentHash) return { kind: "replay" };
  if (recorded.contentHash === LEGACY_RECEIPT_HASH) {
    return { kind: "conflict", reason: "was recorded before receipts kept their lines, so a replay cannot be told from a new receipt" };
  }
  return { kind: "conflict", reason: `was recorded with different lines (${recorded.lineCount} line${recorded.lineCount === 1 ? "" : "s"})` };
}
