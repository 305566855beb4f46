import Bull from "bull";
import {
  COMPLETED_JOBS_KEPT,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  isTerminalJobError,
  type CloseOptions,
  type EnqueueOptions,
  type FailedJob,
  type JobHandler,
  type JobQueue,
  type ProcessOptions,
  type QueueCounts,
} from "./queue-port";

// The Redis driver (REDIS_URL): one Bull queue per job name under a key prefix. Jobs survive restarts
// and are shared by the web process (enqueues) and the worker (processes). Names are recorded in a
// Redis set so any process can list failed jobs and counts for every queue under the prefix.

export interface BullQueueOptions {
  redisUrl: string;
  /** Redis key prefix. Default "oms". */
  prefix?: string;
  /** Redis and Bull errors (connection lost, ...). Default: console.error. */
  onError?: (error: Error, queueName: string) => void;
  /** Bull's crash-recovery timings: how long a job's lock lives, how often stalled jobs are looked for,
   * and how many stalls a job survives before it is failed. Bull's defaults: 30 s, 30 s, 1. */
  settings?: { lockDuration?: number; stalledInterval?: number; maxStalledCount?: number };
}

const CONTROL_NAME = "_control"; // a Bull queue used only for its Redis client
const IDLE_POLL_MS = 25;
const PING_TIMEOUT_MS = 1_000;

export class BullQueue implements JobQueue {
  readonly driver = "bull" as const;
  readonly prefix: string;
  private readonly queues = new Map<string, Bull.Queue>();
  private readonly handled = new Set<string>();
  private controlQueue: Bull.Queue | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: BullQueueOptions) {
    this.prefix = opts.prefix ?? "oms";
  }

  async enqueue<T>(name: string, data: T, opts?: EnqueueOptions): Promise<void> {
    await this.queue(name).add(data, jobOptions(opts));
  }

  async enqueueMany<T>(items: { name: string; data: T; opts?: EnqueueOptions }[]): Promise<void> {
    const byName = new Map<string, { data: T; opts: Bull.JobOptions }[]>();
    for (const item of items) {
      const batch = byName.get(item.name) ?? [];
      batch.push({ data: item.data, opts: jobOptions(item.opts) });
      byName.set(item.name, batch);
    }
    await Promise.all([...byName].map(([name, batch]) => this.queue(name).addBulk(batch)));
  }

  process<T>(name: string, handler: JobHandler<T>, opts: ProcessOptions = {}): void {
    if (this.handled.has(name)) throw new Error(`A handler for job "${name}" is already registered`);
    this.handled.add(name);
    const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
    // Bull 4 allows one process() per queue; concurrency is given here, once.
    this.queue(name)
      .process(concurrency, async (job: Bull.Job<T>) => {
        try {
          await handler({ id: String(job.id), name, data: job.data, attempt: job.attemptsMade + 1 });
        } catch (error) {
          if (isTerminalJobError(error)) job.discard(); // straight to failed, no retries
          throw error instanceof Error ? error : new Error(String(error));
        }
      })
      .catch((error: unknown) => {
        // Closing the queue before its processing loop started rejects this promise: not an error.
        if (!this.closing) this.reportError(error, name);
      });
  }

  async failed(name?: string, limit = 1000): Promise<FailedJob[]> {
    const names = name === undefined ? await this.allNames() : [name];
    const lists = await Promise.all(
      names.map(async (n) => (await this.queue(n).getFailed(0, limit - 1)).filter(Boolean).map((j) => toFailedJob(n, j))),
    );
    return lists
      .flat()
      .sort((a, b) => b.failedAt.localeCompare(a.failedAt))
      .slice(0, limit);
  }

  async retryFailed(id: string, name?: string): Promise<boolean> {
    for (const n of name === undefined ? await this.allNames() : [name]) {
      const queue = this.queue(n);
      const job = await queue.getJob(id);
      if (!job || !(await job.isFailed())) continue;
      // Bull's retry keeps attemptsMade (one more run at most); a manual retry gets a fresh set of attempts.
      await queue.client.hset(queue.toKey(String(job.id)), "attemptsMade", 0);
      try {
        await job.retry();
        return true;
      } catch {
        return false; // retried or removed meanwhile by someone else
      }
    }
    return false;
  }

  async counts(): Promise<QueueCounts> {
    const total: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    const all = await Promise.all((await this.allNames()).map((n) => this.queue(n).getJobCounts()));
    for (const c of all) {
      const paused = (c as Bull.JobCounts & { paused?: number }).paused ?? 0;
      total.waiting += c.waiting + paused;
      total.active += c.active;
      total.delayed += c.delayed;
      total.failed += c.failed;
      total.completed += c.completed;
    }
    return total;
  }

  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("timeout"), PING_TIMEOUT_MS)));
    try {
      return (await Promise.race([this.control().client.ping(), timeout])) === "PONG";
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async whenIdle(timeoutMs = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.counts();
      const pending = c.waiting + c.active + c.delayed;
      if (pending === 0) return;
      if (Date.now() >= deadline) throw new Error(`Queue not idle after ${timeoutMs} ms (${pending} jobs pending)`);
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }

  close(opts: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutDown(opts.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
    return this.closing;
  }

  /** Close, then delete every key under this prefix. For tests and throwaway prefixes only. */
  async destroy(): Promise<void> {
    await this.close();
    const admin = new Bull(CONTROL_NAME, this.opts.redisUrl, { prefix: this.prefix });
    let cursor = "0";
    do {
      const [next, keys] = await admin.client.scan(cursor, "MATCH", `${this.prefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await admin.client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    await admin.close();
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const queues = [...this.queues.values()];
    // Stop fetching and let active jobs finish (up to the timeout); unfinished ones are re-run by
    // Bull's stalled-job check once their lock expires.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled(queues.map((q) => q.pause(true))), timedOut]);
    clearTimeout(timer);
    const all = this.controlQueue ? [...queues, this.controlQueue] : queues;
    await Promise.allSettled(all.map((q) => q.close(true)));
  }

  private queue(name: string): Bull.Queue {
    if (this.closing) throw new Error("Queue is closed");
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.open(name);
      this.queues.set(name, queue);
      queue.client.sadd(this.registryKey(), name).catch((error: unknown) => this.reportError(error, name));
    }
    return queue;
  }

  private control(): Bull.Queue {
    if (this.closing) throw new Error("Queue is closed");
    this.controlQueue ??= this.open(CONTROL_NAME);
    return this.controlQueue;
  }

  private open(name: string): Bull.Queue {
    const queue = new Bull(name, this.opts.redisUrl, { prefix: this.prefix, settings: this.opts.settings });
    queue.on("error", (error: unknown) => this.reportError(error, name));
    // Bull's process() names the worker's connection in a promise nobody awaits; closing the queue before the
    // connection is ready rejects it (with undefined, which Bull's own catch then trips on) and the unhandled
    // rejection ends the process — a worker stopped right after it started crashed instead of stopping
    // (OptimalBits/bull#2222, closed as wontfix). Its outcome is ours to handle: an error unless we are closing.
    const named = queue as Bull.Queue & { setWorkerName(): Promise<unknown> };
    const setWorkerName = named.setWorkerName.bind(queue);
    named.setWorkerName = () =>
      setWorkerName().catch((error: unknown) => {
        if (!this.closing) this.reportError(error ?? new Error("the connection closed before it was ready"), name);
      });
    return queue;
  }

  private async allNames(): Promise<string[]> {
    const recorded = await this.control().client.smembers(this.registryKey());
    return [...new Set([...this.queues.keys(), ...recorded])];
  }

  private registryKey(): string {
    return `${this.prefix}:${CONTROL_NAME}:queue-names`;
  }

  private reportError(error: unknown, queueName: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.opts.onError) this.opts.onError(err, queueName);
    else console.error(`[queue ${this.prefix}:${queueName}]`, err);
  }
}

function jobOptions(opts: EnqueueOptions = {}): Bull.JobOptions {
  return {
    jobId: opts.jobId,
    attempts: Math.max(1, Math.floor(opts.attempts ?? DEFAULT_ATTEMPTS)),
    backoff: { type: "exponential", delay: Math.max(0, opts.backoffMs ?? DEFAULT_BACKOFF_MS) },
    delay: opts.delayMs && opts.delayMs > 0 ? opts.delayMs : undefined,
    // Completed jobs are kept a day (bounded) so a replayed job id is a no-op; failed jobs are kept.
    removeOnComplete: { age: 24 * 3600, count: COMPLETED_JOBS_KEPT },
    removeOnFail: false,
  };
}

function toFailedJob(name: string, job: Bull.Job): FailedJob {
  return {
    id: String(job.id),
    name,
    data: job.data,
    error: job.failedReason ?? "",
    attempts: job.attemptsMade,
    failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
  };
}
