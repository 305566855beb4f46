import { describe, expect, it } from "vitest";
import { DRAFT_CREATED, DRAFT_FAILED, draftOrderInput, draftStateFrom, draftSupersession, shopifyVariantGid, userErrorsText, type DraftSource } from "./draft-order";

const order = (patch: Partial<DraftSource> = {}): DraftSource => ({
  orderId: "o-1", name: "M-ABCD", currency: "USD", email: "ada@example.com", customerName: "Ada King Lovelace",
  shipTo: { address1: "1 Main St", city: "Reno", province: "nv", countryCode: "US", zip: "89501" },
  lines: [
    { sku: "MUG", title: "Mug", quantity: 2, priceMinor: 1250, shopifyVariantId: "5000000001000000001" },
    { sku: "LOCAL", title: "Local item", quantity: 1, priceMinor: 99, shopifyVariantId: "v-LOCAL" },
  ],
  ...patch,
});

describe("an order as a Shopify draft order", () => {
  it("sends Shopify's variants by id at the order's price, anything else as a custom line", () => {
    const input = draftOrderInput(order());
    expect(input.lineItems).toEqual([
      { variantId: "gid://shopify/ProductVariant/5000000001000000001", quantity: 2, priceOverride: { amount: "12.50", currencyCode: "USD" } },
      { title: "Local item", sku: "LOCAL", quantity: 1, originalUnitPriceWithCurrency: { amount: "0.99", currencyCode: "USD" }, requiresShipping: true },
    ]);
    expect(input.email).toBe("ada@example.com");
    expect(input.customAttributes).toEqual([{ key: "oms_order_id", value: "o-1" }]);
    expect(input.shippingAddress).toEqual({ firstName: "Ada King", lastName: "Lovelace", address1: "1 Main St", city: "Reno", provinceCode: "NV", countryCode: "US", zip: "89501" });
  });

  it("leaves out what the order does not have, and a province that is not a code", () => {
    const input = draftOrderInput(order({ email: null, customerName: "Cher", shipTo: { address1: null, city: "Lyon", province: "Auvergne-Rhône-Alpes", countryCode: "FR", zip: null } }));
    expect(input.email).toBeUndefined();
    expect(input.shippingAddress).toEqual({ lastName: "Cher", city: "Lyon", countryCode: "FR" });
    expect(draftOrderInput(order({ shipTo: { address1: null, city: null, province: null, countryCode: null, zip: null } })).shippingAddress).toBeUndefined();
    expect(draftOrderInput(order({ currency: "JPY", lines: [{ sku: null, title: "Fee", quantity: 1, priceMinor: 1500, shopifyVariantId: null }] })).lineItems).toEqual([
      { title: "Fee", quantity: 1, originalUnitPriceWithCurrency: { amount: "1500", currencyCode: "JPY" }, requiresShipping: true },
    ]);
  });

  it("knows a Shopify variant id from anything else", () => {
    expect([shopifyVariantGid("123"), shopifyVariantGid("gid://shopify/ProductVariant/9"), shopifyVariantGid("gid://shopify/Product/9"), shopifyVariantGid(null)]).toEqual([
      "gid://shopify/ProductVariant/123", "gid://shopify/ProductVariant/9", null, null,
    ]);
    expect(userErrorsText([{ field: ["lineItems", "0", "variantId"], message: "gone" }, { field: null, message: "also" }])).toBe("lineItems.0.variantId: gone; also");
  });
});

describe("the draft's state from the order's audit trail", () => {
  const at = (n: number) => `2026-12-01T10:00:0${n}.000Z`;
  it("is the draft made, else the last refusal, else none", () => {
    const failed = { action: DRAFT_FAILED, data: JSON.stringify({ message: "no" }), createdAt: at(1) };
    const created = { action: DRAFT_CREATED, data: JSON.stringify({ draftOrderId: "gid://shopify/DraftOrder/7", legacyId: "7", name: "#D1" }), createdAt: at(2) };
    expect(draftStateFrom([{ action: "order.received", data: "{}", createdAt: at(0) }])).toBeNull();
    expect(draftStateFrom([failed, { ...failed, data: JSON.stringify({ message: "later" }), createdAt: at(3) }])).toEqual({ status: "failed", message: "later", at: at(3) });
    expect(draftStateFrom([failed, created])).toEqual({ status: "created", draftOrderId: "gid://shopify/DraftOrder/7", legacyId: "7", name: "#D1", at: at(2) });
  });
});

describe("draftSupersession", () => {
  const facts = { unitsOrdered: 3, unitsReserved: 3, unitsBackordered: 0, unitsShipped: 0 };
  it("a manual order not yet shipped gives way to the Shopify order its draft became", () => {
    expect(draftSupersession({ channelKind: "manual", status: "reserved" }, facts)).toEqual({ action: "supersede" });
    expect(draftSupersession({ channelKind: "manual", status: "backordered" }, { ...facts, unitsReserved: 1, unitsBackordered: 2 })).toEqual({ action: "supersede" });
  });
  it("keeps an order it does not know, another channel's, a cancelled one, and one with units shipped, saying why", () => {
    expect(draftSupersession(undefined, facts)).toEqual({ action: "keep", reason: "no such order in this shop" });
    expect(draftSupersession({ channelKind: "wholesale", status: "reserved" }, facts)).toEqual({ action: "keep", reason: "it is a wholesale order, not a manual one" });
    expect(draftSupersession({ channelKind: "manual", status: "cancelled" }, facts)).toEqual({ action: "keep", reason: "it is cancelled already" });
    expect(draftSupersession({ channelKind: "manual", status: "partially_shipped" }, { ...facts, unitsShipped: 1 })).toMatchObject({ action: "keep" });
  });
});
