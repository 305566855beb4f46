import { describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { toExactJson } from "./exact-json";
import { cancelOrder, orderFactory, updateOrder } from "./order-factory";
import { formatInZone } from "./order-payload";
import { SandboxStore } from "./store";

const SHOP = "demo-oms.myshopify.com";
function setup(at = "2026-03-02T15:04:05Z") {
  let now = new Date(at);
  const store = new SandboxStore({ now: () => now });
  store.addShop(demoShopSeed(SHOP));
  return { store, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe("order factory", () => {
  it("creates the same orders for the same seed", () => {
    const a = orderFactory(setup().store, SHOP, 3).createMany(5);
    const b = orderFactory(setup().store, SHOP, 3).createMany(5);
    expect(toExactJson(a)).toBe(toExactJson(b));
    expect(a.map((o) => o.name)).toEqual(["#1001", "#1002", "#1003", "#1004", "#1005"]);
  });

  it("builds Shopify's REST order shape with consistent totals", () => {
    const [o] = orderFactory(setup().store, SHOP, 1).createMany(1);
    expect(o.admin_graphql_api_id).toBe(`gid://shopify/Order/${o.id}`);
    expect(o.created_at).toBe("2026-03-02T10:04:05-05:00"); // shop time zone, like Shopify's REST payloads
    expect(o.currency).toBe("USD");
    expect(o.line_items.length).toBeGreaterThanOrEqual(1);
    const subtotal = o.line_items.reduce((s, l) => s + Math.round(Number(l.price) * 100) * l.quantity, 0);
    expect(o.subtotal_price).toBe((subtotal / 100).toFixed(2));
    expect(Number(o.total_price)).toBeCloseTo(subtotal / 100 + Number((o.shipping_lines as { price: string }[])[0].price), 2);
    expect(o.shipping_address).toMatchObject({ country_code: "US", latitude: expect.any(Number), longitude: expect.any(Number) });
    for (const l of o.line_items) {
      expect(l.admin_graphql_api_id).toBe(`gid://shopify/LineItem/${l.id}`);
      expect(typeof l.variant_id).toBe("bigint");
    }
  });

  it("spreads destinations over US regions and keeps quantities mostly small", () => {
    const orders = orderFactory(setup().store, SHOP, 11).createMany(200);
    const west = orders.filter((o) => o.shipping_address!.longitude! < -104).length;
    const east = orders.filter((o) => o.shipping_address!.longitude! > -85).length;
    expect(west).toBeGreaterThan(20);
    expect(east).toBeGreaterThan(20);
    const quantities = orders.flatMap((o) => o.line_items.map((l) => l.quantity));
    expect(quantities.filter((q) => q <= 2).length / quantities.length).toBeGreaterThan(0.8);
    expect(Math.max(...orders.map((o) => o.line_items.length))).toBeLessThanOrEqual(4);
  });

  it("update and cancel bump updated_at and return the webhook payloads", () => {
    const { store, advance } = setup();
    const [o] = orderFactory(store, SHOP, 1).createMany(1);
    advance(60_000);
    const updated = updateOrder(store, SHOP, o.id, { note: "leave at door" });
    expect(updated.note).toBe("leave at door");
    expect(updated.updated_at).toBe(formatInZone(new Date("2026-03-02T15:05:05Z"), "America/New_York"));
    advance(60_000);
    const cancelled = cancelOrder(store, SHOP, o.id, "inventory");
    expect(cancelled).toMatchObject({ cancel_reason: "inventory", financial_status: "refunded", cancelled_at: "2026-03-02T10:06:05-05:00" });
    expect(store.shop(SHOP).orders.get(o.id)!.updatedAt).toBe("2026-03-02T15:06:05Z");
  });
});
