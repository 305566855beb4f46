// The queue port: what use cases and the worker see. Two drivers implement it
// (in-process-queue.ts, bull-queue.ts) and one contract suite (queue-contract.ts) holds them to it.
// See docs/decisions/0002-queue-port.md.

/** What a handler receives. `data` has been through JSON (Bull stores JSON; the in-process driver copies that). */
export interface JobContext<T> {
  id: string;
  name: string;
  data: T;
  /** 1-based: 1 on the first run, 2 on the first retry, ... */
  attempt: number;
}

export type JobHandler<T = unknown> = (job: JobContext<T>) => Promise<void>;

export interface EnqueueOptions {
  /**
   * Idempotency fast path (use the webhook/event id). Scoped to the job name: while a job with this
   * name and id is waiting, delayed, active, failed or recently completed, another enqueue is a no-op.
   */
  jobId?: string;
  /** Total runs before the job lands in the failed list. Default 5. */
  attempts?: number;
  /** Exponential backoff base: the wait after failed run n is (2^n - 1) * backoffMs. Default 500. */
  backoffMs?: number;
  /** Do not run before this many milliseconds have passed. */
  delayMs?: number;
}

export interface FailedJob {
  id: string;
  name: string;
  data: unknown;
  error: string;
  /** Runs made before it failed. */
  attempts: number;
  failedAt: string;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Completed jobs the backend still remembers (bounded; see each driver). */
  completed: number;
}

export interface ProcessOptions {
  /** Handlers of this name running at once in this process. Default 1. */
  concurrency?: number;
}

export interface CloseOptions {
  /** How long to wait for active handlers before letting go anyway. Default 10,000 ms. */
  timeoutMs?: number;
}

export interface JobQueue {
  readonly driver: "in-process" | "bull";
  enqueue<T>(name: string, data: T, opts?: EnqueueOptions): Promise<void>;
  /** Bulk enqueue (one round trip per job name on Bull). */
  enqueueMany<T>(items: { name: string; data: T; opts?: EnqueueOptions }[]): Promise<void>;
  /** Register the one handler for a job name; a second registration for the same name throws. */
  process<T>(name: string, handler: JobHandler<T>, opts?: ProcessOptions): void;
  /** Failed jobs, newest first. */
  failed(name?: string, limit?: number): Promise<FailedJob[]>;
  /** Moves a failed job back to waiting with a fresh set of attempts; false when no such failed job. */
  retryFailed(id: string, name?: string): Promise<boolean>;
  counts(): Promise<QueueCounts>;
  /** Health check: true when the backend answers. */
  ping(): Promise<boolean>;
  /** Resolves when nothing is waiting, active or delayed; rejects after timeoutMs (default 30,000). */
  whenIdle(timeoutMs?: number): Promise<void>;
  /** Stop taking jobs, wait up to timeoutMs for active ones, release timers and connections. */
  close(opts?: CloseOptions): Promise<void>;
}

/**
 * Throw from a handler when retrying cannot help (Shopify 401/402/403/404/423, a missing session):
 * the job goes straight to the failed list. Any other error is retried with backoff.
 */
export class TerminalJobError extends Error {
  override readonly name = "TerminalJobError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Also true for a TerminalJobError from another copy of this module (e.g. bundled twice). */
export function isTerminalJobError(error: unknown): boolean {
  return error instanceof TerminalJobError || (error instanceof Error && error.name === "TerminalJobError");
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 500;
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Completed job ids remembered for dedupe (in-process) / completed jobs kept (Bull). */
export const COMPLETED_JOBS_KEPT = 10_000;

/** Bull's exponential strategy, shared so both drivers wait the same: (2^failedRuns - 1) * base. */
export function backoffDelayMs(baseMs: number, failedRuns: number): number {
  return Math.round((2 ** failedRuns - 1) * baseMs);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
