import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BullQueue } from "./bull-queue";
import { describeQueueContract } from "./queue-contract";

// Runs under `npm run test:bull` with a real Redis. Without REDIS_URL this file fails on purpose:
// a skipped Redis suite would look like a passing one.
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  throw new Error("REDIS_URL is not set: the Bull queue tests need a running Redis (see .ci/run or docs/decisions/0002-queue-port.md)");
}

let n = 0;
describeQueueContract(
  "bull",
  async () => new BullQueue({ redisUrl, prefix: `oms-test-${process.pid}-${Date.now()}-${++n}` }),
  { dispose: (queue) => (queue as BullQueue).destroy() },
);

describe("bull queue across processes", () => {
  const prefix = `oms-test-${process.pid}-${Date.now()}-shared`;
  let web: BullQueue;
  let worker: BullQueue;
  beforeEach(() => {
    web = new BullQueue({ redisUrl, prefix });
    worker = new BullQueue({ redisUrl, prefix });
  });
  afterEach(async () => {
    await web.close();
    await worker.destroy();
  });

  it("runs in the worker what the web process enqueued, and the web process sees its failures", async () => {
    const runs: unknown[] = [];
    await web.enqueue("ingest-order", { orderId: 1 }, { jobId: "wh-1" });
    await web.enqueue("ingest-order", { orderId: 2 }, { jobId: "wh-2", attempts: 1 });
    worker.process<{ orderId: number }>("ingest-order", async (job) => {
      runs.push(job.data.orderId);
      if (job.data.orderId === 2) throw new Error("boom");
    });
    await web.whenIdle(5_000);
    expect(runs.sort()).toEqual([1, 2]);

    // A fresh instance (e.g. after a restart) finds the queue through the name registry.
    const admin = new BullQueue({ redisUrl, prefix });
    try {
      expect(await admin.failed()).toMatchObject([{ id: "wh-2", name: "ingest-order", error: "boom" }]);
      expect(await admin.counts()).toMatchObject({ completed: 1, failed: 1 });
    } finally {
      await admin.close();
    }
  });
});
