import { BoundedSet } from "./bounded-set";
import { Fifo } from "./fifo";
import {
  COMPLETED_JOBS_KEPT,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  backoffDelayMs,
  errorMessage,
  isTerminalJobError,
  type CloseOptions,
  type EnqueueOptions,
  type FailedJob,
  type JobHandler,
  type JobQueue,
  type ProcessOptions,
  type QueueCounts,
} from "./queue-port";

// The default driver: jobs live in this process's memory (nothing survives a restart; the durable
// guard is the database's unique keys). Same semantics as the Bull driver, held by queue-contract.ts.

interface QueuedJob {
  /** Dedupe key (name + jobId) when the caller gave a jobId. */
  key: string | undefined;
  id: string;
  name: string;
  /** Stored as JSON, parsed per run, exactly as Bull does. */
  payload: string;
  attempts: number;
  backoffMs: number;
  runs: number;
  /** Why the last run failed, while a retry waits (for diagnostics). */
  lastError?: string;
  failure?: FailedJob;
}

interface Lane {
  handler?: JobHandler<unknown>;
  concurrency: number;
  active: number;
  waiting: Fifo<QueuedJob>;
}

interface IdleWaiter {
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface InProcessQueueOptions {
  /** Completed job ids remembered so a replayed id is not re-run. Default 10,000. */
  completedKept?: number;
  /** Failed jobs kept (oldest dropped first). Default 10,000. */
  failedKept?: number;
}

export class InProcessQueue implements JobQueue {
  readonly driver = "in-process" as const;
  private readonly lanes = new Map<string, Lane>();
  private readonly byKey = new Map<string, QueuedJob>(); // waiting, delayed, active or failed
  private readonly recentlyCompleted: BoundedSet<string>;
  private readonly failedJobs = new Set<QueuedJob>(); // oldest first
  private readonly failedKept: number;
  private readonly timers = new Map<NodeJS.Timeout, QueuedJob>(); // delayed (a retry, or a run wanted later)
  private readonly running = new Set<Promise<void>>();
  private readonly idleWaiters = new Set<IdleWaiter>();
  private readonly dirty = new Set<Lane>();
  private drainScheduled: NodeJS.Immediate | undefined;
  private waitingTotal = 0;
  private activeTotal = 0;
  private completedTotal = 0;
  private seq = 0;
  private closing: Promise<void> | undefined;

  constructor(opts: InProcessQueueOptions = {}) {
    this.recentlyCompleted = new BoundedSet(opts.completedKept ?? COMPLETED_JOBS_KEPT);
    this.failedKept = opts.failedKept ?? COMPLETED_JOBS_KEPT;
  }

  async enqueue<T>(name: string, data: T, opts?: EnqueueOptions): Promise<void> {
    this.add(name, data, opts);
  }

  async enqueueMany<T>(items: { name: string; data: T; opts?: EnqueueOptions }[]): Promise<void> {
    for (const item of items) this.add(item.name, item.data, item.opts);
  }

  process<T>(name: string, handler: JobHandler<T>, opts: ProcessOptions = {}): void {
    const lane = this.lane(name);
    if (lane.handler) throw new Error(`A handler for job "${name}" is already registered`);
    lane.handler = handler as JobHandler<unknown>;
    lane.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
    this.markDirty(lane);
  }

  async failed(name?: string, limit = 1000): Promise<FailedJob[]> {
    const out: FailedJob[] = [];
    for (const job of [...this.failedJobs].reverse()) {
      if (out.length >= limit) break;
      if (job.failure && (name === undefined || job.name === name)) out.push(job.failure);
    }
    return out;
  }

  async retryFailed(id: string, name?: string): Promise<boolean> {
    for (const job of this.failedJobs) {
      if (job.id !== id || (name !== undefined && job.name !== name)) continue;
      this.failedJobs.delete(job);
      job.runs = 0;
      job.failure = undefined;
      this.pushWaiting(job);
      return true;
    }
    return false;
  }

  async counts(): Promise<QueueCounts> {
    return {
      waiting: this.waitingTotal,
      active: this.activeTotal,
      delayed: this.timers.size,
      failed: this.failedJobs.size,
      completed: Math.min(this.completedTotal, this.recentlyCompleted.capacity),
    };
  }

  async ping(): Promise<boolean> {
    return !this.closing;
  }

  /** Which jobs keep the queue busy, by name (for the message of a wait that timed out). */
  private describePending(): string {
    const lanes = [...this.lanes].filter(([, l]) => l.active > 0 || l.waiting.size > 0).map(([name, l]) => `${name} ${l.active} active, ${l.waiting.size} waiting`);
    for (const job of this.timers.values()) lanes.push(`${job.name} delayed after ${job.runs} run(s)${job.lastError ? ` (last error: ${job.lastError})` : ""}`);
    return lanes.join("; ") || "none by lane";
  }

  whenIdle(timeoutMs = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: IdleWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.idleWaiters.delete(waiter);
          reject(new Error(`Queue not idle after ${timeoutMs} ms (${this.pending()} jobs pending: ${this.describePending()})`));
        }, timeoutMs),
      };
      this.idleWaiters.add(waiter);
    });
  }

  close(opts: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutDown(opts.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
    if (this.drainScheduled) clearImmediate(this.drainScheduled);
    for (const lane of this.lanes.values()) lane.waiting.clear();
    for (const waiter of this.idleWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error("Queue closed"));
    }
    this.idleWaiters.clear();
    // Handlers cannot be cancelled: wait for them up to the timeout, then let go.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.running]), timedOut]);
    clearTimeout(timer);
  }

  private add(name: string, data: unknown, opts: EnqueueOptions = {}): void {
    if (this.closing) throw new Error("Queue is closed");
    const key = opts.jobId === undefined ? undefined : `${name}\u0000${opts.jobId}`;
    if (key !== undefined && (this.byKey.has(key) || this.recentlyCompleted.has(key))) return;
    const job: QueuedJob = {
      key,
      id: opts.jobId ?? `auto-${++this.seq}`,
      name,
      payload: JSON.stringify(data || {}),
      attempts: Math.max(1, Math.floor(opts.attempts ?? DEFAULT_ATTEMPTS)),
      backoffMs: Math.max(0, opts.backoffMs ?? DEFAULT_BACKOFF_MS),
      runs: 0,
    };
    if (key !== undefined) this.byKey.set(key, job);
    this.schedule(job, opts.delayMs ?? 0);
  }

  private schedule(job: QueuedJob, delayMs: number): void {
    if (delayMs <= 0) return this.pushWaiting(job);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pushWaiting(job);
    }, delayMs);
    this.timers.set(timer, job);
  }

  private pushWaiting(job: QueuedJob): void {
    const lane = this.lane(job.name);
    lane.waiting.push(job);
    this.waitingTotal++;
    this.markDirty(lane);
  }

  // Starting jobs is batched into one setImmediate so enqueue stays cheap and never runs handlers inline.
  private markDirty(lane: Lane): void {
    if (!lane.handler || this.closing) return;
    this.dirty.add(lane);
    this.drainScheduled ??= setImmediate(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = undefined;
    const lanes = [...this.dirty];
    this.dirty.clear();
    for (const lane of lanes) {
      while (lane.active < lane.concurrency && lane.waiting.size > 0) {
        const job = lane.waiting.shift() as QueuedJob;
        this.waitingTotal--;
        const run = this.run(lane, job);
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      }
    }
  }

  private async run(lane: Lane, job: QueuedJob): Promise<void> {
    lane.active++;
    this.activeTotal++;
    job.runs++;
    let error: unknown;
    let ok = false;
    try {
      const handler = lane.handler as JobHandler<unknown>;
      await handler({ id: job.id, name: job.name, data: JSON.parse(job.payload), attempt: job.runs });
      ok = true;
    } catch (caught) {
      error = caught;
    }
    if (this.closing) return;
    lane.active--;
    this.activeTotal--;
    if (ok) this.complete(job);
    else if (isTerminalJobError(error) || job.runs >= job.attempts) this.fail(job, error);
    else {
      job.lastError = error instanceof Error ? error.message : String(error);
      this.schedule(job, backoffDelayMs(job.backoffMs, job.runs));
    }
    this.markDirty(lane);
    this.notifyIfIdle();
  }

  private complete(job: QueuedJob): void {
    this.completedTotal++;
    if (job.key === undefined) return;
    this.byKey.delete(job.key);
    this.recentlyCompleted.add(job.key);
  }

  private fail(job: QueuedJob, error: unknown): void {
    job.failure = {
      id: job.id,
      name: job.name,
      data: JSON.parse(job.payload),
      error: errorMessage(error),
      attempts: job.runs,
      failedAt: new Date().toISOString(),
    };
    this.failedJobs.add(job);
    if (this.failedJobs.size > this.failedKept) {
      const oldest = this.failedJobs.values().next().value as QueuedJob;
      this.failedJobs.delete(oldest);
      if (oldest.key !== undefined) this.byKey.delete(oldest.key);
    }
  }

  private pending(): number {
    return this.waitingTotal + this.activeTotal + this.timers.size;
  }

  private notifyIfIdle(): void {
    if (this.idleWaiters.size === 0 || this.pending() > 0) return;
    for (const waiter of this.idleWaiters) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    this.idleWaiters.clear();
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { concurrency: 1, active: 0, waiting: new Fifo() };
      this.lanes.set(name, lane);
    }
    return lane;
  }
}
