import { beforeEach, describe, expect, it } from "vitest";
import type { ChannelOrder } from "~/domain/orders/channel-order";
import { execute } from "../../../tests/support/db-query";
import { database } from "../db/database";
import { ensureShop } from "../db/shops";
import { getSyncState, setSyncState } from "../db/sync-state";
import {
  DEFAULT_LINES_PAGE, DEFAULT_ORDERS_PAGE, ordersUpdatedSinceCost, type GraphqlOrderNode, type OrdersUpdatedSinceResult,
} from "../shopify/graphql/orders-updated-since-query";
import { RESUME_KEY, WATERMARK_KEY, reconcileOrders, type GraphqlFn, type IngestFn } from "./reconcile-orders";

// The poll's bookkeeping against an in-memory Shopify `orders` connection and a recording ingest
// (real SQLite for the watermark). The end-to-end run against the sandbox is
// tests/integration/reconcile-orders.test.ts.

const SHOP = "reconcile-unit.myshopify.com";
const NOW = new Date("2026-03-10T12:00:00Z");
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString().replace(/\.000Z$/, "Z");

/** A stand-in `orders(query:, sortKey: UPDATED_AT)` over a list; records the queries it was asked. */
function fakeShopify(orders: GraphqlOrderNode[]) {
  const queries: Array<Record<string, unknown>> = [];
  const graphql: GraphqlFn = async <T,>(_shop: string, _doc: string, v: Record<string, unknown>) => {
    queries.push(v);
    const q = String(v.query);
    const since = /^updated_at:(>=?)'(.+)'$/.exec(q);
    const byId = /^id:(\d+)$/.exec(q);
    const list = orders
      .filter((o) => (byId ? o.id.endsWith(`/${byId[1]}`) : since ? (since[1] === ">=" ? Date.parse(o.updatedAt) >= Date.parse(since[2]) : Date.parse(o.updatedAt) > Date.parse(since[2])) : true))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    const start = v.after ? list.findIndex((o) => o.id === v.after) + 1 : 0;
    const page = list.slice(start, start + Number(v.first));
    const lineStart = v.lineItemsAfter ? Number(v.lineItemsAfter) : 0;
    const result: OrdersUpdatedSinceResult = {
      orders: {
        nodes: page.map((o) => {
          const end = lineStart + Number(v.lineItemsFirst);
          return { ...o, lineItems: { nodes: o.lineItems.nodes.slice(lineStart, end), pageInfo: { hasNextPage: end < o.lineItems.nodes.length, endCursor: String(end) } } };
        }),
        pageInfo: { hasNextPage: start + page.length < list.length, endCursor: page.at(-1)?.id ?? null },
      },
    };
    return result as T;
  };
  return { graphql, queries };
}

function order(n: number, updatedAt: string, lines = 1): GraphqlOrderNode {
  return {
    id: `gid://shopify/Order/${9_000_000_000_000_000_000n + BigInt(n)}`, name: `#${1000 + n}`, createdAt: updatedAt, updatedAt, cancelledAt: null,
    email: `c${n}@example.com`, phone: null, currencyCode: "USD", displayFinancialStatus: "PAID", totalPriceSet: { shopMoney: { amount: "10.00" } },
    customer: null, shippingAddress: null,
    lineItems: {
      nodes: Array.from({ length: lines }, (_, i) => ({
        id: `gid://shopify/LineItem/${n * 1000 + i}`, sku: `SKU-${i}`, title: `Item ${i}`, quantity: 1, currentQuantity: 1, variant: null,
        originalUnitPriceSet: { shopMoney: { amount: "10.00" } },
      })),
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  };
}

/** Ingest that behaves like the real one on updated_at: newer wins, same-or-older is stale. */
function recordingIngest() {
  const held = new Map<string, ChannelOrder>();
  const calls: ChannelOrder[] = [];
  const ingest: IngestFn = async (_channel, o) => {
    calls.push(o);
    const before = held.get(o.externalId);
    if (before && Date.parse(o.updatedAt) <= Date.parse(before.updatedAt)) return { kind: "stale", orderId: o.externalId };
    held.set(o.externalId, o);
    return { kind: before ? "updated" : "created", orderId: o.externalId };
  };
  return { ingest, held, calls };
}

let shopId: string;
beforeEach(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await execute(`DELETE FROM "SyncState" WHERE "shopId" = ?`, shopId);
});

describe("reconcileOrders", () => {
  it("first run looks back 24 h (plus the overlap), ingests everything and sets the watermark to the newest change", async () => {
    const shopify = fakeShopify([order(1, at(90)), order(2, at(30)), order(3, at(60 * 30))]);
    const { ingest, held } = recordingIngest();
    const result = await reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql });
    expect(shopify.queries[0].query).toBe("updated_at:>'2026-03-09T11:55:00Z'");
    expect(result).toEqual({ seen: 2, ingested: 2, stale: 0, invalid: [], watermark: "2026-03-10T11:30:00.000Z", complete: true });
    expect([...held.keys()]).toHaveLength(2);
    expect(await getSyncState(database(), shopId, WATERMARK_KEY)).toBe("2026-03-10T11:30:00.000Z");
  });

  it("a rerun re-reads only the overlap, finds nothing new, and keeps the watermark", async () => {
    const shopify = fakeShopify([order(1, at(90)), order(2, at(30)), order(4, at(33))]);
    const { ingest } = recordingIngest();
    await reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql });
    const again = await reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql, overlapSeconds: 300 });
    expect(shopify.queries.at(-1)!.query).toBe("updated_at:>'2026-03-10T11:25:00Z'");
    expect(again).toMatchObject({ seen: 2, ingested: 0, stale: 2, watermark: "2026-03-10T11:30:00.000Z" }); // 11:27 and 11:30
  });

  it("an order that arrives late inside the overlap is still picked up", async () => {
    const orders = [order(1, at(30))];
    const shopify = fakeShopify(orders);
    const { ingest, held } = recordingIngest();
    await reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql });
    orders.push(order(5, at(32))); // Shopify indexed it after our run, with an earlier updated_at
    const result = await reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql });
    expect(result).toMatchObject({ ingested: 1, stale: 1, watermark: "2026-03-10T11:30:00.000Z" });
    expect(held.has("9000000000000000005")).toBe(true);
  });

  it("never moves the watermark backwards", async () => {
    await setSyncState(database(), shopId, WATERMARK_KEY, "2026-03-10T11:58:00.000Z");
    const shopify = fakeShopify([order(1, at(4))]);
    const result = await reconcileOrders(SHOP, { now: NOW, ...recordingIngest(), graphql: shopify.graphql });
    expect(result).toMatchObject({ seen: 1, ingested: 1, watermark: "2026-03-10T11:58:00.000Z" });
    expect(await getSyncState(database(), shopId, WATERMARK_KEY)).toBe("2026-03-10T11:58:00.000Z");
  });

  it("pages through with the cursor when there are more orders than a page", async () => {
    const shopify = fakeShopify(Array.from({ length: 7 }, (_, i) => order(i + 1, at(60 - i))));
    const { ingest, held } = recordingIngest();
    const result = await reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql, pageSize: 3 });
    expect(shopify.queries.map((q) => q.after === null)).toEqual([true, false, false]);
    expect(result).toMatchObject({ seen: 7, ingested: 7, complete: true, watermark: new Date(at(54)).toISOString() });
    expect(held.size).toBe(7);
  });

  it("a run cut short by maxPages resumes where it stopped, without the overlap, so a busy window cannot stall it", async () => {
    const shopify = fakeShopify(Array.from({ length: 5 }, (_, i) => order(i + 1, at(10 - i))));
    const { ingest, held } = recordingIngest();
    const run = () => reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql, pageSize: 3, maxPages: 1 });
    expect(await run()).toMatchObject({ seen: 3, complete: false, watermark: new Date(at(8)).toISOString() });
    expect(await getSyncState(database(), shopId, RESUME_KEY)).toBe(new Date(at(8)).toISOString());
    expect(await run()).toMatchObject({ seen: 3, ingested: 2, stale: 1, complete: true, watermark: new Date(at(6)).toISOString() });
    expect(shopify.queries.at(-1)!.query).toBe(`updated_at:>='${at(8)}'`);
    expect(held.size).toBe(5);
    expect(await getSyncState(database(), shopId, RESUME_KEY)).toBeNull();
  });

  it("keeps the progress of finished pages when a later page fails", async () => {
    const shopify = fakeShopify(Array.from({ length: 4 }, (_, i) => order(i + 1, at(40 - i))));
    let calls = 0;
    const flaky: GraphqlFn = async (shop, doc, v) => {
      if (++calls === 2) throw new Error("connection reset");
      return shopify.graphql(shop, doc, v);
    };
    await expect(reconcileOrders(SHOP, { now: NOW, ...recordingIngest(), graphql: flaky, pageSize: 2 })).rejects.toThrow("connection reset");
    expect(await getSyncState(database(), shopId, WATERMARK_KEY)).toBe(new Date(at(39)).toISOString());
  });

  it("reads the rest of an order's lines when they do not fit its page", async () => {
    const shopify = fakeShopify([order(1, at(20), 2), order(2, at(10), 25)]);
    const { ingest, held } = recordingIngest();
    await reconcileOrders(SHOP, { now: NOW, ingest, graphql: shopify.graphql, linesPerOrder: 10 });
    expect(held.get("9000000000000000002")!.lines.map((l) => l.sku)).toEqual(Array.from({ length: 25 }, (_, i) => `SKU-${i}`));
    expect(held.get("9000000000000000001")!.lines).toHaveLength(2);
    const reread = shopify.queries.filter((q) => String(q.query).startsWith("id:"));
    expect(reread).toHaveLength(1);
    expect(reread[0]).toMatchObject({ first: 1, query: "id:9000000000000000002", lineItemsAfter: "10" });
    expect(ordersUpdatedSinceCost(1, Number(reread[0].lineItemsFirst))).toBeLessThanOrEqual(1000);
  });

  it("starts an order's lines over when the order changes while they are read", async () => {
    const orders = [order(1, at(10), 15)];
    const base = fakeShopify(orders);
    const graphql: GraphqlFn = async (shop, doc, v) => {
      const result = await base.graphql<OrdersUpdatedSinceResult>(shop, doc, v);
      if (!String(v.query).startsWith("id:")) orders[0] = { ...order(1, at(5), 15), email: "changed@example.com" };
      return result as never;
    };
    const { ingest, held } = recordingIngest();
    await reconcileOrders(SHOP, { now: NOW, ingest, graphql, linesPerOrder: 10 });
    const stored = held.get("9000000000000000001")!;
    expect(stored).toMatchObject({ email: "changed@example.com", updatedAt: new Date(at(5)).toISOString() });
    expect(stored.lines).toHaveLength(15);
  });

  it("skips and reports an order it cannot map, and still ingests the rest", async () => {
    const broken = { ...order(2, at(20)), currencyCode: "DOLLARS" };
    const shopify = fakeShopify([order(1, at(30)), broken, order(3, at(10))]);
    const result = await reconcileOrders(SHOP, { now: NOW, ...recordingIngest(), graphql: shopify.graphql });
    expect(result).toMatchObject({ seen: 3, ingested: 2, watermark: new Date(at(10)).toISOString() });
    expect(result.invalid).toEqual([{ id: "9000000000000000002", error: expect.stringMatching(/currencyCode/) }]);
  });

  it("refuses a page size Shopify would reject for cost, and an unknown shop", async () => {
    expect(ordersUpdatedSinceCost(DEFAULT_ORDERS_PAGE, DEFAULT_LINES_PAGE)).toBeLessThanOrEqual(1000);
    expect(ordersUpdatedSinceCost(1, 250)).toBeGreaterThan(1000); // why lineItems(first: 250) is not asked for
    const shopify = fakeShopify([]);
    await expect(reconcileOrders(SHOP, { ...recordingIngest(), graphql: shopify.graphql, pageSize: 50 })).rejects.toThrow(/costs/);
    await expect(reconcileOrders("nobody.myshopify.com", { ...recordingIngest(), graphql: shopify.graphql })).rejects.toMatchObject({ code: "SHOP.NOT_INSTALLED" });
    expect(shopify.queries).toEqual([]);
  });
});
