import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Frame } from "playwright-core";

// `npm run test:e2e`: starts `npm run demo` on free loopback ports with a fresh database, opens the
// stand-in Shopify admin in Debian's Chromium, and checks that the embedded app authenticated the real
// way and renders its dashboard with live data. Saves screenshots under tests/e2e/artifacts/.

const ARTIFACTS = path.resolve("tests/e2e/artifacts");
const SHOP = "demo-oms.myshopify.com";
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
let failed = false;
try {
  const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, deadline(240_000));
  check(JSON.stringify(health) === JSON.stringify({ ok: true, db: "ok", queue: "ok" }), `/healthz is 200 ${JSON.stringify(health)}`);

  // A merchant's desktop Chrome: Shopify's library answers 410 to user agents it takes for bots ("HeadlessChrome").
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36" });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`http://127.0.0.1:${sandboxPort}/admin/apps?shop=${SHOP}`);
  const frame = await appFrame(() => page.frames(), deadline(60_000));
  await frame.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
  check(true, "the embedded app's dashboard rendered inside the stand-in admin");

  // Live data: the order stream keeps webhooks arriving; the dashboard polls every 5 s.
  const ordersToday = frame.locator("text=Orders today").first().locator("xpath=../..").locator("p").first();
  let count = 0;
  for (const until = deadline(60_000); Date.now() < until && count < 3; await page.waitForTimeout(1_000)) {
    count = Number((await ordersToday.textContent())?.replace(/\D/g, "") || 0);
  }
  check(count >= 3, `orders arrived by signed webhooks and show on the dashboard (${count} today)`);
  check(await frame.getByText("Latest orders").isVisible(), "latest orders are listed");
  await page.screenshot({ path: path.join(ARTIFACTS, "dashboard.png") });

  // Client-side navigation through the admin's nav (App Bridge stand-in → shopify:navigate).
  await page.locator("#app-nav a", { hasText: /^Orders$/ }).click();
  await frame.getByRole("heading", { name: "Orders", exact: true }).waitFor({ timeout: 30_000 });
  check((await frame.locator("tbody tr").count()) > 0, "the Orders page lists stored orders");
  await page.screenshot({ path: path.join(ARTIFACTS, "orders.png") });
  check(pageErrors.length === 0, `no errors in the page (${pageErrors.join("; ")})`);
} catch (error) {
  failed = true;
  console.error(error);
  console.error("---- demo output ----\n" + demoOutput.slice(-4000));
} finally {
  await browser.close();
  await stopDemo();
  // The demo's SQLite files are gone only once its processes have exited; retry for stragglers (WAL checkpoint files).
  rmSync(demoDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
console.log(failed ? "e2e: 0 passed, 1 failed" : "e2e: 1 passed, 0 failed");
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
