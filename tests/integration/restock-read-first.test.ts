import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStockConsistency } from "~/.server/use-cases/check-stock-consistency";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { JOB } from "~/.server/jobs/queue";
import { pushOnHand } from "~/.server/use-cases/push-on-hand";
import { receiveStock } from "~/.server/use-cases/receive-stock";
import { syncInventoryLevel } from "~/.server/use-cases/sync-inventory-level";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { cancelFulfillment, fulfillOrder, inventoryLevelPayload, refundOrder } from "../../sandbox/shopify/order-events";
import { queryRows } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture, type Site } from "../support/shop-with-sandbox";

// Shopify puts units back on hand the moment a fulfillment is cancelled or a refund restocks returned units, and a
// reading of its level can come before the webhook that says why: its inventory_levels/update, or a write-back of
// ours refused because the figure moved. That reading is applied at once, as an arrival. The restock reported later
// must claim those units, not add them a second time (ADR 0008): otherwise our on hand stays above Shopify's until
// the recheck, the surplus is offered for sale, and every write-back of the level waits on it.
// Write-backs are driven by the tests here (the worker's push job is a no-op), so a push runs exactly when a test
// says, between the moment Shopify changed and the moment its webhook is processed.

const SHOP = "restock-read-first.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP, { jobs: ALL_JOBS.map((j) => (j.name === JOB.pushOnHand ? { ...j, async perform() {} } : j)) });
});
afterAll(() => f.close());

async function levels(item: { inventoryItemId: bigint; variantId: string }, site: Site) {
  const ours = await f.level(item.variantId, site);
  const shopify = f.sandbox.store.level(f.sandbox.store.shop(SHOP), item.inventoryItemId, f.site(site).shopifyId)!.quantities.on_hand;
  return { ours: ours.onHand, reserved: ours.reserved, shopify };
}
const readLevel = (item: { inventoryItemId: bigint }, site: Site) =>
  syncInventoryLevel(SHOP, toExactJson(inventoryLevelPayload(f.sandbox.store, SHOP, item.inventoryItemId, f.site(site).shopifyId)));
const receive = (item: { variantId: string }, site: Site, quantity: number, key: string) =>
  receiveStock(f.shopId, { variantId: item.variantId, locationId: f.site(site).id, quantity, reason: "received", idempotencyKey: key });
const push = (item: { variantId: string }, site: Site) => pushOnHand(f.shopId, item.variantId, f.site(site).id);
const audits = (action: string, variantId: string) =>
  queryRows<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = ? AND "subjectId" = ?`, f.shopId, action, variantId);

describe("a restock read from Shopify before its webhook is counted once", () => {
  it("a cancelled fulfillment seen by a refused write-back: the cancellation claims the units, and the next write-back goes through", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const shipped = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, shipped.id);
    await f.deliver("fulfillments/create", shipment);
    await f.placeOrder([{ sku: item.sku, quantity: 1 }]); // an open order: a decrease it could explain would wait

    await receive(item, "newark", 2, "restock-rf:1");
    const cancelled = cancelFulfillment(f.sandbox.store, SHOP, shipment.id); // Shopify: 4 → 5, before its webhook
    // The write-back (from 4) is refused, Shopify's 5 read and taken in as an arrival, and the receipt sent from it.
    expect(await push(item, "newark")).toMatchObject({ sent: 1, refused: 1 });
    expect(await levels(item, "newark")).toMatchObject({ ours: 7, shopify: 7 });

    await f.deliver("fulfillments/update", cancelled);
    expect(await levels(item, "newark")).toEqual({ ours: 7, reserved: 2, shopify: 7 });
    expect(await audits("inventory.increase_explained", item.variantId)).toEqual([{ n: 1 }]);
    expect((await orderState(f, shipped.id)).allocations).toEqual([[item.sku, "reserved", "newark", 1]]);

    await receive(item, "newark", 1, "restock-rf:2");
    expect(await push(item, "newark")).toMatchObject({ sent: 1, refused: 0 });
    expect(await levels(item, "newark")).toMatchObject({ ours: 8, shopify: 8 });
    expect(await checkStockConsistency(f.shopId)).toEqual([]);
  });

  it("a cancelled fulfillment whose level update is processed first", async () => {
    const item = await f.skuWithStock({ dallas: 3 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site("dallas").shopifyId });
    await f.deliver("fulfillments/create", shipment);
    expect(await levels(item, "dallas")).toEqual({ ours: 1, reserved: 0, shopify: 1 });

    const cancelled = cancelFulfillment(f.sandbox.store, SHOP, shipment.id);
    expect(await readLevel(item, "dallas")).toMatchObject({ outcome: "arrival", delta: 2 });
    await f.deliver("fulfillments/update", cancelled);
    expect(await levels(item, "dallas")).toEqual({ ours: 3, reserved: 2, shopify: 3 });
    expect((await orderState(f, order.id)).status).toBe("routed");
    expect(await readLevel(item, "dallas")).toMatchObject({ outcome: "unchanged" });
  });

  it("a refund's returned units read first, whether refunds/create or the order's update brings the refund", async () => {
    for (const via of ["refunds/create", "orders/updated"] as const) {
      const item = await f.skuWithStock({ reno: 4 });
      const order = await f.placeOrder([{ sku: item.sku, quantity: 3 }]);
      await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site("reno").shopifyId }));
      expect(await levels(item, "reno")).toEqual({ ours: 1, reserved: 0, shopify: 1 });

      const lineItemId = order.line_items[0].id;
      const refund = refundOrder(f.sandbox.store, SHOP, order.id, [{ lineItemId, quantity: 2, restockType: "return" }]);
      expect(await readLevel(item, "reno")).toMatchObject({ outcome: "arrival", delta: 2 });
      if (via === "refunds/create") await f.deliver(via, refund);
      else await f.deliver(via, f.sandbox.store.shop(SHOP).orders.get(order.id)!.payload);
      expect(await levels(item, "reno"), via).toEqual({ ours: 3, reserved: 0, shopify: 3 });
      expect(await checkStockConsistency(f.shopId)).toEqual([]);
    }
  });

  it("units an arrival already gave to a backorder: the cancelled shipment's reservation comes back without taking the level past its on hand", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const shipped = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, shipped.id);
    await f.deliver("fulfillments/create", shipment);
    const waiting = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    expect((await orderState(f, waiting.id)).status).toBe("backordered");

    const cancelled = cancelFulfillment(f.sandbox.store, SHOP, shipment.id);
    expect(await readLevel(item, "newark")).toMatchObject({ outcome: "arrival", delta: 1 });
    expect((await orderState(f, waiting.id)).allocations).toEqual([[item.sku, "reserved", "newark", 1]]);

    await f.deliver("fulfillments/update", cancelled);
    const level = await levels(item, "newark");
    expect(level).toEqual({ ours: 1, reserved: 1, shopify: 1 });
    // One order holds the unit, the other waits for the next: never two reservations on one unit.
    const states = [await orderState(f, shipped.id), await orderState(f, waiting.id)].map((s) => s.allocations.map((a) => a[1]).join());
    expect(states.sort()).toEqual(["backordered", "reserved"]);
    expect(await checkStockConsistency(f.shopId)).toEqual([]);
  });

  it("a claim that was wrong (the arrival was a receipt made in Shopify) is put right by the reading that follows the cancellation", async () => {
    const item = await f.skuWithStock({ reno: 2 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const shipment = fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site("reno").shopifyId });
    await f.deliver("fulfillments/create", shipment);

    // Someone receives 3 units in Shopify's admin; we read it (an arrival of 3, unexplained for now).
    f.sandbox.store.adjustOnHand(f.sandbox.store.shop(SHOP), item.inventoryItemId, f.site("reno").shopifyId, 3);
    expect(await readLevel(item, "reno")).toMatchObject({ outcome: "arrival", delta: 3 });
    // Then the shipment is cancelled, and its webhook comes before the level update for it.
    const cancelled = cancelFulfillment(f.sandbox.store, SHOP, shipment.id);
    await f.deliver("fulfillments/update", cancelled);
    // The cancellation claimed 1 unit of the receipt; the reading right after it found Shopify 1 higher and took it in.
    expect(await levels(item, "reno")).toEqual({ ours: 5, reserved: 1, shopify: 5 });
    expect(await checkStockConsistency(f.shopId)).toEqual([]);
  });
});
