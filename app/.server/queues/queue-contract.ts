import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TerminalJobError, type JobContext, type JobQueue } from "./queue-port";

// The behaviour every driver owes the app, run against each one (in-process-queue.test.ts,
// bull-queue.bull.test.ts). A driver that passes can replace another without the app noticing.

export interface QueueContractOptions {
  /** How to let go of a queue after each test (default: close()); Bull also deletes its keys. */
  dispose?: (queue: JobQueue) => Promise<void>;
}

const fast = { backoffMs: 10 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeQueueContract(
  label: string,
  makeQueue: () => Promise<JobQueue>,
  opts: QueueContractOptions = {},
): void {
  describe(`queue contract: ${label}`, () => {
    let queue: JobQueue;
    beforeEach(async () => {
      queue = await makeQueue();
    });
    afterEach(async () => {
      await (opts.dispose ?? ((q: JobQueue) => q.close()))(queue);
    });

    it("runs a job with its data, delivered as JSON", async () => {
      const seen: JobContext<unknown>[] = [];
      queue.process("ingest-order", async (job) => void seen.push(job));
      await queue.enqueue("ingest-order", { orderId: 7, placedAt: new Date("2026-01-02T03:04:05Z") }, { jobId: "evt-1" });
      await queue.whenIdle(5_000);
      expect(seen).toEqual([
        { id: "evt-1", name: "ingest-order", attempt: 1, data: { orderId: 7, placedAt: "2026-01-02T03:04:05.000Z" } },
      ]);
    });

    it("runs a job id once, even when enqueued again while waiting or after completing", async () => {
      const runs: string[] = [];
      await queue.enqueue("ingest-order", { n: 1 }, { jobId: "evt-9" });
      await queue.enqueue("ingest-order", { n: 2 }, { jobId: "evt-9" });
      queue.process("ingest-order", async (job) => void runs.push(`${job.name}:${job.id}`));
      queue.process("push-inventory", async (job) => void runs.push(`${job.name}:${job.id}`));
      await queue.whenIdle(5_000);
      await queue.enqueue("ingest-order", { n: 3 }, { jobId: "evt-9" }); // a replayed webhook
      await queue.enqueue("push-inventory", { n: 4 }, { jobId: "evt-9" }); // ids are scoped to a job name
      await queue.whenIdle(5_000);
      expect(runs.sort()).toEqual(["ingest-order:evt-9", "push-inventory:evt-9"]);
    });

    it("retries with exponential backoff until the job succeeds", async () => {
      const attempts: { attempt: number; at: number }[] = [];
      queue.process("sync", async (job) => {
        attempts.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt < 3) throw new Error("Shopify 502");
      });
      await queue.enqueue("sync", {}, { attempts: 5, backoffMs: 20 });
      await queue.whenIdle(5_000);
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      // waits of 20 ms then 60 ms: (2^n - 1) * 20
      expect(attempts[2].at - attempts[0].at).toBeGreaterThanOrEqual(75);
      expect(await queue.failed()).toEqual([]);
    });

    it("lists a job in failed() with its error once its attempts are used up", async () => {
      let runs = 0;
      queue.process("sync", async () => {
        runs++;
        throw new Error("shop API down");
      });
      await queue.enqueue("sync", { shop: "a.myshopify.com" }, { jobId: "j-1", attempts: 3, ...fast });
      await queue.whenIdle(5_000);
      expect(runs).toBe(3);
      const failed = await queue.failed();
      expect(failed).toEqual([
        { id: "j-1", name: "sync", data: { shop: "a.myshopify.com" }, error: "shop API down", attempts: 3, failedAt: expect.any(String) },
      ]);
      expect(Date.parse(failed[0].failedAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(await queue.failed("other-job")).toEqual([]);
      expect((await queue.counts()).failed).toBe(1);
    });

    it("fails a TerminalJobError at once, without retries", async () => {
      let runs = 0;
      queue.process("sync", async () => {
        runs++;
        throw new TerminalJobError("Shopify 404: order not found");
      });
      await queue.enqueue("sync", {}, { jobId: "j-2", attempts: 5, ...fast });
      await queue.whenIdle(5_000);
      expect(runs).toBe(1);
      expect(await queue.failed("sync")).toMatchObject([{ id: "j-2", error: "Shopify 404: order not found", attempts: 1 }]);
    });

    it("retryFailed re-runs a failed job with fresh attempts", async () => {
      const attempts: number[] = [];
      let sessionMissing = true;
      queue.process("sync", async (job) => {
        attempts.push(job.attempt);
        if (sessionMissing) throw new TerminalJobError("no session");
      });
      await queue.enqueue("sync", {}, { jobId: "j-3", ...fast });
      await queue.whenIdle(5_000);
      expect(await queue.retryFailed("missing")).toBe(false);

      sessionMissing = false;
      expect(await queue.retryFailed("j-3")).toBe(true);
      await queue.whenIdle(5_000);
      expect(attempts).toEqual([1, 1]);
      expect(await queue.failed()).toEqual([]);
      expect(await queue.retryFailed("j-3")).toBe(false);
    });

    it("never runs more handlers of a job at once than its concurrency", async () => {
      let active = 0;
      let maxActive = 0;
      let done = 0;
      queue.process(
        "pick",
        async () => {
          maxActive = Math.max(maxActive, ++active);
          await sleep(30);
          active--;
          done++;
        },
        { concurrency: 3 },
      );
      await queue.enqueueMany(Array.from({ length: 12 }, (_, i) => ({ name: "pick", data: { i } })));
      await queue.whenIdle(10_000);
      expect(done).toBe(12);
      expect(maxActive).toBeLessThanOrEqual(3);
      expect(maxActive).toBeGreaterThan(1);
    });

    it("does not run a delayed job before its delay", async () => {
      let ranAt = 0;
      queue.process("reminder", async () => void (ranAt = Date.now()));
      const start = Date.now();
      await queue.enqueue("reminder", {}, { delayMs: 200 });
      expect(await queue.counts()).toMatchObject({ delayed: 1, waiting: 0 });
      await queue.whenIdle(5_000);
      expect(ranAt - start).toBeGreaterThanOrEqual(195);
    });

    it("runs each of 1,000 bulk-enqueued jobs exactly once", async () => {
      const seen = new Map<number, number>();
      const record = async (job: JobContext<{ n: number }>) => void seen.set(job.data.n, (seen.get(job.data.n) ?? 0) + 1);
      queue.process("a", record, { concurrency: 10 });
      queue.process("b", record, { concurrency: 10 });
      const items = Array.from({ length: 1_000 }, (_, n) => ({ name: n % 2 ? "a" : "b", data: { n }, opts: { jobId: `bulk-${n}` } }));
      await queue.enqueueMany(items);
      await queue.enqueueMany(items.slice(0, 100)); // duplicates are no-ops
      await queue.whenIdle(30_000);
      expect(seen.size).toBe(1_000);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    });

    it("counts jobs by state and waits for idle", async () => {
      await queue.enqueueMany([1, 2, 3].map((n) => ({ name: "report", data: { n } })));
      expect(await queue.counts()).toEqual({ waiting: 3, active: 0, delayed: 0, failed: 0, completed: 0 });
      await expect(queue.whenIdle(100)).rejects.toThrow(/not idle/);
      queue.process("report", async () => {
        await sleep(5);
      });
      await queue.whenIdle(5_000);
      expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 3 });
    });

    it("answers ping and refuses a second handler for a job name", async () => {
      expect(await queue.ping()).toBe(true);
      queue.process("once", async () => {});
      expect(() => queue.process("once", async () => {})).toThrow(/already registered/);
    });
  });
}
