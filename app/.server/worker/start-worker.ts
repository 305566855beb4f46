import { ALL_JOBS } from "../jobs/definitions";
import { queue } from "../jobs/queue";
import { runWorker, type RunningWorker } from "../queues/worker-runner";

// Starts the job worker on this process's queue. The web server calls it (through the Remix build's
// entry module, so both share one queue instance) when jobs run in-process; `npm run worker` calls it
// in its own process when Redis carries the jobs.

const log = {
  info: (message: string, fields?: Record<string, unknown>) => console.log(`[worker] ${message}`, fields ? JSON.stringify(fields) : ""),
  warn: (message: string, fields?: Record<string, unknown>) => console.warn(`[worker] ${message}`, fields ? JSON.stringify(fields) : ""),
  error: (message: string, fields?: Record<string, unknown>) => console.error(`[worker] ${message}`, fields ? JSON.stringify(fields) : ""),
};

export function startWorker(opts: { quiet?: boolean; handleSignals?: boolean } = {}): RunningWorker {
  const quietLog = opts.quiet ? { ...log, info: () => {} } : log;
  return runWorker({ queue: queue(), jobs: ALL_JOBS, log: quietLog, signals: opts.handleSignals === false ? [] : undefined });
}
