import { describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { toExactJson } from "./exact-json";
import { cancelFulfillment, editOrder, fulfillOrder, inventoryLevelPayload, refundOrder } from "./order-events";
import { orderFactory } from "./order-factory";
import { SandboxStore } from "./store";

const SHOP = "demo-oms.myshopify.com";

function setup() {
  const store = new SandboxStore({ now: () => new Date("2026-03-02T15:04:05Z") });
  const shop = store.addShop(demoShopSeed(SHOP));
  const variant = shop.variants[0];
  const newark = shop.locations[0].id;
  store.stock(shop, variant.inventoryItemId, newark, 10);
  const order = orderFactory(store, SHOP, 1).create({ lines: [{ sku: variant.sku, quantity: 3 }] });
  const level = () => ({ ...store.level(shop, variant.inventoryItemId, newark)!.quantities });
  return { store, shop, variant, newark, order, level, line: order.line_items[0].id };
}

describe("order events in the stand-in store", () => {
  it("a fulfillment ships from its FO's location (on hand and committed down) and a cancellation puts it back", () => {
    const { store, order, level, line, newark } = setup();
    expect(level()).toMatchObject({ on_hand: 10, committed: 3, available: 7 });
    const shipment = fulfillOrder(store, SHOP, order.id, { lines: [{ lineItemId: line, quantity: 2 }] });
    expect(shipment).toMatchObject({ status: "success", location_id: newark, order_id: order.id, admin_graphql_api_id: `gid://shopify/Fulfillment/${shipment.id}` });
    expect(shipment.line_items.map((l) => [l.id, l.quantity])).toEqual([[line, 2]]);
    expect(level()).toMatchObject({ on_hand: 8, committed: 1, available: 7 });
    expect(store.shop(SHOP).orders.get(order.id)!.payload.fulfillment_status).toBe("partial");
    expect(toExactJson(shipment)).toContain(`"order_id":${order.id}`); // 64-bit ids stay exact on the wire

    const cancelled = cancelFulfillment(store, SHOP, shipment.id);
    expect(cancelled.status).toBe("cancelled");
    expect(level()).toMatchObject({ on_hand: 10, committed: 3, available: 7 });
    expect(inventoryLevelPayload(store, SHOP, setup().variant.inventoryItemId, newark)).toMatchObject({ available: 7 });
  });

  it("refunds: cancel un-commits unshipped units, return restocks shipped ones; both leave current_quantity", () => {
    const { store, order, level, line, newark } = setup();
    fulfillOrder(store, SHOP, order.id, { lines: [{ lineItemId: line, quantity: 1 }] });
    const refund = refundOrder(store, SHOP, order.id, [
      { lineItemId: line, quantity: 1, restockType: "cancel" },
      { lineItemId: line, quantity: 1, restockType: "return" },
    ]);
    expect(refund.refund_line_items.map((r) => [r.restock_type, r.location_id])).toEqual([["cancel", newark], ["return", newark]]);
    expect(level()).toMatchObject({ on_hand: 10, committed: 1, available: 9 });
    expect(store.shop(SHOP).orders.get(order.id)!.payload.line_items[0].current_quantity).toBe(1);
    expect(store.shop(SHOP).orders.get(order.id)!.payload.refunds).toHaveLength(1);
  });

  it("an edit adds lines and removes units, committing and un-committing, and names them in order_edit", () => {
    const { store, shop, order, level, line } = setup();
    const other = shop.variants[1];
    const edit = editOrder(store, SHOP, order.id, { setQuantity: [{ lineItemId: line, quantity: 1 }], add: [{ sku: other.sku, quantity: 2 }] });
    expect(edit.order_edit.order_id).toBe(order.id);
    expect(edit.order_edit.line_items.removals).toEqual([{ id: line, delta: 2 }]);
    expect(edit.order_edit.line_items.additions).toHaveLength(1);
    expect(level()).toMatchObject({ committed: 1 });
    const p = store.shop(SHOP).orders.get(order.id)!.payload;
    expect(p.line_items.map((l) => [l.sku, l.current_quantity])).toEqual([[shop.variants[0].sku, 1], [other.sku, 2]]);
  });
});
