import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { resetEnvForTests } from "~/.server/env";
import { listChannels, type ChannelRow } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { connectAmazon } from "~/.server/use-cases/connect-amazon";
import { pollAmazonOrders } from "~/.server/use-cases/poll-amazon-orders";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { SANDBOX_LWA_DEFAULTS, startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server";
import { queryRow, queryRows } from "../support/db-query";

// ADR 0015: Amazon orders polled through the Amazon stand-in over HTTP: MFN orders stored once, routed and
// reserved; AFN orders recorded and never routed; Amazon's cancel and shipment reach ours once; every page read;
// a 429 storm and 5xx delay the poll but lose nothing.

const SHOP = "amazon-orders.myshopify.com";
const SELLER = "A2ORDERSTEST01";
const seed = demoShopSeed(SHOP);
setQueue(new InProcessQueue()); // enqueued jobs never run here

let amazon: AmazonSandbox;
let shopId: string;
let channel: ChannelRow;
/** Catalogue SKUs with stock in the app (so an MFN order reserves). */
let stocked: string[];

beforeAll(async () => {
  const variants = seed.products.flatMap((p) => p.variants);
  stocked = variants.filter((v) => Object.values(v.stock).reduce((a, b) => a + b, 0) >= 10).map((v) => v.sku);
  amazon = await startAmazonSandbox({
    sellerId: SELLER,
    // Faster than Amazon's quotas (getOrders 1 per minute after a burst of 20) so paging 120 orders takes seconds; the
    // 429 test sets them back down.
    rateLimits: { getOrders: { rate: 20, burst: 20 }, getOrderItems: { rate: 200, burst: 200 } },
    listings: variants.map((v) => ({ sku: v.sku, productType: "LUGGAGE", quantity: 10_000 })),
  });
  Object.assign(process.env, { AMAZON_LWA_CLIENT_ID: SANDBOX_LWA_DEFAULTS.clientId, AMAZON_LWA_CLIENT_SECRET: SANDBOX_LWA_DEFAULTS.clientSecret, AMAZON_SP_API_ENDPOINT: amazon.url, AMAZON_LWA_ENDPOINT: `${amazon.url}/auth/o2/token` });
  resetEnvForTests();
  shopId = (await seedDemoShop(seed)).shopId;
  channel = (await listChannels(database(), shopId)).find((c) => c.kind === "amazon")!;
  await connectAmazon(shopId, channel.id, { sellerId: SELLER, marketplaceId: "ATVPDKIKX0DER", refreshToken: String(SANDBOX_LWA_DEFAULTS.refreshToken) });
});
afterAll(async () => {
  await amazon.close();
});

const orderOf = (amazonOrderId: string) =>
  queryRow<{ id: string; status: string; totalMinor: number; currency: string; shipCity: string | null; promisedBy: string | null }>(
    `SELECT "id","status","totalMinor","currency","shipCity","promisedBy" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" = ?`, shopId, channel.id, amazonOrderId,
  );
const allocationsOf = (orderId: string) =>
  queryRows<{ status: string; quantity: number; locationId: string | null }>(`SELECT a."status", a."quantity", a."locationId" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? ORDER BY a."status"`, shopId, orderId);
const countOrders = async () => Number((await queryRow<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Order" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channel.id))!.n);

describe("Amazon orders in", () => {
  it("an MFN order is stored once, routed and reserved, with Amazon's total and promise", async () => {
    const placed = amazon.createOrder({ items: [{ sku: stocked[0], quantity: 2, priceMinor: 1_250 }, { sku: stocked[1], quantity: 1, priceMinor: 999 }] });
    const poll = (await pollAmazonOrders(shopId, channel.id))!;
    expect(poll).toMatchObject({ read: 1, created: 1, fulfilledByAmazon: 0, rejected: [] });
    const order = (await orderOf(placed.amazonOrderId))!;
    expect(order).toMatchObject({ status: "reserved", totalMinor: 2 * 1_250 + 999, currency: "USD", shipCity: "Seattle" });
    expect(order.promisedBy).not.toBeNull();
    const allocations = await allocationsOf(order.id);
    expect(allocations.filter((a) => a.status === "reserved").reduce((n, a) => n + a.quantity, 0)).toBe(3);
    expect(allocations.every((a) => a.locationId !== null)).toBe(true);
    // Polled again (the overlap re-reads it): nothing changes.
    const again = (await pollAmazonOrders(shopId, channel.id))!;
    expect(again).toMatchObject({ created: 0 });
    expect(await countOrders()).toBe(1);
    expect((await allocationsOf(order.id)).filter((a) => a.status === "reserved").reduce((n, a) => n + a.quantity, 0)).toBe(3);
  });

  it("an AFN (FBA) order is recorded, never routed or reserved", async () => {
    const placed = amazon.createOrder({ items: [{ sku: stocked[2], quantity: 4 }], fulfillmentChannel: "AFN", status: "Shipped" });
    const poll = (await pollAmazonOrders(shopId, channel.id))!;
    expect(poll).toMatchObject({ created: 1, fulfilledByAmazon: 1 });
    const order = (await orderOf(placed.amazonOrderId))!;
    expect(order.status).toBe("shipped");
    expect(await allocationsOf(order.id)).toEqual([]);
    const lines = await queryRows<{ quantity: number }>(`SELECT "quantity" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, shopId, order.id);
    expect(lines).toEqual([{ quantity: 4 }]); // in sales history
  });

  it("Amazon's cancel releases ours; what Amazon reports shipped is consumed once", async () => {
    const toCancel = amazon.createOrder({ items: [{ sku: stocked[3], quantity: 1 }] });
    const toShip = amazon.createOrder({ items: [{ sku: stocked[4], quantity: 2 }] });
    await pollAmazonOrders(shopId, channel.id);
    const shipOrder = (await orderOf(toShip.amazonOrderId))!;
    expect((await orderOf(toCancel.amazonOrderId))!.status).toBe("reserved");
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // Amazon's dates are whole seconds: the update is newer
    amazon.orders.setStatus(toCancel.amazonOrderId, "Canceled");
    amazon.orders.setStatus(toShip.amazonOrderId, "Shipped");
    const poll = (await pollAmazonOrders(shopId, channel.id))!;
    expect(poll).toMatchObject({ cancelled: 1, shipped: 1 });
    const cancelled = (await orderOf(toCancel.amazonOrderId))!;
    expect(cancelled.status).toBe("cancelled");
    expect((await allocationsOf(cancelled.id)).some((a) => a.status === "reserved")).toBe(false);
    expect((await allocationsOf(shipOrder.id)).filter((a) => a.status === "fulfilled").reduce((n, a) => n + a.quantity, 0)).toBe(2);
    const again = (await pollAmazonOrders(shopId, channel.id))!;
    expect(again.shipped).toBe(0);
    expect((await allocationsOf(shipOrder.id)).filter((a) => a.status === "fulfilled").reduce((n, a) => n + a.quantity, 0)).toBe(2);
  });

  it("reads every page (NextToken) and moves its watermark only after all of them", async () => {
    const before = await countOrders();
    for (let i = 0; i < 120; i++) amazon.createOrder({ items: [{ sku: stocked[i % stocked.length], quantity: 1 }] });
    const poll = (await pollAmazonOrders(shopId, channel.id))!;
    expect(poll.created).toBe(120);
    expect(await countOrders()).toBe(before + 120);
  });

  it("a 429 storm and 5xx answers delay the poll but lose nothing", async () => {
    amazon.rateLimits.setPlan("getOrders", { rate: 4, burst: 1 });
    amazon.rateLimits.setPlan("getOrderItems", { rate: 8, burst: 1 });
    const placed = Array.from({ length: 6 }, (_, i) => amazon.createOrder({ items: [{ sku: stocked[i], quantity: 1 }] }));
    amazon.faults.inject("getOrderItems", { kind: 503, times: 2 });
    const refusedBefore = amazon.rateLimits.refused("getOrderItems") + amazon.rateLimits.refused("getOrders");
    const poll = (await pollAmazonOrders(shopId, channel.id))!;
    expect(poll.created).toBe(6);
    for (const p of placed) expect((await orderOf(p.amazonOrderId))?.status).toBe("reserved");
    expect(amazon.rateLimits.refused("getOrderItems") + amazon.rateLimits.refused("getOrders") - refusedBefore).toBeGreaterThan(0);
  });

  it("an order Amazon lists that cannot be mapped is recorded with the reason; the others come in", async () => {
    const bad = amazon.createOrder({ items: [{ sku: stocked[0], quantity: 1 }] });
    const good = amazon.createOrder({ items: [{ sku: stocked[1], quantity: 1 }] });
    amazon.orders.orders.get(bad.amazonOrderId)!.currency = "XX"; // not a currency code: its money cannot be read
    const poll = (await pollAmazonOrders(shopId, channel.id))!;
    expect(poll.rejected).toEqual([{ amazonOrderId: bad.amazonOrderId, error: expect.stringMatching(/CurrencyCode/) }]);
    expect(await orderOf(good.amazonOrderId)).toBeDefined();
    expect(await orderOf(bad.amazonOrderId)).toBeUndefined();
    const audit = await queryRow<{ data: string }>(`SELECT "data" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'order.rejected' ORDER BY "createdAt" DESC LIMIT 1`, shopId);
    expect(audit?.data).toContain(bad.amazonOrderId);
  });
});
