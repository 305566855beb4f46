import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { resetEnvForTests } from "~/.server/env";
import { listChannels, type ChannelRow } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { connectAmazon } from "~/.server/use-cases/connect-amazon";
import { getDashboard } from "~/.server/use-cases/get-dashboard";
import { pushAmazonStock } from "~/.server/use-cases/push-amazon-stock";
import { readSkuStock } from "~/.server/use-cases/read-channel-stock";
import { reconcileChannelStock } from "~/.server/use-cases/reconcile-channel-stock";
import { markChannelStock, pushShopifyStock } from "~/.server/use-cases/sync-channel-stock";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { SANDBOX_LWA_DEFAULTS, startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { channelOrder, ingestOn } from "../support/catalog";
import { execute, queryRow, queryRows } from "../support/db-query";

// ADR 0013: a scheduled job reads back what each channel shows, compares it with what the app set there, and
// repairs drift; Shopify's safety_stock hold is the app's alone (any difference is repaired), Amazon lowers a
// listing on its own orders (a lower figure is watched first, repaired once it stands). Through both stand-ins.

const SHOP = "channel-reconciliation.myshopify.com";
const SELLER = "A2RECONCILE01";
const seed = demoShopSeed(SHOP);
setQueue(new InProcessQueue()); // enqueued jobs never run here: the tests drive sync and reconciliation themselves

let shopify: ShopifySandbox;
let amazon: AmazonSandbox;
let unroute: () => void;
let shopId: string;
let amazonChannel: ChannelRow;
let shopifyChannel: ChannelRow;
const legacy = (gid: string) => gid.split("/").pop()!;
const minutesLater = (m: number) => new Date(Date.now() + m * 60_000);

beforeAll(async () => {
  shopify = await startShopifySandbox({ port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:1", shops: [seed] });
  unroute = routeShopTrafficTo(shopify.url);
  // getListingsItem faster than Amazon's 5/s, so looking up ~50 product types does not take the test 10 s.
  amazon = await startAmazonSandbox({ sellerId: SELLER, rateLimits: { getListingsItem: { rate: 100, burst: 100 } }, listings: seed.products.flatMap((p) => p.variants.map((v) => ({ sku: v.sku, productType: "LUGGAGE", quantity: 0 }))) });
  Object.assign(process.env, { AMAZON_LWA_CLIENT_ID: SANDBOX_LWA_DEFAULTS.clientId, AMAZON_LWA_CLIENT_SECRET: SANDBOX_LWA_DEFAULTS.clientSecret, AMAZON_SP_API_ENDPOINT: amazon.url, AMAZON_LWA_ENDPOINT: `${amazon.url}/auth/o2/token` });
  resetEnvForTests();
  shopId = (await seedDemoShop(seed)).shopId;
  await execute(`INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires") VALUES (?,?,'',?,?,?,?)`, `offline_${SHOP}`, SHOP, false, shopify.issueAccessToken(SHOP), "read_inventory,write_inventory", new Date(Date.now() + 86_400_000));
  const channels = await listChannels(database(), shopId);
  amazonChannel = channels.find((c) => c.kind === "amazon")!;
  shopifyChannel = channels.find((c) => c.kind === "shopify")!;
});
afterAll(async () => {
  unroute();
  await shopify.close();
  await amazon.close();
});

/** A SKU stocked at one location only, with Shopify's quantities there. */
function stockedAtOne(index: number) {
  const variant = seed.products.flatMap((p) => p.variants).filter((v) => Object.keys(v.stock).length === 1 && Object.values(v.stock)[0] >= 4)[index];
  const level = () => shopify.store.level(shopify.store.shop(SHOP), BigInt(legacy(variant.inventoryItemId)), BigInt(legacy(Object.keys(variant.stock)[0])))!.quantities;
  return { sku: variant.sku, level };
}

const atsOn = async (sku: string, channelId: string) => (await readSkuStock(shopId, sku)).channels.find((c) => c.id === channelId)!.ats;
const drift = (channelId: string) => queryRows<{ expected: number; shown: number; action: string }>(`SELECT "expected","shown","action" FROM "ChannelDrift" WHERE "shopId" = ? AND "channelId" = ? ORDER BY "observedAt"`, shopId, channelId);

async function syncAll(now?: () => Date) {
  await markChannelStock(shopId);
  await pushShopifyStock(shopId);
  for (let i = 0; i < 200; i++) {
    const outcome = await pushAmazonStock(shopId, amazonChannel.id, { now });
    if (outcome.feedsInFlight === 0 && outcome.waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("Amazon push did not settle");
}

describe("channel reconciliation", () => {
  it("finds nothing to repair when every channel shows what the app set", async () => {
    await connectAmazon(shopId, amazonChannel.id, { sellerId: SELLER, marketplaceId: "ATVPDKIKX0DER", refreshToken: String(SANDBOX_LWA_DEFAULTS.refreshToken) });
    const s = stockedAtOne(0);
    await ingestOn(SHOP, "manual", channelOrder([{ sku: s.sku, quantity: 2 }])); // held in Shopify's safety_stock
    await syncAll();
    expect(s.level().safety_stock).toBe(2);
    const results = await reconcileChannelStock(shopId, { now: minutesLater(20) });
    expect(results.map((r) => [r.kind, r.repaired, r.watching])).toEqual([["amazon", 0, 0], ["shopify", 0, 0]]);
    expect(results.every((r) => r.checked > 0)).toBe(true);
  });

  it("Shopify: a hold changed in Shopify's admin is found, adopted and put back", async () => {
    const s = stockedAtOne(0);
    const q = s.level();
    q.available += 2; // the merchant releases our hold by hand
    q.safety_stock = 0;
    const [, shopifyResult] = await reconcileChannelStock(shopId, { now: minutesLater(20) });
    expect(shopifyResult).toMatchObject({ kind: "shopify", repaired: 1 });
    expect(await drift(shopifyChannel.id)).toEqual([{ expected: 2, shown: 0, action: "repaired" }]);
    await syncAll();
    expect(s.level().safety_stock).toBe(2);
    expect(s.level().available).toBe(q.on_hand - q.committed - 2);
  });

  it("Amazon: a figure higher than the app set is repaired at once", async () => {
    const sku = stockedAtOne(1).sku;
    const ats = await atsOn(sku, amazonChannel.id);
    expect(amazon.visibleQuantity(sku)).toBe(ats);
    amazon.store.acceptQuantity(sku, ats + 5, "listings-patch", "someone in Seller Central");
    const [amazonResult] = await reconcileChannelStock(shopId, { now: minutesLater(20) });
    expect(amazonResult).toMatchObject({ kind: "amazon", repaired: 1 });
    await syncAll();
    expect(amazon.visibleQuantity(sku)).toBe(ats);
  });

  it("Amazon: a lower figure (its own sale on its way) is watched, and repaired only once it stands", async () => {
    const sku = stockedAtOne(2).sku;
    const ats = await atsOn(sku, amazonChannel.id);
    amazon.createOrder({ items: [{ sku, quantity: 1 }] }); // Amazon lowers the listing at once; the order never reaches the app
    expect(amazon.visibleQuantity(sku)).toBe(ats - 1);
    const [first] = await reconcileChannelStock(shopId, { now: minutesLater(20) });
    expect(first).toMatchObject({ repaired: 0, watching: 1 });
    expect(amazon.visibleQuantity(sku)).toBe(ats - 1);
    const [second] = await reconcileChannelStock(shopId, { now: minutesLater(55) });
    expect(second).toMatchObject({ repaired: 1 });
    await syncAll(() => minutesLater(55));
    expect(amazon.visibleQuantity(sku)).toBe(ats);
  });

  it("the dashboard's sync-health card shows lag, waiting and failing SKUs with reasons, and drift repaired", async () => {
    const { channelSync } = await getDashboard({ id: shopId, domain: SHOP, name: "Demo" });
    const byKind = Object.fromEntries(channelSync.map((c) => [c.kind, c]));
    expect(byKind.shopify).toMatchObject({ connected: true, driftRepaired24h: 1, failing: 0 });
    expect(byKind.shopify.pushes24h).toBeGreaterThan(0);
    expect(byKind.shopify.lagP95Ms).not.toBeNull();
    expect(byKind.amazon).toMatchObject({ connected: true, driftRepaired24h: 2 });
    expect(byKind.amazon.lagP50Ms).not.toBeNull();
    expect(byKind.amazon.lastCheckedAt).not.toBeNull();
    const unlisted = await queryRow<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ? AND "lastError" IS NOT NULL AND "dirtyAt" IS NOT NULL`, shopId, amazonChannel.id);
    expect(byKind.amazon.errors.length).toBe(Math.min(5, Number(unlisted!.n)));
  });
});
