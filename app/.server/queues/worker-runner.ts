import type { JobDefinition } from "./job-definition";
import { errorMessage, isTerminalJobError, type JobQueue } from "./queue-port";

// Runs job definitions on a queue and shuts down gracefully: on SIGTERM/SIGINT it stops taking jobs,
// waits for active ones (up to shutdownTimeoutMs) and closes the queue. A second signal exits at once.

export type { JobDefinition } from "./job-definition";

export interface WorkerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The part of `process` the runner listens to (injectable for tests). */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface RunWorkerOptions {
  queue: JobQueue;
  jobs: JobDefinition[];
  log: WorkerLog;
  /** How long shutdown waits for active jobs. Default 25,000 ms (under the usual 30 s kill grace). */
  shutdownTimeoutMs?: number;
  signals?: NodeJS.Signals[];
  signalSource?: SignalSource;
  /** Called on a second signal during shutdown. Default: process.exit(1). */
  forceExit?: () => void;
}

export interface RunningWorker {
  /** Same as receiving SIGTERM: stop taking jobs, drain, close the queue. Idempotent. */
  stop(reason?: string): Promise<void>;
  /** Resolves once the worker has stopped. */
  stopped: Promise<void>;
}

export function runWorker(opts: RunWorkerOptions): RunningWorker {
  const { queue, jobs, log } = opts;
  const signals = opts.signals ?? ["SIGTERM", "SIGINT"];
  const source = opts.signalSource ?? process;
  const names = jobs.map((job) => job.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`Job "${duplicate}" is defined twice`);

  for (const job of jobs) {
    queue.process(job.name, withFailureLog(job, log), { concurrency: job.concurrency });
  }
  log.info("worker started", { driver: queue.driver, jobs: names });

  let stopping: Promise<void> | undefined;
  let markStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));

  const stop = (reason = "stop requested"): Promise<void> => {
    stopping ??= (async () => {
      log.info("worker stopping", { reason });
      for (const signal of signals) source.off(signal, onSignal);
      for (const signal of signals) source.once(signal, onSecondSignal);
      try {
        await queue.close({ timeoutMs: opts.shutdownTimeoutMs ?? 25_000 });
        log.info("worker stopped");
      } catch (error) {
        log.error("worker did not close cleanly", { error: errorMessage(error) });
      } finally {
        for (const signal of signals) source.off(signal, onSecondSignal);
        markStopped();
      }
    })();
    return stopping;
  };

  function onSignal(signal?: unknown): void {
    void stop(typeof signal === "string" ? signal : "signal");
  }
  function onSecondSignal(): void {
    log.warn("second signal during shutdown: exiting now");
    (opts.forceExit ?? (() => process.exit(1)))();
  }

  for (const signal of signals) source.once(signal, onSignal);
  return { stop, stopped };
}

/** Log each failed run and rethrow: the queue decides between retry and the failed list. */
function withFailureLog(job: JobDefinition, log: WorkerLog): JobDefinition["perform"] {
  return async (ctx) => {
    try {
      await job.perform(ctx);
    } catch (error) {
      log.warn("job run failed", {
        job: ctx.name,
        id: ctx.id,
        attempt: ctx.attempt,
        terminal: isTerminalJobError(error),
        error: errorMessage(error),
      });
      throw error;
    }
  };
}
