import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recheckInventoryLevels } from "~/.server/use-cases/recheck-inventory-levels";
import { syncInventoryLevel } from "~/.server/use-cases/sync-inventory-level";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { fulfillOrder, inventoryLevelPayload } from "../../sandbox/shopify/order-events";
import { channelOrder, ingestOn } from "../support/catalog";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Shopify's on hand going down: a shipment we already consumed agrees with us; a loss nothing explains is
// applied and the newest reservations that no longer fit move elsewhere or wait; a decrease that an open
// Shopify order's fulfillment (not processed yet) could explain waits for it, then the recheck settles it.

const SHOP = "decrease-test.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

const levelUpdate = (itemId: bigint) => toExactJson(inventoryLevelPayload(f.sandbox.store, SHOP, itemId, f.site("newark").shopifyId));
const setShopifyOnHand = (itemId: bigint, onHand: number) =>
  f.sandbox.store.adjustOnHand(f.sandbox.store.shop(SHOP), itemId, f.site("newark").shopifyId, onHand - f.sandbox.store.level(f.sandbox.store.shop(SHOP), itemId, f.site("newark").shopifyId)!.quantities.on_hand);
const shopifyOnHand = (itemId: bigint) => f.sandbox.store.level(f.sandbox.store.shop(SHOP), itemId, f.site("newark").shopifyId)!.quantities.on_hand;
const recheckAfter = async (variantId: string) => (await queryRow<{ recheckAfter: string | null }>(`SELECT "recheckAfter" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, f.shopId, variantId, f.site("newark").id))!.recheckAfter;

describe("inventory_levels/update decreases", () => {
  it("a loss nothing explains is applied; the newest order's reservation that no longer fits is re-routed", async () => {
    const item = await f.skuWithStock({ newark: 4, dallas: 1 });
    // Wholesale-style orders (not Shopify's: no Shopify fulfillment can explain a decrease for them).
    const older = await ingestOn(SHOP, "manual", channelOrder([{ sku: item.sku, quantity: 2 }], { placedAt: "2026-11-01T00:00:00Z", city: "newark" }));
    const newer = await ingestOn(SHOP, "manual", channelOrder([{ sku: item.sku, quantity: 2 }], { placedAt: "2026-11-02T00:00:00Z", city: "newark" }));
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 4, reserved: 4 });

    setShopifyOnHand(item.inventoryItemId, 2); // two units damaged, counted in Shopify
    expect(await syncInventoryLevel(SHOP, levelUpdate(item.inventoryItemId))).toEqual({ outcome: "decrease", delta: -2, deferred: 0 });

    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 2, reserved: 2 });
    const alloc = (orderId: string) =>
      queryRows(
        `SELECT a."status" AS "status", a."locationId" AS "locationId", a."quantity" AS "quantity" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
         WHERE a."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered') ORDER BY a."quantity"`,
        f.shopId, orderId,
      );
    expect(await alloc(older.orderId)).toEqual([{ status: "reserved", locationId: f.site("newark").id, quantity: 2 }]);
    // The newer order gave way: one unit from Dallas, one waiting.
    expect(await alloc(newer.orderId)).toEqual(expect.arrayContaining([{ status: "reserved", locationId: f.site("dallas").id, quantity: 1 }, { status: "backordered", locationId: null, quantity: 1 }]));
    expect((await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, f.shopId, newer.orderId))?.status).toBe("backordered");
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'order.rerouted_for_shortfall' AND "subjectId" = ?`, f.shopId, newer.orderId)).toBe(1);
  });

  it("a decrease an unprocessed fulfillment could explain waits for it: with the fulfillment it settles to no change", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 2 }] });
    await f.deliver("orders/create", order);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);

    // Shopify's level update is processed before the fulfillment webhook.
    expect(await syncInventoryLevel(SHOP, levelUpdate(item.inventoryItemId))).toEqual({ outcome: "deferred", delta: 0, deferred: 2 });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 5, reserved: 2 });
    expect(await recheckAfter(item.variantId)).not.toBeNull();

    await f.deliver("fulfillments/create", shipment);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });
    await recheckInventoryLevels({ now: new Date(Date.now() + 3_600_000) }); // the sweep, after the settle time
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });
    expect(await recheckAfter(item.variantId)).toBeNull();
    expect((await orderState(f, order.id)).status).toBe("shipped");
  });

  it("…and without one, the recheck applies it after the settle time", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 1 }] });
    await f.deliver("orders/create", order);
    setShopifyOnHand(item.inventoryItemId, 4); // a unit lost, while a Shopify order is open for the item

    expect(await syncInventoryLevel(SHOP, levelUpdate(item.inventoryItemId))).toEqual({ outcome: "deferred", delta: 0, deferred: 1 });
    await recheckInventoryLevels({ now: new Date() }); // not yet due: nothing happens
    expect((await f.level(item.variantId, "newark")).onHand).toBe(5);

    await recheckInventoryLevels({ now: new Date(Date.now() + 3_600_000) });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 4, reserved: 1 });
    expect(await recheckAfter(item.variantId)).toBeNull();
  });

  it("a shipment's level update applied before its fulfillment webhook (late, after the recheck): the fulfillment claims it, nothing counted twice", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 2 }] });
    await f.deliver("orders/create", order);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    expect(await syncInventoryLevel(SHOP, levelUpdate(item.inventoryItemId))).toMatchObject({ outcome: "deferred", deferred: 2 });
    // fulfillments/create is still being retried by Shopify when the settle time passes: the recheck applies the decrease.
    await recheckInventoryLevels({ now: new Date(Date.now() + 3_600_000) });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 2 });

    await f.deliver("fulfillments/create", shipment);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 }); // not 1
    expect(shopifyOnHand(item.inventoryItemId)).toBe(3);
    expect((await orderState(f, order.id)).status).toBe("shipped");
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'inventory.decrease_explained' AND "subjectId" = ?`, f.shopId, item.variantId)).toBe(1);
    await f.deliver("fulfillments/create", shipment); // redelivered: applied once
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });
  });

  it("a shipment's level update read before its order arrived: applied at once, then neither the order nor its fulfillment takes the units again", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 2 }] });
    const created = structuredClone(order); // the orders/create payload, as Shopify sent it before the shipment
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    expect(await syncInventoryLevel(SHOP, levelUpdate(item.inventoryItemId))).toMatchObject({ outcome: "decrease", delta: -2 });
    await f.deliver("orders/create", created);
    await f.deliver("fulfillments/create", shipment);
    expect((await f.level(item.variantId, "newark")).onHand).toBe(3);
    expect(shopifyOnHand(item.inventoryItemId)).toBe(3);
  });

  it("a real loss, then a shipment within the window: the claim is wrong, and the reading right after the fulfillment puts it right", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    setShopifyOnHand(item.inventoryItemId, 3); // two units damaged, counted in Shopify; no order open
    expect(await syncInventoryLevel(SHOP, levelUpdate(item.inventoryItemId))).toMatchObject({ outcome: "decrease", delta: -2 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 2 }] });
    await f.deliver("orders/create", order);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    await f.deliver("fulfillments/create", shipment); // before the shipment's level update
    expect(shopifyOnHand(item.inventoryItemId)).toBe(1);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 1, reserved: 0 });
    expect(await syncInventoryLevel(SHOP, levelUpdate(item.inventoryItemId))).toEqual({ outcome: "unchanged", delta: 0 });
  });
});
