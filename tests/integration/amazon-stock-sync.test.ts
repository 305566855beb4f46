import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { resetEnvForTests } from "~/.server/env";
import { AppError } from "~/.server/errors";
import { connectAmazon, disconnectAmazon } from "~/.server/use-cases/connect-amazon";
import { pushAmazonStock } from "~/.server/use-cases/push-amazon-stock";
import { readInventoryPage, readSkuStock, setChannelBuffer } from "~/.server/use-cases/read-channel-stock";
import { markChannelStock } from "~/.server/use-cases/sync-channel-stock";
import { findShopById, listChannels, type ChannelRow } from "~/.server/db/shops";
import { database } from "~/.server/db/database";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { SANDBOX_LWA_DEFAULTS, startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server";
import { channelOrder, ingestOn } from "../support/catalog";
import { queryRow, queryRows } from "../support/db-query";

// ADR 0011: the Amazon channel's available to sell set as each listing's seller-fulfilled quantity, through the
// Amazon stand-in over HTTP: a first full push as one JSON_LISTINGS_FEED settled by its processing report, a few
// SKUs as Listings Items PATCHes, 429s waited out, 5xx retried without losing the figure, per-SKU errors kept.

const SHOP = "amazon-stock-sync.myshopify.com";
const SELLER = "A2SELLERTEST9";
const MARKETPLACE = "ATVPDKIKX0DER";
const seed = demoShopSeed(SHOP);
setQueue(new InProcessQueue()); // enqueued jobs never run here: the tests drive mark and push themselves

let amazon: AmazonSandbox;
let shopId: string;
let channel: ChannelRow;
/** Catalogue SKUs listed on Amazon; the last catalogue SKU is deliberately not listed. */
let listed: string[];
let unlisted: string;

const connection = { sellerId: SELLER, marketplaceId: MARKETPLACE, refreshToken: SANDBOX_LWA_DEFAULTS.refreshToken };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const skus = seed.products.flatMap((p) => p.variants.map((v) => v.sku));
  listed = skus.slice(0, -1);
  unlisted = skus[skus.length - 1];
  amazon = await startAmazonSandbox({
    sellerId: SELLER,
    feedProcessing: { inQueueMs: 50, inProgressMs: 50 },
    autoAdvanceMs: 20,
    listings: listed.map((sku, i) => ({ sku, productType: i % 2 === 0 ? "LUGGAGE" : "SHOES", quantity: 0 })),
  });
  process.env.AMAZON_LWA_CLIENT_ID = SANDBOX_LWA_DEFAULTS.clientId;
  process.env.AMAZON_LWA_CLIENT_SECRET = SANDBOX_LWA_DEFAULTS.clientSecret;
  process.env.AMAZON_SP_API_ENDPOINT = amazon.url;
  process.env.AMAZON_LWA_ENDPOINT = `${amazon.url}/auth/o2/token`;
  resetEnvForTests();
  shopId = (await seedDemoShop(seed)).shopId;
  channel = (await listChannels(database(), shopId)).find((c) => c.kind === "amazon")!;
});
afterAll(async () => {
  await amazon.close();
});

const variantOf = async (sku: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopId, sku))!.id;
const markOf = async (sku: string) =>
  queryRow<{ dirtyAt: string | null; pushedQuantity: number | null; lastError: string | null; attempts: number }>(
    `SELECT "dirtyAt","pushedQuantity","lastError","attempts" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ?`,
    shopId, channel.id, await variantOf(sku),
  );
/** What the API says the Amazon channel should show for a SKU. */
async function atsOf(sku: string): Promise<number> {
  const stock = await readSkuStock(shopId, sku);
  return stock.channels.find((c) => c.id === channel.id)!.ats;
}

/** The first of these SKUs with stock to sell (an order on it reserves, so its figure changes). */
async function stockedSku(candidates: string[]): Promise<string> {
  for (const sku of candidates) if ((await atsOf(sku)) > 2) return sku;
  throw new Error("no stocked SKU among the candidates");
}

/** Mark, then push until no feed is in flight (a feed takes ~100 ms in the stand-in here). */
async function syncUntilSettled(opts: Parameters<typeof pushAmazonStock>[2] = {}) {
  await markChannelStock(shopId);
  const outcomes = [];
  for (let i = 0; i < 100; i++) {
    const outcome = await pushAmazonStock(shopId, channel.id, opts);
    outcomes.push(outcome);
    if (outcome.feedsInFlight === 0 && outcome.waiting === 0) return outcomes;
    await sleep(50);
  }
  throw new Error(`still in flight after 100 passes: ${JSON.stringify(outcomes.at(-1))}`);
}

describe("connecting an Amazon channel", () => {
  it("refuses a malformed authorisation or one Login with Amazon rejects, storing nothing", async () => {
    await expect(connectAmazon(shopId, channel.id, { sellerId: "x", marketplaceId: MARKETPLACE, refreshToken: "nope" })).rejects.toMatchObject({ code: "AMAZON.CONNECTION_INVALID" });
    const refused = await connectAmazon(shopId, channel.id, { ...connection, refreshToken: "Atzr|someone-else" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "AMAZON.AUTH_REFUSED" });
    expect(await queryRow(`SELECT 1 AS "x" FROM "AmazonConnection" WHERE "shopId" = ?`, shopId)).toBeUndefined();
    expect(await pushAmazonStock(shopId, channel.id)).toMatchObject({ pushed: 0, patched: 0, fed: 0 }); // not connected: nothing sent
  });

  it("refuses to connect a channel of another kind", async () => {
    const shopify = (await listChannels(database(), shopId)).find((c) => c.kind === "shopify")!;
    await expect(connectAmazon(shopId, shopify.id, connection)).rejects.toMatchObject({ code: "CHANNEL.NOT_AMAZON" });
  });
});

describe("the Amazon channel's figures, set as each listing's seller-fulfilled quantity", () => {
  it("connecting makes a first full push as one feed; its processing report settles each SKU", async () => {
    const view = await connectAmazon(shopId, channel.id, connection);
    expect(view).toMatchObject({ sellerId: SELLER, marketplaceId: MARKETPLACE });
    const dirty = await queryRow<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ? AND "dirtyAt" IS NOT NULL`, shopId, channel.id);
    expect(Number(dirty!.n)).toBe(listed.length + 1);

    const outcomes = await syncUntilSettled();
    // Product types are looked up a few per pass (getListingsItem: 5/s), so the SKUs known first go in a first feed.
    expect(outcomes.reduce((n, o) => n + o.feedsSubmitted, 0)).toBeGreaterThanOrEqual(1);
    expect(outcomes.reduce((n, o) => n + o.fed + o.patched, 0)).toBe(listed.length);
    for (const sku of listed) {
      const ats = await atsOf(sku);
      expect(amazon.visibleQuantity(sku), sku).toBe(ats);
      expect(await markOf(sku)).toMatchObject({ dirtyAt: null, pushedQuantity: ats, lastError: null });
    }
    const lags = await queryRows<{ lagMs: number }>(`SELECT "lagMs" FROM "ChannelPush" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channel.id);
    expect(lags.length).toBe(listed.length); // one accepted figure per listed SKU, each with its lag
    expect(lags.every((l) => l.lagMs >= 0)).toBe(true);
  });

  it("a SKU not listed on Amazon waits with the reason and is not sent", async () => {
    const mark = await markOf(unlisted);
    expect(mark?.dirtyAt).not.toBeNull();
    expect(mark?.lastError).toMatch(/not listed on Amazon/);
    expect(amazon.visibleQuantity(unlisted)).toBeUndefined();
    const row = (await readInventoryPage(shopId, { query: unlisted })).rows.find((r) => r.sku === unlisted)!;
    expect(row.ats[channel.id].push).toMatchObject({ quantity: null, error: expect.stringMatching(/not listed on Amazon/) });
  });

  it("an order on another channel reaches Amazon by PATCH, with its lag recorded", async () => {
    const sku = listed[0];
    const before = await atsOf(sku);
    expect(before).toBeGreaterThan(1);
    await ingestOn(SHOP, "manual", channelOrder([{ sku, quantity: 1 }]));
    const outcomes = await syncUntilSettled();
    expect(outcomes[0]).toMatchObject({ patched: 1, feedsSubmitted: 0 });
    expect(amazon.visibleQuantity(sku)).toBe(before - 1);
    expect(await markOf(sku)).toMatchObject({ dirtyAt: null, pushedQuantity: before - 1 });
    const last = await queryRow<{ quantity: number; lagMs: number }>(`SELECT "quantity","lagMs" FROM "ChannelPush" WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ? ORDER BY "pushedAt" DESC LIMIT 1`, shopId, channel.id, await variantOf(sku));
    expect(last).toMatchObject({ quantity: before - 1 });
    expect(last!.lagMs).toBeGreaterThanOrEqual(0);
    expect(last!.lagMs).toBeLessThan(10_000);
    // The Inventory page shows the figure sent and its lag beside the channel's available to sell.
    const row = (await readInventoryPage(shopId, { query: sku })).rows.find((r) => r.sku === sku)!;
    expect(row.ats[channel.id]).toMatchObject({ ats: before - 1, push: { quantity: before - 1, lagMs: last!.lagMs, waitingSince: null, error: null } });
  });

  it("a channel buffer lowers what Amazon shows", async () => {
    const sku = listed[2];
    await setChannelBuffer(shopId, channel.id, { sku, buffer: { kind: "units", units: 1 } });
    const ats = await atsOf(sku);
    const outcomes = await syncUntilSettled();
    expect(amazon.visibleQuantity(sku), JSON.stringify(outcomes)).toBe(ats);
    await setChannelBuffer(shopId, channel.id, { sku, buffer: null });
    await syncUntilSettled();
    expect(amazon.visibleQuantity(sku)).toBe(ats + 1);
  });

  it("429s are waited out at the operation's rate and every figure lands", async () => {
    amazon.rateLimits.setPlan("patchListingsItem", { rate: 4, burst: 1 });
    const skus = [await stockedSku(listed.slice(3)), await stockedSku(listed.slice(4)), await stockedSku(listed.slice(5))];
    for (const sku of skus) await ingestOn(SHOP, "manual", channelOrder([{ sku, quantity: 1 }]));
    const throttledBefore = amazon.rateLimits.refused("patchListingsItem");
    const outcomes = await syncUntilSettled();
    expect(outcomes[0].patched).toBe(3);
    for (const sku of skus) expect(amazon.visibleQuantity(sku)).toBe(await atsOf(sku));
    expect(amazon.rateLimits.refused("patchListingsItem") - throttledBefore).toBeGreaterThan(0);
    amazon.rateLimits.setPlan("patchListingsItem", { rate: 5, burst: 5 });
  });

  it("a push that fails with 5xx stays dirty with the reason, and goes through on a later pass", async () => {
    const sku = await stockedSku(listed.slice(6));
    await ingestOn(SHOP, "manual", channelOrder([{ sku, quantity: 1 }]));
    await markChannelStock(shopId);
    expect(await markOf(sku), "dirty before the push").toMatchObject({ attempts: 0 });
    expect((await markOf(sku))!.dirtyAt).not.toBeNull();
    amazon.faults.inject("patchListingsItem", { kind: 503, times: 4 }); // more than the client's 3 retries
    await expect(pushAmazonStock(shopId, channel.id)).rejects.toThrow(/503/);
    const failed = await markOf(sku);
    expect(failed).toMatchObject({ attempts: 1 });
    expect(failed!.dirtyAt).not.toBeNull();
    expect(failed!.lastError).toMatch(/503/);
    // Not due before its backoff; after it (the clock moved on), sent.
    expect(await pushAmazonStock(shopId, channel.id)).toMatchObject({ patched: 0 });
    const later = () => new Date(Date.now() + 60_000);
    await syncUntilSettled({ now: later });
    expect(amazon.visibleQuantity(sku)).toBe(await atsOf(sku));
    expect(await markOf(sku)).toMatchObject({ dirtyAt: null, attempts: 0, lastError: null });
  });

  it("a message Amazon refuses in a feed keeps that SKU dirty with Amazon's reason; the others are taken", async () => {
    // Amazon re-classified one listing: our cached product type is now wrong for it.
    const victim = listed[1];
    amazon.store.get(victim)!.productType = "TOYS";
    await setChannelBuffer(shopId, channel.id, { buffer: { kind: "units", units: 1 } }); // every SKU's figure changes: a feed
    const outcomes = await syncUntilSettled();
    expect(outcomes.reduce((n, o) => n + o.feedsSubmitted, 0)).toBe(1);
    const refused = await markOf(victim);
    expect(refused!.dirtyAt).not.toBeNull();
    expect(refused!.lastError).toMatch(/product type/i);
    for (const sku of listed.filter((s) => s !== victim).slice(0, 8)) expect(amazon.visibleQuantity(sku), sku).toBe(await atsOf(sku));
    // The refusal dropped the cached product type: the next pass looks it up again and the figure lands.
    await syncUntilSettled({ now: () => new Date(Date.now() + 3_600_000) });
    expect(amazon.visibleQuantity(victim)).toBe(await atsOf(victim));
    expect(await markOf(victim)).toMatchObject({ dirtyAt: null, lastError: null });
  });

  it("disconnecting stops the pushes and forgets what the channel was sent", async () => {
    await disconnectAmazon(shopId, channel.id);
    expect(await queryRow(`SELECT 1 AS "x" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channel.id)).toBeUndefined();
    await ingestOn(SHOP, "manual", channelOrder([{ sku: listed[0], quantity: 1 }]));
    await markChannelStock(shopId);
    expect(await queryRow(`SELECT 1 AS "x" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channel.id)).toBeUndefined();
    expect((await findShopById(database(), shopId))?.id).toBe(shopId);
  });
});
