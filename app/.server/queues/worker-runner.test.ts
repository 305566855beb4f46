import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { enqueueJob, type JobDefinition } from "./job-definition";
import { InProcessQueue } from "./in-process-queue";
import { TerminalJobError } from "./queue-port";
import { runWorker, type WorkerLog } from "./worker-runner";

function memoryLog() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  const log: WorkerLog = { info: at("info"), warn: at("warn"), error: at("error") };
  return { log, lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("runWorker", () => {
  it("runs each job definition and logs failed runs", async () => {
    const queue = new InProcessQueue();
    const { log, lines } = memoryLog();
    const done: string[] = [];
    const ingest: JobDefinition<{ orderId: string }> = {
      name: "ingest-order",
      attempts: 1,
      perform: async (job) => {
        if (job.data.orderId === "bad") throw new TerminalJobError("Shopify 404");
        done.push(job.data.orderId);
      },
    };
    const worker = runWorker({ queue, jobs: [ingest], log, signalSource: new EventEmitter() });
    await enqueueJob(queue, ingest, { orderId: "o-1" });
    await enqueueJob(queue, ingest, { orderId: "bad" });
    await queue.whenIdle(1_000);

    expect(done).toEqual(["o-1"]);
    expect(await queue.failed()).toMatchObject([{ name: "ingest-order", error: "Shopify 404", attempts: 1 }]);
    expect(lines).toContainEqual({ level: "info", message: "worker started", fields: { driver: "in-process", jobs: ["ingest-order"] } });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "warn", message: "job run failed", fields: expect.objectContaining({ terminal: true, attempt: 1 }) }),
    );
    await worker.stop();
  });

  it("on SIGTERM stops taking jobs, lets the active one finish, and closes the queue", async () => {
    const queue = new InProcessQueue();
    const signals = new EventEmitter();
    const { log, lines } = memoryLog();
    let finished = 0;
    const slow: JobDefinition = { name: "slow", perform: async () => void (await sleep(50), finished++) };
    const worker = runWorker({ queue, jobs: [slow], log, signalSource: signals });
    await queue.enqueue("slow", {});
    await queue.enqueue("slow", {}); // waits behind the first (concurrency 1) and is dropped at shutdown
    await sleep(10);

    signals.emit("SIGTERM", "SIGTERM");
    await worker.stopped;
    expect(finished).toBe(1);
    await expect(queue.enqueue("slow", {})).rejects.toThrow(/closed/);
    expect(lines.map((l) => l.message)).toEqual(["worker started", "worker stopping", "worker stopped"]);
    expect(lines[1].fields).toEqual({ reason: "SIGTERM" });
    expect(signals.listenerCount("SIGTERM") + signals.listenerCount("SIGINT")).toBe(0);
  });

  it("gives up on a stuck job after the shutdown timeout; a second signal forces exit", async () => {
    const queue = new InProcessQueue();
    const signals = new EventEmitter();
    const { log } = memoryLog();
    let forced = 0;
    const stuck: JobDefinition = { name: "stuck", perform: () => new Promise(() => {}) };
    const worker = runWorker({ queue, jobs: [stuck], log, signalSource: signals, shutdownTimeoutMs: 50, forceExit: () => void forced++ });
    await queue.enqueue("stuck", {});
    await sleep(5);

    const started = Date.now();
    signals.emit("SIGINT", "SIGINT");
    signals.emit("SIGINT", "SIGINT");
    await worker.stopped;
    expect(forced).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("refuses two definitions with the same name", () => {
    const job: JobDefinition = { name: "twice", perform: async () => {} };
    expect(() => runWorker({ queue: new InProcessQueue(), jobs: [job, job], log: memoryLog().log, signalSource: new EventEmitter() })).toThrow(
      /defined twice/,
    );
  });
});
