import { ALL_JOBS, processWebhookJob, webhookJobConcurrency } from "../jobs/definitions";
import { enqueueOrderReconciliation, enqueueStockPricePlanning, queue, RECONCILE_EVERY_MS } from "../jobs/queue";
import { listInstalledShopDomains } from "../db/shops";
import { runWorker, type RunningWorker } from "../queues/worker-runner";
import { sweepInbox } from "../use-cases/sweep-inbox";
import { env } from "../env";

// Starts the job worker on this process's queue. The web server calls it (through the Remix build's
// entry module, so both share one queue instance) when jobs run in-process; `npm run worker` calls it
// in its own process when Redis carries the jobs. It also sweeps the webhook inbox once a minute and
// enqueues the orders reconciliation poll for every installed shop every five minutes.


const PLAN_TICK_MS = 3_600_000;

const fmt = (fields?: Record<string, unknown>) => (fields ? JSON.stringify(fields) : "");
const log = {
  info: (message: string, fields?: Record<string, unknown>) => console.log(`[worker] ${message}`, fmt(fields)),
  warn: (message: string, fields?: Record<string, unknown>) => console.warn(`[worker] ${message}`, fmt(fields)),
  error: (message: string, fields?: Record<string, unknown>) => console.error(`[worker] ${message}`, fmt(fields)),
};

/** `sharesWebProcess`: the worker runs inside the web server (the embedded default), so it takes fewer webhook jobs at once. */
export function startWorker(opts: { quiet?: boolean; handleSignals?: boolean; sharesWebProcess?: boolean } = {}): RunningWorker {
  const workerLog = opts.quiet ? { ...log, info: () => {}, warn: () => {} } : log;
  const jobs = ALL_JOBS.map((job) => (job.name === processWebhookJob.name ? { ...job, concurrency: webhookJobConcurrency(opts.sharesWebProcess ?? false) } : job));
  const worker = runWorker({ queue: queue(), jobs, log: workerLog, signals: opts.handleSignals === false ? [] : undefined });
  const { SWEEP_AFTER_MS, SWEEP_EVERY_MS } = env();
  const sweep = () =>
    sweepInbox({ olderThanMs: SWEEP_AFTER_MS })
      .then((n) => n > 0 && workerLog.info("inbox sweep: webhooks re-enqueued or trimmed, decisions dispatched, levels rechecked", { count: n }))
      .catch((error: Error) => workerLog.error("inbox sweep failed", { error: error.message }));
  void sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  // The reconciliation poll: webhooks are at-least-once and some never arrive.
  const reconcile = () =>
    listInstalledShopDomains()
      .then((domains) => Promise.all(domains.map((d) => enqueueOrderReconciliation(d))))
      .catch((error: Error) => workerLog.error("order reconciliation tick failed", { error: error.message }));
  const reconcileTimer = setInterval(reconcile, RECONCILE_EVERY_MS);
  reconcileTimer.unref();
  // Stock prices for inventory-aware routing: an hourly tick, one plan per shop per UTC day (job id).
  const plan = () =>
    listInstalledShopDomains()
      .then((domains) => Promise.all(domains.map((d) => enqueueStockPricePlanning(d))))
      .catch((error: Error) => workerLog.error("stock price planning tick failed", { error: error.message }));
  const planTimer = setInterval(plan, PLAN_TICK_MS);
  planTimer.unref();
  void worker.stopped.then(() => {
    clearInterval(timer);
    clearInterval(reconcileTimer);
    clearInterval(planTimer);
  });
  return worker;
}
