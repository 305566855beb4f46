import { closeAppDatabase, database } from "~/.server/db/database";
import { sqlTime } from "~/.server/db/ids";
import { ledger } from "~/.server/db/pipeline-sql";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import type { JobDefinition } from "~/.server/queues/worker-runner";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { DEFAULT_SCOPES, startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { execute, queryRow, queryRows } from "./db-query";
import { webhookRequest } from "./webhooks";

// A shop as after install, for tests of what happens to orders after intake: the stand-in Shopify (its
// state is what the app reads back over Admin GraphQL), our DB seeded from the same catalog, an offline
// session, and the real worker on an in-process queue. Webhooks go through the real intake path.

export const CITY = { newark: 0, dallas: 1, reno: 2 } as const;
export type Site = keyof typeof CITY;

export interface ShopFixture {
  shop: string;
  shopId: string;
  sandbox: ShopifySandbox;
  queue: InProcessQueue;
  /** Legacy ids of the three sites, in Shopify and ours. */
  site(name: Site): { shopifyId: bigint; id: string };
  /** Deliver a payload on a topic (signed, inbox, job) and wait until every job is done. */
  deliver(topic: string, payload: unknown, opts?: { eventId?: string; triggeredAt?: string; wait?: boolean }): Promise<void>;
  /** Create an order in the stand-in store and deliver its orders/create; returns Shopify's order. */
  placeOrder(lines: { sku: string; quantity: number }[]): Promise<ReturnType<ReturnType<ShopifySandbox["orders"]>["create"]>>;
  /** A fresh SKU of the catalog with exactly this stock (others 0), in Shopify and ours alike. */
  skuWithStock(stock: Partial<Record<Site, number>>): Promise<{ sku: string; inventoryItemId: bigint; variantId: string }>;
  level(variantId: string, site: Site): Promise<{ onHand: number; reserved: number }>;
  /** As a process restart would: the worker stops, database connections close (their caches with them), a new queue and worker start. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `throttle`: the stand-in's GraphQL cost bucket (default Shopify's); tests that re-read many orders may widen it.
 * `jobs`: what the worker runs (default every job); a test that drives a job itself passes a stand-in for it.
 */
export async function startShopFixture(shop: string, opts: { throttle?: { maximumAvailable: number; restoreRate: number }; jobs?: JobDefinition[] } = {}): Promise<ShopFixture> {
  const seed = demoShopSeed(shop);
  const sandbox = await startShopifySandbox({ port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:1", shops: [seed], throttle: opts.throttle });
  const unroute = routeShopTrafficTo(sandbox.url);
  const { shopId } = await seedDemoShop(seed);
  await execute(
    `INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires") VALUES (?,?,'',?,?,?,?)`,
    `offline_${shop}`, shop, false, sandbox.issueAccessToken(shop), DEFAULT_SCOPES, new Date(Date.now() + 86_400_000),
  );
  let queue = new InProcessQueue();
  setQueue(queue);
  const startWorker = () => runWorker({ queue, jobs: opts.jobs ?? ALL_JOBS, log: { info() {}, warn() {}, error() {} }, signals: [] });
  let worker = startWorker();

  const locations = await queryRows<{ id: string; externalId: string }>(`SELECT "id","externalId" FROM "Location" WHERE "shopId" = ?`, shopId);
  const site = (name: Site) => {
    const shopifyId = BigInt(seed.locations[CITY[name]].id.split("/").pop()!);
    return { shopifyId, id: locations.find((l) => l.externalId === String(shopifyId))!.id };
  };
  const unused = seed.products.flatMap((p) => p.variants);
  const state = sandbox.store.shop(shop);

  const fixture: ShopFixture = {
    shop, shopId, sandbox, queue, site,
    async deliver(topic, payload, opts = {}) {
      const body = typeof payload === "string" ? payload : toExactJson(payload);
      const response = await receiveWebhook(webhookRequest({ topic, shop, body, eventId: opts.eventId, triggeredAt: opts.triggeredAt }), topic);
      if (response.status !== 200) throw new Error(`${topic} answered ${response.status}`);
      if (opts.wait !== false) await queue.whenIdle(20_000);
    },
    async placeOrder(lines) {
      const order = sandbox.orders(shop).create({ lines });
      await fixture.deliver("orders/create", order);
      return order;
    },
    async skuWithStock(stock) {
      const v = unused.shift()!;
      const itemId = BigInt(v.inventoryItemId.split("/").pop()!);
      const variant = (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopId, v.sku))!;
      for (const name of Object.keys(CITY) as Site[]) {
        const qty = stock[name] ?? 0;
        sandbox.store.stock(state, itemId, site(name).shopifyId, qty);
        await database().transaction(async (tx) => {
          // The ledger records the count like any other change, so ledger sums keep matching the level.
          const before = (await tx.get<{ onHand: number }>(`SELECT "onHand" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variant.id, site(name).id))?.onHand ?? 0;
          if (qty !== before) await ledger(tx, shopId, variant.id, site(name).id, "on_hand", qty - before, "counted", `test-stock:${variant.id}:${name}`);
          await tx.run(
            `INSERT INTO "InventoryLevel" ("id","shopId","variantId","locationId","onHand","reserved","incoming","safety","updatedAt") VALUES (?,?,?,?,?,0,0,0,?)
             ON CONFLICT ("variantId","locationId") DO UPDATE SET "onHand" = excluded."onHand", "reserved" = 0`,
            `lvl-${variant.id}-${name}`, shopId, variant.id, site(name).id, qty, sqlTime(),
          );
        });
      }
      return { sku: v.sku, inventoryItemId: itemId, variantId: variant.id };
    },
    async level(variantId, name) {
      return (await queryRow<{ onHand: number; reserved: number }>(`SELECT "onHand","reserved" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variantId, site(name).id)) ?? { onHand: 0, reserved: 0 };
    },
    async restart() {
      await queue.whenIdle(20_000);
      await worker.stop();
      await closeAppDatabase();
      fixture.queue = queue = new InProcessQueue();
      setQueue(queue);
      worker = startWorker();
    },
    async close() {
      await worker.stop();
      unroute();
      await sandbox.close();
    },
  };
  return fixture;
}

/** Rows in the order orderState lists them. */
export function rows<T>(...list: T[]): T[] {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** An order's allocations as [sku, status, site-or-null, quantity] rows, sorted, its lines and its status. */
export async function orderState(f: ShopFixture, shopifyOrderId: bigint) {
  const order = await queryRow<{ id: string; status: string }>(`SELECT "id","status" FROM "Order" WHERE "shopId" = ? AND "externalId" = ?`, f.shopId, String(shopifyOrderId));
  if (!order) throw new Error(`No order ${shopifyOrderId} in ${f.shop}`);
  const lines = await queryRows<{ sku: string | null; quantity: number }>(`SELECT "sku","quantity" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "id"`, f.shopId, order.id);
  const held = await queryRows<{ sku: string | null; status: string; locationId: string | null; quantity: number }>(
    `SELECT l."sku" AS "sku", a."status" AS "status", a."locationId" AS "locationId", a."quantity" AS "quantity"
     FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE a."shopId" = ? AND l."orderId" = ? AND a."status" != 'released'`,
    f.shopId, order.id,
  );
  const siteOf = (locationId: string | null) => (locationId === null ? null : (Object.keys(CITY) as Site[]).find((s) => f.site(s).id === locationId) ?? locationId);
  const allocations = held.map((a) => [a.sku, a.status, siteOf(a.locationId), a.quantity] as const).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { status: order.status, allocations, lines: lines.map((l) => [l.sku, l.quantity] as const), orderId: order.id };
}
