import { describe, expect, it } from "vitest";
import { draftOrigin, mapShopifyOrder } from "./map-shopify-order";

const base = {
  id: "820982911946154508",
  admin_graphql_api_id: "gid://shopify/Order/820982911946154508",
  name: "#1001",
  currency: "USD",
  total_price: "25.00",
  created_at: "2026-11-20T10:00:00-05:00",
  updated_at: "2026-11-20T11:00:00-05:00",
  line_items: [{ id: "1", admin_graphql_api_id: "gid://shopify/LineItem/466157049", variant_id: "39072856", sku: "A-1", title: "A", quantity: 3, price: "5.00" }],
};

describe("mapShopifyOrder", () => {
  it("maps ids from gids, money to minor units, times to UTC", () => {
    const r = mapShopifyOrder(base);
    expect(r.ok && r.order).toMatchObject({ externalId: "820982911946154508", totalMinor: 2500, placedAt: "2026-11-20T15:00:00.000Z", lines: [{ externalId: "466157049", quantity: 3, priceMinor: 500 }] });
  });

  it("takes units removed by an order edit from current_quantity", () => {
    const edited = { ...base, line_items: [{ ...base.line_items[0], quantity: 3, current_quantity: 1 }] };
    const r = mapShopifyOrder(edited);
    expect(r.ok && r.order.lines[0].quantity).toBe(1);
  });

  it("names the field that is wrong", () => {
    const r = mapShopifyOrder({ ...base, total_price: "twelve" });
    expect(r.ok).toBe(false);
    const missing = mapShopifyOrder({ ...base, line_items: undefined });
    expect(!missing.ok && missing.error).toMatch(/line_items/);
  });

  it("refuses quantities, line counts and amounts beyond the limits, naming the field and the limit", () => {
    const huge = mapShopifyOrder({ ...base, line_items: [{ ...base.line_items[0], quantity: 1e12 }] });
    expect(!huge.ok && huge.error).toMatch(/line_items\.0\.quantity: more than the limit of 1000000 units on one line/);
    const edited = mapShopifyOrder({ ...base, line_items: [{ ...base.line_items[0], current_quantity: 1_000_001 }] });
    expect(!edited.ok && edited.error).toMatch(/line_items\.0\.current_quantity/);
    const negative = mapShopifyOrder({ ...base, line_items: [{ ...base.line_items[0], price: "-5.00" }] });
    expect(!negative.ok && negative.error).toMatch(/line_items\.0\.price: "-5\.00" is negative/);
    const negativeTotal = mapShopifyOrder({ ...base, total_price: "-1" });
    expect(!negativeTotal.ok && negativeTotal.error).toMatch(/total_price: "-1" is negative/);
    const rich = mapShopifyOrder({ ...base, total_price: "123456789012345678.90" });
    expect(!rich.ok && rich.error).toMatch(/total_price: "123456789012345678\.90" USD is over the limit of 100000000000000 minor units/);
    const many = mapShopifyOrder({ ...base, line_items: Array.from({ length: 1_001 }, (_, i) => ({ ...base.line_items[0], id: String(i + 1), admin_graphql_api_id: undefined })) });
    expect(!many.ok && many.error).toMatch(/line_items: more than the limit of 1000 lines/);
    const atTheLimit = mapShopifyOrder({ ...base, total_price: "999999999999.99", line_items: [{ ...base.line_items[0], quantity: 1_000_000 }] });
    expect(atTheLimit.ok && atTheLimit.order).toMatchObject({ totalMinor: 99_999_999_999_999, lines: [{ quantity: 1_000_000 }] });
  });
});

describe("an order made from one of our drafts", () => {
  it("names the order it replaces from the draft's oms_order_id attribute; any other order names none", () => {
    const made = mapShopifyOrder({ ...base, note_attributes: [{ name: "gift", value: "yes" }, { name: "oms_order_id", value: " ord_123 " }] });
    expect(made.ok && made.order.supersedes).toBe("ord_123");
    const plain = mapShopifyOrder({ ...base, note_attributes: [{ name: "gift", value: "yes" }] });
    expect(plain.ok && plain.order.supersedes).toBeNull();
    expect(draftOrigin(undefined)).toBeNull();
    expect(draftOrigin([{ name: "oms_order_id", value: "" }])).toBeNull();
  });
});
