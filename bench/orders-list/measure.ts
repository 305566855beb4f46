import { isDeepStrictEqual } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import pg from "pg";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { closeAppDatabase, database } from "../../app/.server/db/database";
import { migrate } from "../../app/.server/db/engine/migrate";
import { listOrders } from "../../app/.server/db/orders";
import { loader as ordersPageLoader } from "../../app/routes/app.orders._index";
import { naiveListOrders, naiveOrdersLoader } from "./naive-page";
import { BENCH_SHOP, OTHER_SHOPS, seedShop, STATUSES, type SeededShop } from "./seed";

// Child process of orders-list.bench.ts on the database DATABASE_URL names. BENCH_PHASE=seed: migrate the fresh
// database and seed it (what was seeded goes to BENCH_SEED_FILE). Otherwise: time the mix of page loads through
// the Orders page's own loader and through the naive baseline, and write the figures to BENCH_RESULT_FILE.
// Progress goes to stderr (stdout carries the Shopify library's request log).

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

const log = (line: string) => process.stderr.write(`  ${line}\n`);

interface Journey {
  label: string;
  search: Record<string, string>;
  /** Pages followed (page 1, then each next page as the page's "Next" asks for it). */
  pages: number;
}

export interface Sample {
  group: string;
  ms: number;
}

export interface ChildResult {
  dialect: string;
  seededSeconds: number;
  counts: { orders: number; lines: number; allocations: number; otherShopOrders: number };
  loadsPerRound: number;
  rounds: number;
  samples: Sample[];
  baseline: Sample[];
}

function journeys(shop: SeededShop): Journey[] {
  const at = (externalId: string) => shop.locations[externalId];
  const pagesOf: Record<string, number> = { shipped: 25, backordered: 3, reserved: 2, routed: 2, returned: 2, cancelled: 2 };
  return [
    { label: "no filter", search: {}, pages: 25 },
    ...STATUSES.map((status) => ({ label: `status=${status}`, search: { status }, pages: pagesOf[status] ?? 1 })),
    { label: "channel=shopify", search: { channel: "shopify" }, pages: 2 },
    { label: "channel=amazon", search: { channel: "amazon" }, pages: 25 },
    { label: "channel=wholesale", search: { channel: "wholesale" }, pages: 3 },
    { label: "channel=manual", search: { channel: "manual" }, pages: 1 },
    { label: "location=east-dc", search: { location: at("east-dc") }, pages: 25 },
    { label: "location=west-dc", search: { location: at("west-dc") }, pages: 2 },
    { label: "location=central-3pl", search: { location: at("central-3pl") }, pages: 2 },
    { label: "location=nyc-store", search: { location: at("nyc-store") }, pages: 2 },
    { label: "location=chicago-store", search: { location: at("chicago-store") }, pages: 2 },
    { label: "location=austin-store (closed)", search: { location: at("austin-store") }, pages: 3 },
    { label: "location=dropship", search: { location: at("dropship") }, pages: 5 },
    { label: "status=reserved & location=east-dc", search: { status: "reserved", location: at("east-dc") }, pages: 1 },
    { label: "status=backordered & channel=amazon", search: { status: "backordered", channel: "amazon" }, pages: 1 },
    { label: "status=shipped & channel=wholesale", search: { status: "shipped", channel: "wholesale" }, pages: 1 },
  ];
}

const groupOf = (label: string, page: number) => `${label} · ${page === 1 ? "page 1" : page < 20 ? "pages 2–19" : "pages 20+"}`;

function request(domain: string, search: Record<string, string>): Request {
  const token = mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, domain);
  return new Request(`${process.env.SHOPIFY_APP_URL}/app/orders?${new URLSearchParams(search)}`, { headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA } });
}

type PageResult = Awaited<ReturnType<typeof naiveOrdersLoader>>["orders"];

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** One pass of the mix through the page's loader (keyset), the pages' contents kept when `keep` is given. */
async function keysetRound(shop: SeededShop, mix: Journey[], lookups: string[], samples: Sample[], keep?: PageResult[]): Promise<void> {
  for (const j of mix) {
    let cursor: string | null = null;
    for (let page = 1; page <= j.pages; page++) {
      const req = request(shop.domain, cursor ? { ...j.search, cursor } : j.search);
      const { ms, value } = await timed(() => ordersPageLoader({ request: req, params: {}, context: {} }));
      samples.push({ group: groupOf(j.label, page), ms });
      keep?.push(value.orders);
      cursor = value.nextCursor;
      if (!cursor) break;
    }
  }
  for (const externalId of lookups) {
    const { ms, value } = await timed(() => listOrders(database(), shop.id, { externalId, take: 50 }));
    samples.push({ group: "externalId look-up (as GET /api/v1/orders?externalId= calls listOrders)", ms });
    keep?.push(value.orders.map((o) => ({ id: o.id })) as PageResult);
  }
}

/** The same pass answered by the naive baseline (page numbers and OFFSET instead of the cursor). */
async function naiveRound(shop: SeededShop, mix: Journey[], lookups: string[], samples: Sample[], keep?: PageResult[]): Promise<void> {
  for (const j of mix) {
    for (let page = 1; page <= j.pages; page++) {
      const req = request(shop.domain, page > 1 ? { ...j.search, page: String(page - 1) } : j.search);
      const { ms, value } = await timed(() => naiveOrdersLoader(req));
      samples.push({ group: groupOf(j.label, page), ms });
      keep?.push(value.orders);
      if (value.nextPage === null) break;
    }
  }
  for (const externalId of lookups) {
    const { ms, value } = await timed(() => naiveListOrders(database(), shop.id, { externalId, take: 50 }, 0));
    samples.push({ group: "externalId look-up (as GET /api/v1/orders?externalId= calls listOrders)", ms });
    keep?.push(value.orders.map((o) => ({ id: o.id })) as PageResult);
  }
}

interface SeedResult {
  shop: SeededShop;
  otherShopOrders: number;
  seededSeconds: number;
}

/** Phase 1 (both databases may seed at once): migrate, seed, store the session, settle statistics. */
async function seed(): Promise<void> {
  const db = database();
  await migrate(db);
  const t0 = performance.now();
  const shop = await seedShop({ ...BENCH_SHOP, orders: ORDERS }, log);
  let otherShopOrders = 0;
  for (const other of OTHER_SHOPS) otherShopOrders += (await seedShop(other)).counts.orders;
  await db.run(
    `INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires","refreshToken","refreshTokenExpires") VALUES (?,?,?,?,?,?,?,?,?)`,
    `offline_${shop.domain}`, shop.domain, "", false, `shpat_${shop.domain}`, "read_orders", new Date(Date.now() + 86_400_000), "refresh", new Date(Date.now() + 30 * 86_400_000),
  );
  if (db.dialect === "postgres") {
    // What autovacuum does after a bulk load (visibility map, planner statistics), done now rather than waited for.
    // SQLite gets nothing of the kind: the app never runs ANALYZE there, so neither does the bench.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("VACUUM ANALYZE");
    await client.end();
  }
  const seededSeconds = (performance.now() - t0) / 1000;
  log(`seeded ${shop.counts.orders.toLocaleString("en-US")} orders (${shop.counts.lines.toLocaleString("en-US")} lines, ${shop.counts.allocations.toLocaleString("en-US")} allocations) + ${otherShopOrders.toLocaleString("en-US")} of other shops in ${seededSeconds.toFixed(1)} s (${db.dialect})`);
  writeFileSync(process.env.BENCH_SEED_FILE!, JSON.stringify({ shop, otherShopOrders, seededSeconds } satisfies SeedResult));
  await closeAppDatabase();
}

/** Phase 2 (one database at a time): the timed page loads. */
async function measure(): Promise<void> {
  const db = database();
  const { shop, otherShopOrders, seededSeconds } = JSON.parse(readFileSync(process.env.BENCH_SEED_FILE!, "utf8")) as SeedResult;
  const mix = journeys(shop);
  const lookups = [...shop.externalIds.filter((_, i) => i % 10 === 0).slice(0, 19), "no-such-order"];

  // Warm-up (statements prepared, pages cached) and a check that both answer every load identically.
  const keysetPages: PageResult[] = [];
  const naivePages: PageResult[] = [];
  await keysetRound(shop, mix, lookups, [], keysetPages);
  await naiveRound(shop, mix, lookups, [], naivePages);
  if (keysetPages.length !== naivePages.length) throw new Error(`keyset answered ${keysetPages.length} loads, naive ${naivePages.length}`);
  keysetPages.forEach((page, i) => {
    if (!isDeepStrictEqual(page, naivePages[i])) throw new Error(`load ${i}: the page's loader and the naive baseline disagree`);
  });

  const samples: Sample[] = [];
  const baseline: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating, so both see the same machine load.
    await keysetRound(shop, mix, lookups, samples);
    await naiveRound(shop, mix, lookups, baseline);
  }
  const result: ChildResult = {
    dialect: db.dialect,
    seededSeconds,
    counts: { ...shop.counts, otherShopOrders },
    loadsPerRound: keysetPages.length,
    rounds: ROUNDS,
    samples,
    baseline,
  };
  writeFileSync(process.env.BENCH_RESULT_FILE!, JSON.stringify(result));
  await closeAppDatabase();
}

await (process.env.BENCH_PHASE === "seed" ? seed() : measure());
process.exit(0);
