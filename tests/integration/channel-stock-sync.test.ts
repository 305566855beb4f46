import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { adminGraphqlWithCost } from "~/.server/shopify/admin-graphql";
import { INVENTORY_HOLD_MUTATION, type InventoryHoldResult, type InventoryHoldVariables } from "~/.server/shopify/graphql/inventory-hold-mutation";
import { setChannelBuffer } from "~/.server/use-cases/read-channel-stock";
import { markChannelStock, pushShopifyStock } from "~/.server/use-cases/sync-channel-stock";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { channelOrder, ingestOn } from "../support/catalog";
import { execute, queryRow, queryRows } from "../support/db-query";

// ADR 0010: the Shopify channel's figure per SKU is held in Shopify's safety_stock (on hand untouched), sent from
// durable dirty marks the ledger produces, by compare-and-set on the state the app owns, with an idempotency key.
// Everything goes through the Shopify stand-in over HTTP.

const SHOP = "channel-stock-sync.myshopify.com";
const seed = demoShopSeed(SHOP);
const idle = new InProcessQueue(); // enqueued sync jobs never run here: the tests drive mark and push themselves
setQueue(idle);
let sandbox: ShopifySandbox;
let unroute: () => void;
let shopId: string;
let shopifyChannelId: string;

const legacy = (gid: string) => gid.split("/").pop()!;
const realSend = (shop: string, variables: InventoryHoldVariables) => adminGraphqlWithCost<InventoryHoldResult>(shop, INVENTORY_HOLD_MUTATION, variables as unknown as Record<string, unknown>);

beforeAll(async () => {
  sandbox = await startShopifySandbox({ port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:1", shops: [seed] });
  unroute = routeShopTrafficTo(sandbox.url);
  await seedDemoShop(seed);
  await execute(`INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires") VALUES (?,?,'',?,?,?,?)`, `offline_${SHOP}`, SHOP, false, sandbox.issueAccessToken(SHOP), "read_inventory,write_inventory", new Date(Date.now() + 86_400_000));
  shopId = (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, SHOP))!.id;
  shopifyChannelId = (await queryRow<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'shopify'`, shopId))!.id;
});
afterAll(async () => {
  await idle.close();
  unroute();
  await sandbox.close();
});

/** A SKU stocked at one location only (so where an order reserves is known), with its figures on both sides. */
async function sku(index: number) {
  const variant = seed.products.flatMap((p) => p.variants).filter((v) => Object.keys(v.stock).length === 1 && Object.values(v.stock)[0] >= 3)[index];
  const locationGid = Object.keys(variant.stock)[0];
  const item = BigInt(legacy(variant.inventoryItemId));
  const location = BigInt(legacy(locationGid));
  const variantId = (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopId, variant.sku))!.id;
  return {
    sku: variant.sku, variantId,
    shopify: () => ({ ...sandbox.store.level(sandbox.store.shop(SHOP), item, location)!.quantities }),
    ours: async () => (await queryRow<{ onHand: number; reserved: number; safety: number; held: number }>(`SELECT SUM("onHand") AS "onHand", SUM("reserved") AS "reserved", SUM("safety") AS "safety", SUM("heldInShopify") AS "held" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ?`, shopId, variantId))!,
    mark: () => queryRow<{ dirtyAt: string | null; pushedQuantity: number | null }>(`SELECT "dirtyAt","pushedQuantity" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ?`, shopId, shopifyChannelId, variantId),
    editSafetyInShopify: (units: number) => {
      const q = sandbox.store.level(sandbox.store.shop(SHOP), item, location)!.quantities;
      q.available -= units - q.safety_stock;
      q.safety_stock = units;
    },
  };
}

async function sync(send = realSend) {
  await markChannelStock(shopId);
  return pushShopifyStock(shopId, { send });
}

describe("the Shopify channel's figures, held in Shopify's safety_stock", () => {
  it("an order from another channel is held in Shopify at once, on hand untouched, and the lag recorded", async () => {
    const s = await sku(0);
    const before = s.shopify();
    await ingestOn(SHOP, "manual", channelOrder([{ sku: s.sku, quantity: 2 }]));
    expect(await s.mark()).toBeUndefined(); // marks come from the ledger, not from the order's transaction
    const outcome = await sync();
    expect(outcome.calls).toBeGreaterThanOrEqual(1);
    expect(s.shopify()).toMatchObject({ on_hand: before.on_hand, safety_stock: 2, available: before.available - 2 });
    expect(await s.ours()).toMatchObject({ reserved: 2, held: 2 });
    expect(await s.mark()).toMatchObject({ dirtyAt: null, pushedQuantity: before.on_hand - 2 });
    const lags = await queryRows<{ lagMs: number }>(`SELECT "lagMs" FROM "ChannelPush" WHERE "shopId" = ? AND "variantId" = ?`, shopId, s.variantId);
    expect(lags.length).toBe(1);
    expect(lags[0].lagMs).toBeGreaterThanOrEqual(0);
    // Nothing changed since: a second sync sends nothing.
    expect(await sync()).toMatchObject({ calls: 0, changes: 0 });
  });

  it("holds the channel's buffer too, and lets it go when the buffer goes", async () => {
    const s = await sku(1);
    const start = s.shopify();
    await setChannelBuffer(shopId, shopifyChannelId, { sku: s.sku, buffer: { kind: "units", units: 3 } });
    await sync();
    expect(s.shopify()).toMatchObject({ on_hand: start.on_hand, safety_stock: start.safety_stock + 3, available: start.available - 3 });
    await setChannelBuffer(shopId, shopifyChannelId, { sku: s.sku, buffer: null });
    await sync();
    expect(s.shopify()).toMatchObject({ on_hand: start.on_hand, safety_stock: start.safety_stock, available: start.available });
  });

  it("a safety stock changed in Shopify meanwhile is refused as stale, read, and the hold corrected from it", async () => {
    const s = await sku(2);
    await ingestOn(SHOP, "manual", channelOrder([{ sku: s.sku, quantity: 1 }]));
    s.editSafetyInShopify(5); // the merchant set aside 5 in Shopify's admin before our first hold
    const outcome = await sync();
    expect(outcome.stale).toBe(1);
    // Our hold is the whole safety_stock state: it comes back to what Shopify should hold (1), from Shopify's 5.
    expect(s.shopify()).toMatchObject({ safety_stock: 1 });
    expect(await s.ours()).toMatchObject({ held: 1 });
  });

  it("a reply lost after Shopify applied the moves: the retry carries the same key and applies nothing twice", async () => {
    const s = await sku(0); // holds 2 already (the first test)
    const before = s.shopify();
    await ingestOn(SHOP, "manual", channelOrder([{ sku: s.sku, quantity: 2 }]));
    const keys: string[] = [];
    const lossy = async (shop: string, variables: InventoryHoldVariables) => {
      keys.push(variables.idempotencyKey);
      await realSend(shop, variables);
      throw new Error("socket hang up");
    };
    await expect(sync(lossy)).rejects.toThrow("socket hang up");
    expect(s.shopify().safety_stock).toBe(before.safety_stock + 2); // Shopify applied it; we did not hear
    await execute(`UPDATE "ChannelStock" SET "nextAttemptAt" = NULL WHERE "shopId" = ?`, shopId); // the job's retry, now
    const retried: string[] = [];
    await sync(async (shop, variables) => (retried.push(variables.idempotencyKey), realSend(shop, variables)));
    expect(retried[0]).toBe(keys[0]);
    expect(s.shopify()).toMatchObject({ on_hand: before.on_hand, safety_stock: before.safety_stock + 2, available: before.available - 2 });
    expect(await s.mark()).toMatchObject({ dirtyAt: null });
  });

  it("a reply lost after Shopify released a hold, and the figure back where it was before the retry: the hold is read, not assumed", async () => {
    const s = await sku(1); // its buffer is gone again (the second test): Shopify holds nothing for it
    const order = channelOrder([{ sku: s.sku, quantity: 2 }]);
    await ingestOn(SHOP, "manual", order);
    await sync();
    const held = s.shopify();
    expect(await s.ours()).toMatchObject({ held: held.safety_stock });
    // The order is cancelled: the hold is released in Shopify, and the reply lost.
    await ingestOn(SHOP, "manual", { ...order, cancelledAt: order.placedAt, updatedAt: new Date(Date.parse(order.updatedAt) + 1000).toISOString() });
    await expect(sync(async (shop, variables) => (await realSend(shop, variables), Promise.reject(new Error("socket hang up"))))).rejects.toThrow("socket hang up");
    expect(s.shopify().safety_stock).toBe(held.safety_stock - 2);
    // Another channel's order takes the same 2 before the retry: the figure to hold is the one recorded before.
    await ingestOn(SHOP, "manual", channelOrder([{ sku: s.sku, quantity: 2 }]));
    await execute(`UPDATE "ChannelStock" SET "nextAttemptAt" = NULL WHERE "shopId" = ?`, shopId);
    await sync();
    // Without reading Shopify back the SKU would be settled with nothing sent, Shopify showing 2 more than ATS.
    expect(s.shopify()).toMatchObject({ on_hand: held.on_hand, safety_stock: held.safety_stock, available: held.available });
    expect(await s.ours()).toMatchObject({ held: held.safety_stock });
    expect(await s.mark()).toMatchObject({ dirtyAt: null });
  });

  it("never sends more than 250 changes in one call", async () => {
    await setChannelBuffer(shopId, shopifyChannelId, { buffer: { kind: "units", units: 1_000 } }); // hold everything everywhere
    const sizes: number[] = [];
    await sync(async (shop, variables) => (sizes.push(variables.input.changes.length), realSend(shop, variables)));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(250);
    const shown = await queryRows<{ n: number }>(`SELECT "id" AS "n" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ? AND "dirtyAt" IS NOT NULL`, shopId, shopifyChannelId);
    expect(shown).toEqual([]);
    // Shopify now shows nothing to buyers anywhere, and its on hand is as it was.
    for (const level of sandbox.store.shop(SHOP).levels.values()) {
      expect(level.quantities.available).toBeLessThanOrEqual(0);
      expect(level.quantities.on_hand).toBe(level.quantities.available + level.quantities.committed + level.quantities.safety_stock);
    }
    await setChannelBuffer(shopId, shopifyChannelId, { buffer: { kind: "units", units: 0 } });
    await sync();
  });
});
