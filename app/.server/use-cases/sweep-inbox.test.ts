import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { recordWebhook } from "../db/webhook-inbox";
import { ensureShop } from "../db/shops";
import { ALL_JOBS } from "../jobs/definitions";
import { setQueue } from "../jobs/queue";
import { InProcessQueue } from "../queues/in-process-queue";
import { runWorker } from "../queues/worker-runner";
import { sweepInbox } from "./sweep-inbox";

// A webhook recorded but never enqueued (the process died in between) is picked up by the sweep.
const queue = new InProcessQueue();
setQueue(queue);

describe("sweepInbox", () => {
  afterAll(() => queue.close());

  it("re-enqueues only stale unprocessed rows, and they get processed", async () => {
    await ensureShop("sweep.myshopify.com");
    const body = '{"id":5,"admin_graphql_api_id":"gid://shopify/Order/5","name":"#5","currency":"USD","total_price":"1.00","created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z","line_items":[]}';
    const stale = await recordWebhook({ shopDomain: "sweep.myshopify.com", topic: "orders/create", eventId: "lost-1", webhookId: "w1", payload: body });
    await db().webhookInbox.update({ where: { id: stale.id }, data: { receivedAt: new Date(Date.now() - 120_000) } });
    await recordWebhook({ shopDomain: "sweep.myshopify.com", topic: "orders/create", eventId: "fresh-1", webhookId: "w2", payload: body });

    expect(await sweepInbox()).toBe(1);
    const worker = runWorker({ queue, jobs: ALL_JOBS, log: { info() {}, warn() {}, error() {} }, signals: [] });
    await queue.whenIdle(10_000);
    await worker.stop();
    expect((await db().webhookInbox.findFirstOrThrow({ where: { eventId: "lost-1" } })).status).toBe("processed");
    expect((await db().webhookInbox.findFirstOrThrow({ where: { eventId: "fresh-1" } })).status).toBe("received");
    expect(await db().order.count({ where: { externalId: "5" } })).toBe(1);
  });
});
