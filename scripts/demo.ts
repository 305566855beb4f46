import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

// `npm run demo`: the whole product on one machine with embedded defaults — SQLite, the in-process
// queue, and the local Shopify and Amazon stand-ins. Migrates and seeds a demo database, builds and starts the app,
// starts the stand-in store and admin, then keeps a slow stream of signed order webhooks arriving.
// The database is DEMO_DIR/demo.db unless DATABASE_URL names another (`DATABASE_URL=postgres://… npm run
// demo` runs it on PostgreSQL: an empty database, or one an earlier demo run left); the stand-in's own
// state (ids, orders, tokens) always lives in DEMO_DIR.

const port = Number(process.env.PORT ?? 3000);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? port + 1);
const dataDir = path.resolve(process.env.DEMO_DIR ?? ".demo");
const orderIntervalMs = Number(process.env.DEMO_ORDER_INTERVAL_MS ?? 4_000);
const SHOP = "demo-oms.myshopify.com";

mkdirSync(dataDir, { recursive: true });
process.env.NODE_ENV ??= "production";
const databaseUrl = (process.env.DATABASE_URL ??= `file:${path.join(dataDir, "demo.db")}`);
process.env.SHOPIFY_API_KEY ??= "oms-demo-api-key";
process.env.SHOPIFY_API_SECRET ??= "oms-demo-api-secret";
process.env.SHOPIFY_APP_URL = `http://127.0.0.1:${port}`;
process.env.APP_BRIDGE_URL = `http://127.0.0.1:${sandboxPort}/app-bridge.js`;
process.env.FRAME_ANCESTORS_EXTRA = `http://127.0.0.1:${sandboxPort}`; // the stand-in admin may frame the app
delete process.env.REDIS_URL; // the demo runs jobs in-process

const log = (message: string) => console.log(`[demo] ${message}`);

const { demoShopSeed } = await import("../sandbox/shopify/demo-catalog");
const seed = demoShopSeed(SHOP);

// The Amazon stand-in: the demo's "Amazon US" channel is connected to it, so figures are pushed there too
// (Listings PATCH for a few SKUs, a JSON_LISTINGS_FEED for many) and become buyer-visible a minute later.
const { SANDBOX_LWA_DEFAULTS, startAmazonSandbox } = await import("../sandbox/amazon/server");
const AMAZON_SELLER = "A2DEMOSELLER01";
const amazon = await startAmazonSandbox({
  port: Number(process.env.AMAZON_SANDBOX_PORT ?? 0),
  sellerId: AMAZON_SELLER,
  visibilityDelayMs: 60_000,
  listings: seed.products.flatMap((p) => p.variants.map((v) => ({ sku: v.sku, productType: "LUGGAGE", quantity: 0, itemName: `${p.title} — ${v.title}` }))),
});
Object.assign(process.env, {
  AMAZON_LWA_CLIENT_ID: SANDBOX_LWA_DEFAULTS.clientId,
  AMAZON_LWA_CLIENT_SECRET: SANDBOX_LWA_DEFAULTS.clientSecret,
  AMAZON_SP_API_ENDPOINT: amazon.url,
  AMAZON_LWA_ENDPOINT: `${amazon.url}/auth/o2/token`,
});

// The mail sink: customer notifications (ADR 0024) go to it over SMTP on a free loopback port; its page lists them.
const { startSmtpSink } = await import("../sandbox/smtp/server");
const mail = await startSmtpSink({ smtpPort: Number(process.env.SMTP_SANDBOX_PORT ?? 0), dataDir: path.join(dataDir, "mail") });
process.env.SMTP_URL = mail.smtpUrl;

const { database } = await import("../app/.server/db/database");
const { migrate } = await import("../app/.server/db/engine/migrate");
log(`migrating ${databaseUrl.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@")}`);
const applied = await migrate(database()); // the app's own database handle, which seeding and the server then use
log(applied.length > 0 ? `applied ${applied.join(", ")}` : "schema up to date");

const { seedDemoShop } = await import("../sandbox/seed-demo");
const seeded = await seedDemoShop(seed, { warehouse: true }); // + one managed warehouse (ADR 0029)
log(`seeded ${seed.name}: ${seed.locations.length} locations, ${seeded.variants} SKUs, ${seeded.levels} stock levels, 4 channels`);

if (process.env.DEMO_SKIP_BUILD !== "1") {
  log("building the app (vite)…");
  execFileSync("npx", ["remix", "vite:build"], { stdio: "pipe", env: { ...process.env, NODE_ENV: "production" } });
}

const { startShopifySandbox } = await import("../sandbox/shopify/server");
const { routeShopTrafficTo } = await import("../sandbox/shopify/route-shop-traffic");
const sandbox = await startShopifySandbox({
  port: sandboxPort,
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecret: process.env.SHOPIFY_API_SECRET,
  appUrl: process.env.SHOPIFY_APP_URL,
  apiVersion: "2026-01",
  shops: [seed],
  dataDir, // ids, orders and tokens kept beside the demo's database: a restarted demo never reuses an id
});
const unroute = routeShopTrafficTo(sandbox.url); // the app's real Shopify client now reaches the stand-in
// Shopify Flow (ADR 0031): a stored workflow in the stand-in — when an order is backordered, re-route it without Reno
// (Flow's signed POST to the app's /flow/actions/reroute-order). What it received and ran: /_sandbox/flow/triggers, /runs.
sandbox.flow.addWorkflow({ shop: SHOP, trigger: "order-backordered", action: "reroute-order", properties: { order_id: "{{order_id}}", "Exclude location": "Reno NV Warehouse", Reason: "Demo workflow: Reno is closed" } });

// Return labels (ADR 0027): the sandbox carrier draws them; registered before the server starts (it shares this process).
const { setCarrierPort } = await import("../app/.server/returns/carrier-port");
const { sandboxCarrier } = await import("../sandbox/returns/sandbox-carrier");
setCarrierPort(sandboxCarrier());

const { startAppServer } = await import("../server");
const app = await startAppServer({ port, quietWorker: true });

// "Install": the merchant opens the app once; App Bridge's session token reaches the app, which exchanges it
// for an expiring offline token at the stand-in (the real authenticate.admin path, nothing bypassed).
const install = await fetch(`${app.url}/api/v1/shop`, { headers: { Authorization: `Bearer ${sandbox.mintSessionToken(SHOP)}`, "User-Agent": "Mozilla/5.0 (open-oms demo) Chrome/156.0" } });
log(install.ok ? "app installed on the demo shop (offline token obtained by token exchange)" : `install failed: HTTP ${install.status}`);

// Connect the demo's Amazon channel (as a merchant does on the Channels page): every SKU's figure is then sent.
// The stand-in keeps its listings in memory, so each demo start connects again and sends them all afresh.
const { connectAmazon } = await import("../app/.server/use-cases/connect-amazon");
const { defaultChannel } = await import("../app/.server/db/shops");
const amazonChannel = await defaultChannel(database(), seeded.shopId, "amazon");
if (amazonChannel) {
  await connectAmazon(seeded.shopId, amazonChannel.id, { sellerId: AMAZON_SELLER, marketplaceId: amazon.marketplaceId, refreshToken: String(SANDBOX_LWA_DEFAULTS.refreshToken) });
  log(`Amazon channel connected to the Amazon stand-in (seller ${AMAZON_SELLER})`);
}

// The returns story (ADR 0036): a shipped order to return in the portal, and a later one waiting for the same SKU.
const { seedReturnsStory } = await import("../sandbox/seed-returns-demo");
const story = await seedReturnsStory(SHOP).catch((error: unknown) => (log(`returns story not seeded: ${(error as Error).message}`), null));
if (story) log(`returns    order ${story.shipped.name} (${story.shipped.email}) shipped 1 × ${story.sku}; order ${story.waiting.name} waits for ${story.waiting.backordered} × ${story.sku}`);

const { startOrderStream } = await import("../sandbox/shopify/order-stream");
const stream = startOrderStream({ sandbox, shop: SHOP, intervalMs: orderIntervalMs, log });

log(`app        ${app.url}   (health: ${app.url}/healthz)`);
log(`stand-in   ${sandbox.url}`);
log(`flow       ${sandbox.url}/_sandbox/flow/triggers?shop=${SHOP}   (workflow: order backordered → re-route without Reno; runs: /_sandbox/flow/runs)`);
log(`amazon     ${amazon.url}   (what buyers see: ${amazon.url}/_sandbox/state)`);
log(`mail sink  ${mail.url}   (customer notifications received on ${mail.smtpUrl})`);
log(`portal     ${sandbox.url}/apps/orders?shop=${SHOP}   (the storefront's app proxy: order lookup and returns)`);
console.log(`\n  Open the app inside the stand-in Shopify admin:\n\n    ${sandbox.url}/admin/apps?shop=${SHOP}\n`);

let closing = false;
async function shutdown() {
  if (closing) process.exit(1);
  closing = true;
  log("stopping…");
  stream.stop();
  await app.close();
  await sandbox.close();
  await amazon.close();
  await mail.close();
  unroute();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
