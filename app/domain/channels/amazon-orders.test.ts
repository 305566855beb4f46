import { describe, expect, it } from "vitest";
import { mapAmazonV0Order, shippedDelta } from "./amazon-orders";

const order = (over: Record<string, unknown> = {}) => ({
  AmazonOrderId: "902-1234567-7654321",
  PurchaseDate: "2026-03-02T10:00:00Z",
  LastUpdateDate: "2026-03-02T10:05:00Z",
  OrderStatus: "Unshipped",
  FulfillmentChannel: "MFN",
  OrderTotal: { CurrencyCode: "USD", Amount: "35.50" },
  LatestDeliveryDate: "2026-03-09T07:00:00Z",
  ShipmentServiceLevelCategory: "Standard",
  ShippingAddress: { City: "Reno", StateOrRegion: "NV", PostalCode: "89501", CountryCode: "US" },
  ...over,
});
const item = (over: Record<string, unknown> = {}) => ({ OrderItemId: "11111111111111", SellerSKU: "BAG-1", Title: "Bag", QuantityOrdered: 2, QuantityShipped: 0, ItemPrice: { CurrencyCode: "USD", Amount: "25.00" }, ...over });

describe("Amazon Orders v0 → our order", () => {
  it("maps an MFN order: exact money, unit prices from line prices, address, promise", () => {
    const m = mapAmazonV0Order(order(), [item(), item({ OrderItemId: "22222222222222", SellerSKU: "TAG-2", QuantityOrdered: 1, ItemPrice: { CurrencyCode: "USD", Amount: "10.50" } })]);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.mapped.fulfilledByAmazon).toBe(false);
    expect(m.mapped.order).toMatchObject({ externalId: "902-1234567-7654321", currency: "USD", totalMinor: 3550, placedAt: "2026-03-02T10:00:00.000Z", promisedBy: "2026-03-09T07:00:00.000Z", cancelledAt: null });
    expect(m.mapped.order.shipTo).toMatchObject({ city: "Reno", province: "NV", zip: "89501", countryCode: "US" });
    expect(m.mapped.order.lines.map((l) => [l.sku, l.quantity, l.priceMinor])).toEqual([["BAG-1", 2, 1250], ["TAG-2", 1, 1050]]);
  });

  it("AFN is Amazon's to ship; Canceled cancels; Pending has no total yet (the items' prices stand in)", () => {
    const afn = mapAmazonV0Order(order({ FulfillmentChannel: "AFN" }), [item()]);
    expect(afn.ok && afn.mapped.fulfilledByAmazon).toBe(true);
    const cancelled = mapAmazonV0Order(order({ OrderStatus: "Canceled" }), [item()]);
    expect(cancelled.ok && cancelled.mapped.order.cancelledAt).toBe("2026-03-02T10:05:00.000Z");
    const pending = mapAmazonV0Order(order({ OrderStatus: "Pending", OrderTotal: undefined }), [item()]);
    expect(pending.ok && pending.mapped.order).toMatchObject({ totalMinor: 2500, financialStatus: "pending" });
  });

  it("says what is wrong with an order it cannot take", () => {
    expect(mapAmazonV0Order(order({ AmazonOrderId: "nope" }), [item()])).toEqual({ ok: false, error: expect.stringMatching(/Order.AmazonOrderId: not an Amazon order id/) });
    expect(mapAmazonV0Order(order(), [])).toEqual({ ok: false, error: expect.stringMatching(/no items/) });
    expect(mapAmazonV0Order(order(), [item({ QuantityOrdered: -1 })])).toEqual({ ok: false, error: expect.stringMatching(/OrderItems\[0\].QuantityOrdered/) });
    expect(mapAmazonV0Order(order(), [item({ ItemPrice: { CurrencyCode: "EUR", Amount: "1.00" } })])).toEqual({ ok: false, error: expect.stringMatching(/mixes currencies/) });
  });
});

describe("what Amazon reports shipped, as our fulfillment", () => {
  it("only the units beyond what ours consumed, under an id naming the totals reached (the same report: the same id)", () => {
    const shipped = [{ lineExternalId: "A", quantity: 2 }, { lineExternalId: "B", quantity: 1 }];
    const first = shippedDelta("902-1", shipped, new Map());
    expect(first).toEqual({ externalId: "amazon:902-1:shipped:A=2,B=1", lines: [{ lineExternalId: "A", quantity: 2 }, { lineExternalId: "B", quantity: 1 }] });
    expect(shippedDelta("902-1", shipped, new Map([["A", 2], ["B", 1]]))).toBeNull();
    expect(shippedDelta("902-1", [{ lineExternalId: "A", quantity: 3 }], new Map([["A", 2]]))).toEqual({ externalId: "amazon:902-1:shipped:A=3", lines: [{ lineExternalId: "A", quantity: 1 }] });
  });
});
