import { describe, expect, it } from "vitest";
import type { ApiOrderInput } from "../orders/api-order";
import { parseCsvPurchaseOrders } from "./csv-po";
import { checkCsvPurchaseOrders, type PreviousOrder, type PurchaseOrderContext } from "./csv-po-check";
import { indexPartnerItems } from "./trading-partner";

const HEADER = "po_number,order_date,currency,buyer_name,email,ship_to_name,ship_to_address1,ship_to_address2,ship_to_city,ship_to_country,line_number,sku,buyer_part_number,quantity,unit_price,requested_ship_date";
const row = (po: string, line: string, sku: string, bpn: string, qty: string, price: string, extra: { currency?: string; email?: string; ship?: string } = {}) =>
  `${po},2026-03-01,${extra.currency ?? ""},Corner Shops,${extra.email ?? "buyer@example.com"},Shop,100 Main St,Unit 4,Reno,US,${line},${sku},${bpn},${qty},${price},${extra.ship ?? ""}`;
const file = (...rows: string[]) => [HEADER, ...rows].join("\n") + "\n";

const catalog = new Set(["SKU-A", "SKU-B", "SKU-C"]);
const { bySku, byBuyerPart } = indexPartnerItems([
  { sku: "SKU-A", buyerPartNumber: "BP-A", unitPriceMinor: 1200 },
  { sku: "SKU-B", buyerPartNumber: null, unitPriceMinor: 450 },
  { sku: "GONE", buyerPartNumber: "BP-GONE", unitPriceMinor: 100 },
]);
const context = (previous: (o: ApiOrderInput) => PreviousOrder = () => "new"): PurchaseOrderContext => ({
  partner: { code: "ACME", currency: "USD", channelId: "ch-acme" },
  knownSku: (s) => catalog.has(s),
  items: bySku,
  byBuyerPart,
  previous,
});
const check = (text: string, previous?: (o: ApiOrderInput) => PreviousOrder) => checkCsvPurchaseOrders(parseCsvPurchaseOrders(text), context(previous));

describe("checkCsvPurchaseOrders", () => {
  it("maps buyer part numbers to SKUs, takes the line's price or else the agreed one, and makes the API's order", () => {
    const checked = check(file(row("PO-1", "1", "", "BP-A", "2", ""), row("PO-1", "2", "SKU-B", "", "3", "5.00", { ship: "2026-03-12" }), row("PO-1", "3", "SKU-C", "", "1", "9.9", { ship: "2026-03-10" })));
    expect(checked.lines.map((l) => [l.line, l.ok, l.message])).toEqual([
      [2, true, "line 2: PO PO-1 line 1: SKU SKU-A (buyer part BP-A) × 2 at 12.00 USD (agreed price)"],
      [3, true, "line 3: PO PO-1 line 2: SKU SKU-B × 3 at 5.00 USD"],
      [4, true, "line 4: PO PO-1 line 3: SKU SKU-C × 1 at 9.90 USD"],
    ]);
    expect(checked.documents[0].payload.order).toEqual({
      channel: "wholesale", channelId: "ch-acme", externalId: "PO-1", name: "PO PO-1", currency: "USD", placedAt: "2026-03-01T00:00:00.000Z", promisedBy: "2026-03-10T23:59:59.000Z",
      email: "buyer@example.com", customer: { externalId: "ACME", name: "Corner Shops" },
      shipTo: { name: "Shop", address1: "100 Main St, Unit 4", city: "Reno", countryCode: "US" },
      lines: [{ externalId: "1", sku: "SKU-A", quantity: 2, priceMinor: 1200 }, { externalId: "2", sku: "SKU-B", quantity: 3, priceMinor: 500 }, { externalId: "3", sku: "SKU-C", quantity: 1, priceMinor: 990 }],
    });
  });

  it("refuses unknown SKUs, unmapped buyer part numbers, a missing price, too many decimals — and the whole PO with them", () => {
    const checked = check(file(
      row("PO-1", "1", "SKU-A", "", "1", "1"),
      row("PO-1", "2", "NOPE", "", "1", "1"),
      row("PO-1", "3", "", "BP-X", "1", "1"),
      row("PO-1", "4", "SKU-C", "", "1", ""),
      row("PO-1", "5", "SKU-C", "", "1", "1.005"),
      row("PO-1", "6", "", "BP-GONE", "1", ""),
      row("PO-2", "1", "SKU-A", "", "1", "1"),
    ));
    expect(checked.lines.map((l) => l.message)).toEqual([
      "line 2: PO PO-1 is not taken in part: line 3, 4, 5, 6, 7 of it are refused",
      "line 3: unknown SKU NOPE",
      "line 4: buyer part number BP-X is not mapped to a SKU for this partner (add it to the partner's items)",
      "line 5: no price and no agreed price for SKU SKU-C",
      "line 6: unit_price 1.005 has more decimals than USD has (2)",
      "line 7: buyer part number BP-GONE is mapped to SKU GONE, which is not in the catalog any more",
      "line 8: PO PO-2 line 1: SKU SKU-A × 1 at 1.00 USD",
    ]);
    expect(checked.documents.map((d) => d.key)).toEqual(["PO-2"]);
  });

  it("refuses a PO in another currency than the partner's, and what the API's schema refuses, by line", () => {
    expect(check(file(row("PO-1", "1", "SKU-A", "", "1", "1", { currency: "EUR" }))).lines[0].message).toBe("line 2: PO PO-1: the PO is in EUR, but partner ACME trades in USD");
    expect(check(file(row("PO-1", "1", "SKU-A", "", "1", "1", { email: "a@b.c d" }))).lines[0]).toMatchObject({ ok: false });
    const yen = checkCsvPurchaseOrders(parseCsvPurchaseOrders(file(row("PO-1", "1", "SKU-C", "", "1", "1500.00", { currency: "JPY" }))), { ...context(), partner: { code: "JP", currency: "JPY", channelId: "c" } });
    expect(yen.documents[0].payload.order?.lines[0].priceMinor).toBe(1500);
  });

  it("keeps a PO imported before with the same content as unchanged, and refuses one changed since or made elsewhere", () => {
    const text = file(row("PO-1", "1", "SKU-A", "", "1", "1"), row("PO-2", "1", "SKU-A", "", "1", "1"), row("PO-3", "1", "SKU-A", "", "1", "1"));
    const previous = (o: ApiOrderInput): PreviousOrder => (o.externalId === "PO-1" ? "same" : o.externalId === "PO-2" ? "changed" : "not-from-import");
    const checked = check(text, previous);
    expect(checked.lines.map((l) => [l.ok, l.message])).toEqual([
      [true, "line 2: PO PO-1 was imported before with the same content: importing it again changes nothing"],
      [false, expect.stringMatching(/^line 3: PO PO-2 was imported before with other content .*: a changed PO is not applied over its order/)],
      [false, "line 4: an order PO-3 is already on partner ACME's channel and was not made from a purchase order: it is not changed"],
    ]);
    expect(checked.documents.map((d) => [d.key, d.unchanged])).toEqual([["PO-1", true]]);
  });
});
