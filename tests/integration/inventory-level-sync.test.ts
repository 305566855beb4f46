import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { ingestChannelOrder } from "~/.server/use-cases/ingest-channel-order";
import { syncInventoryLevel } from "~/.server/use-cases/sync-inventory-level";
import { seedDemoShop } from "../../prisma/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { channelOrder } from "../support/catalog";

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
  await db().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: sandbox.issueAccessToken(SHOP), scope: "read_inventory", expires: new Date(Date.now() + 86_400_000) } });
});
afterAll(async () => {
  unroute();
  await sandbox.close();
});

function levelPayload(itemGid: string, locationGid: string, updatedAt: string) {
  return `{"inventory_item_id":${legacy(itemGid)},"location_id":${legacy(locationGid)},"available":null,"updated_at":"${updatedAt}","admin_graphql_api_id":"gid://shopify/InventoryLevel/${legacy(locationGid)}?inventory_item_id=${legacy(itemGid)}"}`;
}

describe("syncInventoryLevel", () => {
  it("an increase of on hand in Shopify is a stock arrival that fills the oldest backorder", async () => {
    const variant = seed.products.flatMap((p) => p.variants).find((v) => Object.values(v.stock).every((q) => q === 0) || Object.keys(v.stock).length === 0)
      ?? seed.products[0].variants[0];
    const location = seed.locations[0];
    const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const ours = await db().variant.findFirstOrThrow({ where: { shopId: shop.id, sku: variant.sku } });
    const available = await db().inventoryLevel.aggregate({ where: { variantId: ours.id }, _sum: { onHand: true, reserved: true } });
    const demand = (available._sum.onHand ?? 0) - (available._sum.reserved ?? 0) + 2;
    const first = await ingestChannelOrder(SHOP, "manual", channelOrder([{ sku: variant.sku, quantity: demand }], { externalId: "big-1", placedAt: "2026-11-01T00:00:00Z" }));
    expect((await db().order.findUniqueOrThrow({ where: { id: first.orderId } })).status).toBe("backordered");

    // Receive 5 units in Shopify at the first location.
    const state = sandbox.store.shop(SHOP);
    const level = sandbox.store.level(state, BigInt(legacy(variant.inventoryItemId)), BigInt(legacy(location.id)));
    const onHandBefore = level?.quantities.on_hand ?? 0;
    sandbox.store.stock(state, BigInt(legacy(variant.inventoryItemId)), BigInt(legacy(location.id)), onHandBefore + 5);
    const ourLocation = await db().location.findFirstOrThrow({ where: { shopId: shop.id, externalId: legacy(location.id) } });
    const ourBefore = (await db().inventoryLevel.findFirst({ where: { variantId: ours.id, locationId: ourLocation.id } }))?.onHand ?? 0;

    const raw = levelPayload(variant.inventoryItemId, location.id, "2026-11-22T10:00:00Z");
    const result = await syncInventoryLevel(SHOP, raw);
    expect(result).toEqual({ outcome: "arrival", delta: onHandBefore + 5 - ourBefore });
    expect((await db().inventoryLevel.findFirstOrThrow({ where: { variantId: ours.id, locationId: ourLocation.id } })).onHand).toBe(onHandBefore + 5);
    expect((await db().order.findUniqueOrThrow({ where: { id: first.orderId } })).status).toBe("reserved");

    // The same webhook again (or a later one with nothing new) changes nothing.
    expect(await syncInventoryLevel(SHOP, raw)).toEqual({ outcome: "unchanged", delta: 0 });
  });

  it("a decrease nothing explains is applied (on hand goes down), not only recorded", async () => {
    const variant = seed.products[1].variants[0];
    const location = Object.keys(variant.stock)[0];
    const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const ours = await db().variant.findFirstOrThrow({ where: { shopId: shop.id, sku: variant.sku } });
    const ourLocation = await db().location.findFirstOrThrow({ where: { shopId: shop.id, externalId: legacy(location) } });
    const before = (await db().inventoryLevel.findFirstOrThrow({ where: { variantId: ours.id, locationId: ourLocation.id } })).onHand;
    expect(before).toBeGreaterThan(0);
    const state = sandbox.store.shop(SHOP);
    sandbox.store.stock(state, BigInt(legacy(variant.inventoryItemId)), BigInt(legacy(location)), 0);
    const result = await syncInventoryLevel(SHOP, levelPayload(variant.inventoryItemId, location, "2026-11-22T11:00:00Z"));
    expect(result).toEqual({ outcome: "decrease", delta: -before, deferred: 0 });
    expect((await db().inventoryLevel.findFirstOrThrow({ where: { variantId: ours.id, locationId: ourLocation.id } })).onHand).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "inventory.external_decrease", subjectId: ours.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "inventory.drift_detected" } })).toBe(0);
  });

  it("ignores items or locations it does not mirror, and rejects a malformed payload", async () => {
    expect(await syncInventoryLevel(SHOP, levelPayload("gid://shopify/InventoryItem/1", "gid://shopify/Location/2", "2026-11-22T12:00:00Z"))).toEqual({ outcome: "unknown", delta: 0 });
    await expect(syncInventoryLevel(SHOP, '{"inventory_item_id":1}')).rejects.toThrow(/admin_graphql_api_id/);
  });
});
