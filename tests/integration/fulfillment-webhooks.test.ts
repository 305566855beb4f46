import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncInventoryLevel } from "~/.server/use-cases/sync-inventory-level";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { cancelFulfillment, fulfillOrder, inventoryLevelPayload } from "../../sandbox/shopify/order-events";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// fulfillments/create and fulfillments/update through the real path: what ships consumes its reservation
// (reserved and on hand both go down) exactly once, a cancelled fulfillment gives it back, and Shopify's
// inventory_levels/update that follows agrees with us.

const SHOP = "fulfill-test.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

const ledgerFor = (fulfillmentId: bigint) =>
  queryRows(`SELECT "bucket", SUM("delta") AS "delta", COUNT(*) AS "rows" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "refType" = 'fulfillment' AND "refId" = ? GROUP BY "bucket" ORDER BY "bucket"`, f.shopId, String(fulfillmentId));
const inbox = (eventId: string) => queryRow<{ status: string; error: string | null; payload: string | null }>(`SELECT "status","error","payload" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, SHOP, eventId);

describe("fulfillments/create", () => {
  it("consumes the reservation once, even delivered three times; the level update that follows is no drift", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 5, reserved: 2 });
    expect((await orderState(f, order.id)).status).toBe("routed");

    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    await f.deliver("fulfillments/create", shipment, { eventId: "ful-1" });
    await f.deliver("fulfillments/create", shipment, { eventId: "ful-1" }); // duplicate delivery
    await f.deliver("fulfillments/create", shipment, { eventId: "ful-1-again" }); // same fulfillment, new event

    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });
    expect(await orderState(f, order.id)).toMatchObject({ status: "shipped", allocations: [[item.sku, "fulfilled", "newark", 2]] });
    expect(await ledgerFor(shipment.id)).toEqual([{ bucket: "on_hand", delta: -2, rows: 1 }, { bucket: "reserved", delta: -2, rows: 1 }]);

    // Shopify's own level update (on hand 5 → 3) now matches ours: nothing to apply, nothing flagged.
    const levelUpdate = inventoryLevelPayload(f.sandbox.store, SHOP, item.inventoryItemId, f.site("newark").shopifyId);
    expect(await syncInventoryLevel(SHOP, toExactJson(levelUpdate))).toEqual({ outcome: "unchanged", delta: 0 });
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" IN ('inventory.drift_detected','inventory.external_decrease','inventory.decrease_deferred') AND "subjectId" = ?`, f.shopId, item.variantId)).toBe(0);
  });

  it("a partial fulfillment splits the allocation (partially_shipped); fulfillments/update after create consumes nothing more", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 3 }]);
    const line = order.line_items[0].id;

    const first = fulfillOrder(f.sandbox.store, SHOP, order.id, { lines: [{ lineItemId: line, quantity: 1 }] });
    await f.deliver("fulfillments/create", first);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 4, reserved: 2 });
    expect(await orderState(f, order.id)).toMatchObject({ status: "partially_shipped", allocations: [[item.sku, "fulfilled", "newark", 1], [item.sku, "reserved", "newark", 2]] });

    // A tracking update: fulfillments/update with the same lines.
    await f.deliver("fulfillments/update", { ...first, shipment_status: "in_transit", tracking_number: "1Z-NEW" });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 4, reserved: 2 });

    const rest = fulfillOrder(f.sandbox.store, SHOP, order.id);
    await f.deliver("fulfillments/create", rest);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 2, reserved: 0 });
    expect(await orderState(f, order.id)).toMatchObject({ status: "shipped", allocations: [[item.sku, "fulfilled", "newark", 1], [item.sku, "fulfilled", "newark", 2]] });
  });

  it("units shipped from another location than reserved: on hand goes down there, the reservation is freed for the oldest backorder", async () => {
    const item = await f.skuWithStock({ newark: 1, reno: 1 });
    const first = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const second = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const waiting = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    expect((await orderState(f, waiting.id)).status).toBe("backordered");
    const reservedAt = (await orderState(f, first.id)).allocations[0][2];
    const other = reservedAt === "newark" ? "reno" : "newark";
    const otherSecond = (await orderState(f, second.id)).allocations[0][2];
    expect(otherSecond).toBe(other);

    // The merchant ships the first order from the other site (which held the second order's unit).
    const shipment = { ...fulfillOrder(f.sandbox.store, SHOP, first.id, { locationId: f.site(reservedAt as "newark").shopifyId }), location_id: f.site(other).shopifyId };
    await f.deliver("fulfillments/create", shipment);
    expect((await f.level(item.variantId, other)).onHand).toBe(0);
    expect(await f.level(item.variantId, reservedAt as "newark")).toEqual({ onHand: 1, reserved: 1 });
    expect((await orderState(f, first.id)).allocations).toEqual([[item.sku, "fulfilled", other, 1]]);
    // The second order lost its unit at `other` and took the freed one; nobody holds more than there is.
    expect((await orderState(f, second.id)).allocations).toEqual([[item.sku, "reserved", reservedAt, 1]]);
    expect((await orderState(f, waiting.id)).status).toBe("backordered");
    expect(await f.level(item.variantId, other)).toEqual({ onHand: 0, reserved: 0 });
  });
});

describe("fulfillments/update", () => {
  it("a cancelled fulfillment gives its units back once (reservation and on hand), and the order waits again", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    await f.deliver("fulfillments/create", shipment);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });

    const cancelled = cancelFulfillment(f.sandbox.store, SHOP, shipment.id);
    expect(cancelled.status).toBe("cancelled");
    await f.deliver("fulfillments/update", cancelled, { eventId: "cancel-1" });
    await f.deliver("fulfillments/update", cancelled, { eventId: "cancel-2" });
    await f.deliver("fulfillments/create", shipment, { eventId: "late-create" }); // a late redelivery of the create changes nothing

    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 5, reserved: 2 });
    expect(await orderState(f, order.id)).toMatchObject({ status: "routed", allocations: [[item.sku, "reserved", "newark", 2]] });
    const levelUpdate = inventoryLevelPayload(f.sandbox.store, SHOP, item.inventoryItemId, f.site("newark").shopifyId);
    expect(await syncInventoryLevel(SHOP, toExactJson(levelUpdate))).toEqual({ outcome: "unchanged", delta: 0 });
  });

  it("a cancellation that overtakes its create leaves a tombstone: the create then consumes nothing", async () => {
    const item = await f.skuWithStock({ newark: 4 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    const cancelled = cancelFulfillment(f.sandbox.store, SHOP, shipment.id);
    await f.deliver("fulfillments/update", cancelled);
    await f.deliver("fulfillments/create", shipment);
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 4, reserved: 1 });
    expect((await orderState(f, order.id)).status).toBe("routed");
  });

  it("a fulfillment that overtakes its order fails for a retry, loses nothing, and is applied once the order is in", async () => {
    const item = await f.skuWithStock({ newark: 3 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 1 }] });
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    await f.deliver("fulfillments/create", shipment, { eventId: "early", wait: false });
    await expect.poll(async () => (await inbox("early"))?.status).toBe("failed");
    expect((await inbox("early"))?.error).toMatch(/not known/);

    await f.deliver("orders/create", order); // the retry (1 s later) finds it
    expect((await inbox("early"))?.status).toBe("processed");
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 2, reserved: 0 });
    expect((await orderState(f, order.id)).status).toBe("shipped");
  });

  it("a malformed payload fails terminally, naming the field, and stays in the inbox", async () => {
    await f.deliver("fulfillments/create", { id: 2, status: "shipped-ish", line_items: [] }, { eventId: "bad" });
    const bad = await inbox("bad");
    expect(bad).toMatchObject({ status: "failed", payload: expect.stringContaining("shipped-ish") });
    expect(bad?.error).toMatch(/status/);
    expect((await f.queue.failed()).some((j) => j.error.includes("status") && j.attempts === 1)).toBe(true);
  });
});
