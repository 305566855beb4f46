import { describe, expect, it } from "vitest";
import { decideReceipt, LEGACY_RECEIPT_HASH, receiptContent, receiptLineKey } from "./receipt-document";

const line = (lineNumber: number, sku: string, quantity: number, locationId = "loc-1") => ({ lineNumber, sku, locationId, quantity });

describe("receipt documents", () => {
  it("key each line by reference and line number: two lines of one SKU at one location are two lines", () => {
    expect(receiptLineKey("PO-1", 1)).not.toBe(receiptLineKey("PO-1", 2));
    expect(receiptContent([line(1, "A", 2), line(2, "A", 3)])).not.toBe(receiptContent([line(1, "A", 5)]));
  });

  it("see the same lines as the same content, and any change of SKU, location, quantity or order as another", () => {
    const content = receiptContent([line(1, "A", 2), line(2, "B", 3)]);
    expect(receiptContent([line(1, "A", 2), line(2, "B", 3)])).toBe(content);
    for (const other of [
      [line(1, "A", 2), line(2, "B", 4)],
      [line(1, "A", 2), line(2, "C", 3)],
      [line(1, "A", 2), line(2, "B", 3, "loc-2")],
      [line(1, "B", 3), line(2, "A", 2)],
      [line(1, "A", 2)],
    ]) expect(receiptContent(other)).not.toBe(content);
    // Counted against a purchase order, or against another one, it is another document.
    expect(receiptContent([line(1, "A", 2), line(2, "B", 3)], "PO-9")).not.toBe(content);
    expect(receiptContent([line(1, "A", 2), line(2, "B", 3)], "PO-9")).not.toBe(receiptContent([line(1, "A", 2), line(2, "B", 3)], "PO-8"));
  });

  it("apply a new reference, replay the same content, refuse other content (and any reuse of a receipt recorded before content was kept)", () => {
    expect(decideReceipt(undefined, "h1")).toEqual({ kind: "apply" });
    expect(decideReceipt({ contentHash: "h1", lineCount: 2 }, "h1")).toEqual({ kind: "replay" });
    expect(decideReceipt({ contentHash: "h1", lineCount: 2 }, "h2")).toEqual({ kind: "conflict", reason: "was recorded with different lines (2 lines)" });
    expect(decideReceipt({ contentHash: LEGACY_RECEIPT_HASH, lineCount: 1 }, "h1")).toMatchObject({ kind: "conflict" });
  });
});
