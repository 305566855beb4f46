import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { levelOf, moveReserved } from "~/.server/db/fulfillment-sql";
import { database } from "~/.server/db/database";
import { checkStockConsistency } from "~/.server/use-cases/check-stock-consistency";
import { cancelFulfillment, fulfillOrder, refundOrder } from "../../sandbox/shopify/order-events";
import { cancelOrder, touch } from "../../sandbox/shopify/order-factory";
import { channelOrder, ingestOn } from "../support/catalog";
import { queryRow, queryRows } from "../support/db-query";
import { orderState, rows, startShopFixture, type ShopFixture, type Site } from "../support/shop-with-sandbox";

// A line whose item changes (same line id, another SKU/variant) is a removal plus an addition: the old
// item's reservation goes back, the new item is reserved, and a later cancel gives back exactly what the
// order holds. The demo's stand-in Shopify replayed order and line ids with other content after a restart,
// which is how this was found. Ledger and levels never drift: every level change has its ledger row.

const SHOP = "variant-change.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

/** The level as its ledger tells it: the sums of the on_hand and reserved deltas. */
async function ledgerLevel(variantId: string, site: Site) {
  const sums = await queryRows<{ bucket: string; total: number }>(
    `SELECT "bucket", SUM("delta") AS "total" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? GROUP BY "bucket"`,
    f.shopId, variantId, f.site(site).id,
  );
  return { onHand: sums.find((s) => s.bucket === "on_hand")?.total ?? 0, reserved: sums.find((s) => s.bucket === "reserved")?.total ?? 0 };
}

async function expectLedgerMatches(variantId: string, site: Site) {
  expect(await ledgerLevel(variantId, site)).toEqual(await f.level(variantId, site));
}

describe("a line whose variant changes", () => {
  it("(Shopify, same quantity) releases the old variant, reserves the new one, and a cancel gives back only what the order holds", async () => {
    const oldItem = await f.skuWithStock({ newark: 2 });
    const newItem = await f.skuWithStock({ newark: 2 });
    const bystander = await f.placeOrder([{ sku: newItem.sku, quantity: 1 }]);
    const order = await f.placeOrder([{ sku: oldItem.sku, quantity: 1 }]);
    expect(await f.level(oldItem.variantId, "newark")).toEqual({ onHand: 2, reserved: 1 });

    // The same order and line ids arrive with other content (as the restarted stand-in sent them).
    const shop = f.sandbox.store.shop(SHOP);
    const stored = shop.orders.get(order.id)!;
    const variant = f.sandbox.store.variantBySku(shop, newItem.sku)!;
    Object.assign(stored.payload.line_items[0], { sku: newItem.sku, variant_id: variant.id, title: `Item ${newItem.sku}` });
    touch(f.sandbox.store, shop, stored);
    await f.deliver("orders/updated", stored.payload);

    expect(await f.level(oldItem.variantId, "newark")).toEqual({ onHand: 2, reserved: 0 });
    expect(await f.level(newItem.variantId, "newark")).toEqual({ onHand: 2, reserved: 2 });
    expect((await orderState(f, order.id)).allocations).toEqual([[newItem.sku, "reserved", "newark", 1]]);

    await f.deliver("orders/cancelled", cancelOrder(f.sandbox.store, SHOP, order.id));
    expect(await f.level(oldItem.variantId, "newark")).toEqual({ onHand: 2, reserved: 0 });
    // The bystander keeps its unit: the cancel released the order's own reservation, not someone else's.
    expect(await f.level(newItem.variantId, "newark")).toEqual({ onHand: 2, reserved: 1 });
    expect((await orderState(f, bystander.id)).allocations).toEqual([[newItem.sku, "reserved", "newark", 1]]);
    await expectLedgerMatches(oldItem.variantId, "newark");
    await expectLedgerMatches(newItem.variantId, "newark");
  });

  it("(any channel, quantity changed too) re-routes with the old variant's stock given back, not the new one's", async () => {
    const oldItem = await f.skuWithStock({ newark: 3 });
    const newItem = await f.skuWithStock({ newark: 3, dallas: 1 });
    const first = channelOrder([{ sku: oldItem.sku, quantity: 2 }], { externalId: "manual-variant-1", city: "newark" });
    await ingestOn(SHOP, "manual", first);
    const edited = { ...first, updatedAt: new Date(Date.parse(first.updatedAt) + 60_000).toISOString(), lines: [{ ...first.lines[0], sku: newItem.sku, title: newItem.sku, quantity: 3 }] };
    expect((await ingestOn(SHOP, "manual", edited)).kind).toBe("updated");

    expect(await f.level(oldItem.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });
    expect(await f.level(newItem.variantId, "newark")).toEqual({ onHand: 3, reserved: 3 });
    const lines = await queryRows<{ sku: string; quantity: number }>(`SELECT l."sku", l."quantity" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" WHERE o."shopId" = ? AND o."externalId" = ?`, f.shopId, "manual-variant-1");
    expect(lines).toEqual([{ sku: newItem.sku, quantity: 3 }]);

    const cancelled = { ...edited, updatedAt: new Date(Date.parse(edited.updatedAt) + 60_000).toISOString(), cancelledAt: new Date().toISOString() };
    expect((await ingestOn(SHOP, "manual", cancelled)).kind).toBe("cancelled");
    expect(await f.level(oldItem.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });
    expect(await f.level(newItem.variantId, "newark")).toEqual({ onHand: 3, reserved: 0 });
    for (const item of [oldItem, newItem]) for (const site of ["newark", "dallas"] as const) await expectLedgerMatches(item.variantId, site);
  });

  it("a line that disappears from the channel's order is removed: its reservation goes back", async () => {
    const kept = await f.skuWithStock({ newark: 2 });
    const dropped = await f.skuWithStock({ newark: 2 });
    const first = channelOrder([{ sku: kept.sku, quantity: 1 }, { sku: dropped.sku, quantity: 2 }], { externalId: "manual-drop-1", city: "newark" });
    await ingestOn(SHOP, "manual", first);
    expect(await f.level(dropped.variantId, "newark")).toEqual({ onHand: 2, reserved: 2 });
    await ingestOn(SHOP, "manual", { ...first, updatedAt: new Date(Date.parse(first.updatedAt) + 60_000).toISOString(), lines: [first.lines[0]] });

    expect(await f.level(dropped.variantId, "newark")).toEqual({ onHand: 2, reserved: 0 });
    expect(await f.level(kept.variantId, "newark")).toEqual({ onHand: 2, reserved: 1 });
    const order = await queryRow<{ id: string }>(`SELECT "id" FROM "Order" WHERE "shopId" = ? AND "externalId" = ?`, f.shopId, "manual-drop-1");
    const open = await queryRows<{ sku: string; status: string; quantity: number }>(
      `SELECT l."sku", a."status", a."quantity" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered')`,
      f.shopId, order!.id,
    );
    expect(open).toEqual(rows({ sku: kept.sku, status: "reserved", quantity: 1 }));
    await expectLedgerMatches(dropped.variantId, "newark");
  });
});

describe("the reserved bucket and its ledger", () => {
  it("releasing more than is reserved is refused (unexpected_state) and changes neither the level nor the ledger", async () => {
    const item = await f.skuWithStock({ reno: 5 });
    await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    expect(await f.level(item.variantId, "reno")).toEqual({ onHand: 5, reserved: 1 });
    const before = await ledgerLevel(item.variantId, "reno");

    const release = database().transaction((tx) => moveReserved(tx, f.shopId, item.variantId, f.site("reno").id, -3, "released", "test:over-release"));
    await expect(release).rejects.toMatchObject({ type: "unexpected_state", code: "INVENTORY.RESERVED_BELOW_ZERO" });
    expect(await levelOf(database(), f.shopId, item.variantId, f.site("reno").id)).toMatchObject({ onHand: 5, reserved: 1 });
    expect(await ledgerLevel(item.variantId, "reno")).toEqual(before);
    expect(await queryRow(`SELECT 1 AS "found" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "idempotencyKey" = ?`, f.shopId, "test:over-release")).toBeUndefined();
  });

  it("a fulfillment cancelled after a return reserves again only the units still shipped, never more than its allocation holds", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 3 }]);
    const shipped = fulfillOrder(f.sandbox.store, SHOP, order.id);
    await f.deliver("fulfillments/create", shipped);
    await f.deliver("refunds/create", refundOrder(f.sandbox.store, SHOP, order.id, [{ lineItemId: order.line_items[0].id, quantity: 1, restockType: "return" }]));
    await f.deliver("fulfillments/update", cancelFulfillment(f.sandbox.store, SHOP, shipped.id));

    expect(await orderState(f, order.id)).toMatchObject({ allocations: rows([item.sku, "reserved", "newark", 2], [item.sku, "returned", "newark", 1]) });
    expect((await f.level(item.variantId, "newark")).reserved).toBe(2);
    expect(await checkStockConsistency(f.shopId)).toEqual([]);
  });

  it("a fulfillment cancelled on a cancelled order puts its units back on hand, reserved for nobody", async () => {
    const item = await f.skuWithStock({ dallas: 4 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    const shipped = fulfillOrder(f.sandbox.store, SHOP, order.id);
    await f.deliver("fulfillments/create", shipped);
    await f.deliver("orders/cancelled", cancelOrder(f.sandbox.store, SHOP, order.id));
    await f.deliver("fulfillments/update", cancelFulfillment(f.sandbox.store, SHOP, shipped.id));

    expect(await f.level(item.variantId, "dallas")).toEqual({ onHand: 4, reserved: 0 });
    expect((await orderState(f, order.id)).allocations.filter(([, status]) => status === "reserved" || status === "backordered")).toEqual([]);
    expect(await checkStockConsistency(f.shopId)).toEqual([]);
  });
});
