import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Frame } from "playwright-core";
import type { Scenario } from "./scenario";

// `npm run test:e2e`: starts `npm run demo` on free loopback ports with a fresh database, opens the
// stand-in Shopify admin in Debian's Chromium, and runs every scenario in tests/e2e/scenarios/ against it (each in its
// own page; E2E_ONLY=<substring> picks some). Saves screenshots under tests/e2e/artifacts/.

const ARTIFACTS = path.resolve("tests/e2e/artifacts");
const SHOP = "demo-oms.myshopify.com";
const SCENARIOS = path.resolve("tests/e2e/scenarios");
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const deadline = (ms: number) => Date.now() + ms;

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

async function waitForHealth(url: string, until: number): Promise<unknown> {
  let last = "";
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return res.json();
      last = `${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} never answered 200 (last: ${last})`);
}

async function appFrame(pageFrames: () => Frame[], until: number): Promise<Frame> {
  while (Date.now() < until) {
    const frame = pageFrames().find((f) => f.url().includes("/app") && f.parentFrame());
    if (frame) return frame;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the embedded app frame never loaded");
}

const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`e2e check failed: ${what}`);
  console.log(`  ✓ ${what}`);
};

const port = await freePort();
const sandboxPort = await freePort();
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
const demoDir = mkdtempSync(path.join(tmpdir(), "oms-e2e-"));
mkdirSync(ARTIFACTS, { recursive: true });
const demo = spawn("npx", ["tsx", "scripts/demo.ts"], {
  env: { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), DEMO_DIR: demoDir, DEMO_ORDER_INTERVAL_MS: "400" },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let demoOutput = "";
demo.stdout.on("data", (d) => (demoOutput += d));
demo.stderr.on("data", (d) => (demoOutput += d));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let passed = 0;
let failures = 0;
try {
  const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, deadline(240_000));
  check(JSON.stringify(health) === JSON.stringify({ ok: true, db: "ok", queue: "ok" }), `/healthz is 200 ${JSON.stringify(health)}`);
  const only = process.env.E2E_ONLY;
  const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".ts")).sort();
  for (const file of files) {
    const { scenario } = (await import(pathToFileURL(path.join(SCENARIOS, file)).href)) as { scenario: Scenario };
    if (only && !file.includes(only) && !scenario.name.includes(only)) continue;
    console.log(`\n▶ ${file}: ${scenario.name}`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, userAgent: USER_AGENT });
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${sandboxUrl}/admin/apps?shop=${SHOP}`);
      await scenario.run({
        browser, page, appFrame: () => appFrame(() => page.frames(), deadline(60_000)),
        appUrl: `http://127.0.0.1:${port}`, sandboxUrl, shop: SHOP, artifacts: ARTIFACTS, demoOutput: () => demoOutput, check, userAgent: USER_AGENT,
      });
      check(pageErrors.length === 0, `no errors in the page (${pageErrors.join("; ")})`);
      passed++;
    } catch (error) {
      failures++;
      console.error(`✗ ${file}:`, error);
      await page.screenshot({ path: path.join(ARTIFACTS, `failed-${file.replace(/\.ts$/, "")}.png`) }).catch(() => undefined);
    } finally {
      await page.close().catch(() => undefined);
    }
  }
} catch (error) {
  failures++;
  console.error(error);
} finally {
  if (failures) console.error("---- demo output ----\n" + demoOutput.slice(-6000));
  await browser.close();
  await stopDemo();
  // The demo's SQLite files are gone only once its processes have exited; retry for stragglers (WAL checkpoint files).
  rmSync(demoDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
const failed = failures > 0 || passed === 0;
console.log(`e2e: ${passed} passed, ${failures} failed`);
process.exit(failed ? 1 : 0);

/** SIGTERM the demo's process group and wait until none of it is left (SIGKILL after 15 s), so nothing writes into its folder while it is removed. */
async function stopDemo(): Promise<void> {
  const group = -demo.pid!;
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name);
    } catch {
      /* already gone */
    }
  };
  signal("SIGTERM");
  for (const until = Date.now() + 15_000; alive() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
  if (!alive()) return;
  signal("SIGKILL");
  for (const until = Date.now() + 5_000; alive() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
}
