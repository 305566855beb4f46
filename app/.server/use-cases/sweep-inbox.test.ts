import { afterAll, describe, expect, it } from "vitest";
import { execute, queryNumber, queryRow } from "../../../tests/support/db-query";
import { newId } from "../db/ids";
import { recordWebhook } from "../db/webhook-inbox";
import { ensureShop } from "../db/shops";
import { ALL_JOBS } from "../jobs/definitions";
import { setQueue, type ProcessWebhookData } from "../jobs/queue";
import { InProcessQueue } from "../queues/in-process-queue";
import { runWorker } from "../queues/worker-runner";
import { sweepInbox } from "./sweep-inbox";
import { processWebhook } from "./process-webhook";
import { TerminalJobError } from "../queues/queue-port";

// A webhook recorded but never enqueued (the process died in between) is picked up by the sweep.
const queue = new InProcessQueue();
setQueue(queue);
const SHOP = "sweep.myshopify.com";
const inboxStatus = async (column: "eventId" | "id", value: string) =>
  (await queryRow<{ status: string }>(`SELECT "status" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "${column}" = ?`, SHOP, value))?.status;
/** As if received two minutes ago (older than the sweep's SWEEP_AFTER_MS). */
const receivedLongAgo = (id: string) => execute(`UPDATE "WebhookInbox" SET "receivedAt" = ? WHERE "shopDomain" = ? AND "id" = ?`, new Date(Date.now() - 120_000), SHOP, id);
const dispatchedAt = async (id: string) => (await queryRow<{ dispatchedAt: string | null }>(`SELECT "dispatchedAt" FROM "RoutingDecision" WHERE "id" = ?`, id))?.dispatchedAt;

describe("sweepInbox", () => {
  afterAll(() => queue.close());

  it("re-enqueues only stale unprocessed rows, and they get processed", async () => {
    await ensureShop("sweep.myshopify.com");
    const body = '{"id":5,"admin_graphql_api_id":"gid://shopify/Order/5","name":"#5","currency":"USD","total_price":"1.00","created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z","line_items":[]}';
    const stale = await recordWebhook({ shopDomain: "sweep.myshopify.com", topic: "orders/create", eventId: "lost-1", webhookId: "w1", payload: body });
    await receivedLongAgo(stale.id!);
    await recordWebhook({ shopDomain: "sweep.myshopify.com", topic: "orders/create", eventId: "fresh-1", webhookId: "w2", payload: body });

    expect(await sweepInbox()).toBe(1);
    const worker = runWorker({ queue, jobs: ALL_JOBS, log: { info() {}, warn() {}, error() {} }, signals: [] });
    await queue.whenIdle(10_000);
    await worker.stop();
    expect(await inboxStatus("eventId", "lost-1")).toBe("processed");
    expect(await inboxStatus("eventId", "fresh-1")).toBe("received");
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ? AND o."externalId" = '5'`, SHOP)).toBe(1);
  });
});

describe("sweepInbox recovers what a crash strands", () => {
  it("retries a webhook whose job was failed without running (Bull: stalled too often)", async () => {
    const q = new InProcessQueue();
    setQueue(q);
    const body = '{"id":6,"admin_graphql_api_id":"gid://shopify/Order/6","name":"#6","currency":"USD","total_price":"1.00","created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z","line_items":[]}';
    const row = await recordWebhook({ shopDomain: "sweep.myshopify.com", topic: "orders/create", eventId: "stalled-1", webhookId: "w3", payload: body });
    await receivedLongAgo(row.id!);
    // The job ran out of attempts without our handler finishing (as Bull does after repeated stalls).
    let calls = 0;
    q.process("apply-routing", async () => {});
    q.process("process-webhook", async () => {
      calls += 1;
      if (calls === 1) throw new TerminalJobError("job stalled more than allowable limit");
      await processWebhook(row.id!, SHOP);
    });
    await q.enqueue<ProcessWebhookData>("process-webhook", { inboxId: row.id!, shopDomain: SHOP }, { jobId: "sweep.myshopify.com:stalled-1" });
    await q.whenIdle(5_000);
    expect((await q.failed()).map((f) => f.id)).toContain("sweep.myshopify.com:stalled-1");
    expect(await sweepInbox()).toBeGreaterThanOrEqual(1);
    await q.whenIdle(5_000);
    expect(await inboxStatus("id", row.id!)).toBe("processed");
    await q.close();
  });

  it("dispatches a routing decision that was committed but never enqueued, and only the latest", async () => {
    const q = new InProcessQueue();
    setQueue(q);
    const shop = await ensureShop("sweep.myshopify.com");
    const channel = (await queryRow<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'manual'`, shop.id))!;
    const order = { id: newId() };
    await execute(`INSERT INTO "Order" ("id","shopId","channelId","externalId","name","currency","totalMinor","placedAt") VALUES (?,?,?,'no-decision-yet','#7','USD',100,?)`, order.id, shop.id, channel.id, new Date());
    const decision = async (createdAt: Date) => {
      const id = newId();
      await execute(
        `INSERT INTO "RoutingDecision" ("id","shopId","orderId","method","decidedBy","totalCostMinor","shipments","unitsAllocated","unitsBackordered","explanation","createdAt") VALUES (?,?,?,'exact','lowest_landed_cost',1,1,1,0,'{}',?)`,
        id, shop.id, order.id, createdAt,
      );
      return { id };
    };
    const old = await decision(new Date(Date.now() - 300_000));
    const latest = await decision(new Date(Date.now() - 200_000));
    const enqueued: string[] = [];
    q.process("apply-routing", async (job) => void enqueued.push((job.data as { decisionId: string }).decisionId));
    await sweepInbox();
    await q.whenIdle(5_000);
    expect(enqueued).toEqual([latest.id]);
    expect(await dispatchedAt(old.id)).toEqual(expect.any(String));
    expect(await dispatchedAt(latest.id)).toEqual(expect.any(String));
    await sweepInbox();
    await q.whenIdle(5_000);
    expect(enqueued).toEqual([latest.id]); // dispatched once
    await q.close();
  });
});
