import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mapAmazonV0Order } from "~/domain/channels/amazon-orders";
import { parseAmazonOrderReport } from "~/domain/imports/amazon-order-report";
import { toMinorUnits } from "~/domain/shared/money";
import { fixturesDir } from "../../sandbox/amazon/schemas";

// Amazon's flat-file order reports against the real test-account records in ../shared/fixtures/amazon_sp_api/
// flat_file_reports (Airbyte's Amazon Seller Partner connector, MIT; see SOURCE.md there): the all-orders file
// (derived from Airbyte's expected records) maps to the orders those records describe, field by field; the
// header-only files of the other layouts read as reports with nothing in them; and the same orders read from the
// Orders API records and from a report row built from them map to the same order.

const dir = () => path.join(fixturesDir(), "flat_file_reports");
const read = (name: string) => readFileSync(path.join(dir(), name));
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const records = (): { stream: string; data: Json }[] => read("airbyte_expected_records.orders_subset.jsonl").toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const utc = (s: string) => new Date(Date.parse(s)).toISOString();

describe("the all-orders report of Amazon's test account", () => {
  const parsed = parseAmazonOrderReport(read("airbyte_GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL.DERIVED.tsv"));
  const expected = records().filter((r) => r.stream === "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL").map((r) => r.data);

  it("reads every line, refuses none", () => {
    expect(parsed.fileError).toBeNull();
    expect(parsed.notes).toContain("Amazon all-orders report layout");
    expect(parsed.totalLines).toBe(expected.length);
    expect(parsed.lines.filter((l) => !l.ok)).toEqual([]);
  });

  it("maps each record to the order it describes", () => {
    expect(expected.length).toBe(15);
    const byId = new Map(parsed.documents.map((d) => [d.key, d.payload]));
    expect([...byId.keys()].sort()).toEqual(expected.map((r) => r["amazon-order-id"]).sort());
    for (const r of expected) {
      const mapped = byId.get(r["amazon-order-id"])!;
      const { order } = mapped;
      const what = r["amazon-order-id"];
      expect(order.externalId, what).toBe(r["amazon-order-id"]);
      expect(order.placedAt, what).toBe(utc(r["purchase-date"]));
      expect(order.updatedAt, what).toBe(utc(r["last-updated-date"]));
      expect(order.cancelledAt, what).toBe(r["order-status"] === "Cancelled" ? utc(r["last-updated-date"]) : null);
      expect(mapped.fulfilledByAmazon, what).toBe(r["fulfillment-channel"] === "Amazon");
      expect(order.currency, what).toBe(r.currency || "USD");
      const money = (v: string) => (v ? toMinorUnits(v, order.currency) : 0);
      expect(order.totalMinor, what).toBe(money(r["item-price"]) + money(r["item-tax"]) + money(r["shipping-price"]) + money(r["shipping-tax"]));
      expect(order.shippingMethod, what).toBe(r["ship-service-level"]);
      expect(order.shipTo, what).toMatchObject({ city: r["ship-city"], province: r["ship-state"], zip: r["ship-postal-code"], countryCode: r["ship-country"] });
      // Cancelled items are listed with quantity 0, as the Orders API's QuantityOrdered: no line to route.
      expect(order.lines, what).toEqual(Number(r.quantity) > 0 ? [expect.objectContaining({ sku: r.sku, quantity: Number(r.quantity) })] : []);
      expect(mapped.isBusinessOrder, what).toBe(r["is-business-order"] === "true");
      expect(mapped.shipped, what).toEqual([]);
    }
  });
});

describe("the other layouts' headers as Amazon writes them", () => {
  it.each(["airbyte_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING.header_only.tsv", "airbyte_GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE.header_only.tsv"])("%s reads as a report with no orders", (name) => {
    const parsed = parseAmazonOrderReport(read(name));
    expect(parsed.fileError).toBeNull();
    expect(parsed.documents).toEqual([]);
    expect(parsed.lines.every((l) => l.ok && /the header again: skipped$/.test(l.message ?? ""))).toBe(true);
  });
});

describe("the same orders by the Orders API and by report", () => {
  it("map to the same order (the records of the Orders and OrderItems streams, and report rows built from them)", () => {
    const all = records();
    const header = read("airbyte_GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL.DERIVED.tsv").toString("utf8").split("\n")[0].split("\t");
    const orders = all.filter((r) => r.stream === "Orders").map((r) => r.data);
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      const items = all.filter((r) => r.stream === "OrderItems" && r.data.AmazonOrderId === o.AmazonOrderId).map((r) => r.data);
      const api = mapAmazonV0Order(o, items);
      if (!api.ok) throw new Error(api.error);
      const rows = items.map((i) => {
        const row: Record<string, string> = {
          "amazon-order-id": o.AmazonOrderId, "purchase-date": o.PurchaseDate, "last-updated-date": o.LastUpdateDate,
          "order-status": o.OrderStatus === "Canceled" ? "Cancelled" : o.OrderStatus, "fulfillment-channel": o.FulfillmentChannel === "AFN" ? "Amazon" : "Merchant",
          "sales-channel": o.SalesChannel, "ship-service-level": o.ShipmentServiceLevelCategory, "product-name": i.Title, sku: i.SellerSKU, asin: i.ASIN,
          "item-status": i.QuantityShipped > 0 ? "Shipped" : "Unshipped", quantity: String(i.QuantityOrdered), currency: i.ItemPrice.CurrencyCode,
          "item-price": i.ItemPrice.Amount, "item-tax": i.ItemTax.Amount, "ship-city": o.ShippingAddress?.City ?? "", "ship-state": o.ShippingAddress?.StateOrRegion ?? "",
          "ship-postal-code": o.ShippingAddress?.PostalCode ?? "", "ship-country": o.ShippingAddress?.CountryCode ?? "", "is-business-order": String(o.IsBusinessOrder),
        };
        return header.map((h) => row[h] ?? "").join("\t");
      });
      const parsed = parseAmazonOrderReport([header.join("\t"), ...rows].join("\n"));
      expect(parsed.lines.filter((l) => !l.ok)).toEqual([]);
      const report = parsed.documents[0].payload;
      const what = o.AmazonOrderId;
      const same = ["externalId", "placedAt", "updatedAt", "cancelledAt", "currency", "totalMinor", "financialStatus", "shippingMethod"] as const;
      for (const field of same) expect(report.order[field], `${what} ${field}`).toEqual(api.mapped.order[field]);
      expect(report.fulfilledByAmazon).toBe(api.mapped.fulfilledByAmazon);
      expect(report.order.lines.map((l) => [l.sku, l.quantity, l.priceMinor])).toEqual(api.mapped.order.lines.map((l) => [l.sku, l.quantity, l.priceMinor]));
      expect(report.shipped.map((s) => s.quantity)).toEqual(api.mapped.shipped.map((s) => s.quantity));
    }
  });
});
