import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordWebhook } from "~/.server/db/webhook-inbox";
import { JOB, type ProcessWebhookData } from "~/.server/jobs/queue";
import { sweepInbox } from "~/.server/use-cases/sweep-inbox";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { execute, queryRow } from "../support/db-query";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// A webhook failed by something transient (here: a fulfillment that overtook its order) is not left failed:
// the sweep retries it once its next attempt is due, and so does Shopify's redelivery of the same event.
// Bad data fails once and is never retried.

const SHOP = "retry-test.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

/** A webhook whose job ran once and failed for good in the queue (its retries spent, as after an outage). */
async function failedOnce(topic: string, body: string, eventId: string): Promise<string> {
  const row = await recordWebhook({ shopDomain: SHOP, topic, eventId, webhookId: `w-${eventId}`, payload: body });
  await f.queue.enqueue<ProcessWebhookData>(JOB.processWebhook, { inboxId: row.id!, shopDomain: SHOP }, { jobId: `${SHOP}:${eventId}`, attempts: 1 });
  await f.queue.whenIdle(10_000);
  return row.id!;
}

const row = (id: string) => queryRow<{ status: string; failure: string | null; attempts: number; error: string | null }>(`SELECT "status","failure","attempts","error" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "id" = ?`, SHOP, id);
const shippedUnits = (orderId: bigint) =>
  queryRow<{ n: number }>(`SELECT COALESCE(SUM(a."quantity"), 0) AS "n" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId" WHERE o."shopId" = ? AND o."externalId" = ? AND a."status" = 'fulfilled'`, f.shopId, String(orderId)).then((r) => r!.n);

describe("a transient failure", () => {
  it("is retried by the sweep once its backoff has passed, until the attempt cap", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 2 }] });
    const id = await failedOnce("fulfillments/create", toExactJson(fulfillOrder(f.sandbox.store, SHOP, order.id)), "early-fulfillment");
    expect(await row(id)).toMatchObject({ status: "failed", failure: "transient", attempts: 1, error: expect.stringMatching(/not known/) });

    await f.deliver("orders/create", order); // the order it was waiting for
    await sweepInbox({ now: new Date() }); // not due yet: backoff
    await f.queue.whenIdle(10_000);
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 1 });

    await sweepInbox({ now: new Date(Date.now() + 3_600_000) });
    await f.queue.whenIdle(10_000);
    expect(await row(id)).toMatchObject({ status: "processed", failure: null, error: null, attempts: 2 });
    expect(await shippedUnits(order.id)).toBe(2);

    // After the cap it is left failed (visible on the dashboard), not retried any more.
    const later = f.sandbox.orders(SHOP).create({ lines: [{ sku: (await f.skuWithStock({ newark: 1 })).sku, quantity: 1 }] });
    const capped = await failedOnce("fulfillments/create", toExactJson(fulfillOrder(f.sandbox.store, SHOP, later.id)), "capped");
    expect(await execute(`UPDATE "WebhookInbox" SET "attempts" = 40 WHERE "shopDomain" = ? AND "id" = ?`, SHOP, capped)).toBe(1);
    await f.deliver("orders/create", later);
    await sweepInbox({ now: new Date(Date.now() + 3_600_000) });
    await f.queue.whenIdle(10_000);
    expect(await row(capped)).toMatchObject({ status: "failed", failure: "transient", attempts: 40 });
  });

  it("is re-queued by Shopify's redelivery of the same event", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 1 }] });
    const fulfillment = fulfillOrder(f.sandbox.store, SHOP, order.id);
    const id = await failedOnce("fulfillments/create", toExactJson(fulfillment), "redelivered-fulfillment");
    await f.deliver("orders/create", order);
    await f.deliver("fulfillments/create", fulfillment, { eventId: "redelivered-fulfillment" }); // same X-Shopify-Event-Id
    expect(await row(id)).toMatchObject({ status: "processed", attempts: 2 });
    expect(await shippedUnits(order.id)).toBe(1);
  });

});

describe("an invalid_data failure", () => {
  it("is neither retried by the sweep nor by a redelivery, while a transient one beside it is", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 1 }] });
    const transient = await failedOnce("fulfillments/create", toExactJson(fulfillOrder(f.sandbox.store, SHOP, order.id)), "beside-bad");
    await f.deliver("orders/create", order);
    const bad = `{"id":1,"name":"#1"}`;
    const id = await failedOnce("orders/create", bad, "bad-order");
    expect(await row(id)).toMatchObject({ status: "failed", failure: "terminal", attempts: 1 });
    await sweepInbox({ now: new Date(Date.now() + 3_600_000) });
    await f.queue.whenIdle(10_000);
    await f.deliver("orders/create", bad, { eventId: "bad-order" });
    expect(await row(id)).toMatchObject({ status: "failed", failure: "terminal", attempts: 1 });
    expect(await row(transient)).toMatchObject({ status: "processed", attempts: 2 });
  });
});
