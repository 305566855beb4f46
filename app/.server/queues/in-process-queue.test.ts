import { describe, expect, it } from "vitest";
import { InProcessQueue } from "./in-process-queue";
import { describeQueueContract } from "./queue-contract";

describeQueueContract("in-process", async () => new InProcessQueue());

describe("in-process queue", () => {
  it("forgets the oldest completed ids past its bound, so memory stays flat", async () => {
    const queue = new InProcessQueue({ completedKept: 2 });
    let runs = 0;
    queue.process("job", async () => void runs++);
    for (const id of ["a", "b", "c"]) await queue.enqueue("job", {}, { jobId: id });
    await queue.whenIdle(1_000);
    await queue.enqueue("job", {}, { jobId: "c" }); // still remembered
    await queue.enqueue("job", {}, { jobId: "a" }); // forgotten: runs again
    await queue.whenIdle(1_000);
    expect(runs).toBe(4);
    await queue.close();
  });

  it("drops pending timers on close and refuses new jobs", async () => {
    const queue = new InProcessQueue();
    let runs = 0;
    queue.process("job", async () => void runs++);
    await queue.enqueue("job", {}, { delayMs: 50 });
    await queue.close();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(runs).toBe(0);
    expect((await queue.counts()).delayed).toBe(0);
    await expect(queue.enqueue("job", {})).rejects.toThrow(/closed/);
    expect(await queue.ping()).toBe(false);
  });

  it("close waits for an active handler, up to its timeout", async () => {
    const queue = new InProcessQueue();
    let finished = false;
    queue.process("slow", async () => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      finished = true;
    });
    await queue.enqueue("slow", {});
    await new Promise((resolve) => setImmediate(resolve));
    await queue.close({ timeoutMs: 1_000 });
    expect(finished).toBe(true);
  });

  it("enqueues 100,000 jobs at roughly 100k/s or better", async () => {
    const queue = new InProcessQueue();
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) await queue.enqueue("bulk", { i, shop: "a.myshopify.com" }, { jobId: `e-${i}` });
    const elapsed = performance.now() - start;
    expect((await queue.counts()).waiting).toBe(100_000);
    expect(elapsed).toBeLessThan(2_000); // ~300 ms on a 2-core box; headroom for a busy CI machine
    await queue.close();
  });
});
