import { writeFileSync } from "node:fs";
import { recordShopifyCalls } from "./shopify-calls";

// Child process of sync-push.bench.ts: one scenario (BENCH_SCENARIO, JSON: rate per second, seconds, drain cap) on
// the fresh SQLite database DATABASE_URL names; the figures go to BENCH_RESULT_FILE. The Shopify stand-in runs in a
// process of its own (standin.ts). After an untimed warm-up (the pipeline on a third shop for WARMUP_S), two phases,
// one after the other, each on a shop of its own (its own cost bucket: 2,000 points, 100 a second, the plan budget)
// seeded from the same catalogue, with the same changes at the same times:
//
//   pipeline: the app as it runs. Each change is an order of another channel taken in through ingestChannelOrder
//             (route + reserve in one transaction), which enqueues the shop's `sync-channel-stock` job for the current
//             window (CHANNEL_SYNC_WINDOW_MS, production default 250 ms) on the in-process queue; the job's own
//             definition runs it (markChannelStock, then each channel's pusher: Shopify's here) through the app's Shopify client.
//   naive:    the same orders, the same ingest (its sync jobs enqueued on a queue that runs nothing), and a pusher
//             told of each change as it commits that sends one call per change (shopify.ts: NaiveShopifyPusher).
//
// Changes are open-loop: change i starts at i / rate seconds whatever the pushers do. After the last one each phase
// drains until everything was sent or the drain cap passes; what was never accepted counts with the time it had
// waited (lags.ts). Lags per change are computed afterwards from the stand-in's answers (shopify-calls.ts).

const calls = recordShopifyCalls(); // before anything imports the Shopify library

const { database, closeAppDatabase } = await import("../../app/.server/db/database");
const { migrate } = await import("../../app/.server/db/engine/migrate");
const { env } = await import("../../app/.server/env");
const { setQueue } = await import("../../app/.server/jobs/queue");
const { syncChannelStockJob } = await import("../../app/.server/jobs/definitions");
const { InProcessQueue } = await import("../../app/.server/queues/in-process-queue");
const { intakeChannelOfKind } = await import("../../app/.server/channels/intake-channel");
const { ingestChannelOrder } = await import("../../app/.server/use-cases/ingest-channel-order");
const { markChannelStock, pushShopifyStock } = await import("../../app/.server/use-cases/sync-channel-stock");
const { startStandIn } = await import("./standin");
const { routeShopTrafficTo } = await import("../../sandbox/shopify/route-shop-traffic");
const { seedDemoShop } = await import("../../sandbox/seed-demo");
const { benchShopSeed, orderOf, plannedChanges, SKUS } = await import("./catalog");
const { NaiveShopifyPusher, shopifyLags, shopifyLevels, shopifySettled } = await import("./shopify");
const { p95Over, percentile } = await import("./lags");
type CommittedChange = import("./lags").CommittedChange;
type ChannelLags = import("./lags").ChannelLags;
type PlannedChange = import("./catalog").PlannedChange;

export interface Scenario {
  name: string;
  ratePerS: number;
  seconds: number;
  /** How long a phase may go on sending after its last change. */
  drainCapS: number;
}

export interface PhaseResult {
  p95Ms: number;
  p50Ms: number;
  maxMs: number;
  lowerBound: boolean;
  /** The same p95 from the writer's post-commit timestamps. */
  p95FromReturnMs: number;
  samples: number;
  unsent: number;
  committed: number;
  writerErrors: number;
  achievedPerS: number;
  generatorLateP95Ms: number;
  maxInFlight: number;
  drainedInS: number | null;
  stoppedAfterS: number;
  channels: { channel: string; calls: ChannelLags["calls"]; problems: string[] }[];
}

export interface ScenarioResult {
  scenario: Scenario;
  windowMs: number;
  skus: number;
  seededS: number;
  pipeline: PhaseResult & { channelPush: { rows: number; p95Ms: number; maxMs: number }; jobsFailed: number; jobRuns: number; jobMs: { p50: number; p95: number; max: number } };
  naive: PhaseResult & { failures: string[]; stillQueued: number };
}

const log = (line: string) => process.stderr.write(`  ${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const scenario = JSON.parse(process.env.BENCH_SCENARIO!) as Scenario;
/** Untimed warm-up before the measured phases. */
const WARMUP_S = 1;

interface Drive {
  orderIds: (string | null)[];
  committedAtMs: number[];
  writerErrors: string[];
  seconds: number;
  endedAtMs: number;
  lateMs: number[];
  maxInFlight: number;
}

/** Open loop: change i starts at t0 + i / rate, not when an earlier one finishes. */
async function drive(plan: PlannedChange[], ratePerS: number, write: (c: PlannedChange) => Promise<string>): Promise<Drive> {
  const out: Drive = { orderIds: new Array(plan.length).fill(null), committedAtMs: new Array(plan.length).fill(0), writerErrors: [], seconds: 0, endedAtMs: 0, lateMs: [], maxInFlight: 0 };
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  let next = 0;
  while (next < plan.length) {
    const elapsed = performance.now() - t0;
    const due = Math.min(plan.length, Math.floor((elapsed * ratePerS) / 1_000) + 1);
    for (; next < due; next++) {
      const c = plan[next];
      out.lateMs.push(elapsed - (c.index * 1_000) / ratePerS);
      const p: Promise<void> = write(c).then(
        (orderId) => {
          out.committedAtMs[c.index] = Date.now();
          out.orderIds[c.index] = orderId;
        },
        (error: unknown) => void out.writerErrors.push((error as Error).message),
      ).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    out.maxInFlight = Math.max(out.maxInFlight, inFlight.size);
    await sleep(1);
  }
  await Promise.all(inFlight);
  out.seconds = (performance.now() - t0) / 1_000;
  out.endedAtMs = Date.now();
  return out;
}

/** The ledger's reservation rows of the run's orders, as the changes the channels must reflect. */
async function committedChanges(shopId: string, d: Drive): Promise<CommittedChange[]> {
  const rows = await database().all<{ id: number; variantId: string; locationId: string; delta: number; createdAt: string; refId: string }>(
    `SELECT "id","variantId","locationId","delta","createdAt","refId" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "reason" = 'reserved' AND "refType" = 'order' ORDER BY "id"`,
    shopId,
  );
  const byOrder = new Map<string, typeof rows>();
  for (const r of rows) byOrder.set(r.refId, [...(byOrder.get(r.refId) ?? []), r]);
  const changes: CommittedChange[] = [];
  d.orderIds.forEach((orderId, index) => {
    if (!orderId) return;
    const entries = byOrder.get(orderId) ?? [];
    if (entries.length !== 1 || Number(entries[0].delta) !== 1) throw new Error(`change ${index}: expected one reservation of 1 unit, the ledger has ${JSON.stringify(entries)}`);
    const e = entries[0];
    changes.push({ index, orderId, variantId: e.variantId, locationId: e.locationId, quantity: 1, ledgerId: Number(e.id), ledgerAtMs: Date.parse(e.createdAt), committedAtMs: d.committedAtMs[index] });
  });
  return changes;
}

function phaseResult(d: Drive, changes: CommittedChange[], channels: ChannelLags[], drainedInS: number | null, stoppedAfterS: number): PhaseResult {
  const all = p95Over(channels);
  return {
    p95Ms: all.p95,
    p50Ms: all.p50,
    maxMs: all.max,
    lowerBound: all.lowerBound,
    p95FromReturnMs: p95Over(channels, "return").p95,
    samples: all.samples,
    unsent: all.unsent,
    committed: changes.length,
    writerErrors: d.writerErrors.length,
    achievedPerS: changes.length / d.seconds,
    generatorLateP95Ms: percentile(d.lateMs, 95),
    maxInFlight: d.maxInFlight,
    drainedInS,
    stoppedAfterS,
    channels: channels.map((c) => ({ channel: c.channel, calls: c.calls, problems: c.problems })),
  };
}

interface PipelineRun {
  drive: Drive;
  stopAtMs: number;
  drainedInS: number | null;
  jobMs: number[];
  jobsFailed: number;
}

/**
 * The app's pipeline on one shop: the plan's orders taken in open-loop, the sync job run by an in-process queue as
 * the worker runs it (its definition, its concurrency), then drained until the shop's Shopify figures are all sent
 * or the cap passes.
 */
async function runPipeline(domain: string, shopId: string, plan: PlannedChange[], label: string): Promise<PipelineRun> {
  const queue = new InProcessQueue();
  const jobMs: number[] = [];
  let jobsActive = 0;
  queue.process(syncChannelStockJob.name, async (job) => {
    const started = performance.now();
    jobsActive += 1;
    try {
      await syncChannelStockJob.perform(job as Parameters<typeof syncChannelStockJob.perform>[0]);
    } finally {
      jobsActive -= 1;
      jobMs.push(performance.now() - started);
    }
  }, { concurrency: syncChannelStockJob.concurrency });
  setQueue(queue);
  try {
    const channel = await intakeChannelOfKind(database(), domain, "manual");
    const d = await drive(plan, scenario.ratePerS, async (c) => (await ingestChannelOrder(channel, orderOf(c, label))).orderId);
    const t = Date.now();
    let drainedInS: number | null = null;
    while (Date.now() - t < scenario.drainCapS * 1_000) {
      // The intake also enqueues an apply-routing job per order: no handler here (they stay waiting); only the sync counts.
      if (jobsActive === 0 && (await queue.counts()).delayed === 0 && (await shopifySettled(shopId))) {
        drainedInS = (Date.now() - t) / 1_000;
        break;
      }
      await sleep(20);
    }
    return { drive: d, stopAtMs: Date.now(), drainedInS, jobMs, jobsFailed: (await queue.failed()).length };
  } finally {
    setQueue(undefined);
    await queue.close({ timeoutMs: 10_000 });
  }
}

/** The baseline on one shop: the same orders, each change handed to the naive pusher as it commits. */
async function runNaive(domain: string, shopId: string, plan: PlannedChange[], label: string) {
  const idle = new InProcessQueue(); // the intake's sync jobs land here and never run
  setQueue(idle);
  const naive = new NaiveShopifyPusher(domain, shopId, await shopifyLevels(shopId));
  naive.start();
  try {
    const channel = await intakeChannelOfKind(database(), domain, "manual");
    const told: Promise<void>[] = [];
    const d = await drive(plan, scenario.ratePerS, async (c) => {
      const { orderId } = await ingestChannelOrder(channel, orderOf(c, label));
      told.push(naive.changed(orderId));
      return orderId;
    });
    await Promise.all(told);
    const t = Date.now();
    let drainedInS: number | null = null;
    while (Date.now() - t < scenario.drainCapS * 1_000) {
      if (naive.pending() === 0 && naive.sent + naive.failures.length >= d.orderIds.filter(Boolean).length) {
        drainedInS = (Date.now() - t) / 1_000;
        break;
      }
      await sleep(20);
    }
    return { drive: d, stopAtMs: Date.now(), drainedInS, stillQueued: naive.pending(), sent: naive.sent, failures: naive.failures };
  } finally {
    await naive.stop();
    setQueue(undefined);
    await idle.close({ timeoutMs: 1_000 }).catch(() => {});
  }
}

async function main(): Promise<ScenarioResult> {
  await migrate(database());
  const windowMs = env().CHANNEL_SYNC_WINDOW_MS;
  const shops = [
    { domain: "sync-push-warmup.myshopify.com", slot: 3 },
    { domain: "sync-push-pipeline.myshopify.com", slot: 1 },
    { domain: "sync-push-naive.myshopify.com", slot: 2 },
  ];
  const [warmup, pipelineShop, naiveShop] = shops.map((s) => ({ ...s, seed: benchShopSeed(s.domain, s.slot), id: "" }));
  const standIn = await startStandIn(shops);
  const unroute = routeShopTrafficTo(standIn.url);
  try {
    const t = performance.now();
    for (const shop of [warmup, pipelineShop, naiveShop]) {
      shop.id = (await seedDemoShop(shop.seed)).shopId;
      await database().run(`INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires") VALUES (?,?,'',?,?,?,?)`, `offline_${shop.domain}`, shop.domain, false, standIn.tokens[shop.domain], "read_inventory,write_inventory", new Date(Date.now() + 86_400_000));
      // The shop in its steady state: the seed's ledger entries read and its marks settled (no hold is needed yet,
      // so nothing is sent), as after any earlier sync; the first window then holds only the run's own changes.
      await markChannelStock(shop.id);
      const settled = await pushShopifyStock(shop.id);
      if (settled.calls !== 0) throw new Error(`settling the seed sent ${settled.calls} calls`);
    }
    const seededS = (performance.now() - t) / 1_000;
    const plan = plannedChanges(Math.round(scenario.ratePerS * scenario.seconds));
    log(`${scenario.name}: ${SKUS} SKUs seeded for 3 shops in ${seededS.toFixed(1)} s; window ${windowMs} ms; ${scenario.ratePerS} changes/s for ${scenario.seconds} s`);

    // Untimed: the same work on a shop of its own for WARMUP_S, so both measured phases run warmed-up code (JIT, caches).
    await runPipeline(warmup.domain, warmup.id, plan.slice(0, Math.round(scenario.ratePerS * WARMUP_S)), "warmup");

    // Phase 1: the app's pipeline. One ChannelLags per channel the app pushes to (a second channel adds its own here).
    const p = await runPipeline(pipelineShop.domain, pipelineShop.id, plan, "pipeline");
    const pipelineChanges = await committedChanges(pipelineShop.id, p.drive);
    const pipelineChannels = [shopifyLags({ shopDomain: pipelineShop.domain, calls, changes: pipelineChanges, levels: await shopifyLevels(pipelineShop.id), finalSafety: await standIn.safetyStock(pipelineShop.domain), stopAtMs: p.stopAtMs, label: "pipeline" })];
    const pushRows = (await database().all<{ lagMs: number }>(`SELECT "lagMs" FROM "ChannelPush" WHERE "shopId" = ?`, pipelineShop.id)).map((r) => Number(r.lagMs));
    const pipeline = {
      ...phaseResult(p.drive, pipelineChanges, pipelineChannels, p.drainedInS, p.drive.seconds + (p.stopAtMs - p.drive.endedAtMs) / 1_000),
      channelPush: { rows: pushRows.length, p95Ms: percentile(pushRows, 95), maxMs: pushRows.length ? Math.max(...pushRows) : NaN },
      jobsFailed: p.jobsFailed,
      jobRuns: p.jobMs.length,
      jobMs: { p50: percentile(p.jobMs, 50), p95: percentile(p.jobMs, 95), max: Math.max(...p.jobMs) },
    };
    log(`pipeline: p95 ${pipeline.p95Ms} ms over ${pipeline.samples} changes (${pipeline.unsent} unsent), ${pipeline.achievedPerS.toFixed(0)} changes/s committed, ${p.jobMs.length} job runs (p50 ${pipeline.jobMs.p50.toFixed(0)} ms, max ${pipeline.jobMs.max.toFixed(0)} ms), drained in ${p.drainedInS ?? "—"} s`);

    // Phase 2: the naive pusher, the same changes on the other shop.
    const n = await runNaive(naiveShop.domain, naiveShop.id, plan, "naive");
    const naiveChanges = await committedChanges(naiveShop.id, n.drive);
    const naiveChannels = [shopifyLags({ shopDomain: naiveShop.domain, calls, changes: naiveChanges, levels: await shopifyLevels(naiveShop.id), finalSafety: await standIn.safetyStock(naiveShop.domain), stopAtMs: n.stopAtMs, label: "naive" })];
    const naive = { ...phaseResult(n.drive, naiveChanges, naiveChannels, n.drainedInS, n.drive.seconds + (n.stopAtMs - n.drive.endedAtMs) / 1_000), failures: n.failures.slice(0, 5), stillQueued: n.stillQueued };
    log(`naive: p95 ${naive.p95Ms} ms${naive.lowerBound ? " (lower bound)" : ""} over ${naive.samples} changes (${naive.unsent} unsent, ${n.stillQueued} still queued when stopped)`);
    return { scenario, windowMs, skus: SKUS, seededS, pipeline, naive };
  } finally {
    unroute();
    await standIn.close();
    await closeAppDatabase();
  }
}

const result = await main();
writeFileSync(process.env.BENCH_RESULT_FILE!, JSON.stringify(result));
process.exit(0);
