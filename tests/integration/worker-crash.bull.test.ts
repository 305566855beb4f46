import Bull from "bull";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { setQueue } from "~/.server/jobs/queue";
import { BullQueue } from "~/.server/queues/bull-queue";
import {
  AMPLE_SKUS, checkScenario, crashScenario, CRASH_SHOP, deliverCrashEvents, invariantViolations, mulberry32, seedCrashCatalogue, snapshotPipeline,
  type PipelineSnapshot,
} from "../support/worker-crash-scenario";
import { queryNumber, queryRows } from "../support/db-query";
import { freshDatabase } from "../support/test-database";

// Acceptance: killing the worker process (SIGKILL) repeatedly during a 5,000-order ingest and restarting it
// yields the same final state as a clean run — with the Bull driver and a real Redis.
//
// Crash run (this process + child workers, the setup file's database, a Bull prefix of its own):
//   this process sends the stream (5,000 orders/create, ~270 orders/cancelled, ~100 repeated deliveries;
//   see tests/support/worker-crash-scenario.ts) through receiveWebhook → inbox → Bull, 8 at a time, while
//   the real worker (`node --import tsx app/.server/queues/worker-main.ts`, the `npm run worker` entry) runs
//   as a child and is SIGKILLed KILLS times, each 300–1500 ms (seeded) after it reports "worker started",
//   and restarted. A last worker then runs until the inbox holds no unprocessed row and no Bull job is
//   waiting, active or delayed (jobs a killed worker held come back through Bull's stalled-job check,
//   ~30–60 s with Bull's defaults; stuck inbox rows through the worker's inbox sweep), and is stopped with
//   SIGTERM.
// Clean run (tests/support/worker-crash-clean-run.ts, its own process and fresh database): same catalogue,
//   same stream in the same order, in-process queue, no kills.
//
// What is compared, and why (ids normalised to external ids, SKUs and location external ids):
// - In each run on its own (invariantViolations): inbox fully processed; every order stored once with all
//   its lines; a cancelled order holds nothing; any other order's lines hold reserved + backordered = their
//   quantity and its status says which; per SKU × location, level.reserved = the ledger's reserved sum =
//   units in reserved allocations, level.onHand = the ledger's on-hand sum, available ≥ 0; no reserve
//   ledger entry without its allocation (no double reservation).
// - Between the runs, exactly: the inbox (topic × status counts); every AMPLE order's status and open
//   allocations per line (status × location → units) — ample stock never runs short, so routing does not
//   depend on processing order; every inventory level (onHand, reserved) and every ledger sum per SKU ×
//   location × bucket — for ample SKUs by the same argument, for SCARCE SKUs because demand is ≥ 3× stock
//   (checkScenario) so every scarce unit must end up reserved whatever the order.
// - Not compared between the runs: which SCARCE order got the last units (Bull runs 4 jobs at a time and
//   re-runs a killed job later, so the order legitimately differs); their invariants above still hold.
// - Crash run only: no process-webhook job ended failed; every live order's latest routing decision has its
//   apply-routing job in Redis (the channel would be told; in both runs that job then fails terminally
//   since the test shop has no Shopify session, so it never moves an order to `routed`); at least one job
//   was re-run after a kill (Bull's stalledCounter), i.e. kills landed mid-job.

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error("REDIS_URL is not set: this test needs a running Redis (see .ci/run)");
const REDIS_URL: string = redisUrl;

const ROOT = process.cwd(); // vitest runs from the repository root
const PREFIX = `oms-crash-${process.pid}-${Date.now()}`;
const KILLS = 12;
const KILL_SEED = 4242;
const WORKER_START_TIMEOUT_MS = 20_000;
const DRAIN_TIMEOUT_MS = 150_000;
const REFERENCE_TIMEOUT_MS = 150_000;
const PROCESS_WEBHOOK = "process-webhook";
const APPLY_ROUTING = "apply-routing";

const children = new Set<ChildProcess>();
const queueErrors: string[] = [];
let queue: BullQueue | undefined;
let inspector: Bull.Queue | undefined;
let dropReference: (() => Promise<void>) | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  setQueue(undefined);
  await inspector?.close();
  await queue?.destroy();
  await dropReference?.();
});

interface WorkerProc {
  child: ChildProcess;
  started: Promise<void>;
  exited: Promise<void>;
  tail: string[];
}

/** Worker log lines "job run failed" counted by job / terminal / first words of the error. */
const runFailures = new Map<string, number>();

function spawnWorker(): WorkerProc {
  const child = spawn(process.execPath, ["--import", "tsx", "app/.server/queues/worker-main.ts"], {
    cwd: ROOT,
    // Short crash-recovery timings so a killed worker's jobs come back in seconds, not Bull's 30 s,
    // and the sweep picks up anything stranded between a commit and its enqueue.
    env: { ...process.env, REDIS_URL, QUEUE_PREFIX: PREFIX, DATABASE_URL: process.env.DATABASE_URL, QUEUE_LOCK_MS: "4000", QUEUE_STALLED_INTERVAL_MS: "2000", SWEEP_AFTER_MS: "3000", SWEEP_EVERY_MS: "1000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const tail: string[] = [];
  let markStarted: () => void = () => {};
  let failStart: (e: Error) => void = () => {};
  const started = new Promise<void>((resolve, reject) => ((markStarted = resolve), (failStart = reject)));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      children.delete(child);
      failStart(new Error(`worker exited before starting (code ${code}, signal ${signal}):\n${tail.join("\n")}`));
      resolve();
    }),
  );
  const onData = (buf: Buffer) => {
    for (const line of buf.toString().split("\n")) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (line.includes("[worker] worker started")) markStarted();
      const failed = /\[worker\] job run failed (\{.*\})/.exec(line);
      if (failed) {
        const f = JSON.parse(failed[1]) as { job: string; terminal: boolean; error: string };
        const key = `${f.job} terminal=${f.terminal}: ${f.error.replace(/\d{6,}/g, "N").slice(0, 70)}`;
        runFailures.set(key, (runFailures.get(key) ?? 0) + 1);
      }
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  return { child, started, exited, tail };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function inboxCount(status: "processed" | "unprocessed"): Promise<number> {
  const op = status === "processed" ? "=" : "<>";
  return queryNumber(`SELECT COUNT(*) AS "n" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" ${op} 'processed'`, CRASH_SHOP);
}

/** Routing decisions committed whose apply-routing job was not enqueued yet (the outbox's backlog). */
function undispatchedDecisions(): Promise<number> {
  return queryNumber(`SELECT COUNT(*) AS "n" FROM "RoutingDecision" d JOIN "Shop" s ON s."id" = d."shopId" WHERE s."domain" = ? AND d."dispatchedAt" IS NULL`, CRASH_SHOP);
}

/** The clean reference run: a child process on a fresh database migrated like this one (a copy of the template). */
async function runReference(): Promise<{ url: string; result: { ok: boolean; ms?: number; error?: string; failedByName?: Record<string, number> } }> {
  const { url, drop } = await freshDatabase("crash_ref");
  dropReference = drop;
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  delete env.REDIS_URL;
  delete env.QUEUE_PREFIX;
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/worker-crash-clean-run.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) =>
    child.once("exit", () => {
      children.delete(child);
      const line = out.split("\n").reverse().find((l) => l.startsWith("{"));
      resolve({ url, result: line ? JSON.parse(line) : { ok: false, error: out.slice(-2000) } });
    }),
  );
}

/** Why the crash run did not drain: inbox rows by status, queue counts, and the Bull state of a few stuck rows. */
async function drainDiagnostics(): Promise<string> {
  const rows = await queryRows<{ eventId: string; topic: string; status: string; error: string | null }>(
    `SELECT "eventId","topic","status","error" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" <> 'processed' LIMIT 5`, CRASH_SHOP,
  );
  const jobs = await Promise.all(
    rows.map(async (r) => {
      const job = await inspector!.getJob(`${CRASH_SHOP}:${r.eventId}`);
      if (!job) return { ...r, job: null };
      const stalledCounter = await inspector!.client.hget(inspector!.toKey(String(job.id)), "stalledCounter");
      return { ...r, job: { state: await job.getState(), failedReason: job.failedReason, attemptsMade: job.attemptsMade, stalledCounter } };
    }),
  );
  const failed = (await queue!.failed(PROCESS_WEBHOOK, 5)).map((f) => ({ id: f.id, error: f.error, attempts: f.attempts }));
  return JSON.stringify({ unprocessedRows: await inboxCount("unprocessed"), counts: await queue!.counts(), stuck: jobs, failedProcessWebhook: failed }, null, 2);
}

describe("worker crash recovery (Bull + Redis)", () => {
  it(`SIGKILLing the worker ${KILLS} times during a 5,000-order ingest ends in the same state as a clean run`, async () => {
    const t0 = Date.now();
    const { orders, events } = crashScenario();
    checkScenario(orders);
    await seedCrashCatalogue();
    queue = new BullQueue({ redisUrl: REDIS_URL, prefix: PREFIX, onError: (e, name) => queueErrors.push(`${name}: ${e.message}`) });
    setQueue(queue);
    inspector = new Bull(PROCESS_WEBHOOK, REDIS_URL, { prefix: PREFIX });

    // Intake runs in this process while workers come and go.
    let delivered = false;
    const delivering = deliverCrashEvents(events, { parallel: 8 }).then((r) => {
      delivered = true;
      return r;
    });
    delivering.catch(() => {}); // awaited below

    const rand = mulberry32(KILL_SEED);
    const kills: { afterMs: number; processedAtKill: number; activeJobs: number }[] = []; // activeJobs: Bull's active list, incl. jobs orphaned by earlier kills
    while (kills.length < KILLS) {
      const w = spawnWorker();
      await withTimeout(w.started, WORKER_START_TIMEOUT_MS, "worker start");
      const afterMs = Math.round(300 + rand() * 1200);
      await sleep(afterMs);
      const activeJobs = (await queue.counts()).active;
      const processedAtKill = await inboxCount("processed");
      w.child.kill("SIGKILL");
      await withTimeout(w.exited, 10_000, "killed worker exit");
      kills.push({ afterMs, processedAtKill, activeJobs });
      if (delivered && (await inboxCount("unprocessed")) === 0) break; // drained early: the kill count check below fails
    }
    const killPhaseMs = Date.now() - t0;

    // The clean reference run proceeds beside the final drain (mostly waiting on Bull's stalled-job check).
    const reference = runReference();

    const last = spawnWorker();
    await withTimeout(last.started, WORKER_START_TIMEOUT_MS, "final worker start");
    const { redeliveries } = await delivering;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const c = await queue.counts();
      if ((await inboxCount("unprocessed")) === 0 && (await undispatchedDecisions()) === 0 && c.waiting + c.active + c.delayed === 0) break;
      if (Date.now() > deadline) throw new Error(`crash run did not drain within ${DRAIN_TIMEOUT_MS} ms:\n${await drainDiagnostics()}\nworker log tail:\n${last.tail.join("\n")}`);
      await sleep(500);
    }
    const drainedMs = Date.now() - t0;
    last.child.kill("SIGTERM");
    await withTimeout(last.exited, 30_000, "final worker graceful stop");

    const ref = await withTimeout(reference, REFERENCE_TIMEOUT_MS, "reference run");
    expect(ref.result, ref.result.error).toMatchObject({ ok: true });

    // Evidence the kills landed mid-work: jobs Bull re-ran after their worker died.
    const completedIds = await inspector.client.zrange(inspector.toKey("completed"), 0, -1);
    const pipeline = inspector.client.pipeline();
    for (const id of completedIds) pipeline.hget(inspector.toKey(id), "stalledCounter");
    const rerun = ((await pipeline.exec()) ?? []).filter(([, v]) => Number(v ?? 0) > 0).length;

    // Every live order's latest decision has its apply-routing job (enqueued after the intake commit).
    const latest = await queryRows<{ externalId: string; orderId: string; decisionId: string | null }>(
      `SELECT o."externalId" AS "externalId", o."id" AS "orderId",
         (SELECT d."id" FROM "RoutingDecision" d WHERE d."shopId" = o."shopId" AND d."orderId" = o."id" ORDER BY d."createdAt" DESC, d."id" DESC LIMIT 1) AS "decisionId"
       FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ? AND o."status" <> 'cancelled'`,
      CRASH_SHOP,
    );
    const exists = inspector.client.pipeline();
    for (const r of latest) exists.exists(`${PREFIX}:${APPLY_ROUTING}:${r.orderId}:${r.decisionId}`);
    const existsResults = (await exists.exec()) ?? [];
    const withoutApplyRouting = latest.filter((_, i) => existsResults[i][1] !== 1).map((r) => r.externalId);
    const failedWebhookJobs = await queue.failed(PROCESS_WEBHOOK, 10);
    const failedApplyRouting = (await queue.failed(APPLY_ROUTING, 100_000)).length;

    const crash = await snapshotPipeline(process.env.DATABASE_URL!);
    const clean = await snapshotPipeline(ref.url);

    console.log(
      `[worker-crash] ${events.length} webhooks (${orders.length} orders), ${kills.length} kills in ${killPhaseMs} ms, drained at ${drainedMs} ms, ` +
        `reference ${ref.result.ms} ms; ${redeliveries} intake redeliveries; ${rerun} process-webhook jobs re-run after a kill; ` +
        `apply-routing failed (no session): crash ${failedApplyRouting}, clean ${ref.result.failedByName?.[APPLY_ROUTING] ?? 0}\n` +
        `kills: ${JSON.stringify(kills)}\nworker run failures: ${JSON.stringify(Object.fromEntries(runFailures), null, 1)}`,
    );

    expect(queueErrors).toEqual([]);
    expect(kills.length).toBe(KILLS);
    expect(kills.filter((k) => k.processedAtKill < events.length).length).toBe(KILLS); // every kill came before the drain
    expect(rerun).toBeGreaterThan(0);
    expect(failedWebhookJobs).toEqual([]);

    expect(invariantViolations(clean, orders).slice(0, 20)).toEqual([]);
    expect(invariantViolations(crash, orders).slice(0, 20)).toEqual([]);

    expect(crash.inbox).toEqual(clean.inbox);
    const ample = orders.filter((o) => o.kind === "ample").map((o) => o.id);
    const differing = ample.filter((id) => JSON.stringify(normalised(crash, id)) !== JSON.stringify(normalised(clean, id)));
    expect(
      differing.slice(0, 5).map((id) => ({ id, crash: crash.orders[id], clean: clean.orders[id] })),
      `${differing.length} of ${ample.length} ample orders differ`,
    ).toEqual([]);
    expect(crash.levels).toEqual(clean.levels);
    expect(crash.ledger).toEqual(clean.ledger);
    expect(Object.keys(crash.levels).filter((k) => AMPLE_SKUS.some((s) => k.startsWith(`${s}@`))).length).toBeGreaterThan(0);

    // Last, as it is about work after the state: a kill between the intake commit and the apply-routing
    // enqueue must not lose the job (the re-run finds the order already stored and enqueues nothing).
    const lost = await Promise.all(
      withoutApplyRouting.slice(0, 5).map(async (id) => {
        const create = events.find((e) => e.orderId === id && e.topic === "orders/create")!;
        const job = await inspector!.getJob(`${CRASH_SHOP}:${create.eventId}`);
        const stalledCounter = job ? await inspector!.client.hget(inspector!.toKey(String(job.id)), "stalledCounter") : null;
        return { order: id, processWebhookJob: job ? { state: await job.getState(), attemptsMade: job.attemptsMade, stalledCounter } : null };
      }),
    );
    expect(lost, `${withoutApplyRouting.length} live orders have no apply-routing job for their latest decision`).toEqual([]);
  }, 280_000);
});

/** An order with its lines and open allocations in a stable key order. */
function normalised(snap: PipelineSnapshot, id: string) {
  const o = snap.orders[id];
  if (!o) return null;
  return {
    status: o.status,
    lines: Object.keys(o.lines)
      .sort()
      .map((k) => ({ k, sku: o.lines[k].sku, quantity: o.lines[k].quantity, open: Object.entries(o.lines[k].open).sort() })),
  };
}
