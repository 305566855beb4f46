import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "../../app/.server/db/engine/open-database";

// `npm run test:demo-restarts`: `npm run demo` stopped and restarted on the same data folder keeps stock
// consistent. Builds once, then starts the demo (orders flowing fast) on a temp data folder, lets it run,
// asks the live app (/healthz?check=stock), stops it — SIGTERM, and once SIGKILL mid-stream — and runs
// `npm run check:stock` on its database; DEMO_RESTARTS (default 5) restarts after the first start. Also
// checks that orders kept flowing and that the stand-in never replayed an order or line id with other
// content (no line ever changed its item). Exits 1 on any failure. The database is a SQLite file in the temp
// data folder, or DATABASE_URL when set (e.g. an empty PostgreSQL database: `DATABASE_URL=postgres://…`).

const RESTARTS = Number(process.env.DEMO_RESTARTS ?? 5);
const RUN_MS = Number(process.env.DEMO_RESTART_RUN_MS ?? 8_000);
const KILL_ROUND = 3; // this round ends with SIGKILL (no clean shutdown); the others with SIGTERM
const started = Date.now();
const log = (message: string) => console.log(`[demo-restarts +${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, demo: ChildProcess, until: number): Promise<void> {
  let last = "";
  while (Date.now() < until) {
    if (demo.exitCode !== null) throw new Error(`the demo exited (${demo.exitCode}) before it was healthy`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      last = `${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(300);
  }
  throw new Error(`${url} never answered 200 (last: ${last})`);
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Stops the demo's process group; a demo that ignores SIGTERM for 30 s is killed and the round fails. */
async function stop(demo: ChildProcess, signal: "SIGTERM" | "SIGKILL", round: number): Promise<void> {
  try {
    process.kill(-demo.pid!, signal);
  } catch {
    /* already gone */
  }
  if (await exited(demo, 30_000)) return log(`round ${round}: stopped with ${signal}`);
  process.kill(-demo.pid!, "SIGKILL");
  await exited(demo, 5_000);
  stopFailures.push(`round ${round}: the demo did not stop within 30 s of ${signal}`);
}
const stopFailures: string[] = [];

const dataDir = mkdtempSync(path.join(tmpdir(), "oms-demo-restarts-"));
const databaseUrl = process.env.DATABASE_URL ?? `file:${path.join(dataDir, "demo.db")}`;
let output = "";
let failed = false;

async function counts() {
  const db = openDatabase(databaseUrl, { poolSize: 1, checkpointThread: false });
  try {
    const count = async (text: string) => Number((await db.get<{ n: number }>(text))?.n ?? 0);
    const orders = await count(`SELECT COUNT(*) AS "n" FROM "Order"`);
    const replaced = await count(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "action" = 'order.lines_replaced'`);
    return { orders, replaced };
  } finally {
    await db.close();
  }
}

try {
  log("building the app once (vite)…");
  execFileSync("npx", ["remix", "vite:build"], { stdio: "pipe", env: { ...process.env, NODE_ENV: "production" } });
  let ordersBefore = 0;
  for (let round = 0; round <= RESTARTS; round++) {
    const port = await freePort();
    const sandboxPort = await freePort();
    const demo = spawn("npx", ["tsx", "scripts/demo.ts"], {
      env: { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), DEMO_DIR: dataDir, DATABASE_URL: databaseUrl, DEMO_ORDER_INTERVAL_MS: "150", DEMO_SKIP_BUILD: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group: npx, tsx and node are stopped together
    });
    demo.stdout!.on("data", (d) => (output = (output + d).slice(-20_000)));
    demo.stderr!.on("data", (d) => (output = (output + d).slice(-20_000)));
    try {
      await waitForHealth(`http://127.0.0.1:${port}/healthz`, demo, Date.now() + 120_000);
      log(`round ${round}: demo up on :${port}; orders flowing for ${RUN_MS / 1000} s`);
      await sleep(RUN_MS);
      const live = await fetch(`http://127.0.0.1:${port}/healthz?check=stock`);
      const health = (await live.json()) as { stock?: { ok: boolean; discrepancies: number } };
      if (live.status !== 200 || !health.stock?.ok) throw new Error(`round ${round}: /healthz?check=stock answered ${live.status} ${JSON.stringify(health)}`);
    } finally {
      await stop(demo, round === KILL_ROUND ? "SIGKILL" : "SIGTERM", round);
    }

    if (stopFailures.length > 0) throw new Error(stopFailures.join("; "));
    const check = spawn("npx", ["tsx", "scripts/check-stock.ts"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "pipe", "pipe"] });
    let report = "";
    check.stdout!.on("data", (d) => (report += d));
    check.stderr!.on("data", (d) => (report += d));
    const code = await new Promise<number | null>((resolve) => check.once("exit", resolve));
    if (code !== 0) throw new Error(`round ${round}: npm run check:stock exited ${code}:\n${report}`);
    const { orders, replaced } = await counts();
    log(`round ${round}: stock consistent (${report.trim().split("\n").pop()}); ${orders} orders (+${orders - ordersBefore})`);
    if (orders <= ordersBefore) throw new Error(`round ${round}: no new orders arrived (${orders})`);
    if (replaced > 0) throw new Error(`round ${round}: ${replaced} order update(s) changed a line's item: the stand-in replayed ids`);
    ordersBefore = orders;
  }
  log(`passed: ${RESTARTS} restarts (one after SIGKILL), stock consistent after each`);
} catch (error) {
  failed = true;
  console.error(error);
  console.error(`---- demo output (last lines) ----\n${output.slice(-4_000)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
