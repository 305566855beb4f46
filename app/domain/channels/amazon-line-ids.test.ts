import { describe, expect, it } from "vitest";
import { adoptStoredLineIds } from "./amazon-line-ids";
import type { MappedAmazonOrder } from "./amazon-orders";

const mapped = (lines: { id: string; sku: string | null }[], shipped: { lineExternalId: string; quantity: number }[] = []): MappedAmazonOrder => ({
  order: {
    externalId: "111-1234567-7654321", name: "111-1234567-7654321", currency: "USD", totalMinor: 0, financialStatus: "paid", email: null, phone: null, customerExternalId: null, customerName: null,
    shipTo: null, placedAt: "2024-01-15T00:00:00.000Z", updatedAt: "2024-01-16T00:00:00.000Z", cancelledAt: null, lines: lines.map((l) => ({ externalId: l.id, sku: l.sku, variantExternalId: null, title: "x", quantity: 1, priceMinor: 0 })),
  },
  fulfilledByAmazon: false,
  shipped,
});

describe("adoptStoredLineIds", () => {
  it("a report's lines take the Orders API's item ids stored before, matched by SKU (shipped units too)", () => {
    const out = adoptStoredLineIds(mapped([{ id: "report:A", sku: "A" }, { id: "report:B", sku: "B" }], [{ lineExternalId: "report:B", quantity: 1 }]), [{ externalId: "9001", sku: "B" }, { externalId: "9000", sku: "A" }]);
    expect(out.order.lines.map((l) => l.externalId)).toEqual(["9000", "9001"]);
    expect(out.shipped).toEqual([{ lineExternalId: "9001", quantity: 1 }]);
  });

  it("the Orders API's items keep a report's line ids stored before", () => {
    const out = adoptStoredLineIds(mapped([{ id: "9000", sku: "A" }, { id: "9001", sku: "A" }]), [{ externalId: "report:A", sku: "A" }, { externalId: "report:A#2", sku: "A" }]);
    expect(out.order.lines.map((l) => l.externalId)).toEqual(["report:A", "report:A#2"]);
  });

  it("never takes one OrderItemId for another, and leaves a new SKU as it is", () => {
    const input = mapped([{ id: "9002", sku: "A" }, { id: "report:C", sku: "C" }]);
    const out = adoptStoredLineIds(input, [{ externalId: "9000", sku: "A" }]);
    expect(out).toBe(input);
  });
});
