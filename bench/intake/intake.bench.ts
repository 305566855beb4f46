import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { ORDER_STATUSES } from "../../app/domain/orders/status-machine";
import type { Metric } from "../run";
import { freshPgDatabase, postgresForBench, redisForBench, type Service } from "../support/services";
import { cpuMsOf } from "../support/cpu";
import { startServerChild, type ServerChild } from "./child";
import { openLoop, percentile, sendAll, type Cursor, type Target } from "./load";
import { buildSignedPool, type SignedPool } from "./payloads";

// Webhook intake, end to end: signed orders/create webhooks over loopback HTTP, and the figure is ORDERS
// STORED AND RESERVED per second — from the first request until the last of N orders is routed and holds
// its stock (status past `received`), not acks. Each deployment is measured beside the naive inline handler
// (naive-server.ts: HMAC, then the whole ingest inside the request, then 200) doing the same work in the
// same run on the same database kind:
//   SQLite (the embedded default): the built production server (server.ts) with its in-process worker, one
//     process, vs the naive handler in one process. Metric names without suffix.
//   PostgreSQL: 2 app processes (the same server, jobs to Bull/Redis) + 2 dedicated worker processes
//     (`npm run worker`), vs the naive handler in 2 processes; plus the same with 1 worker, to show how
//     throughput changes with workers. Metric names with `_pg`.
// Each run: a fresh database seeded with the demo catalog, an uncounted warm-up batch (JIT, pools, WAL), then
// N orders sent with 64 connections per server; the clock stops when the last order is stored and reserved
// (polled on a connection of the bench's own). Every accepted order must end stored exactly once, or run()
// throws. Ack latency: an open loop at 500 requests/s (requests due on a fixed schedule; latency from the due
// time, so a server that falls behind is charged for it), against the deployment with its workers running.

const SHOP = "bench-oms.myshopify.com";
const SECRET = "intake-bench-secret";
const PATH = "/webhooks/orders_create";
const CONNECTIONS = 64;
const ORDERS = Number(process.env.BENCH_INTAKE_ORDERS ?? 12_000);
const WARMUP = 1_500;
const OPEN_RATE_PER_S = Number(process.env.INTAKE_OPEN_RATE ?? 500);
const OPEN_SECONDS = 6;
const STORED_TIMEOUT_MS = 240_000;

interface Deployment {
  name: string;
  servers: ServerChild[];
  workers: ServerChild[];
  /** Orders of the shop stored and reserved so far. */
  stored(): Promise<number>;
  /** After the warm-up: the database as a running shop has it (statistics gathered). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function run(): Promise<Record<string, Metric>> {
  ensureFreshBuild();
  const busy = () => `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
  console.log(`  before: ${busy()}`);
  const work = mkdtempSync(path.join(tmpdir(), "oms-intake-bench-"));
  const services: Service[] = [];
  try {
    const buildDir = snapshotBuild(work);
    const pool = buildSignedPool({ count: 8 * (ORDERS + WARMUP) + 6 * OPEN_RATE_PER_S * OPEN_SECONDS, shop: SHOP, secret: SECRET });
    const cursor: Cursor = { next: 0 };
    const env = baseEnv(buildDir);
    const results: Record<string, Metric> = {};

    // BENCH_INTAKE_ONLY=sqlite|pg measures one side only (while working on it); `npm run bench` measures both.
    const only = process.env.BENCH_INTAKE_ONLY;
    // ---- SQLite: one process each (the embedded default) ----
    if (only !== "pg") {
    const sqlite = (name: string) => `file:${path.join(work, `${name}.db`)}`;
    const naive = process.env.BENCH_INTAKE_SKIP_NAIVE ? 0 : await measureStored("sqlite naive", () => deploy("naive", { ...env, DATABASE_URL: sqlite("naive") }, { servers: 1, workers: 0, serverScript: "bench/intake/serve-naive.ts" }), pool, cursor);
    const embedded = await measureStored("sqlite embedded", () => deploy("embedded", { ...env, DATABASE_URL: sqlite("embedded") }, { servers: 1, workers: 0, serverScript: "bench/intake/serve-queued.ts", inProcessWorker: true }), pool, cursor);
    const embeddedAck = await measureAck("sqlite embedded", () => deploy("embedded-ack", { ...env, DATABASE_URL: sqlite("embedded-ack") }, { servers: 1, workers: 0, serverScript: "bench/intake/serve-queued.ts", inProcessWorker: true }), pool, cursor);
    const naiveAck = await measureAck("sqlite naive", () => deploy("naive-ack", { ...env, DATABASE_URL: sqlite("naive-ack") }, { servers: 1, workers: 0, serverScript: "bench/intake/serve-naive.ts" }), pool, cursor);
    results.intake_stored_orders_per_s = { value: r1(embedded), unit: "orders/s", baseline: r1(naive), target: "≥ 1000 and ≥ baseline (SQLite, in-process worker; baseline: naive inline handler)" };
    results.intake_ack_p99_ms = { value: r1(embeddedAck.p99), unit: "ms", baseline: r1(naiveAck.p99), target: `< 50 (open loop ${OPEN_RATE_PER_S}/s, SQLite, in-process worker running)`, note: ackNote(embeddedAck, naiveAck) };
    }
    if (only === "sqlite") return results;

    // ---- PostgreSQL: app processes + worker processes on Bull/Redis ----
    const pg = await postgresForBench();
    services.push(pg);
    const redis = await redisForBench();
    services.push(redis);
    const pgDb = async (name: string) => {
      const db = await freshPgDatabase(pg.url, `oms_bench_intake_${name}_${process.pid}`);
      services.push(db);
      return db.url;
    };
    const queued = (name: string, dbUrl: string) => ({ ...env, DATABASE_URL: dbUrl, REDIS_URL: redis.url, QUEUE_PREFIX: `bench-${name}-${process.pid}` });
    const naivePg = await measureStored("pg naive ×2", async () => deploy("pg-naive", { ...env, DATABASE_URL: await pgDb("naive") }, { servers: 2, workers: 0, serverScript: "bench/intake/serve-naive.ts" }), pool, cursor, [pg, redis]);
    const pg2 = await measureStored("pg 2 app + 2 workers", async () => deploy("pg-2w", queued("2w", await pgDb("w2")), { servers: 2, workers: 2, serverScript: "bench/intake/serve-queued.ts" }), pool, cursor, [pg, redis]);
    const pg1 = await measureStored("pg 2 app + 1 worker", async () => deploy("pg-1w", queued("1w", await pgDb("w1")), { servers: 2, workers: 1, serverScript: "bench/intake/serve-queued.ts" }), pool, cursor, [pg, redis]);
    const pgAck = await measureAck("pg 2 app + 2 workers", async () => deploy("pg-ack", queued("ack", await pgDb("ack")), { servers: 2, workers: 2, serverScript: "bench/intake/serve-queued.ts" }), pool, cursor);
    const pgNaiveAck = await measureAck("pg naive ×2", async () => deploy("pg-naive-ack", { ...env, DATABASE_URL: await pgDb("naiveack") }, { servers: 2, workers: 0, serverScript: "bench/intake/serve-naive.ts" }), pool, cursor);
    results.intake_stored_orders_per_s_pg = { value: r1(pg2), unit: "orders/s", baseline: r1(naivePg), target: "≥ 1000 (PostgreSQL, 2 app + 2 workers; baseline: naive inline handler in 2 processes)" };
    results.intake_stored_orders_per_s_pg_1_worker = { value: r1(pg1), unit: "orders/s", baseline: r1(pg2), target: "(2 app + 1 worker; baseline: the same with 2 workers)" };
    results.intake_ack_p99_ms_pg = { value: r1(pgAck.p99), unit: "ms", baseline: r1(pgNaiveAck.p99), target: `< 50 (open loop ${OPEN_RATE_PER_S}/s, PostgreSQL, 2 app + 2 workers)`, note: ackNote(pgAck, pgNaiveAck) };
    console.log(`  after: ${busy()}${loadavg()[0] > availableParallelism() ? " — other processes competed for the CPU: treat these numbers as a lower bound" : ""}`);
    return results;
  } finally {
    for (const s of services.reverse()) await s.stop().catch((error: Error) => console.warn(`  could not stop a service: ${error.message}`));
    rmSync(work, { recursive: true, force: true });
  }
}

function baseEnv(buildDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "intake-bench-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "http://127.0.0.1:3999",
    BENCH_SHOP: SHOP,
    BENCH_BUILD_DIR: buildDir,
    BENCH_SEED: "0",
  };
  delete env.REDIS_URL;
  delete env.TEST_PG_URL;
  return env;
}

interface DeploySpec {
  servers: number;
  workers: number;
  serverScript: string;
  inProcessWorker?: boolean;
}

/** Migrate and seed the run's database here, then start its server and worker processes. */
async function deploy(name: string, env: NodeJS.ProcessEnv, spec: DeploySpec): Promise<Deployment> {
  execFileSync(process.execPath, ["--import", "tsx", "bench/intake/seed.ts"], { env: { ...env, BENCH_SEED: "1" }, stdio: "pipe", timeout: 120_000 });
  const servers: ServerChild[] = [];
  const workers: ServerChild[] = [];
  const { openDatabase } = await import("../../app/.server/db/engine/open-database");
  const reader = openDatabase(env.DATABASE_URL!, { poolSize: 1, checkpointThread: false });
  try {
    for (let i = 0; i < spec.servers; i++) servers.push(await startServerChild(spec.serverScript, { ...env, BENCH_WORKER: spec.inProcessWorker ? "1" : "0" }));
    for (let i = 0; i < spec.workers; i++) workers.push(await startServerChild("bench/intake/serve-worker.ts", env));
  } catch (error) {
    await Promise.all([...servers, ...workers].map((c) => c.stop()));
    await reader.close();
    throw error;
  }
  const shopId = (await reader.get<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, SHOP))!.id;
  return {
    name,
    servers,
    workers,
    // Statuses listed (not `<> 'received'`) so the count walks the (shop, status) index, not every order row.
    stored: async () => Number((await reader.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Order" WHERE "shopId" = ? AND "status" IN (${PAST_RECEIVED.map(() => "?").join(", ")})`, shopId, ...PAST_RECEIVED))?.n ?? 0),
    settle: async () => {
      // PostgreSQL plans by its statistics, which a fresh database lacks until autovacuum's first ANALYZE
      // (up to a minute in): until then the order look-up may walk the (shop, channel, placed) index instead of
      // the unique key. A running shop has statistics; so does the run, from the end of its warm-up.
      if (reader.dialect === "postgres") await reader.exec("ANALYZE");
    },
    stop: async () => {
      await Promise.all([...servers, ...workers].map((c) => c.stop()));
      await reader.close();
    },
  };
}

const PAST_RECEIVED = ORDER_STATUSES.filter((s) => s !== "received");

const targets = (d: Deployment): Target[] => d.servers.map((s) => ({ port: s.port, path: PATH, shop: SHOP, topic: "orders/create" }));

/** N orders end to end: from the first request to the last order stored and reserved. Returns orders/s. */
async function measureStored(label: string, start: () => Promise<Deployment>, pool: SignedPool, cursor: Cursor, backing: Service[] = []): Promise<number> {
  const d = await start();
  try {
    const runTag = `${d.name}-${Date.now()}`;
    await sendAll(targets(d), pool, cursor, WARMUP, { connections: CONNECTIONS, runTag: `${runTag}-w` });
    await untilStored(d, WARMUP);
    await d.settle();
    const cpu = cpuMeter(d, backing);
    const t0 = performance.now();
    const sent = await sendAll(targets(d), pool, cursor, ORDERS, { connections: CONNECTIONS, runTag });
    const ackedMs = performance.now() - t0;
    if (sent.acceptedEventIds.length !== ORDERS) throw new Error(`${label}: ${ORDERS - sent.acceptedEventIds.length} of ${ORDERS} orders never accepted (${sent.non200} non-200, ${sent.failed} failed)`);
    await untilStored(d, WARMUP + ORDERS);
    const storedMs = performance.now() - t0;
    const rate = (ORDERS * 1000) / storedMs;
    console.log(`  ${label}: ${ORDERS} orders stored and reserved in ${(storedMs / 1000).toFixed(1)} s = ${rate.toFixed(0)}/s (all acked after ${(ackedMs / 1000).toFixed(1)} s; ${sent.sent - ORDERS} requests retried)`);
    console.log(`    CPU per order: ${cpu.report(ORDERS, storedMs)}`);
    return rate;
  } catch (error) {
    throw new Error(`intake bench, ${label}: ${(error as Error).message}\n--- server stderr ---\n${d.servers.map((s) => s.stderrTail()).join("\n")}\n--- worker stderr ---\n${d.workers.map((w) => w.stderrTail()).join("\n")}`);
  } finally {
    await d.stop();
    if (process.env.BENCH_DB_STATS) for (const c of [...d.servers, ...d.workers]) console.log(`    ${/db stats .*/.exec(c.stderrTail())?.[0] ?? "(no db stats)"}`);
  }
}

/**
 * CPU time per order of each part of a deployment over the timed window (from /proc: steady when the machine
 * is busy, where wall time is not): where an order's cost goes, and how much of the machine the run had.
 */
function cpuMeter(d: Deployment, backing: Service[]) {
  const parts: Array<[string, () => number]> = [
    [d.workers.length ? "app servers" : "server", () => cpuMsOf(d.servers.map((s) => s.pid))],
    ["workers", () => cpuMsOf(d.workers.map((w) => w.pid))],
    ["postgres", () => cpuMsOf(backing.filter((b) => b.url.startsWith("postgres")).flatMap((b) => b.pids?.() ?? []))],
    ["redis", () => cpuMsOf(backing.filter((b) => b.url.startsWith("redis")).flatMap((b) => b.pids?.() ?? []))],
    ["load generator", () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }],
  ];
  const before = parts.map(([, read]) => read());
  return {
    report(orders: number, wallMs: number): string {
      const used = parts.map(([name, read], i) => [name, read() - before[i]] as const).filter(([, ms]) => ms > 0);
      const total = used.reduce((s, [, ms]) => s + ms, 0);
      return `${used.map(([name, ms]) => `${name} ${(ms / orders).toFixed(2)} ms`).join(", ")}; total ${(total / orders).toFixed(2)} ms (${(total / wallMs).toFixed(2)} of ${availableParallelism()} cores busy with this run)`;
    },
  };
}

async function untilStored(d: Deployment, count: number): Promise<void> {
  const deadline = performance.now() + STORED_TIMEOUT_MS;
  for (;;) {
    const stored = await d.stored();
    if (stored === count) return;
    if (stored > count) throw new Error(`${stored} orders stored for ${count} sent: an order was stored twice`);
    if (performance.now() > deadline) throw new Error(`only ${stored} of ${count} orders stored and reserved after ${STORED_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // each poll counts the shop's orders: not too often (it takes CPU from the run)
  }
}

/**
 * p99 ack latency at OPEN_RATE_PER_S, the deployment's workers running; ms. A request not answered within
 * the client's 5 s (Shopify's limit) counts at the time it gave up (a lower bound) and is reported in `note`:
 * an overloaded deployment gets a figure, not a crash. An answer other than 200 is a bug: that throws.
 */
async function measureAck(label: string, start: () => Promise<Deployment>, pool: SignedPool, cursor: Cursor): Promise<{ p99: number; note?: string }> {
  const d = await start();
  try {
    const ts = targets(d);
    // One open loop per server at its share of the rate: a load balancer spreading requests evenly.
    const phases = await Promise.all(ts.map((t, i) => openLoop(t, pool, cursor, { connections: CONNECTIONS, warmupMs: 1_000, durationMs: (OPEN_SECONDS - 1) * 1_000, runTag: `${d.name}-ack${i}-${Date.now()}`, ratePerS: OPEN_RATE_PER_S / ts.length })));
    const latencies = phases.flatMap((p) => p.latenciesMs).sort((a, b) => a - b);
    const non200 = phases.reduce((s, p) => s + p.non200, 0);
    if (non200 > 0) {
      const statuses: Record<number, number> = {};
      for (const p of phases) for (const [status, n] of Object.entries(p.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n;
      throw new Error(`${non200} requests answered other than 200 (statuses ${JSON.stringify(statuses)})\n--- server stderr ---\n${d.servers.map((s) => s.stderrTail()).join("\n")}`);
    }
    const unanswered = phases.reduce((s, p) => s + p.failed, 0);
    const note = unanswered > 0 ? `${unanswered} of ${latencies.length} requests not answered within 5 s (counted at the time they gave up)` : undefined;
    const p99 = percentile(latencies, 99);
    console.log(`  ${label}: open loop ${OPEN_RATE_PER_S}/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms${note ? `; ${note}` : ""}`);
    return { p99, note };
  } finally {
    await d.stop();
  }
}

/** What an ack figure does not say by itself: requests that went unanswered, in the run or its baseline. */
function ackNote(value: { note?: string }, baseline: { note?: string }): string | undefined {
  const parts = [value.note && `value: ${value.note}`, baseline.note && `baseline: ${baseline.note}`].filter(Boolean);
  return parts.length ? parts.join("; ") : undefined;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** Rebuilds build/ (npx remix vite:build) when it is missing or older than any app source. */
function ensureFreshBuild(): void {
  const built = path.resolve("build/server/index.js");
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  if (builtAt >= newestSourceMtime(["app", "vite.config.ts"])) return;
  console.log("  build/ is missing or stale: npx remix vite:build …");
  execFileSync("npx", ["remix", "vite:build"], { env: { ...process.env, NODE_ENV: "production" }, stdio: "pipe", timeout: 300_000 });
}

/** A private copy of build/ (others may rebuild build/ while this runs), with node_modules linked beside it. */
function snapshotBuild(work: string): string {
  const dir = path.join(work, "build");
  cpSync(path.resolve("build"), dir, { recursive: true });
  if (!existsSync(path.join(dir, "server/index.js"))) throw new Error("build/ was being rebuilt while the intake bench copied it: run the bench again");
  symlinkSync(path.resolve("node_modules"), path.join(work, "node_modules"), "dir");
  return dir;
}

function newestSourceMtime(entries: string[]): number {
  let newest = 0;
  for (const entry of entries) {
    const stat = statSync(entry, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) newest = Math.max(newest, newestSourceMtime(readdirSync(entry).map((name) => path.join(entry, name))));
    else if (!/\.test\.tsx?$/.test(entry)) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}
