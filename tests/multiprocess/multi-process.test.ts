import Bull from "bull";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { periodOf } from "~/domain/scheduling/periods";
import { database } from "~/.server/db/database";
import { marks } from "~/.server/db/engine/sql-dialect";
import { claimScheduledRunAcrossShops } from "~/.server/db/scheduled-runs";
import { JOB, PLAN_STOCK_PRICES_EVERY_MS } from "~/.server/jobs/queue";
import { BullQueue } from "~/.server/queues/bull-queue";
import { checkStockConsistency } from "~/.server/use-cases/check-stock-consistency";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed, type SandboxShopSeed } from "../../sandbox/shopify/demo-catalog";
import type { OrderFactory } from "../../sandbox/shopify/order-factory";
import { DEFAULT_SCOPES, startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { WebhookSender } from "../../sandbox/shopify/webhook-sender";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { addSession } from "../support/sessions";
import {
  DUPLICATE_FRACTION, REORDER_FRACTION, chaosPlan, countBy, deliverChaotically, differences, head, invariantViolations, migratedSqliteDatabase, startReference, type ReferenceRun,
} from "../support/webhook-replay-chaos";
import {
  REPLAY_EVENTS, REPLAY_SHOP, eventsFingerprint, generateScenario, nodeHttpFetch, post, replayShopSeed, seededStock, snapshot, type Snapshot,
} from "../support/webhook-replay-scenario";

// Acceptance (issue 10): "A multi-process test in CI on PostgreSQL + Redis with 2 app servers and 2 workers:
// 100 concurrent orders for 10 units spread across both servers reserve exactly 10; the 10,000-delivery replay
// spread across both ends equal to the in-order run; a worker SIGKILLed mid-run changes nothing in the final
// state; the reconciliation poll ran once per period."
//
// `npm run test:multiprocess` (TEST_PG_URL and REDIS_URL required). One run, one fresh PostgreSQL database (the
// setup file's copy of the migrated template), one Redis under a Bull prefix of its own, and as separate OS
// processes, each with its own database pool and Bull client:
// - 2 app servers (tests/multiprocess/app-process.ts: server.ts's lean webhook intake from the source: verify,
//   inbox, enqueue on Bull, 200);
// - 2 workers (tests/multiprocess/worker-process.ts: `npm run worker`'s entry, with Admin API traffic routed to
//   a Shopify stand-in), RECONCILE_EVERY_MS = 2.5 s for the whole run;
// - the in-order reference run of the replay (tests/support/webhook-replay-reference.ts: one process, in-process
//   queue, every event once, in order, each processed before the next is sent), started first and running
//   beside everything else, on a SQLite file of its own: the same run on PostgreSQL takes about 3 minutes
//   alone on 2 cores (10,000 events one after the other, each waiting for its round trips) and twice that
//   beside the rest of this test; on SQLite it takes about 2. Snapshots are normalised (external ids, SKUs,
//   ISO times, numbers), so the comparison is exact across dialects — and says more: 2 + 2 processes on
//   PostgreSQL end where one process on SQLite does.
// Three shops, so no part disturbs another (every snapshot, count and check is scoped by shop):
// - RUSH (no session): 1. 100 orders/create for one SKU with 10 units, all posted at once, alternating
//   between the two app servers: both workers race for the units. Exactly 10 orders hold 1 reserved unit each,
//   90 hold a backordered unit, every order stored once, the level reserves 10 of 10, and the stock
//   consistency check (ledger = levels = open reservations, nothing negative) finds nothing.
// - REPLAY (no session, as in webhook-replay.test.ts): 2. the 10,000-event chaotic plan of
//   tests/support/webhook-replay-chaos.ts (duplicates, reorders, retry bursts, 16 lanes of disjoint SKUs,
//   gated items sent once the lane's previous gated item is processed — "processed" read from the inbox
//   here, since the work happens in other processes), every post to the next app server in turn, so the
//   copies of a duplicate or a burst land on both. When a third of the events is processed, one worker is
//   SIGKILLed at a moment when Bull shows process-webhook jobs active. A replacement starts once the
//   surviving worker has re-run a job the killed one held (Bull's stalled-job check, lock 4 s, checked every
//   2 s): the recovery is the other worker's doing, and then the deployment is back to 2 workers, as a
//   supervisor would restart one; the replacement also joins the schedule mid-run. Then the run drains (every
//   inbox row processed, no process-webhook or apply-routing job waiting, active or delayed, every routing
//   decision dispatched) and its normalised snapshot must equal the in-order run's exactly, after both meet the
//   invariants of the single-process replay test. Apply-routing and reconciliation jobs of this shop fail
//   terminally for want of a session and write nothing (checked: no orders.reconciled row for it); its
//   daily stock-price planning is claimed by the test before seeding, so no worker runs it (the reference
//   never plans, and prices steer routing).
// - POLLED (an offline session whose token the stand-in issued): 3. the reconciliation poll, through the app's
//   real Admin GraphQL client against the stand-in. Orders created in the stand-in with no webhook (5 early,
//   5 after the kill) must be stored exactly once, by the poll. After the workers are stopped (SIGTERM, in-
//   flight jobs drain), every period claimed for the shop in ScheduledRun is contiguous from the first to
//   the last, there are at least as many as elapsed while workers ran, and each has exactly one
//   orders.reconciled audit row with its period (or, for the last one or two, a job still waiting in Redis
//   when the workers stopped, or a claim made during the stop: see below); no audit row without a claim.
//   2.5 s is not a multiple of the workers' 1 s tick, so which worker's tick comes first after a period
//   starts can change from period to period: the claims (reported per worker, not asserted) come from every
//   worker, not only from whichever started first.
// Known gaps, reported rather than hidden: a period's claim (ScheduledRun) and its enqueue (Redis) are not one
// step, so a claimer that dies between them skips that period (the kill here is not aimed at it and lands
// there about once in 1,000 runs), and a worker's schedule keeps ticking while a graceful stop closes its
// queue: a tick in that second claims the period, its enqueue is refused ("Queue is closed", logged as
// "tick failed") and the period is not run (allowed above for the last claim only, when made after SIGTERM).

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error("REDIS_URL is not set: the multi-process test needs a running Redis (npm run test:multiprocess)");
if (!process.env.TEST_PG_URL || !process.env.DATABASE_URL?.startsWith("postgres")) {
  throw new Error("TEST_PG_URL is not set: the multi-process test runs on PostgreSQL (npm run test:multiprocess)");
}
const REDIS_URL: string = redisUrl;

const PREFIX = `oms-mp-${process.pid}-${Date.now()}`;
const RUSH_SHOP = "rush-oms.myshopify.com";
const POLLED_SHOP = "polled-oms.myshopify.com";
const RUSH_ORDERS = 100;
const RUSH_UNITS = 10;
const RECONCILE_EVERY_MS = 2_500;
const KILL_WHEN_PROCESSED = Math.round(REPLAY_EVENTS / 3);
const KILL_WHEN_ACTIVE = 4; // process-webhook jobs active in Bull at the kill (waited for up to 15 s)
const POLLED_ORDERS_EACH_TIME = 5;
const START_TIMEOUT_MS = 60_000;
const PROCESSED_WITHIN_MS = 90_000;
const DRAIN_TIMEOUT_MS = 120_000;
const REFERENCE_TIMEOUT_MS = 480_000;

const ENV_COMMON = {
  REDIS_URL,
  QUEUE_PREFIX: PREFIX,
  // A killed worker's jobs come back in seconds, not Bull's default 30 s.
  QUEUE_LOCK_MS: "4000",
  QUEUE_STALLED_INTERVAL_MS: "2000",
};
const ENV_APP = { ...ENV_COMMON, DATABASE_POOL_SIZE: "4" };
const ENV_WORKER = {
  ...ENV_COMMON,
  DATABASE_POOL_SIZE: "8",
  RECONCILE_EVERY_MS: String(RECONCILE_EVERY_MS),
  // The sweep re-enqueues anything stranded between a commit and its enqueue (and dispatches routing
  // decisions never dispatched) within seconds.
  SWEEP_AFTER_MS: "3000",
  SWEEP_EVERY_MS: "1000",
};

// ---------------------------------------------------------------------------------------------------
// Child processes

interface Proc {
  name: string;
  child: ChildProcess;
  startedAt: number;
  /** When it reported ready (Date.now()), 0 before. */
  readyAt: number;
  /** The app's URL, or "" for a worker, once it is ready. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  tail: string[];
  /** A worker's Bull lock token per queue name (the value of the locks of the jobs it holds). */
  tokens: Map<string, string>;
}

const children = new Set<ChildProcess>();
/** Worker log "job run failed" lines, counted by job / terminal / shop / the error's first words. */
const runFailures = new Map<string, number>();
/** Lines that must never appear: an app's intake failing, a worker's error log, a crash (with when they came). */
const alarming: { at: number; line: string }[] = [];

function spawnProc(name: string, script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const tail: string[] = [];
  let markReady: (url: string) => void = () => {};
  let failReady: (error: Error) => void = () => {};
  const ready = new Promise<string>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
  ready.catch(() => {}); // awaited by the caller
  void ready.then(() => (proc.readyAt = Date.now()), () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      children.delete(child);
      failReady(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}):\n${tail.join("\n")}`));
      resolve({ code, signal });
    }),
  );
  let partial = "";
  const onData = (buf: Buffer) => {
    const lines = (partial + buf.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 60) tail.shift();
      const token = /^\[harness\] queue (\S+) token (\S+)/.exec(line);
      if (token) proc.tokens.set(token[1], token[2]);
      const listening = /^\[app\] listening (\S+)/.exec(line);
      if (listening) markReady(listening[1]);
      if (line.includes("[worker] worker started")) markReady("");
      const failed = /\[worker\] job run failed (\{.*\})/.exec(line);
      if (failed) {
        const f = JSON.parse(failed[1]) as { job: string; id: string; terminal: boolean; error: string };
        const shop = [REPLAY_SHOP, RUSH_SHOP, POLLED_SHOP].find((s) => f.error.includes(s) || f.id.includes(s)) ?? "?";
        const key = `${f.job} terminal=${f.terminal} ${shop}: ${f.error.replace(/\d{6,}/g, "N").slice(0, 60)}`;
        runFailures.set(key, (runFailures.get(key) ?? 0) + 1);
      } else if (/intake failed|\[worker\] .*(tick failed|did not close)|Error:|Unhandled/.test(line)) {
        alarming.push({ at: Date.now(), line: `${name}: ${line.slice(0, 300)}` });
      }
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const proc: Proc = { name, child, startedAt: Date.now(), readyAt: 0, ready, exited, tail, tokens: new Map() };
  return proc;
}

/** CPU seconds the process has used so far (Linux /proc; null elsewhere or once it is gone, e.g. killed). */
function cpuSeconds(proc: Proc): number | null {
  try {
    const fields = readFileSync(`/proc/${proc.child.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return null;
  }
}

const spawnApp = (n: number) => spawnProc(`app-${n}`, "tests/multiprocess/app-process.ts", ENV_APP);
const spawnWorker = (name: string, standInUrl: string) => spawnProc(name, "tests/multiprocess/worker-process.ts", { ...ENV_WORKER, SHOPIFY_STANDIN_URL: standInUrl });

async function stopGracefully(proc: Proc, timeoutMs = 40_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.exited;
  proc.child.kill("SIGTERM");
  return withTimeout(proc.exited, timeoutMs, `${proc.name} graceful stop`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 200, diagnose?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${diagnose ? `\n${await diagnose()}` : ""}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------------
// Processed events, read from the inbox (the work happens in the worker processes)

class InboxWatch {
  private readonly waiters = new Map<string, { resolve(): void; reject(error: Error): void; since: number }[]>();
  private running = true;
  private readonly loop: Promise<void>;
  /** Milliseconds from each wait's start (the gated post answered) to its event seen processed. */
  readonly waited: number[] = [];

  constructor(private readonly shop: string) {
    this.loop = this.run();
  }

  processed(eventId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.waiters.get(eventId) ?? [];
      list.push({ resolve, reject, since: Date.now() });
      this.waiters.set(eventId, list);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const ids = [...this.waiters.keys()];
      if (ids.length > 0) {
        const rows = await queryRows<{ eventId: string; status: string; failure: string | null; error: string | null }>(
          `SELECT "eventId","status","failure","error" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" IN (${marks(ids.length)})`, this.shop, ...ids,
        );
        const byId = new Map(rows.map((r) => [r.eventId, r]));
        for (const id of ids) {
          const row = byId.get(id);
          const list = this.waiters.get(id)!;
          let settle: ((w: (typeof list)[number]) => void) | undefined;
          if (row?.status === "processed") {
            settle = (w) => {
              this.waited.push(Date.now() - w.since);
              w.resolve();
            };
          }
          else if (row?.status === "failed" && row.failure === "terminal") settle = (w) => w.reject(new Error(`${id} failed for good: ${row.error}`));
          else if (Date.now() - list[0].since > PROCESSED_WITHIN_MS) settle = (w) => w.reject(new Error(`${id} not processed within ${PROCESSED_WITHIN_MS} ms (inbox: ${row ? `${row.status} ${row.error ?? ""}` : "no row"})`));
          if (settle) {
            this.waiters.delete(id);
            list.forEach(settle);
          }
        }
      }
      await sleep(10);
    }
  }
}

// ---------------------------------------------------------------------------------------------------

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const cleanup of cleanups.reverse()) await cleanup();
  await new BullQueue({ redisUrl: REDIS_URL, prefix: PREFIX }).destroy(); // every key under the test's prefix
}, 60_000);

/** The stand-in's demo shop with daily capacities out of reach; `rush`: its first SKU holds exactly 10 units, at one location. */
function shopSeed(domain: string, rush = false): SandboxShopSeed {
  const seed = demoShopSeed(domain);
  for (const location of seed.locations) location.dailyCapacity = 1_000_000;
  if (rush) seed.products[0].variants[0].stock = { [seed.locations[0].id]: RUSH_UNITS };
  return seed;
}

function percentiles(values: number[]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

const shopIdOf = async (domain: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, domain))!.id;

describe("2 app servers + 2 workers on PostgreSQL and Redis", () => {
  it("100 orders for 10 units reserve exactly 10; the 10,000-delivery replay across both servers with a worker SIGKILLed ends equal to the in-order run; the reconciliation poll runs once per period", async () => {
    const t0 = performance.now();
    const cpuStarted = process.cpuUsage();
    const ms: Record<string, number> = {};
    const phase = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
      const t = performance.now();
      try {
        return await fn();
      } finally {
        ms[name] = Math.round(performance.now() - t);
      }
    };

    // The in-order reference first: the longest part, on its own core for most of the run.
    const reference: ReferenceRun = await startReference({ label: "mp_ref", timeoutMs: REFERENCE_TIMEOUT_MS, database: await migratedSqliteDatabase("mp_ref") });
    cleanups.push(reference.cleanup);

    // The stand-in the workers' Admin API calls reach (RUSH and POLLED; REPLAY's orders come from generateScenario's own).
    const rushSeed = shopSeed(RUSH_SHOP, true);
    const polledSeed = shopSeed(POLLED_SHOP);
    const standIn: ShopifySandbox = await startShopifySandbox({ port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:9", shops: [rushSeed, polledSeed] });
    cleanups.push(() => standIn.close());
    const rushOrders: OrderFactory = standIn.orders(RUSH_SHOP, "mp-rush");
    const polledOrders: OrderFactory = standIn.orders(POLLED_SHOP, "mp-polled");

    // Shops before processes: the replay shop's daily planning claimed by no worker (see the header).
    await phase("seed", async () => {
      const day = PLAN_STOCK_PRICES_EVERY_MS;
      for (const at of [Date.now(), Date.now() + day]) await claimScheduledRunAcrossShops(database(), `plan-stock-prices:${REPLAY_SHOP}`, periodOf(new Date(at), day), "multi-process-test");
      await seedDemoShop(rushSeed);
      await seedDemoShop(polledSeed);
      await addSession({ id: `offline_${POLLED_SHOP}`, shop: POLLED_SHOP, accessToken: standIn.issueAccessToken(POLLED_SHOP), scope: DEFAULT_SCOPES, expires: new Date(Date.now() + 86_400_000) });
      await seedDemoShop(replayShopSeed());
    });
    const [rushShopId, polledShopId, replayShopId] = await Promise.all([shopIdOf(RUSH_SHOP), shopIdOf(POLLED_SHOP), shopIdOf(REPLAY_SHOP)]);

    const inspect = (name: string) => new Bull(name, REDIS_URL, { prefix: PREFIX });
    const webhookJobs = inspect(JOB.processWebhook);
    const routingJobs = inspect(JOB.applyRouting);
    const reconcileJobs = inspect(JOB.reconcileOrders);
    cleanups.push(() => Promise.all([webhookJobs.close(), routingJobs.close(), reconcileJobs.close()]));
    const pending = async (q: Bull.Queue) => {
      const c = (await q.getJobCounts()) as Bull.JobCounts & { paused?: number };
      return c.waiting + c.active + c.delayed + (c.paused ?? 0);
    };

    const client = nodeHttpFetch();
    cleanups.push(() => client.close());
    const watch = new InboxWatch(REPLAY_SHOP);
    cleanups.push(() => watch.stop());

    // 2 app servers, 2 workers.
    const apps = [spawnApp(1), spawnApp(2)];
    const workers = [spawnWorker("worker-1", standIn.url), spawnWorker("worker-2", standIn.url)];
    const urls = await phase("start processes", async () => {
      const got = await withTimeout(Promise.all(apps.map((a) => a.ready)), START_TIMEOUT_MS, "app servers start");
      await withTimeout(Promise.all(workers.map((w) => w.ready)), START_TIMEOUT_MS, "workers start");
      return got;
    });
    const workersReadyAt = Math.max(...workers.map((w) => w.readyAt));
    const senders = urls.map((appUrl) => new WebhookSender({ appUrl, apiSecret: process.env.SHOPIFY_API_SECRET!, fetch: client.fetch }));

    // ---- 1. 100 concurrent orders for 10 units, alternating between the servers -------------------
    const rushSku = rushSeed.products[0].variants[0].sku;
    const rush = Array.from({ length: RUSH_ORDERS }, () => rushOrders.create({ lines: [{ sku: rushSku, quantity: 1 }] }));
    const rushAnswers = await phase("rush", async () => {
      const answers = await Promise.all(
        rush.map((order, i) => senders[i % 2].deliver({ shop: RUSH_SHOP, topic: "orders/create", payload: order, eventId: `rush-evt-${i}`, webhookId: `rush-wh-${i}` })),
      );
      await until("rush processed", 60_000, async () => (await queryNumber(`SELECT COUNT(*) AS "n" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'processed'`, RUSH_SHOP)) === RUSH_ORDERS);
      return answers.map((a) => a.attempts[0]?.status);
    });
    const rushOrderRows = await queryRows<{ externalId: string; status: string }>(`SELECT "externalId","status" FROM "Order" WHERE "shopId" = ?`, rushShopId);
    const rushHeld = await queryRows<{ externalId: string; status: string; quantity: number }>(
      `SELECT o."externalId" AS "externalId", a."status" AS "status", a."quantity" AS "quantity" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId"
       WHERE a."shopId" = ? AND l."sku" = ? AND a."status" <> 'released'`, rushShopId, rushSku,
    );
    const rushLevel = await queryRows<{ onHand: number; reserved: number }>(
      `SELECT lv."onHand" AS "onHand", lv."reserved" AS "reserved" FROM "InventoryLevel" lv JOIN "Variant" v ON v."id" = lv."variantId" WHERE lv."shopId" = ? AND v."sku" = ?`, rushShopId, rushSku,
    );
    const rushInbox = await queryRows<{ status: string; attempts: number }>(`SELECT "status","attempts" FROM "WebhookInbox" WHERE "shopDomain" = ?`, RUSH_SHOP);
    const rushConsistency = await checkStockConsistency(rushShopId);
    const rushSummary = { orders: countBy(rushOrderRows, (o) => o.status), units: countBy(rushHeld.flatMap((a) => Array(a.quantity).fill(a.status) as string[]), (s) => s) };

    // ---- 2. the replay across both servers, a worker killed a third of the way -------------------
    const scenario = await phase("generate", () => generateScenario(replayShopSeed(), urls[0]));
    cleanups.push(() => scenario.sandbox.close());
    const { events, expected } = scenario;
    const { lanes, stats } = chaosPlan(events);
    polledOrders.createMany(POLLED_ORDERS_EACH_TIME); // no webhooks: only the poll can find them

    let nextServer = 0;
    const replaySenders = urls.map((appUrl) => new WebhookSender({ appUrl, apiSecret: process.env.SHOPIFY_API_SECRET!, fetch: client.fetch }));
    const replayProcessed = () => queryNumber(`SELECT COUNT(*) AS "n" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'processed'`, REPLAY_SHOP);
    const stalledCounter = async (id: string) => Number((await webhookJobs.client.hget(webhookJobs.toKey(id), "stalledCounter")) ?? 0);

    const kill = {
      atProcessed: 0, activeAtKill: [] as string[], killedAfterMs: 0, recoveredJobs: 0, msToRecovery: 0, replacementAfterMs: 0,
    };
    let delivered = false;
    const killing = (async () => {
      await until("a third of the replay processed", 300_000, async () => delivered || (await replayProcessed()) >= KILL_WHEN_PROCESSED, 100);
      if (delivered) throw new Error("the replay ended before the kill");
      // Kill at a moment when the victim provably holds jobs: an active job's lock is its holder's token.
      const victim = workers[1];
      const victimToken = victim.tokens.get(webhookJobs.name);
      if (!victimToken) throw new Error(`${victim.name} never said its ${webhookJobs.name} lock token`);
      const heldByVictim = async () => {
        const active = await webhookJobs.client.lrange(webhookJobs.toKey("active"), 0, -1);
        const locks = active.length ? await webhookJobs.client.mget(...active.map((id) => `${webhookJobs.toKey(id)}:lock`)) : [];
        return { active, held: active.filter((_, i) => locks[i] === victimToken) };
      };
      const busyBy = Date.now() + 15_000;
      for (;;) {
        const { active, held } = await heldByVictim();
        // Prefer a busy moment (several jobs in flight); after 15 s any job the victim holds will do.
        if (held.length > 0 && (active.length >= KILL_WHEN_ACTIVE || Date.now() > busyBy)) break;
        if (Date.now() > busyBy + 30_000) throw new Error(`${victim.name} held no ${webhookJobs.name} job in 45 s`);
        await sleep(5);
      }
      victim.child.kill("SIGKILL");
      const killedAt = Date.now();
      kill.killedAfterMs = Math.round(performance.now() - t0);
      await withTimeout(victim.exited, 10_000, "killed worker exit");
      kill.atProcessed = await replayProcessed();
      // What the victim held when it died: its locks outlive it until they expire (4 s).
      kill.activeAtKill = (await heldByVictim()).held;
      if (kill.activeAtKill.length === 0) throw new Error(`${victim.name} finished every job it held in the instant before SIGKILL; nothing can stall`);
      // The survivor's stalled-job check hands the victim's jobs out again; wait until one of them ran again.
      await until("a job of the killed worker re-run by the survivor", 30_000, async () => {
        let recovered = 0;
        for (const id of kill.activeAtKill) {
          if ((await stalledCounter(id)) > 0 && (await webhookJobs.getJob(id).then((j) => j?.isCompleted()))) recovered += 1;
        }
        kill.recoveredJobs = recovered;
        return recovered > 0;
      }, 250);
      kill.msToRecovery = Date.now() - killedAt;
      polledOrders.createMany(POLLED_ORDERS_EACH_TIME);
      const replacement = spawnWorker("worker-3", standIn.url);
      workers.push(replacement);
      await withTimeout(replacement.ready, START_TIMEOUT_MS, "replacement worker start");
      kill.replacementAfterMs = Date.now() - killedAt;
    })();
    killing.catch(() => {}); // awaited below

    const { posts, mostInFlight } = await phase("replay", async () => {
      try {
        return await deliverChaotically(lanes, {
          post: (event, webhookId) => post(replaySenders[nextServer++ % 2], event, webhookId),
          processed: (eventId) => watch.processed(eventId),
        });
      } finally {
        delivered = true;
      }
    });
    await killing;

    const diagnose = async () => JSON.stringify({
      unprocessed: await queryRows(`SELECT "shopDomain","eventId","status","attempts","error" FROM "WebhookInbox" WHERE "status" <> 'processed' LIMIT 5`),
      webhookJobs: await webhookJobs.getJobCounts(), routingJobs: await routingJobs.getJobCounts(),
      workers: workers.map((w) => ({ name: w.name, alive: w.child.exitCode === null && w.child.signalCode === null, tail: w.tail.slice(-8) })),
    }, null, 1);
    await phase("drain", () =>
      until("drained", DRAIN_TIMEOUT_MS, async () =>
        (await queryNumber(`SELECT COUNT(*) AS "n" FROM "WebhookInbox" WHERE "status" <> 'processed'`)) === 0 &&
        (await queryNumber(`SELECT COUNT(*) AS "n" FROM "RoutingDecision" WHERE "dispatchedAt" IS NULL`)) === 0 &&
        (await pending(webhookJobs)) === 0 && (await pending(routingJobs)) === 0,
      250, diagnose),
    );
    const replayed: Snapshot = await phase("snapshot", () => snapshot());

    // Jobs Bull ran again after their worker died (the kill landed mid-work).
    const completedIds = await webhookJobs.client.zrange(webhookJobs.toKey("completed"), 0, -1);
    const counters = webhookJobs.client.pipeline();
    for (const id of completedIds) counters.hget(webhookJobs.toKey(id), "stalledCounter");
    const rerun = ((await counters.exec()) ?? []).filter(([, v]) => Number(v ?? 0) > 0).length;
    const failedWebhookJobs = (await webhookJobs.getFailed()).map((j) => `${j.id}: ${j.failedReason}`);

    // Where the posts went: each server's share, and events whose copies reached both.
    const servedBy = new Map<string, Set<number>>();
    replaySenders.forEach((s, i) => s.log.forEach((a) => servedBy.set(a.eventId, (servedBy.get(a.eventId) ?? new Set()).add(i))));
    const perServer = replaySenders.map((s) => s.log.length);
    const onBoth = [...servedBy.values()].filter((s) => s.size === 2).length;
    const notOk = replaySenders.flatMap((s) => s.log.filter((a) => a.status !== 200));

    // ---- 3. stop the workers (gracefully: in-flight jobs finish), then read the schedule -----------
    const cpu = Object.fromEntries([...apps, ...workers].map((p) => [p.name, cpuSeconds(p) === null ? null : Math.round(cpuSeconds(p)!)]));
    const stopAt = Date.now();
    const exits = await phase("stop", async () => {
      const out = await Promise.all(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map(async (w) => ({ name: w.name, ...(await stopGracefully(w)) })));
      out.push(...(await Promise.all(apps.map(async (a) => ({ name: a.name, ...(await stopGracefully(a)) })))));
      return out;
    });
    const claims = await queryRows<{ period: string; runBy: string; createdAt: string }>(`SELECT "period","runBy","createdAt" FROM "ScheduledRun" WHERE "name" = ? ORDER BY "period"`, `${JOB.reconcileOrders}:${POLLED_SHOP}`);
    const audits = (await queryRows<{ data: string }>(`SELECT "data" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'orders.reconciled'`, polledShopId)).map(
      (a) => JSON.parse(a.data) as { period: string | null; seen: number; ingested: number; stale: number; complete: boolean },
    );
    const runsByPeriod = countBy(audits, (a) => String(a.period));
    // A claimed period not run: its job still waiting in Redis when the workers stopped, or claimed by a tick
    // during the graceful stop whose enqueue the closing queue refused (see the header). Only the last ones.
    const notRun: { period: string; state: string; claimedWhileStopping: boolean }[] = [];
    for (const c of claims) {
      if (runsByPeriod[c.period]) continue;
      const job = await reconcileJobs.getJob(`${POLLED_SHOP}:reconcile:${c.period}`);
      notRun.push({ period: c.period, state: job ? await job.getState() : "never enqueued", claimedWhileStopping: Date.parse(c.createdAt) >= stopAt });
    }
    const excused = (period: string) => {
      const n = notRun.find((r) => r.period === period);
      return !!n && (["waiting", "delayed", "paused"].includes(n.state) || (n.state === "never enqueued" && n.claimedWhileStopping));
    };
    const periodProblems: string[] = [];
    claims.forEach((c, i) => {
      const runs = runsByPeriod[c.period] ?? 0;
      if (runs !== 1 && !(runs === 0 && i >= claims.length - 2 && excused(c.period))) periodProblems.push(`period ${c.period} (claimed by ${c.runBy} at ${c.createdAt}): ${runs} orders.reconciled rows`);
      if (i > 0 && Date.parse(c.period) - Date.parse(claims[i - 1].period) !== RECONCILE_EVERY_MS) periodProblems.push(`no claim between ${claims[i - 1].period} and ${c.period}`);
    });
    for (const period of Object.keys(runsByPeriod)) if (!claims.some((c) => c.period === period)) periodProblems.push(`orders.reconciled for period ${period}, never claimed`);
    const claimers = countBy(claims, (c) => c.runBy);
    const otherShopsReconciled = await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" IN (?, ?) AND "action" = 'orders.reconciled'`, replayShopId, rushShopId);
    const otherShopsClaims = await queryNumber(`SELECT COUNT(*) AS "n" FROM "ScheduledRun" WHERE "name" IN (?, ?)`, `${JOB.reconcileOrders}:${REPLAY_SHOP}`, `${JOB.reconcileOrders}:${RUSH_SHOP}`);
    const polledStored = await queryRows<{ externalId: string; n: number }>(`SELECT "externalId", COUNT(*) AS "n" FROM "Order" WHERE "shopId" = ? GROUP BY "externalId"`, polledShopId);
    const polledCreated = [...standIn.store.shop(POLLED_SHOP).orders.keys()].map(String);

    const referenceOutcome = await phase("wait for reference", () => reference.result.then((result) => ({ result }), (error: Error) => ({ error })));
    const ref = "result" in referenceOutcome ? referenceOutcome.result : undefined;
    const used = process.cpuUsage(cpuStarted);
    const statuses = (s: Snapshot) => countBy(Object.values(s.orders), (o) => o.status);
    console.info(
      `[multi-process] rush: ${JSON.stringify(rushSummary)}; replay: posts ${posts} (${perServer.join(" + ")} by server, at most ${mostInFlight} in flight, ${onBoth} events reached both servers), plan ${JSON.stringify(stats)}, orders ${JSON.stringify(statuses(replayed))}; ` +
        `gate waits ms ${JSON.stringify(percentiles(watch.waited))}; kill: ${JSON.stringify({ ...kill, activeAtKill: kill.activeAtKill.length })}, ${rerun} process-webhook jobs re-run after it; reconcile ${POLLED_SHOP}: ${claims.length} periods of ${RECONCILE_EVERY_MS} ms, claims by worker ${JSON.stringify(Object.values(claimers))}, ` +
        `runs ${audits.length}, not run ${JSON.stringify(notRun)}, ingested ${audits.reduce((s, a) => s + a.ingested, 0)} of ${polledCreated.length} created; job run failures ${JSON.stringify(Object.fromEntries(runFailures))}; logged ${JSON.stringify(alarming.map((a) => `${a.at >= stopAt ? "(stopping) " : ""}${a.line.slice(0, 160)}`).slice(0, 5))}; ` +
        `ms: ${JSON.stringify({ ...ms, total: Math.round(performance.now() - t0), testProcessCpu: Math.round((used.user + used.system) / 1000) })}, cpu s ${JSON.stringify(cpu)}, reference ${JSON.stringify(ref ? { ...ref.ms, cpu: ref.cpuMs } : "failed")}`,
    );
    if (!ref) throw (referenceOutcome as { error: Error }).error;

    // 1. Exactly 10 of 100 reserved, across two servers and two workers.
    expect(rushAnswers.filter((s) => s !== 200)).toEqual([]);
    expect(rushOrderRows).toHaveLength(RUSH_ORDERS);
    expect(new Set(rushOrderRows.map((o) => o.externalId))).toEqual(new Set(rush.map((o) => String(o.id))));
    expect(rushSummary).toEqual({ orders: { reserved: RUSH_UNITS, backordered: RUSH_ORDERS - RUSH_UNITS }, units: { reserved: RUSH_UNITS, backordered: RUSH_ORDERS - RUSH_UNITS } });
    expect(countBy(rushHeld, (a) => a.externalId)).toEqual(Object.fromEntries(rush.map((o) => [String(o.id), 1]))); // one open allocation per order
    expect(rushLevel).toEqual([{ onHand: RUSH_UNITS, reserved: RUSH_UNITS }]);
    expect(rushInbox.filter((r) => r.status !== "processed" || r.attempts !== 1)).toEqual([]);
    expect(rushConsistency).toEqual([]);

    // 2. The replay through both servers and both workers, one of them killed, equals the in-order run.
    expect(ref.fingerprint).toBe(eventsFingerprint(events));
    expect(stats.overtaking + stats.delayedUpdates).toBe(REORDER_FRACTION * REPLAY_EVENTS);
    expect(stats.duplicates).toBe(DUPLICATE_FRACTION * REPLAY_EVENTS);
    expect(notOk).toEqual([]);
    expect(Math.min(...perServer)).toBeGreaterThan(0.45 * posts);
    expect(onBoth).toBeGreaterThan(500); // duplicates and bursts split between the servers
    expect(kill.atProcessed).toBeLessThan(REPLAY_EVENTS / 2); // mid-run
    expect(kill.recoveredJobs).toBeGreaterThan(0); // the kill landed mid-job, and the survivor ran that job again
    expect(rerun).toBeGreaterThan(0);
    expect(failedWebhookJobs).toEqual([]);
    expect([...runFailures.keys()].filter((k) => k.startsWith(JOB.processWebhook))).toEqual([]);
    expect(ref.unexpectedJobFailures).toEqual([]);
    expect(ref.failedProcessWebhookJobs).toBe(0);
    const seeded = seededStock(replayShopSeed());
    expect(head(invariantViolations(replayed, expected, events, seeded))).toEqual([]);
    expect(head(invariantViolations(ref.snapshot, expected, events, seeded))).toEqual([]);
    expect(head(differences(replayed, ref.snapshot))).toEqual([]);

    // 3. The poll: once per period, every period, by the claim; it found what no webhook announced, once.
    expect(periodProblems.slice(0, 10)).toEqual([]);
    // Both ready (their first tick follows at once) → stopped (the last tick at most a tick, 1 s, before): every period in between.
    expect(claims.length).toBeGreaterThanOrEqual(Math.floor((stopAt - workersReadyAt - 2_000) / RECONCILE_EVERY_MS));
    expect(claims.length).toBeGreaterThan(20);
    expect(audits.every((a) => a.complete)).toBe(true);
    expect(audits.reduce((s, a) => s + a.ingested, 0)).toBe(polledCreated.length);
    expect(polledStored.map((o) => [o.externalId, o.n]).sort()).toEqual(polledCreated.map((id) => [id, 1]).sort());
    expect(otherShopsClaims).toBeGreaterThan(0); // the schedule polled the session-less shops too…
    expect(otherShopsReconciled).toBe(0); // …and those runs wrote nothing

    // The processes themselves: nothing alarming logged, every graceful stop clean.
    // …except the schedule's tick that claims a period while the worker stops (the closing queue refuses its job).
    expect(alarming.filter((a) => !(a.at >= stopAt && /tick failed.*Queue is closed/.test(a.line))).map((a) => a.line)).toEqual([]);
    expect(exits.filter((e) => e.code !== 0)).toEqual([]);
  }, 900_000);
});
