import { describe, expect, it } from "vitest";
import { parseAmazonOrderReport } from "./amazon-order-report";

// Amazon's all-orders flat file as Seller Central and the Reports API give it: tab-separated, a header of Amazon's
// column names, one row per item. Each test says what a merchant would see go wrong if it broke.

const HEADER = [
  "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel", "sales-channel", "order-channel",
  "ship-service-level", "product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price", "shipping-tax",
  "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
  "promotion-ids", "cpf", "is-business-order", "purchase-order-number", "price-designation", "signature-confirmation-recommended",
];

type Row = Partial<Record<string, string>>;
const BASE: Row = {
  "amazon-order-id": "111-1234567-7654321", "purchase-date": "2024-01-15T10:20:30+00:00", "last-updated-date": "2024-01-16T08:00:00+00:00",
  "order-status": "Unshipped", "fulfillment-channel": "Merchant", "sales-channel": "Amazon.com", "ship-service-level": "Standard", "product-name": "Carry-on",
  sku: "BAG-1", asin: "B000000001", "item-status": "Unshipped", quantity: "2", currency: "USD", "item-price": "50.00", "item-tax": "4.00",
  "ship-city": "Seattle", "ship-state": "WA", "ship-postal-code": "98109", "ship-country": "US", "is-business-order": "false",
};
const line = (row: Row) => HEADER.map((h) => row[h] ?? "").join("\t");
const file = (rows: Row[], eol = "\n") => [HEADER.join("\t"), ...rows.map(line)].join(eol) + eol;

describe("parseAmazonOrderReport", () => {
  it("maps one order's rows (one per item) to one order, as the Orders API mapper would", () => {
    const parsed = parseAmazonOrderReport(file([BASE, { ...BASE, sku: "BAG-2", "product-name": "Duffel", quantity: "1", "item-price": "30.00", "item-tax": "2.40", "shipping-price": "5.00", "item-promotion-discount": "-3.00" }]));
    expect(parsed.fileError).toBeNull();
    expect(parsed.totalLines).toBe(2);
    expect(parsed.lines.every((l) => l.ok && l.documentKey === "111-1234567-7654321")).toBe(true);
    expect(parsed.documents).toHaveLength(1);
    const { order, fulfilledByAmazon, shipped } = parsed.documents[0].payload;
    expect(parsed.documents[0].lines).toEqual([2, 3]);
    expect(order).toMatchObject({
      externalId: "111-1234567-7654321", name: "111-1234567-7654321", currency: "USD", financialStatus: "paid",
      totalMinor: 5000 + 400 + 3000 + 240 + 500 - 300,
      placedAt: "2024-01-15T10:20:30.000Z", updatedAt: "2024-01-16T08:00:00.000Z", cancelledAt: null, shippingMethod: "Standard",
      shipTo: { city: "Seattle", province: "WA", zip: "98109", countryCode: "US" },
    });
    expect(order.lines).toEqual([
      { externalId: "report:BAG-1", sku: "BAG-1", variantExternalId: null, title: "Carry-on", quantity: 2, priceMinor: 2500 },
      { externalId: "report:BAG-2", sku: "BAG-2", variantExternalId: null, title: "Duffel", quantity: 1, priceMinor: 3000 },
    ]);
    expect(fulfilledByAmazon).toBe(false);
    expect(shipped).toEqual([]);
  });

  it("reads a UTF-8 BOM, CRLF line ends and a UTF-8 product name", () => {
    const bytes = new TextEncoder().encode("\uFEFF" + file([{ ...BASE, "product-name": "Valise à roulettes" }], "\r\n"));
    const parsed = parseAmazonOrderReport(bytes);
    expect(parsed.fileError).toBeNull();
    expect(parsed.documents[0].payload.order.lines[0].title).toBe("Valise à roulettes");
    expect(parsed.lines.map((l) => l.line)).toEqual([2]);
  });

  it("reads a Windows-1252 file (no UTF-8 in it) as Windows-1252", () => {
    const text = file([{ ...BASE, "product-name": "Valise à roulettes" }]);
    const bytes = Uint8Array.from([...text].map((c) => (c === "à" ? 0xe0 : c.charCodeAt(0))));
    const parsed = parseAmazonOrderReport(bytes);
    expect(parsed.notes).toContain("the file is not UTF-8: read as Windows-1252");
    expect(parsed.documents[0].payload.order.lines[0].title).toBe("Valise à roulettes");
  });

  it("refuses the lines of a file that mixes encodings, naming them, and takes the others", () => {
    const good = new TextEncoder().encode(file([{ ...BASE, "product-name": "Valise à roulettes" }]));
    const latin1 = Uint8Array.from([...line({ ...BASE, "amazon-order-id": "222-1234567-7654321", "product-name": "Mochila pequeña" })].map((c) => (c === "ñ" ? 0xf1 : c.charCodeAt(0))));
    const parsed = parseAmazonOrderReport(Uint8Array.from([...good, ...latin1, 0x0a]));
    expect(parsed.lines.map((l) => [l.line, l.ok])).toEqual([[2, true], [3, false]]);
    expect(parsed.lines[1].message).toMatch(/^line 3: holds bytes that are not UTF-8/);
    expect(parsed.documents.map((d) => d.key)).toEqual(["111-1234567-7654321"]);
  });

  it("reads the date forms found in flat files; refuses one it cannot read with the line number", () => {
    const forms = ["2024-01-15T10:20:30-08:00", "2024-01-15 18:20:30 UTC", "15.01.2024 18:20:30 UTC", "01/15/2024 10:20:30 AM PST", "Jan 15, 2024 10:20:30 AM PST", "2024-01-15T18:20:30Z"];
    for (const date of forms) {
      const parsed = parseAmazonOrderReport(file([{ ...BASE, "purchase-date": date }]));
      expect(parsed.documents[0]?.payload.order.placedAt, date).toBe("2024-01-15T18:20:30.000Z");
    }
    const bad = parseAmazonOrderReport(file([BASE, { ...BASE, "amazon-order-id": "222-1234567-7654321", "purchase-date": "03/04/2024" }]));
    expect(bad.lines[1]).toMatchObject({ line: 3, ok: false, documentKey: "222-1234567-7654321" });
    expect(bad.lines[1].message).toMatch(/^line 3: purchase-date "03\/04\/2024": day and month could be either way round/);
  });

  it("says what is wrong on each bad line, all of it, with its number", () => {
    const parsed = parseAmazonOrderReport(file([{ ...BASE, quantity: "two", currency: "US", "item-price": "abc", "is-business-order": "maybe", "fulfillment-channel": "Drone" }]));
    const message = parsed.lines[0].message!;
    expect(message.startsWith("line 2: ")).toBe(true);
    for (const part of ["fulfillment-channel \"Drone\" is neither Amazon nor Merchant", "quantity \"two\" is not a whole number", "currency \"US\" is not a currency code", "is-business-order \"maybe\""]) expect(message).toContain(part);
    expect(parsed.documents).toEqual([]);
  });

  it("never takes an order in part: a bad row refuses its order's other rows too", () => {
    const parsed = parseAmazonOrderReport(file([BASE, { ...BASE, sku: "BAG-2", quantity: "-1" }, { ...BASE, "amazon-order-id": "222-1234567-7654321" }]));
    expect(parsed.lines.map((l) => l.ok)).toEqual([false, false, true]);
    expect(parsed.lines[0].message).toBe("line 2: order 111-1234567-7654321 is not taken in part: line 3 of it is refused");
    expect(parsed.documents.map((d) => d.key)).toEqual(["222-1234567-7654321"]);
  });

  it("refuses a line cut short or with a tab inside a value, and rows of one order that disagree", () => {
    const text = file([BASE, { ...BASE, "amazon-order-id": "333-1234567-7654321", "order-status": "Shipped" }, { ...BASE, "amazon-order-id": "333-1234567-7654321", sku: "X", "order-status": "Pending" }]) + "444-1234567-7654321\t\t2024-01-15\n";
    const parsed = parseAmazonOrderReport(text);
    expect(parsed.lines.find((l) => l.line === 5)?.message).toBe("line 5: 3 fields where the header has 33 (the line is cut short)");
    expect(parsed.lines.find((l) => l.line === 3)?.message).toMatch(/^line 3: order 333-1234567-7654321: its rows disagree on order-status \(line 3: "Shipped", line 4: "Pending"\)/);
    expect(parsed.documents.map((d) => d.key)).toEqual(["111-1234567-7654321"]);
  });

  it("says the file is not tab-separated when it is comma- or semicolon-separated, and imports nothing", () => {
    expect(parseAmazonOrderReport(HEADER.join(",") + "\n" + line(BASE).replace(/\t/g, ",")).fileError).toMatch(/^the file is not tab-separated: its first line has no tab — it looks comma-separated/);
    expect(parseAmazonOrderReport(HEADER.join(";") + "\n").fileError).toMatch(/semicolon-separated/);
    expect(parseAmazonOrderReport("").fileError).toBe("the file is empty");
    expect(parseAmazonOrderReport("sku\tquantity\nA\t1\n").fileError).toMatch(/not the header of an Amazon order report/);
    expect(parseAmazonOrderReport("amazon-order-id\tsku\n").fileError).toMatch(/^the header lacks purchase-date, last-updated-date, order-status, fulfillment-channel, quantity/);
  });

  it("maps FBA, shipped, cancelled and pending orders with the Orders API's meaning", () => {
    const parsed = parseAmazonOrderReport(file([
      { ...BASE, "amazon-order-id": "111-0000001-0000001", "fulfillment-channel": "Amazon", "order-status": "Shipped", "item-status": "Shipped" },
      { ...BASE, "amazon-order-id": "111-0000002-0000002", "order-status": "Shipped - Delivered to Buyer", "item-status": "Shipped" },
      { ...BASE, "amazon-order-id": "111-0000003-0000003", "order-status": "Cancelled", quantity: "0", "item-status": "Cancelled" },
      { ...BASE, "amazon-order-id": "111-0000004-0000004", "order-status": "Pending", currency: "", "item-price": "", "item-tax": "" },
      { ...BASE, "amazon-order-id": "111-0000005-0000005", "order-status": "Shipping", "item-status": "Shipped" },
      { ...BASE, "amazon-order-id": "111-0000005-0000005", sku: "BAG-9", "order-status": "Shipping", "item-status": "Unshipped" },
    ]));
    const by = new Map(parsed.documents.map((d) => [d.key, d.payload]));
    expect(by.get("111-0000001-0000001")).toMatchObject({ fulfilledByAmazon: true });
    expect(by.get("111-0000002-0000002")!.shipped).toEqual([{ lineExternalId: "report:BAG-1", quantity: 2 }]);
    expect(by.get("111-0000003-0000003")!.order).toMatchObject({ cancelledAt: "2024-01-16T08:00:00.000Z", lines: [] });
    expect(by.get("111-0000004-0000004")!.order).toMatchObject({ financialStatus: "pending", currency: "USD", totalMinor: 0 });
    expect(by.get("111-0000005-0000005")!.shipped).toEqual([{ lineExternalId: "report:BAG-1", quantity: 2 }]);
  });

  it("keeps promotion and business-order columns, and skips multi-channel (Non-Amazon) orders", () => {
    const parsed = parseAmazonOrderReport(file([
      { ...BASE, "is-business-order": "true", "purchase-order-number": "PO-4500012345", "promotion-ids": "PLM-Free shipping,BOGO-5" },
      { ...BASE, "amazon-order-id": "S01-1234567-7654321", "sales-channel": "Non-Amazon" },
    ]));
    const doc = parsed.documents[0];
    expect(doc.payload).toMatchObject({ isBusinessOrder: true, purchaseOrderNumber: "PO-4500012345", promotionIds: ["PLM-Free shipping", "BOGO-5"] });
    expect(doc.note).toBe("business order, PO PO-4500012345; promotions PLM-Free shipping, BOGO-5");
    expect(parsed.lines[1]).toMatchObject({ ok: true, message: "line 3: order S01-1234567-7654321 is a multi-channel fulfillment order (sales-channel Non-Amazon), not an Amazon sale: skipped" });
    expect(parsed.documents).toHaveLength(1);
  });

  it("takes the latest state of an order listed twice (files joined together) and skips a repeated row", () => {
    const older = { ...BASE, "last-updated-date": "2024-01-15T11:00:00+00:00" };
    const newer = { ...BASE, "order-status": "Shipped", "item-status": "Shipped" };
    const parsed = parseAmazonOrderReport(file([older, newer, newer]));
    expect(parsed.documents).toHaveLength(1);
    expect(parsed.documents[0].lines).toEqual([3]);
    expect(parsed.documents[0].payload.order.updatedAt).toBe("2024-01-16T08:00:00.000Z");
    expect(parsed.lines[0].message).toMatch(/^line 2: an older state of order 111-1234567-7654321/);
    expect(parsed.lines[2].message).toBe("line 4: a repeat of line 3: skipped");
  });

  it("reads the orders-to-ship layout (order-id, order-item-id, quantities shipped) with Amazon's item ids", () => {
    const header = ["order-id", "order-item-id", "purchase-date", "payments-date", "buyer-email", "sku", "product-name", "quantity-purchased", "quantity-shipped", "quantity-to-ship", "ship-service-level", "recipient-name", "ship-address-1", "ship-city", "ship-state", "ship-postal-code", "ship-country", "is-business-order", "promise-date"];
    const text = `${header.join("\t")}\n112-1111111-2222222\t53894271034242\t2024-01-15T10:20:30-08:00\t2024-01-15T10:20:30-08:00\tbuyer@marketplace.amazon.com\tBAG-1\tCarry-on\t3\t1\t2\tStandard\tJane Doe\t1 Main St\tSeattle\tWA\t98109\tUS\tfalse\t2024-01-22T07:59:59+00:00\n`;
    const parsed = parseAmazonOrderReport(text);
    expect(parsed.notes).toContain("Amazon orders-to-ship report layout");
    const { order, shipped } = parsed.documents[0].payload;
    expect(order).toMatchObject({ externalId: "112-1111111-2222222", email: "buyer@marketplace.amazon.com", customerName: "Jane Doe", updatedAt: "2024-01-15T18:20:30.000Z", promisedBy: "2024-01-22T07:59:59.000Z", shipTo: { name: "Jane Doe", address1: "1 Main St" } });
    expect(order.lines).toEqual([{ externalId: "53894271034242", sku: "BAG-1", variantExternalId: null, title: "Carry-on", quantity: 3, priceMinor: 0 }]);
    expect(shipped).toEqual([{ lineExternalId: "53894271034242", quantity: 1 }]);
  });

  it("numbers a second row of the same SKU in an order apart, so line ids stay unique", () => {
    const parsed = parseAmazonOrderReport(file([BASE, { ...BASE, quantity: "1", "item-price": "20.00" }]));
    expect(parsed.documents[0].payload.order.lines.map((l) => l.externalId)).toEqual(["report:BAG-1", "report:BAG-1#2"]);
  });
});
