import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editOrder, fulfillOrder } from "../../sandbox/shopify/order-events";
import { queryRow, queryRows } from "../support/db-query";
import { orderState, rows, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// orders/edited carries the edit, not the order: the app reads the order again from (stand-in) Shopify's
// Admin GraphQL — current quantities — and ingests it, so removals give stock back and additions reserve.

const SHOP = "edit-test.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

describe("orders/edited", () => {
  it("a removal and an addition end with the right reservations, and the freed unit goes to the oldest backorder", async () => {
    const kept = await f.skuWithStock({ newark: 3 });
    const added = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: kept.sku, quantity: 3 }] });
    await f.deliver("orders/create", order);
    const waiting = f.sandbox.orders(SHOP).create({ lines: [{ sku: kept.sku, quantity: 1 }] });
    await f.deliver("orders/create", waiting);
    expect((await orderState(f, waiting.id)).status).toBe("backordered");

    const edit = editOrder(f.sandbox.store, SHOP, order.id, { setQuantity: [{ lineItemId: order.line_items[0].id, quantity: 2 }], add: [{ sku: added.sku, quantity: 2 }] });
    expect(edit.order_edit.line_items.removals).toEqual([{ id: order.line_items[0].id, delta: 1 }]);
    await f.deliver("orders/edited", edit, { eventId: "edit-1" });
    await f.deliver("orders/edited", edit, { eventId: "edit-1-again" }); // re-reads the same order: nothing changes

    const after = await orderState(f, order.id);
    expect(after.lines).toEqual(expect.arrayContaining([[kept.sku, 2], [added.sku, 2]]));
    expect(after.allocations).toEqual(rows([added.sku, "reserved", "newark", 2], [kept.sku, "reserved", "newark", 2]));
    expect(await f.level(kept.variantId, "newark")).toEqual({ onHand: 3, reserved: 3 });
    expect(await f.level(added.variantId, "newark")).toEqual({ onHand: 5, reserved: 2 });
    expect(await orderState(f, waiting.id)).toMatchObject({ allocations: [[kept.sku, "reserved", "newark", 1]] });
    const inbox = await queryRows<{ status: string }>(`SELECT "status" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "topic" = 'orders/edited'`, SHOP);
    expect(inbox.map((r) => r.status)).toEqual(["processed", "processed"]);
  });

  it("an addition to a partially shipped order reserves the new units and leaves what shipped alone", async () => {
    const first = await f.skuWithStock({ newark: 4 });
    const extra = await f.skuWithStock({ newark: 4 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: first.sku, quantity: 2 }] });
    await f.deliver("orders/create", order);
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { lines: [{ lineItemId: order.line_items[0].id, quantity: 1 }] }));
    expect((await orderState(f, order.id)).status).toBe("partially_shipped");

    await f.deliver("orders/edited", editOrder(f.sandbox.store, SHOP, order.id, { add: [{ sku: extra.sku, quantity: 1 }] }));
    const after = await orderState(f, order.id);
    expect(after.status).toBe("partially_shipped");
    expect(after.allocations).toEqual(rows([extra.sku, "reserved", "newark", 1], [first.sku, "fulfilled", "newark", 1], [first.sku, "reserved", "newark", 1]));
    expect(await f.level(first.variantId, "newark")).toEqual({ onHand: 3, reserved: 1 });
    expect(await f.level(extra.variantId, "newark")).toEqual({ onHand: 4, reserved: 1 });
  });

  it("a payload that is not an order edit fails terminally, naming what is missing", async () => {
    await f.deliver("orders/edited", { id: 1, line_items: [] }, { eventId: "not-an-edit" });
    const row = await queryRow<{ status: string; error: string | null }>(`SELECT "status","error" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, SHOP, "not-an-edit");
    expect(row?.status).toBe("failed");
    expect(row?.error).toMatch(/order_edit/);
  });
});
