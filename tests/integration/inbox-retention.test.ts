import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { sweepInbox } from "~/.server/use-cases/sweep-inbox";
import { queryRow, queryRows } from "../support/db-query";
import { shopifyOrderBody } from "../support/orders";
import { webhookRequest } from "../support/webhooks";

// The inbox keeps a raw body only as long as replay and debugging need it (INBOX_PAYLOAD_RETENTION_MS,
// 7 days): the sweep then replaces it by a marker and keeps the row, so a redelivery of that event is still
// a duplicate; the row itself goes after INBOX_ROW_RETENTION_MS (90 days).

const SHOP = "retention-test.myshopify.com";
const DAY = 86_400_000;
const queue = new InProcessQueue();
setQueue(queue);
const worker = runWorker({ queue, jobs: ALL_JOBS, log: { info() {}, warn() {}, error() {} }, signals: [] });

async function deliver(shop: string, topic: string, body: string, eventId: string) {
  expect((await receiveWebhook(webhookRequest({ topic, shop, body, eventId }), topic)).status).toBe(200);
  await queue.whenIdle(10_000);
}
const inboxRow = (eventId: string) => queryRow<{ status: string; payload: string; attempts: number }>(`SELECT "status","payload","attempts" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, SHOP, eventId);

beforeAll(async () => {
  await ensureShop(SHOP);
});
afterAll(() => worker.stop());

describe("inbox retention", () => {
  it("trims a processed body after 7 days, keeps the row for idempotency, deletes it after 90", async () => {
    const body = shopifyOrderBody({ id: "7300000000000000001", email: "kept.a.week@example.com" });
    await deliver(SHOP, "orders/create", body, "order-1");
    expect((await inboxRow("order-1"))!.payload).toContain("kept.a.week@example.com");

    await sweepInbox({ now: new Date(Date.now() + 6 * DAY) });
    expect((await inboxRow("order-1"))!.payload).toContain("kept.a.week@example.com");
    await sweepInbox({ now: new Date(Date.now() + 8 * DAY) });
    expect(await inboxRow("order-1")).toEqual({ status: "processed", payload: '{"trimmed":"retention"}', attempts: 1 });

    await deliver(SHOP, "orders/create", body, "order-1"); // Shopify's redelivery: still a duplicate, not run again
    expect(await inboxRow("order-1")).toMatchObject({ status: "processed", attempts: 1 });

    await sweepInbox({ now: new Date(Date.now() + 91 * DAY) });
    expect(await inboxRow("order-1")).toBeUndefined();
  });

  it("never trims a body still to be processed, and runs a held one once its shop is installed", async () => {
    const body = shopifyOrderBody({ id: "7300000000000000002", email: "waiting@example.com" });
    await deliver("not-yet-installed.myshopify.com", "orders/create", body, "held-1");
    await sweepInbox({ now: new Date(Date.now() + 6 * DAY) });
    const held = await queryRows<{ status: string; payload: string }>(`SELECT "status","payload" FROM "WebhookInbox" WHERE "shopDomain" = ?`, "not-yet-installed.myshopify.com");
    expect(held).toEqual([{ status: "held", payload: body }]);

    // Its shop installed another way than token exchange (e.g. an authenticated admin request created it): the sweep runs it.
    await ensureShop("not-yet-installed.myshopify.com");
    await sweepInbox();
    await queue.whenIdle(10_000);
    expect(await queryRow(`SELECT "status" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, "not-yet-installed.myshopify.com", "held-1")).toEqual({ status: "processed" });
    expect(await queryRow(`SELECT COUNT(*) AS "n" FROM "Order" WHERE "externalId" = ?`, "7300000000000000002")).toEqual({ n: 1 });
  });
});
