import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { recordWebhook } from "../db/webhook-inbox";
import { ensureShop } from "../db/shops";
import { ALL_JOBS } from "../jobs/definitions";
import { setQueue } from "../jobs/queue";
import { InProcessQueue } from "../queues/in-process-queue";
import { runWorker } from "../queues/worker-runner";
import { sweepInbox } from "./sweep-inbox";
import { processWebhook } from "./process-webhook";
import { TerminalJobError } from "../queues/queue-port";

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

describe("sweepInbox recovers what a crash strands", () => {
  it("retries a webhook whose job was failed without running (Bull: stalled too often)", async () => {
    const q = new InProcessQueue();
    setQueue(q);
    const body = '{"id":6,"admin_graphql_api_id":"gid://shopify/Order/6","name":"#6","currency":"USD","total_price":"1.00","created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z","line_items":[]}';
    const row = await recordWebhook({ shopDomain: "sweep.myshopify.com", topic: "orders/create", eventId: "stalled-1", webhookId: "w3", payload: body });
    await db().webhookInbox.update({ where: { id: row.id }, data: { receivedAt: new Date(Date.now() - 120_000) } });
    // The job ran out of attempts without our handler finishing (as Bull does after repeated stalls).
    let calls = 0;
    q.process("apply-routing", async () => {});
    q.process("process-webhook", async () => {
      calls += 1;
      if (calls === 1) throw new TerminalJobError("job stalled more than allowable limit");
      await processWebhook(row.id);
    });
    await q.enqueue("process-webhook", { inboxId: row.id }, { jobId: "sweep.myshopify.com:stalled-1" });
    await q.whenIdle(5_000);
    expect((await q.failed()).map((f) => f.id)).toContain("sweep.myshopify.com:stalled-1");
    expect(await sweepInbox()).toBeGreaterThanOrEqual(1);
    await q.whenIdle(5_000);
    expect((await db().webhookInbox.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("processed");
    await q.close();
  });

  it("dispatches a routing decision that was committed but never enqueued, and only the latest", async () => {
    const q = new InProcessQueue();
    setQueue(q);
    const shop = await ensureShop("sweep.myshopify.com");
    const channel = await db().channel.findFirstOrThrow({ where: { shopId: shop.id, kind: "manual" } });
    const order = await db().order.create({ data: { shopId: shop.id, channelId: channel.id, externalId: "no-decision-yet", name: "#7", currency: "USD", totalMinor: 100, placedAt: new Date() } });
    const base = { shopId: shop.id, orderId: order.id, method: "exact", decidedBy: "lowest_landed_cost", totalCostMinor: 1, shipments: 1, unitsAllocated: 1, unitsBackordered: 0, explanation: "{}" };
    const old = await db().routingDecision.create({ data: { ...base, createdAt: new Date(Date.now() - 300_000) } });
    const latest = await db().routingDecision.create({ data: { ...base, createdAt: new Date(Date.now() - 200_000) } });
    const enqueued: string[] = [];
    q.process("apply-routing", async (job) => void enqueued.push((job.data as { decisionId: string }).decisionId));
    await sweepInbox();
    await q.whenIdle(5_000);
    expect(enqueued).toEqual([latest.id]);
    expect((await db().routingDecision.findUniqueOrThrow({ where: { id: old.id } })).dispatchedAt).not.toBeNull();
    expect((await db().routingDecision.findUniqueOrThrow({ where: { id: latest.id } })).dispatchedAt).not.toBeNull();
    await sweepInbox();
    await q.whenIdle(5_000);
    expect(enqueued).toEqual([latest.id]); // dispatched once
    await q.close();
  });
});
