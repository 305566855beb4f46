import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { syncInventoryLevel } from "~/.server/use-cases/sync-inventory-level";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { channelOrder, ingestOn } from "../support/catalog";
import { execute, queryNumber, queryRow } from "../support/db-query";

// inventory_levels/update → Shopify's physical on_hand → an external increase fills the oldest backorders;
// a decrease nothing explains is applied.

const SHOP = "level-sync.myshopify.com";
const seed = demoShopSeed(SHOP);
let sandbox: ShopifySandbox;
let unroute: () => void;
setQueue(new InProcessQueue());

const legacy = (gid: string) => gid.split("/").pop()!;

beforeAll(async () => {
  sandbox = await startShopifySandbox({ port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:1", shops: [seed] });
  unroute = routeShopTrafficTo(sandbox.url);
  await seedDemoShop(seed);
  await execute(`INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires") VALUES (?,?,'',?,?,?,?)`, `offline_${SHOP}`, SHOP, false, sandbox.issueAccessToken(SHOP), "read_inventory", new Date(Date.now() + 86_400_000));
});
afterAll(async () => {
  unroute();
  await sandbox.close();
});

const shopId = async () => (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, SHOP))!.id;
const variantIdOf = async (shop: string, sku: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shop, sku))!.id;
const locationIdOf = async (shop: string, externalId: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND "externalId" = ?`, shop, externalId))!.id;
const onHandOf = async (shop: string, variantId: string, locationId: string) =>
  (await queryRow<{ onHand: number }>(`SELECT "onHand" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shop, variantId, locationId))?.onHand;
const orderStatus = async (shop: string, orderId: string) => (await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shop, orderId))?.status;

function levelPayload(itemGid: string, locationGid: string, updatedAt: string) {
  return `{"inventory_item_id":${legacy(itemGid)},"location_id":${legacy(locationGid)},"available":null,"updated_at":"${updatedAt}","admin_graphql_api_id":"gid://shopify/InventoryLevel/${legacy(locationGid)}?inventory_item_id=${legacy(itemGid)}"}`;
}

describe("syncInventoryLevel", () => {
  it("an increase of on hand in Shopify is a stock arrival that fills the oldest backorder", async () => {
    const variant = seed.products.flatMap((p) => p.variants).find((v) => Object.values(v.stock).every((q) => q === 0) || Object.keys(v.stock).length === 0)
      ?? seed.products[0].variants[0];
    const location = seed.locations[0];
    const shop = await shopId();
    const ours = await variantIdOf(shop, variant.sku);
    const demand = (await queryNumber(`SELECT COALESCE(SUM("onHand"), 0) - COALESCE(SUM("reserved"), 0) AS "free" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ?`, shop, ours)) + 2;
    const first = await ingestOn(SHOP, "manual", channelOrder([{ sku: variant.sku, quantity: demand }], { externalId: "big-1", placedAt: "2026-11-01T00:00:00Z" }));
    expect(await orderStatus(shop, first.orderId)).toBe("backordered");

    // Receive 5 units in Shopify at the first location.
    const state = sandbox.store.shop(SHOP);
    const level = sandbox.store.level(state, BigInt(legacy(variant.inventoryItemId)), BigInt(legacy(location.id)));
    const onHandBefore = level?.quantities.on_hand ?? 0;
    sandbox.store.stock(state, BigInt(legacy(variant.inventoryItemId)), BigInt(legacy(location.id)), onHandBefore + 5);
    const ourLocation = await locationIdOf(shop, legacy(location.id));
    const ourBefore = (await onHandOf(shop, ours, ourLocation)) ?? 0;

    const raw = levelPayload(variant.inventoryItemId, location.id, "2026-11-22T10:00:00Z");
    const result = await syncInventoryLevel(SHOP, raw);
    expect(result).toEqual({ outcome: "arrival", delta: onHandBefore + 5 - ourBefore });
    expect(await onHandOf(shop, ours, ourLocation)).toBe(onHandBefore + 5);
    expect(await orderStatus(shop, first.orderId)).toBe("reserved");

    // The same webhook again (or a later one with nothing new) changes nothing.
    expect(await syncInventoryLevel(SHOP, raw)).toEqual({ outcome: "unchanged", delta: 0 });
  });

  it("a decrease nothing explains is applied (on hand goes down), not only recorded", async () => {
    const variant = seed.products[1].variants[0];
    const location = Object.keys(variant.stock)[0];
    const shop = await shopId();
    const ours = await variantIdOf(shop, variant.sku);
    const ourLocation = await locationIdOf(shop, legacy(location));
    const before = (await onHandOf(shop, ours, ourLocation))!;
    expect(before).toBeGreaterThan(0);
    const state = sandbox.store.shop(SHOP);
    sandbox.store.stock(state, BigInt(legacy(variant.inventoryItemId)), BigInt(legacy(location)), 0);
    const result = await syncInventoryLevel(SHOP, levelPayload(variant.inventoryItemId, location, "2026-11-22T11:00:00Z"));
    expect(result).toEqual({ outcome: "decrease", delta: -before, deferred: 0 });
    expect(await onHandOf(shop, ours, ourLocation)).toBe(0);
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'inventory.external_decrease' AND "subjectId" = ?`, shop, ours)).toBe(1);
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'inventory.drift_detected'`, shop)).toBe(0);
  });

  it("ignores items or locations it does not mirror, and rejects a malformed payload", async () => {
    expect(await syncInventoryLevel(SHOP, levelPayload("gid://shopify/InventoryItem/1", "gid://shopify/Location/2", "2026-11-22T12:00:00Z"))).toEqual({ outcome: "unknown", delta: 0 });
    await expect(syncInventoryLevel(SHOP, '{"inventory_item_id":1}')).rejects.toThrow(/admin_graphql_api_id/);
  });
});
