import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { syncShopFromShopify } from "~/.server/use-cases/sync-shop";
import { demoShopSeed, type SandboxShopSeed } from "../../sandbox/shopify/demo-catalog";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { DEFAULT_SCOPES, startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { execute, queryNumber, queryRow, queryRows } from "../support/db-query";

// The install/on-demand shop sync imports Shopify's stock: every inventory level of every location, read
// page by page from the stand-in over HTTP, our on hand brought to Shopify's through the ledger. Our database
// starts with the shop row only (as right after install): locations, variants and levels all come from the sync.

const SHOP = "sync-levels.myshopify.com";
const BIG = "sync-levels-big.myshopify.com";
const legacy = (gid: string) => gid.split("/").pop()!;

/** The demo catalogue plus one product without a SKU (not a stocked item for us), stocked at two sites. */
function shopSeed(): SandboxShopSeed {
  const seed = demoShopSeed(SHOP);
  const base = BigInt(legacy(seed.products[0].id)) + 500_000n;
  seed.products.push({
    id: `gid://shopify/Product/${base}`, title: "Gift Card", handle: "gift-card", vendor: "Demo", productType: "Gift",
    variants: [{
      id: `gid://shopify/ProductVariant/${base}`, inventoryItemId: `gid://shopify/InventoryItem/${base}`, sku: "", title: "Default",
      price: "25.00", weightGrams: 0, stock: { [seed.locations[0].id]: 40, [seed.locations[1].id]: 3 },
    }],
  });
  return seed;
}

/** The demo catalogue plus 260 more items, all stocked at the first site: more than one page (250) there. */
const EXTRA_ITEMS = 260;
function bigSeed(): SandboxShopSeed {
  const seed = demoShopSeed(BIG);
  const base = BigInt(legacy(seed.products[0].id)) + 500_000n;
  seed.products.push({
    id: `gid://shopify/Product/${base}`, title: "Bulk Item", handle: "bulk-item", vendor: "Demo", productType: "Bulk",
    variants: Array.from({ length: EXTRA_ITEMS }, (_, i) => ({
      id: `gid://shopify/ProductVariant/${base + BigInt(i)}`, inventoryItemId: `gid://shopify/InventoryItem/${base + BigInt(i)}`,
      sku: `BULK-${String(i).padStart(3, "0")}`, title: `Bulk ${i}`, price: "5.00", weightGrams: 100,
      stock: { [seed.locations[0].id]: (i % 23) + 1 },
    })),
  });
  return seed;
}

let sandbox: ShopifySandbox;
let proxy: Server;
let unroute: () => void;
/** Admin GraphQL requests seen on the way to the stand-in: the shop (Host), the request, whether it was refused as THROTTLED. */
interface SeenRequest { shop: string; query: string; variables: Record<string, unknown>; throttled: boolean; injected: boolean }
const requests: SeenRequest[] = [];
/** Answer the next request this matches with Shopify's THROTTLED refusal instead of passing it on (once). */
let refuseOnce: ((r: SeenRequest) => boolean) | undefined;
setQueue(new InProcessQueue());

// Shopify's answer when the bucket is short (HTTP 200), with a status that says it refills at once.
const THROTTLED_ANSWER = JSON.stringify({
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
  extensions: { cost: { requestedQueryCost: 753, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 10_000 } } },
});

/** A pass-through in front of the stand-in that records each GraphQL request (the stand-in keeps no log). */
function recordingProxy(target: number): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let seen: SeenRequest | undefined;
      if (req.url?.endsWith("/graphql.json")) {
        const parsed = JSON.parse(body.toString("utf8")) as { query: string; variables?: Record<string, unknown> };
        seen = { shop: String(req.headers.host), query: parsed.query, variables: parsed.variables ?? {}, throttled: false, injected: false };
        requests.push(seen);
        if (refuseOnce?.(seen)) {
          refuseOnce = undefined;
          Object.assign(seen, { throttled: true, injected: true });
          res.writeHead(200, { "content-type": "application/json" });
          res.end(THROTTLED_ANSWER);
          return;
        }
      }
      const upstream = httpRequest({ host: "127.0.0.1", port: target, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (part: Buffer) => parts.push(part));
        answer.on("end", () => {
          const text = Buffer.concat(parts);
          if (seen) seen.throttled = text.toString("utf8").includes('"THROTTLED"');
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(text);
        });
      });
      upstream.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  sandbox = await startShopifySandbox({ port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:1", shops: [shopSeed(), bigSeed()],
    // Shopify's bucket size, refilled faster than Shopify's 100/s so the test does not wait minutes; a page
    // the stand-in still refuses is waited out by the sync (and another test below makes sure of one).
    throttle: { maximumAvailable: 2000, restoreRate: 1000 } });
  proxy = await recordingProxy(sandbox.port);
  unroute = routeShopTrafficTo(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
  for (const shop of [SHOP, BIG]) {
    await ensureShop(shop); // installed: the sync takes data in for it
    await execute(
      `INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires") VALUES (?,?,'',?,?,?,?)`,
      `offline_${shop}`, shop, false, sandbox.issueAccessToken(shop), DEFAULT_SCOPES, new Date(Date.now() + 86_400_000),
    );
  }
});
afterAll(async () => {
  unroute();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await sandbox.close();
});

const shopIdOf = async (domain: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, domain))!.id;
const ledgerRows = (shopId: string) => queryNumber(`SELECT COUNT(*) AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ?`, shopId);

interface LevelComparison { stocked: number; mismatches: string[]; unitsInShopify: number; ourLevels: number }

/** Every level the stand-in stocks for an item we mirror, its on hand against ours (no row = 0). */
async function compareLevels(domain: string): Promise<LevelComparison> {
  const shopId = await shopIdOf(domain);
  const state = sandbox.store.shop(domain);
  const ours = await queryRows<{ item: string; location: string; onHand: number }>(
    `SELECT v."inventoryItemExternalId" AS "item", l."externalId" AS "location", i."onHand" AS "onHand"
     FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" JOIN "Location" l ON l."id" = i."locationId" WHERE i."shopId" = ?`, shopId,
  );
  const ourOnHand = new Map(ours.map((r) => [`${r.item}:${r.location}`, Number(r.onHand)]));
  const result: LevelComparison = { stocked: 0, mismatches: [], unitsInShopify: 0, ourLevels: ours.length };
  for (const level of state.levels.values()) {
    if (!sandbox.store.variantByItem(state, level.inventoryItemId)?.sku) continue; // not one of our items
    result.stocked += 1;
    result.unitsInShopify += level.quantities.on_hand;
    const mine = ourOnHand.get(`${level.inventoryItemId}:${level.locationId}`) ?? 0;
    if (mine !== level.quantities.on_hand) result.mismatches.push(`${level.inventoryItemId}@${level.locationId}: ours ${mine}, Shopify ${level.quantities.on_hand}`);
  }
  return result;
}

/** Per level, the ledger's on-hand sum equals the level's on hand (the import went through the ledger). */
async function ledgerDisagreements(shopId: string): Promise<unknown[]> {
  return queryRows(
    `SELECT i."variantId", i."locationId", i."onHand", COALESCE(SUM(e."delta"), 0) AS "ledger" FROM "InventoryLevel" i
     LEFT JOIN "InventoryLedgerEntry" e ON e."shopId" = i."shopId" AND e."variantId" = i."variantId" AND e."locationId" = i."locationId" AND e."bucket" = 'on_hand'
     WHERE i."shopId" = ? GROUP BY i."variantId", i."locationId", i."onHand" HAVING i."onHand" <> COALESCE(SUM(e."delta"), 0)`, shopId,
  );
}

describe("syncShopFromShopify imports stock levels", () => {
  const seed = shopSeed();
  const skued = seed.products.flatMap((p) => p.variants).filter((v) => v.sku);
  const stockedLevels = skued.reduce((n, v) => n + Object.keys(v.stock).length, 0);
  const levelsWithUnits = skued.reduce((n, v) => n + Object.values(v.stock).filter((q) => q > 0).length, 0);
  let shopId: string;
  let ledgerAfterFirst: number;

  it("after the first sync our on hand equals Shopify's at every stocked level, through the ledger", async () => {
    shopId = await shopIdOf(SHOP);
    expect(await ledgerRows(shopId)).toBe(0);
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "InventoryLevel" WHERE "shopId" = ?`, shopId)).toBe(0);

    const result = await syncShopFromShopify(SHOP);
    expect(result).toEqual({ locations: 3, variants: skued.length, levels: stockedLevels, levelsSkipped: 2 }); // the gift card's two levels

    const comparison = await compareLevels(SHOP);
    expect(comparison.stocked).toBe(stockedLevels);
    expect(comparison.unitsInShopify).toBeGreaterThan(500);
    expect(comparison.mismatches).toEqual([]);
    expect(comparison.ourLevels).toBe(levelsWithUnits); // a level Shopify holds at 0 needs no row of ours
    // one external increase per level with units, nothing else
    ledgerAfterFirst = await ledgerRows(shopId);
    expect(ledgerAfterFirst).toBe(levelsWithUnits);
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "reason" = 'external_increase' AND "bucket" = 'on_hand' AND "idempotencyKey" LIKE 'sync:%'`, shopId)).toBe(levelsWithUnits);
    expect(await ledgerDisagreements(shopId)).toEqual([]);
    // the unskued item was not mirrored, so nothing of it landed anywhere
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "Variant" WHERE "shopId" = ? AND "inventoryItemExternalId" = ?`, shopId, legacy(seed.products.at(-1)!.variants[0].inventoryItemId))).toBe(0);
  });

  it("running the sync again changes nothing", async () => {
    const levelsBefore = await queryRows(`SELECT "variantId","locationId","onHand","reserved" FROM "InventoryLevel" WHERE "shopId" = ? ORDER BY "variantId","locationId"`, shopId);
    const result = await syncShopFromShopify(SHOP);
    expect(result).toEqual({ locations: 3, variants: skued.length, levels: stockedLevels, levelsSkipped: 2 });
    expect(await ledgerRows(shopId)).toBe(ledgerAfterFirst);
    expect(await queryRows(`SELECT "variantId","locationId","onHand","reserved" FROM "InventoryLevel" WHERE "shopId" = ? ORDER BY "variantId","locationId"`, shopId)).toEqual(levelsBefore);
  });

  it("changes made in Shopify between syncs are applied once by the next sync, and a later one again", async () => {
    const state = sandbox.store.shop(SHOP);
    const [newark, , reno] = seed.locations.map((l) => BigInt(legacy(l.id)));
    const item = (v: { inventoryItemId: string }) => BigInt(legacy(v.inventoryItemId));
    const up = skued.find((v) => (v.stock[seed.locations[0].id] ?? 0) > 0)!;
    const down = skued.find((v) => v !== up && (v.stock[seed.locations[0].id] ?? 0) > 0)!;
    const fresh = skued.find((v) => !(seed.locations[2].id in v.stock))!; // not stocked at Reno yet
    const upBefore = up.stock[seed.locations[0].id];
    const downBefore = down.stock[seed.locations[0].id];
    sandbox.store.stock(state, item(up), newark, upBefore + 7);
    sandbox.store.stock(state, item(down), newark, 0);
    sandbox.store.stock(state, item(fresh), reno, 9);

    const result = await syncShopFromShopify(SHOP);
    expect(result.levels).toBe(stockedLevels + 1);
    expect((await compareLevels(SHOP)).mismatches).toEqual([]);
    const moves = await queryRows<{ sku: string; reason: string; delta: number }>(
      `SELECT v."sku" AS "sku", e."reason" AS "reason", e."delta" AS "delta" FROM "InventoryLedgerEntry" e JOIN "Variant" v ON v."id" = e."variantId"
       WHERE e."shopId" = ? ORDER BY e."id" DESC LIMIT 3`, shopId,
    );
    expect(moves.map((m) => [m.sku, m.reason, Number(m.delta)]).sort()).toEqual([
      [down.sku, "external_decrease", -downBefore], [fresh.sku, "external_increase", 9], [up.sku, "external_increase", 7],
    ].sort());
    expect(await ledgerRows(shopId)).toBe(ledgerAfterFirst + 3);

    // Nothing new: nothing applied twice.
    await syncShopFromShopify(SHOP);
    expect(await ledgerRows(shopId)).toBe(ledgerAfterFirst + 3);

    // Shopify's figure back to one an earlier sync read: a later sync still applies the difference.
    sandbox.store.stock(state, item(up), newark, upBefore);
    await syncShopFromShopify(SHOP);
    expect((await compareLevels(SHOP)).mismatches).toEqual([]);
    expect(await ledgerRows(shopId)).toBe(ledgerAfterFirst + 4);
    sandbox.store.stock(state, item(up), newark, upBefore + 7);
    await syncShopFromShopify(SHOP);
    expect((await compareLevels(SHOP)).mismatches).toEqual([]);
    expect(await ledgerRows(shopId)).toBe(ledgerAfterFirst + 5);
    expect(await ledgerDisagreements(shopId)).toEqual([]);
  });
});

describe("a location with more than 250 levels", () => {
  it("is walked page by page: every level is imported", async () => {
    const seed = bigSeed();
    const newark = seed.locations[0].id;
    const stockedAtNewark = seed.products.flatMap((p) => p.variants).filter((v) => newark in v.stock).length;
    expect(stockedAtNewark).toBeGreaterThan(250);
    const stockedLevels = seed.products.flatMap((p) => p.variants).reduce((n, v) => n + Object.keys(v.stock).length, 0);
    requests.length = 0;

    const result = await syncShopFromShopify(BIG);
    expect(result).toEqual({ locations: 3, variants: 50 + EXTRA_ITEMS, levels: stockedLevels, levelsSkipped: 0 });
    const comparison = await compareLevels(BIG);
    expect(comparison.stocked).toBe(stockedLevels);
    expect(comparison.mismatches).toEqual([]);
    // the last bulk item sits on the second page of Newark's levels
    const last = seed.products.at(-1)!.variants.at(-1)!;
    expect(await queryNumber(
      `SELECT i."onHand" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" WHERE i."shopId" = ? AND v."sku" = ?`, await shopIdOf(BIG), last.sku,
    )).toBe(last.stock[newark]);

    // Newark: two pages answered (the second after the first's cursor); Dallas and Reno: one each.
    const levelPages = requests.filter((r) => r.shop === BIG && r.query.includes("LocationInventoryLevels") && !r.throttled);
    const atNewark = levelPages.filter((r) => r.variables.locationId === newark);
    expect(atNewark.map((r) => [r.variables.first, r.variables.after === null])).toEqual([[250, true], [250, false]]);
    expect(levelPages.length).toBe(4);
  });

  it("a page Shopify refuses as THROTTLED is asked for again, and the walk goes on from there", async () => {
    const seed = bigSeed();
    const newark = seed.locations[0].id;
    const shopId = await shopIdOf(BIG);
    const last = seed.products.at(-1)!.variants.at(-1)!;
    const state = sandbox.store.shop(BIG);
    sandbox.store.stock(state, BigInt(legacy(last.inventoryItemId)), BigInt(legacy(newark)), 77); // on Newark's second page
    const ledgerBefore = await ledgerRows(shopId);
    requests.length = 0;
    refuseOnce = (r) => r.shop === BIG && r.query.includes("LocationInventoryLevels") && r.variables.locationId === newark && r.variables.after !== null;

    await syncShopFromShopify(BIG);
    expect(refuseOnce).toBeUndefined(); // the refusal was served
    const secondPages = requests.filter((r) => r.shop === BIG && r.query.includes("LocationInventoryLevels") && r.variables.locationId === newark && r.variables.after !== null);
    expect(secondPages.map((r) => r.injected)).toEqual([true, ...secondPages.slice(1).map(() => false)]);
    expect(secondPages.at(-1)!.throttled).toBe(false);
    expect(new Set(secondPages.map((r) => r.variables.after)).size).toBe(1); // the same page again, not the walk from the start
    expect(requests.filter((r) => r.shop === BIG && r.query.includes("LocationInventoryLevels") && r.variables.locationId === newark && r.variables.after === null && !r.throttled)).toHaveLength(1);
    expect((await compareLevels(BIG)).mismatches).toEqual([]);
    expect(await ledgerRows(shopId)).toBe(ledgerBefore + 1);
  });
});
