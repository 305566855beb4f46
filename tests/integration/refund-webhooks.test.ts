import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fulfillOrder, refundOrder } from "../../sandbox/shopify/order-events";
import { queryRows } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// refunds/create through the real path: cancelled units give their reservation back to the oldest
// backorder, returned units are restocked where they come back, no_restock moves no stock; each refund
// line once, however often it arrives and whichever of refund and order update comes first.

const SHOP = "refund-test.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

const refundLines = (refundId: bigint) =>
  queryRows(`SELECT "restockType","quantity","effect" FROM "RefundLine" WHERE "shopId" = ? AND "refundExternalId" = ? ORDER BY "refundLineExternalId"`, f.shopId, String(refundId));

describe("refunds/create", () => {
  it("cancel: the line shrinks, its reservation is released and the freed unit fills the oldest backorder — once", async () => {
    const item = await f.skuWithStock({ newark: 2 });
    const a = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    const older = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const newer = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    expect([(await orderState(f, older.id)).status, (await orderState(f, newer.id)).status]).toEqual(["backordered", "backordered"]);

    const refund = refundOrder(f.sandbox.store, SHOP, a.id, [{ lineItemId: a.line_items[0].id, quantity: 1, restockType: "cancel" }]);
    await f.deliver("refunds/create", refund, { eventId: "refund-a" });
    await f.deliver("refunds/create", refund, { eventId: "refund-a-again" });
    // Shopify's orders/updated for the refund (current_quantity 1) arrives after: no second release.
    await f.deliver("orders/updated", f.sandbox.store.shop(SHOP).orders.get(a.id)!.payload);

    expect(await orderState(f, a.id)).toMatchObject({ lines: [[item.sku, 1]], allocations: [[item.sku, "reserved", "newark", 1]] });
    expect(await orderState(f, older.id)).toMatchObject({ allocations: [[item.sku, "reserved", "newark", 1]] });
    expect((await orderState(f, older.id)).status).not.toBe("backordered");
    expect((await orderState(f, newer.id)).status).toBe("backordered");
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 2, reserved: 2 });
    expect(await refundLines(refund.id)).toEqual([{ restockType: "cancel", quantity: 1, effect: "released" }]);
  });

  it("cancel after the order update that already shows it: released once, not twice", async () => {
    const item = await f.skuWithStock({ newark: 3 });
    const a = await f.placeOrder([{ sku: item.sku, quantity: 3 }]);
    const refund = refundOrder(f.sandbox.store, SHOP, a.id, [{ lineItemId: a.line_items[0].id, quantity: 2, restockType: "cancel" }]);
    await f.deliver("orders/updated", f.sandbox.store.shop(SHOP).orders.get(a.id)!.payload); // current_quantity 1, first
    await f.deliver("refunds/create", refund);
    expect(await orderState(f, a.id)).toMatchObject({ lines: [[item.sku, 1]], allocations: [[item.sku, "reserved", "newark", 1]] });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 1 });
    expect(await refundLines(refund.id)).toEqual([{ restockType: "cancel", quantity: 2, effect: "already_reflected" }]);
  });

  it("return: shipped units are restocked at the refund's location and go to the oldest backorder; the order is returned", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const a = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, a.id));
    const waiting = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 0, reserved: 0 });
    expect((await orderState(f, waiting.id)).status).toBe("backordered");

    const refund = refundOrder(f.sandbox.store, SHOP, a.id, [{ lineItemId: a.line_items[0].id, quantity: 1, restockType: "return", locationId: f.site("newark").shopifyId }]);
    await f.deliver("refunds/create", refund);
    await f.deliver("refunds/create", refund);

    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 1, reserved: 1 });
    expect(await orderState(f, a.id)).toMatchObject({ status: "returned", allocations: [[item.sku, "returned", "newark", 1]] });
    expect(await orderState(f, waiting.id)).toMatchObject({ allocations: [[item.sku, "reserved", "newark", 1]] });
    expect(await refundLines(refund.id)).toEqual([{ restockType: "return", quantity: 1, effect: "restocked" }]);
  });

  it("no_restock changes nothing in stock", async () => {
    const item = await f.skuWithStock({ newark: 2 });
    const a = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, a.id));
    const refund = refundOrder(f.sandbox.store, SHOP, a.id, [{ lineItemId: a.line_items[0].id, quantity: 1, restockType: "no_restock" }]);
    await f.deliver("refunds/create", refund);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 1, reserved: 0 });
    expect(await orderState(f, a.id)).toMatchObject({ status: "shipped", allocations: [[item.sku, "fulfilled", "newark", 1]] });
    expect(await refundLines(refund.id)).toEqual([{ restockType: "no_restock", quantity: 1, effect: "none" }]);
  });
});
