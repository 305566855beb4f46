import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapGraphqlOrder } from "~/domain/orders/map-graphql-order";
import { mapShopifyOrder } from "~/domain/orders/map-shopify-order";
import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
import { database } from "~/.server/db/database";
import { ensureShop } from "~/.server/db/shops";
import { getSyncState } from "~/.server/db/sync-state";
import { adminGraphql } from "~/.server/shopify/admin-graphql";
import { ORDERS_UPDATED_SINCE_QUERY, type OrdersUpdatedSinceResult } from "~/.server/shopify/graphql/orders-updated-since-query";
import { WATERMARK_KEY, reconcileOrders, type GraphqlFn } from "~/.server/use-cases/reconcile-orders";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { cancelOrder, updateOrder } from "../../sandbox/shopify/order-factory";
import type { RestOrderPayload } from "../../sandbox/shopify/order-payload";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { queryRows } from "../support/db-query";
import { addSession } from "../support/sessions";

// Webhooks that never arrived: orders exist in (stand-in) Shopify only. The poll finds them through the
// app's real Admin GraphQL client (offline session → token → *.myshopify.com routed to the sandbox),
// stores them once, notices later updates and cancellations, and pages by cursor.

const SHOP = "reconcile-it.myshopify.com";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
let offsetMs = 0; // "time passes" for the stand-in without freezing its rate-limit bucket
const now = () => new Date(Date.now() + offsetMs);

let sandbox: ShopifySandbox;
let unroute: () => void;
let shopId: string;
let created: RestOrderPayload[] = [];
let pages = 0;
const countingGraphql: GraphqlFn = (shop, query, variables) => {
  if (!String(variables.query).startsWith("id:")) pages += 1;
  return adminGraphql(shop, query, variables);
};

/** The shop's stored orders with their lines, by external id. */
async function storedOrders() {
  const orders = await queryRows<{ id: string; externalId: string; email: string | null; status: string; financialStatus: string | null; cancelledAt: string | null }>(
    `SELECT "id","externalId","email","status","financialStatus","cancelledAt" FROM "Order" WHERE "shopId" = ?`, shopId,
  );
  const lines = await queryRows<{ orderId: string; sku: string | null }>(`SELECT "orderId","sku" FROM "OrderLine" WHERE "shopId" = ?`, shopId);
  return orders.sort((a, b) => (a.externalId < b.externalId ? -1 : 1)).map((o) => ({ ...o, lines: lines.filter((l) => l.orderId === o.id) }));
}

beforeAll(async () => {
  sandbox = await startShopifySandbox({ ...app, appUrl: "http://127.0.0.1:9", shops: [demoShopSeed(SHOP)], now });
  unroute = routeShopTrafficTo(sandbox.url);
  shopId = (await ensureShop(SHOP)).id;
  await addSession({
    id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: sandbox.issueAccessToken(SHOP),
    scope: process.env.SCOPES ?? "read_orders", expires: new Date(Date.now() + 86_400_000),
  });
});

afterAll(async () => {
  unroute?.();
  await sandbox?.close();
});

describe("reconcileOrders against the Shopify stand-in", () => {
  it("stores orders whose webhooks never arrived, reading page by page", async () => {
    created = sandbox.orders(SHOP).createMany(5); // no webhooks delivered
    pages = 0;
    const result = await reconcileOrders(SHOP, { now: now(), pageSize: 2, graphql: countingGraphql });
    expect(pages).toBe(3); // 2 + 2 + 1
    expect(result).toMatchObject({ seen: 5, ingested: 5, stale: 0, invalid: [], complete: true });
    const orders = await storedOrders();
    expect(orders.map((o) => o.externalId)).toEqual(created.map((o) => String(o.id)).sort());
    for (const o of orders) expect(o.lines.length).toBeGreaterThan(0);
    const newest = Math.max(...created.map((o) => Date.parse(o.updated_at)));
    expect(result.watermark).toBe(new Date(newest).toISOString());
    expect(await getSyncState(database(), shopId, WATERMARK_KEY)).toBe(result.watermark);
  });

  it("a second run finds nothing new and keeps the watermark", async () => {
    const before = await getSyncState(database(), shopId, WATERMARK_KEY);
    const result = await reconcileOrders(SHOP, { now: now(), pageSize: 2 });
    expect(result).toMatchObject({ seen: 5, ingested: 0, stale: 5, watermark: before }); // all inside the 5-minute overlap
    expect(await storedOrders()).toHaveLength(5);
  });

  it("picks up an update and a cancellation made in Shopify later", async () => {
    offsetMs += 10 * 60_000;
    const [a, b] = created;
    updateOrder(sandbox.store, SHOP, a.id, { email: "changed@example.com" });
    offsetMs += 1000;
    cancelOrder(sandbox.store, SHOP, b.id);
    const result = await reconcileOrders(SHOP, { now: now(), pageSize: 2 });
    expect(result).toMatchObject({ seen: 5, ingested: 2, stale: 3 }); // read from the old watermark − 5 min
    expect(result.watermark).toBe(new Date(sandbox.store.shop(SHOP).orders.get(b.id)!.updatedAt).toISOString());
    const byId = new Map((await storedOrders()).map((o) => [o.externalId, o]));
    expect(byId.get(String(a.id))!.email).toBe("changed@example.com");
    expect(byId.get(String(b.id))).toMatchObject({ status: "cancelled", financialStatus: "refunded" });
    expect(byId.get(String(b.id))!.cancelledAt).not.toBeNull();
    expect(await reconcileOrders(SHOP, { now: now() })).toMatchObject({ seen: 2, ingested: 0, stale: 2, watermark: result.watermark });
  });

  it("stores every line of an order with more lines than a page carries", async () => {
    offsetMs += 60_000;
    const skus = sandbox.store.shop(SHOP).variants.slice(0, 12).map((v) => ({ sku: v.sku, quantity: 1 }));
    const big = sandbox.orders(SHOP).create({ lines: skus });
    const result = await reconcileOrders(SHOP, { now: now(), linesPerOrder: 5 });
    expect(result.ingested).toBe(1);
    const stored = (await storedOrders()).find((o) => o.externalId === String(big.id))!;
    expect(stored.lines.map((l) => l.sku).sort()).toEqual(skus.map((s) => s.sku).sort());
  });

  it("maps the GraphQL view of an order exactly as the REST webhook payload of the same order", async () => {
    const orders = [...sandbox.store.shop(SHOP).orders.values()];
    expect(orders.length).toBeGreaterThanOrEqual(6); // includes an updated, a cancelled and a 12-line order
    for (const { id, payload } of orders) {
      const rest = mapShopifyOrder(parseJsonKeepingBigInts(toExactJson(payload)));
      const { orders: page } = await adminGraphql<OrdersUpdatedSinceResult>(SHOP, ORDERS_UPDATED_SINCE_QUERY, {
        first: 1, after: null, query: `id:${id}`, lineItemsFirst: 50, lineItemsAfter: null,
      });
      const graphql = mapGraphqlOrder(page.nodes[0]);
      if (!rest.ok || !graphql.ok) throw new Error(`unmappable order ${id}`);
      expect(graphql.order).toEqual(rest.order);
    }
  });
});
