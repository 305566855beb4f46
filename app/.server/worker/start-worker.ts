import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { periodOf, tickEvery } from "~/domain/scheduling/periods";
import { database } from "../db/database";
import { claimScheduledRunAcrossShops, pruneScheduledRunsAcrossShops } from "../db/scheduled-runs";
import { listInstalledShopDomainsAcrossShops } from "../db/shops";
import { env } from "../env";
import { ALL_JOBS, processWebhookJob, webhookJobConcurrency } from "../jobs/definitions";
import { enqueueAmazonOrderPoll, enqueueAutomation, enqueueCustomerNotifications, enqueueChannelReconciliation, enqueueEdiDropScan, enqueueOrderReconciliation, enqueuePartnerDocumentDelivery, enqueueStockPricePlanning, PLAN_STOCK_PRICES_EVERY_MS, queue } from "../jobs/queue";
import { runWorker, type RunningWorker } from "../queues/worker-runner";
import { flushDispatchedMarks } from "../use-cases/dispatch-reallocations";
import { sweepInbox } from "../use-cases/sweep-inbox";
import { sweepReturnExchanges } from "../use-cases/return-exchange";
import { enqueueCycleCountSchedule, SCHEDULE_COUNTS_EVERY_MS } from "../use-cases/cycle-counts";

// Starts the job worker on this process's queue. The web server calls it (through the Remix build's
// entry module, so both share one queue instance) when jobs run in-process; `npm run worker` calls it
// in its own process when Redis carries the jobs. It also runs the schedule: the inbox sweep, the orders
// reconciliation poll per installed shop, and the daily stock-price plan per shop. However many workers
// run, each period of each of these runs once: the first worker to claim it in the database runs it
// (db/scheduled-runs.ts), every other skips.

const fmt = (fields?: Record<string, unknown>) => (fields ? JSON.stringify(fields) : "");
const log = {
  info: (message: string, fields?: Record<string, unknown>) => console.log(`[worker] ${message}`, fmt(fields)),
  warn: (message: string, fields?: Record<string, unknown>) => console.warn(`[worker] ${message}`, fmt(fields)),
  error: (message: string, fields?: Record<string, unknown>) => console.error(`[worker] ${message}`, fmt(fields)),
};

/** This process, as recorded on the periods it claims. */
const WORKER_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

interface Scheduled {
  name: string;
  everyMs: number;
  /** Once per period for the whole deployment, or once per period for each installed shop. */
  perShop: boolean;
  run(shopDomain: string | null, period: string): Promise<unknown>;
}

/** `sharesWebProcess`: the worker runs inside the web server (the embedded default), so it takes fewer webhook jobs at once. */
export function startWorker(opts: { quiet?: boolean; handleSignals?: boolean; sharesWebProcess?: boolean } = {}): RunningWorker {
  const workerLog = opts.quiet ? { ...log, info: () => {}, warn: () => {} } : log;
  const jobs = ALL_JOBS.map((job) => (job.name === processWebhookJob.name ? { ...job, concurrency: webhookJobConcurrency(opts.sharesWebProcess ?? false) } : job));
  const worker = runWorker({ queue: queue(), jobs, log: workerLog, signals: opts.handleSignals === false ? [] : undefined });
  const { SWEEP_AFTER_MS, SWEEP_EVERY_MS, RECONCILE_EVERY_MS, CHANNEL_RECONCILE_EVERY_MS, AMAZON_ORDERS_EVERY_MS, EDI_DROP_DIR, EDI_DROP_EVERY_MS, EDI_DELIVERY_EVERY_MS, NOTIFY_EVERY_MS, AUTOMATION_EVERY_MS } = env();
  const schedule: Scheduled[] = [
    {
      name: "sweep",
      everyMs: SWEEP_EVERY_MS,
      perShop: false,
      run: async () => {
        const n = await sweepInbox({ olderThanMs: SWEEP_AFTER_MS });
        await pruneScheduledRunsAcrossShops(database(), new Date(Date.now() - 7 * 86_400_000), 1_000);
        if (n > 0) workerLog.info("inbox sweep: webhooks re-enqueued or trimmed, decisions dispatched, levels rechecked", { count: n });
      },
    },
    // The reconciliation poll: webhooks are at-least-once and some never arrive.
    { name: "reconcile-orders", everyMs: RECONCILE_EVERY_MS, perShop: true, run: (shop, period) => enqueueOrderReconciliation(shop!, period) },
    // What each channel shows, read back and repaired where it drifted (ADR 0013).
    { name: "reconcile-channels", everyMs: CHANNEL_RECONCILE_EVERY_MS, perShop: true, run: (shop, period) => enqueueChannelReconciliation(shop!, period) },
    // Amazon orders in, from each connected Amazon channel's watermark (ADR 0015).
    { name: "poll-amazon-orders", everyMs: AMAZON_ORDERS_EVERY_MS, perShop: true, run: (shop, period) => enqueueAmazonOrderPoll(shop!, period) },
    // Stock prices for inventory-aware routing: one plan per shop per UTC day.
    { name: "plan-stock-prices", everyMs: PLAN_STOCK_PRICES_EVERY_MS, perShop: true, run: (shop, period) => enqueueStockPricePlanning(shop!, period) },
    // Trading partners' X12 files from the EDI drop folder, when one is set (ADR 0021): one scan per period.
    // Trading partners' documents to their SFTP servers, for the partners that have one (ADR 0023).
    { name: "edi-delivery", everyMs: EDI_DELIVERY_EVERY_MS, perShop: false, run: (_shop, period) => enqueuePartnerDocumentDelivery(period) },
    // Customer notifications: the audit trail read for notices, due e-mails sent (ADR 0024).
    { name: "notify-customers", everyMs: NOTIFY_EVERY_MS, perShop: true, run: (shop, period) => enqueueCustomerNotifications(shop!, period) },
    // Outgoing webhooks and Flow triggers: the audit trail read for events, due deliveries sent (ADR 0031).
    { name: "automate", everyMs: AUTOMATION_EVERY_MS, perShop: true, run: (shop, period) => enqueueAutomation(shop!, period) },
    // Cycle counts: the ABC schedule opens the day's counts at each managed location, under a daily cap (ADR 0034).
    { name: "cycle-counts", everyMs: SCHEDULE_COUNTS_EVERY_MS, perShop: true, run: (shop, period) => enqueueCycleCountSchedule(shop!, period) },
    // Exchanges whose return did not arrive within the policy's hold: their replacements released (ADR 0027).
    { name: "return-exchanges", everyMs: 3_600_000, perShop: false, run: async () => void (await sweepReturnExchanges()) },
    ...(EDI_DROP_DIR ? [{ name: "edi-drop-folder", everyMs: EDI_DROP_EVERY_MS, perShop: false, run: (_shop: string | null, period: string) => enqueueEdiDropScan(period) }] : []),
  ];
  const timers = schedule.map((item) => {
    const tick = () => runDue(item).catch((error: Error) => workerLog.error(`${item.name} tick failed`, { error: error.message }));
    void tick();
    const timer = setInterval(tick, tickEvery(item.everyMs));
    timer.unref();
    return timer;
  });
  void worker.stopped.then(async () => {
    timers.forEach((t) => clearInterval(t));
    await flushDispatchedMarks(); // the last jobs' outbox marks, rather than leave them to the sweep
  });
  return worker;
}

/** Claim this period of the item (per shop when it is per shop) and run what this worker claimed. */
async function runDue(item: Scheduled, now = new Date()): Promise<void> {
  const period = periodOf(now, item.everyMs);
  const db = database();
  const targets = item.perShop ? await listInstalledShopDomainsAcrossShops(db) : [null];
  for (const shop of targets) {
    const name = shop ? `${item.name}:${shop}` : item.name;
    if (await claimScheduledRunAcrossShops(db, name, period, WORKER_ID, now)) await item.run(shop, period);
  }
}
