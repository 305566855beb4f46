import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Metric } from "../run";
import { withBenchPostgres } from "../support/postgres";
import type { ChildResult, Sample } from "./measure";

// orders_list_p95_ms (SQLite) and orders_list_p95_ms_pg (PostgreSQL): the Orders page's loader
// (app/routes/app.orders._index.tsx, called as the embedded admin calls it: a session token, the shop's stored
// offline session; listOrders + listLocations + the page's mapping) over a shop with 200,000 stored orders
// (bench/orders-list/seed.ts: two years, six channels, realistic statuses, 1–4 lines, allocations at seven
// locations incl. backorders; 45,000 orders of three other shops beside them). The mix per round: page 1 with no
// filter, each status, each channel kind, each location and three combinations; deep walks following the
// page's own "Next" cursor to page 25 (no filter, shipped, amazon, the busiest DC) and a few pages elsewhere;
// 20 externalId look-ups (the listOrders call of GET /api/v1/orders?externalId=). One untimed warm-up round,
// then ROUNDS timed rounds; the figure is the p95 over every timed load.
//
// Baseline, same run, same loads: the same loader work with the query an ORM issues for the same result
// (Prisma's findMany with include: filter, ORDER BY placedAt DESC, id DESC, LIMIT/OFFSET by page number,
// relations in separate IN queries; bench/orders-list/naive-page.ts). The warm-up round checks that both
// answer every load with the same rows.
//
// Each database is seeded and then measured in child processes of their own (a fresh app process: env, pools,
// caches): SQLite on a new file; PostgreSQL on a new database (BENCH_PG_URL / TEST_PG_URL, else a throwaway
// cluster started and stopped by bench/support/postgres.ts). The two are seeded at the same time, measured
// one after the other.

const TARGET_MS = 100;

function runChild(databaseUrl: string, files: { seed: string; result: string }, phase: "seed" | "measure"): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("bench/orders-list/measure.ts")], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        SHOPIFY_API_KEY: "bench-api-key",
        SHOPIFY_API_SECRET: "bench-api-secret",
        SHOPIFY_APP_URL: "http://127.0.0.1:3999",
        BENCH_PHASE: phase,
        BENCH_SEED_FILE: files.seed,
        BENCH_RESULT_FILE: files.result,
      },
      // stdout carries the Shopify library's per-request log line; progress and errors come on stderr.
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`bench/orders-list/measure.ts (${phase}) exited with ${signal ?? code} on ${databaseUrl.replace(/\/\/[^@]*@/, "//")}`))));
  });
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(6);

function report(name: string, r: ChildResult): Metric {
  const value = percentile(r.samples.map((s) => s.ms), 95);
  const baseline = percentile(r.baseline.map((s) => s.ms), 95);
  console.log(`  ${name} (${r.dialect}): ${r.counts.orders.toLocaleString("en-US")} orders, ${r.counts.lines.toLocaleString("en-US")} lines, ${r.counts.allocations.toLocaleString("en-US")} allocations + ${r.counts.otherShopOrders.toLocaleString("en-US")} other shops' orders, seeded in ${r.seededSeconds.toFixed(1)} s; ${r.loadsPerRound} loads × ${r.rounds} rounds`);
  const groups = [...new Set(r.samples.map((s) => s.group))];
  const by = (samples: Sample[], g: string) => samples.filter((s) => s.group === g).map((s) => s.ms);
  const width = Math.max(...groups.map((g) => g.length));
  console.log(`  ${"loads".padEnd(width)}      n  p50 ms  p95 ms  max ms │ baseline p50  p95  max`);
  for (const g of groups) {
    const k = by(r.samples, g);
    const b = by(r.baseline, g);
    console.log(`  ${g.padEnd(width)} ${String(k.length).padStart(6)} ${f(percentile(k, 50))}  ${f(percentile(k, 95))}  ${f(Math.max(...k))} │ ${f(percentile(b, 50))} ${f(percentile(b, 95))} ${f(Math.max(...b))}`);
  }
  console.log(`  ${"all loads".padEnd(width)} ${String(r.samples.length).padStart(6)} ${f(percentile(r.samples.map((s) => s.ms), 50))}  ${f(value)}  ${f(Math.max(...r.samples.map((s) => s.ms)))} │ ${f(percentile(r.baseline.map((s) => s.ms), 50))} ${f(baseline)} ${f(Math.max(...r.baseline.map((s) => s.ms)))}`);
  const verdict = value < TARGET_MS ? "met" : "MISSED";
  console.log(`  ${name}: p95 ${value.toFixed(1)} ms (target < ${TARGET_MS} ms: ${verdict}); naive baseline p95 ${baseline.toFixed(1)} ms`);
  return {
    value: Math.round(value * 100) / 100,
    unit: "ms",
    baseline: Math.round(baseline * 100) / 100,
    target: `< ${TARGET_MS} ms (${verdict}); baseline: the same loads via ORM-style filter + ORDER BY + OFFSET`,
  };
}

export async function run(): Promise<Record<string, Metric>> {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-orders-list-"));
  try {
    return await withBenchPostgres("orders_list", async (pgUrl) => {
      const sqlite = { url: `file:${path.join(dir, "orders-list.db")}`, seed: path.join(dir, "seed-sqlite.json"), result: path.join(dir, "result-sqlite.json") };
      const postgres = { url: pgUrl, seed: path.join(dir, "seed-pg.json"), result: path.join(dir, "result-pg.json") };
      // Both databases are seeded at once (untimed); the page loads are timed one database at a time.
      const started = Date.now();
      await Promise.all([runChild(sqlite.url, sqlite, "seed"), runChild(postgres.url, postgres, "seed")]);
      console.log(`  both databases seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await runChild(sqlite.url, sqlite, "measure");
      const metrics: Record<string, Metric> = { orders_list_p95_ms: report("orders_list_p95_ms", JSON.parse(readFileSync(sqlite.result, "utf8")) as ChildResult) };
      await runChild(postgres.url, postgres, "measure");
      metrics.orders_list_p95_ms_pg = report("orders_list_p95_ms_pg", JSON.parse(readFileSync(postgres.result, "utf8")) as ChildResult);
      return metrics;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
