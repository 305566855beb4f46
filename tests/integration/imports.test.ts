import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { listChannels, type ChannelRow } from "~/.server/db/shops";
import { resetEnvForTests } from "~/.server/env";
import { runImportJob } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { connectAmazon } from "~/.server/use-cases/connect-amazon";
import { requestAmazonOrderReport } from "~/.server/use-cases/fetch-amazon-order-report";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { pollAmazonOrders } from "~/.server/use-cases/poll-amazon-orders";
import { readImport } from "~/.server/use-cases/read-imports";
import { runImport } from "~/.server/use-cases/run-import";
import { action as importsAction, loader as importsLoader } from "~/routes/api.v1.imports";
import { loader as importLoader } from "~/routes/api.v1.imports.$id";
import { loader as csvLoader } from "~/routes/api.v1.imports.$id.lines[.]csv";
import { action as pageAction, loader as pageLoader } from "~/routes/app.imports";
import { loader as resultsLoader } from "~/routes/app.imports_.$id";
import { ALL_ORDERS_HEADER, allOrdersReport } from "../../sandbox/amazon/order-report";
import { SANDBOX_LWA_DEFAULTS, startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { remixRequestHandler } from "../support/remix-app";
import { BROWSER_UA, bearerArgs, statusOf } from "../support/requests";
import { addOfflineSession } from "../support/sessions";

// Imports as records (ADR 0016), through the API and the Imports page, against a real database and the Amazon
// stand-in: a report is taken in whole or not at all (or line by line when asked), a document imported again
// changes nothing, an order read by report and by the Orders API is one order, a long import shows progress,
// every line's result is listed and downloadable, the Reports API path works end to end, and each shop sees only
// its own imports.

const SHOP = "imports.myshopify.com";
const OTHER = "imports-other.myshopify.com";
const SELLER = "A2IMPORTSTEST01";
const URL_BASE = "http://127.0.0.1:3999";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
setQueue(new InProcessQueue()); // enqueued jobs never run by themselves: tests run the import job where they mean to

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let amazon: AmazonSandbox;
let shopId: string;
let otherShopId: string;
let channel: ChannelRow;
let stocked: string[];

beforeAll(async () => {
  const seed = demoShopSeed(SHOP);
  const variants = seed.products.flatMap((p) => p.variants);
  stocked = variants.filter((v) => Object.values(v.stock).reduce((a, b) => a + b, 0) >= 20).map((v) => v.sku);
  amazon = await startAmazonSandbox({
    sellerId: SELLER,
    rateLimits: { getOrders: { rate: 20, burst: 20 }, getOrderItems: { rate: 200, burst: 200 }, createReport: { rate: 10, burst: 10 }, getReportDocument: { rate: 10, burst: 10 } },
    reportProcessing: { inQueueMs: 40, inProgressMs: 40 },
    listings: variants.map((v) => ({ sku: v.sku, productType: "LUGGAGE", quantity: 10_000 })),
  });
  Object.assign(process.env, { AMAZON_LWA_CLIENT_ID: SANDBOX_LWA_DEFAULTS.clientId, AMAZON_LWA_CLIENT_SECRET: SANDBOX_LWA_DEFAULTS.clientSecret, AMAZON_SP_API_ENDPOINT: amazon.url, AMAZON_LWA_ENDPOINT: `${amazon.url}/auth/o2/token` });
  resetEnvForTests();
  shopId = (await seedDemoShop(seed)).shopId;
  otherShopId = (await seedDemoShop(demoShopSeed(OTHER))).shopId;
  await addOfflineSession(SHOP);
  await addOfflineSession(OTHER);
  channel = (await listChannels(database(), shopId)).find((c) => c.kind === "amazon")!;
  await connectAmazon(shopId, channel.id, { sellerId: SELLER, marketplaceId: "ATVPDKIKX0DER", refreshToken: String(SANDBOX_LWA_DEFAULTS.refreshToken) });
});
afterAll(async () => {
  await amazon.close();
});

// ---- a report as Amazon writes it ---------------------------------------------------------------------------

let serial = 0;
const orderId = () => `${String(200 + (serial % 700)).padStart(3, "0")}-${String(1_000_000 + serial++).padStart(7, "0")}-${String(7_654_321).padStart(7, "0")}`;
type Row = Partial<Record<(typeof ALL_ORDERS_HEADER)[number], string>>;
const row = (id: string, sku: string, quantity: number, extra: Row = {}): Row => ({
  "amazon-order-id": id, "purchase-date": "2026-03-01T10:00:00+00:00", "last-updated-date": "2026-03-01T10:05:00+00:00", "order-status": "Unshipped", "fulfillment-channel": "Merchant",
  "sales-channel": "Amazon.com", "ship-service-level": "Standard", "product-name": `Item ${sku}`, sku, asin: "B000000001", "item-status": "Unshipped", quantity: String(quantity),
  currency: "USD", "item-price": (12.5 * quantity).toFixed(2), "item-tax": "0.00", "ship-city": "Seattle", "ship-state": "WA", "ship-postal-code": "98109", "ship-country": "US", "is-business-order": "false",
  ...extra,
});
const report = (rows: Row[]) => [ALL_ORDERS_HEADER.join("\t"), ...rows.map((r) => ALL_ORDERS_HEADER.map((h) => r[h] ?? "").join("\t"))].join("\r\n") + "\r\n";

// ---- calling the API as an integration does -----------------------------------------------------------------

const token = (shop = SHOP) => mintSessionToken(app, shop);
async function post(body: string | Uint8Array, query: string, opts: { bearer?: string; headers?: Record<string, string> } = {}) {
  const request = new Request(`${URL_BASE}/api/v1/imports?${query}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${opts.bearer ?? token()}`, "User-Agent": BROWSER_UA, "Content-Type": "text/tab-separated-values; charset=utf-8", ...opts.headers },
    body: body as BodyInit,
  });
  const response = await importsAction({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}
async function get(id: string, query = "", bearer = token()) {
  const response = await importLoader(bearerArgs(`/api/v1/imports/${id}${query}`, bearer, { id }));
  return { status: response.status, body: (await response.json()) as Json };
}
const runJob = (importId: string) => runImportJob.perform({ id: `import:${importId}`, name: "import", data: { shopId, importId }, attempt: 1 });

const ordersOf = (externalId: string) => queryRows<{ id: string; status: string }>(`SELECT "id","status" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" = ?`, shopId, channel.id, externalId);
const linesOf = (orderId: string) => queryRows<{ externalId: string; quantity: number }>(`SELECT "externalId","quantity" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "externalId"`, shopId, orderId);
const reserved = (orderId: string) => queryNumber(`SELECT COALESCE(SUM(a."quantity"),0) FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'reserved'`, shopId, orderId);
const allocated = (orderId: string) => queryNumber(`SELECT COALESCE(SUM(a."quantity"),0) FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered')`, shopId, orderId);
const countOrders = () => queryNumber(`SELECT COUNT(*) FROM "Order" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channel.id);

describe("POST /api/v1/imports?format=amazon-orders-report", () => {
  it("takes a report in (routed and reserved, FBA recorded), and the same document again changes nothing", async () => {
    const [a, b, fba] = [orderId(), orderId(), orderId()];
    const file = report([row(a, stocked[0], 2), row(a, stocked[1], 1), row(b, stocked[2], 1), row(fba, stocked[3], 1, { "fulfillment-channel": "Amazon", "order-status": "Shipped", "item-status": "Shipped" })]);
    const first = await post(file, "format=amazon-orders-report&filename=all-orders.txt");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "done", format: "amazon-orders-report", mode: "all-or-nothing", filename: "all-orders.txt", failedLines: 0, acknowledgement: null, progress: { processedLines: 4, totalLines: 4, percent: 100 } });
    expect(first.body.summary).toMatchObject({ orders: 3, created: 3, unchanged: 0 });
    expect(first.body.orders.map((o: Json) => o.externalId)).toEqual([a, b, fba]);
    expect(first.body.lines.map((l: Json) => [l.line, l.ok])).toEqual([[2, true], [3, true], [4, true], [5, true]]);
    expect(first.body.lines[0].message).toBe(`line 2: order ${a}: created`);
    const [orderA] = await ordersOf(a);
    expect(orderA.status).toBe("reserved");
    expect(await reserved(orderA.id)).toBe(3);
    expect((await linesOf(orderA.id)).map((l) => l.externalId)).toEqual([`report:${stocked[0]}`, `report:${stocked[1]}`].sort());
    const [orderFba] = await ordersOf(fba);
    expect(orderFba.status).toBe("shipped");
    expect(await reserved(orderFba.id)).toBe(0);

    const count = await countOrders();
    const again = await post(file, "format=amazon-orders-report");
    expect(again.status).toBe(200);
    expect(again.body.id).not.toBe(first.body.id); // a new record of the attempt…
    expect(again.body.documentHash).toBe(first.body.documentHash);
    expect(again.body.summary).toMatchObject({ orders: 3, created: 0, updated: 0, unchanged: 3 }); // …that changes nothing
    expect(again.body.lines[0].message).toMatch(/unchanged/);
    expect(await countOrders()).toBe(count);
    expect(await reserved(orderA.id)).toBe(3);
    expect(await queryNumber(`SELECT COUNT(*) FROM "ImportFile" WHERE "shopId" = ? AND "documentHash" = ?`, shopId, first.body.documentHash)).toBe(1); // the file is kept once
  });

  it("all or nothing (the default): a bad line imports nothing and every problem is listed with its line", async () => {
    const [a, b] = [orderId(), orderId()];
    const file = report([row(a, stocked[0], 1), row(b, stocked[1], 1, { quantity: "three" }), row(b, stocked[2], 1, { "purchase-date": "soon" })]);
    const count = await countOrders();
    const res = await post(file, "format=amazon-orders-report");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "failed", failedLines: 2, okLines: 1, orders: [] });
    expect(res.body.error).toMatch(/^2 of 3 lines are refused \(the first: line 3: quantity "three" is not a whole number\): nothing was imported/);
    expect(res.body.lines).toEqual([
      { line: 2, ok: true, message: "line 2: valid; not imported: 2 lines of the file are refused (all or nothing)", orderExternalId: a, orderId: null },
      { line: 3, ok: false, message: 'line 3: quantity "three" is not a whole number', orderExternalId: b, orderId: null },
      { line: 4, ok: false, message: expect.stringMatching(/^line 4: purchase-date "soon" is not a date we can read/), orderExternalId: b, orderId: null },
    ]);
    expect(await countOrders()).toBe(count);
    expect(await ordersOf(a)).toEqual([]);

    // line by line: the good orders go in, the bad ones are listed
    const byLine = await post(file, "format=amazon-orders-report&mode=line-by-line");
    expect(byLine.body).toMatchObject({ status: "done", mode: "line-by-line", okLines: 1, failedLines: 2 });
    expect(byLine.body.error).toBe("2 of 3 lines were not imported (line by line: the other orders were)");
    expect(byLine.body.orders.map((o: Json) => o.externalId)).toEqual([a]);
    expect(await ordersOf(a)).toHaveLength(1);
    expect(await ordersOf(b)).toEqual([]);
  });

  it("a file that is not a tab-separated report fails as a whole, saying why; an unknown format is 400 listing the supported ones", async () => {
    const csv = await post("amazon-order-id,sku,quantity\n111-1111111-1111111,A,1\n", "format=amazon-orders-report");
    expect(csv.body).toMatchObject({ status: "failed", lines: [] });
    expect(csv.body.error).toMatch(/^Nothing was imported: the file is not tab-separated: its first line has no tab — it looks comma-separated/);
    const garbage = await post(Uint8Array.from([0, 159, 146, 150, 255, 0, 10, 9, 13]), "format=amazon-orders-report");
    expect(garbage.body.status).toBe("failed");
    const unknown = await post("x", "format=edifact");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "IMPORT.UNKNOWN_FORMAT", details: { supported: ["amazon-orders-report", "csv-po", "x12"] } });
    expect(unknown.body.error.message).toContain("supported formats are amazon-orders-report");
    expect((await post("x", "format=amazon-orders-report&mode=sometimes")).status).toBe(400);
    expect((await post("", "format=amazon-orders-report")).status).toBe(400);
  });

  it("answers 413 beyond 50 MB without reading the body", async () => {
    const res = await post("small", "format=amazon-orders-report", { headers: { "Content-Length": String(51 * 1024 * 1024) } }).catch(async () => {
      // A runtime that refuses a Content-Length that does not match: stream 51 MB instead.
      const chunk = new Uint8Array(1024 * 1024).fill(65);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({ pull: (c) => (sent++ < 51 ? c.enqueue(chunk) : c.close()) });
      const request = new Request(`${URL_BASE}/api/v1/imports?format=amazon-orders-report`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA }, body, duplex: "half" } as RequestInit);
      const response = await importsAction({ request, params: {}, context: {} });
      return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("IMPORT.TOO_LARGE");
  });

  it("the same order read by the Orders API and by a report is stored once, whichever comes first", async () => {
    // API first, then the report (same update): stale, nothing changes; the report's lines meet Amazon's item ids.
    const placed = amazon.createOrder({ items: [{ sku: stocked[4], quantity: 2, priceMinor: 1_250 }, { sku: stocked[5], quantity: 1, priceMinor: 999 }] });
    await pollAmazonOrders(shopId, channel.id);
    const [stored] = await ordersOf(placed.amazonOrderId);
    const apiLines = await linesOf(stored.id);
    expect(apiLines.map((l) => l.externalId).sort()).toEqual(placed.items.map((i) => i.orderItemId).sort());
    const res = await post(allOrdersReport([amazon.orders.orders.get(placed.amazonOrderId)!]), "format=amazon-orders-report");
    expect(res.body.summary).toMatchObject({ unchanged: 1, created: 0 });
    expect(res.body.orders).toEqual([{ externalId: placed.amazonOrderId, id: stored.id }]);
    expect(await ordersOf(placed.amazonOrderId)).toHaveLength(1);
    expect(await linesOf(stored.id)).toEqual(apiLines);
    expect(await reserved(stored.id)).toBe(3);
    // Shipped later, read by report first: an update of the same order on the API's line ids, shipped once.
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // Amazon's dates are whole seconds
    amazon.orders.setStatus(placed.amazonOrderId, "Shipped");
    const shipped = await post(allOrdersReport([amazon.orders.orders.get(placed.amazonOrderId)!]), "format=amazon-orders-report");
    expect(shipped.body.lines[0].message).toMatch(/: updated; shipped units recorded$/);
    expect(await linesOf(stored.id)).toEqual(apiLines);
    const fulfilled = () => queryNumber(`SELECT COALESCE(SUM(a."quantity"),0) FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'fulfilled'`, shopId, stored.id);
    expect(await fulfilled()).toBe(3);
    const poll = (await pollAmazonOrders(shopId, channel.id))!;
    expect(poll.shipped).toBe(0); // the poll reads the same shipment: nothing more consumed
    expect(await fulfilled()).toBe(3);

    // Report first, then the API: one order; Amazon's items keep the report's line ids.
    const next = amazon.createOrder({ items: [{ sku: stocked[6], quantity: 1 }] });
    await post(allOrdersReport([amazon.orders.orders.get(next.amazonOrderId)!]), "format=amazon-orders-report");
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    amazon.orders.setStatus(next.amazonOrderId, "Canceled");
    await pollAmazonOrders(shopId, channel.id);
    const rows = await ordersOf(next.amazonOrderId);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("cancelled");
    expect((await linesOf(rows[0].id)).map((l) => l.externalId)).toEqual([`report:${stocked[6]}`]);
  });

  it("a long import runs as a job with progress, and every line's result downloads as CSV", async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 1_500; i++) {
      const id = orderId();
      rows.push(row(id, stocked[i % stocked.length], 1, { "product-name": `Item, "quoted" ${i}` }), row(id, stocked[(i + 1) % stocked.length], 1));
    }
    rows.push(row(orderId(), stocked[0], 1, { currency: "DOLLARS" }));
    const file = report(rows);
    const queued = await post(file, "format=amazon-orders-report&mode=line-by-line", { headers: { Prefer: "respond-async" } });
    expect(queued.status).toBe(202);
    expect(queued.headers.get("location")).toBe(`/api/v1/imports/${queued.body.id}`);
    expect(queued.body).toMatchObject({ status: "queued", progress: { processedLines: 0, percent: 0 } });
    const seen: { status: string; processed: number }[] = [];
    const watch = (async () => {
      for (;;) {
        const v = await readImport(shopId, queued.body.id, { limit: 1 });
        seen.push({ status: v.status, processed: v.progress.processedLines });
        if (v.status === "done" || v.status === "failed") return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await runJob(queued.body.id);
    await watch;
    const midway = seen.filter((s) => s.status === "running" && s.processed > 0 && s.processed < 3_001);
    expect(midway.length).toBeGreaterThan(0); // progress was visible while it ran
    const done = await get(queued.body.id, "?failed=1");
    expect(done.body).toMatchObject({ status: "done", okLines: 3_000, failedLines: 1, progress: { processedLines: 3_001, totalLines: 3_001, percent: 100 } });
    expect(done.body.summary).toMatchObject({ orders: 1_500, created: 1_500 });
    expect(done.body.lines).toEqual([{ line: 3_002, ok: false, message: 'line 3002: currency "DOLLARS" is not a currency code', orderExternalId: expect.any(String), orderId: null }]);
    const page = await get(queued.body.id, "?after=100&limit=50");
    expect(page.body.lines.map((l: Json) => l.line)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
    expect(page.body.nextAfter).toBe(150);
    expect(page.body.orders).toHaveLength(1_500);

    const response = await csvLoader(bearerArgs(`/api/v1/imports/${queued.body.id}/lines.csv`, token(), { id: queued.body.id }));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`import-${queued.body.id}-lines.csv`);
    const records = parseCsv(await response.text(), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3_001);
    expect(records[0]).toMatchObject({ line: "2", ok: "true", message: expect.stringMatching(/^line 2: order .*: created$/) });
    expect(records.at(-1)).toMatchObject({ line: "3002", ok: "false", order_id: "" });
  });

  it("fetches Amazon's order report through the Reports API and imports it like an upload", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // orders of the tests above are out of the period
    const since = new Date();
    const a = amazon.createOrder({ items: [{ sku: stocked[7], quantity: 1 }, { sku: stocked[8], quantity: 2 }] });
    const b = amazon.createOrder({ items: [{ sku: stocked[9], quantity: 1 }], fulfillmentChannel: "AFN", status: "Shipped" });
    const { importId } = await requestAmazonOrderReport(shopId, channel.id, { since });
    expect((await readImport(shopId, importId)).status).toBe("queued");
    await runImport(shopId, importId, { pollMs: 20 });
    const view = await readImport(shopId, importId);
    expect(view).toMatchObject({ status: "done", source: "reports-api", failedLines: 0, filename: expect.stringMatching(/^GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL-\d+\.txt$/) });
    expect(view.orders.map((o) => o.externalId).sort()).toEqual([a.amazonOrderId, b.amazonOrderId].sort());
    const [stored] = await ordersOf(a.amazonOrderId);
    expect(await allocated(stored.id)).toBe(3); // routed: reserved, or backordered where the long import above took the stock
    const ref = await queryRow<{ sourceRef: string }>(`SELECT "sourceRef" FROM "Import" WHERE "shopId" = ? AND "id" = ?`, shopId, importId);
    expect(JSON.parse(ref!.sourceRef)).toMatchObject({ reportId: expect.any(String) });
    // Asked again: the same orders, nothing changes.
    const again = await requestAmazonOrderReport(shopId, channel.id, { since });
    await runImport(shopId, again.importId, { pollMs: 20 });
    expect((await readImport(shopId, again.importId)).summary).toMatchObject({ unchanged: 2, created: 0 });
    // A period with nothing in it: Amazon cancels the report; the import finishes empty. The report's start is sent in
    // whole seconds (up to 1 s earlier than asked): wait long enough that it still falls after the orders above.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const empty = await requestAmazonOrderReport(shopId, channel.id, { since: new Date(Date.now() - 500) });
    await runImport(shopId, empty.importId, { pollMs: 20 });
    expect(await readImport(shopId, empty.importId)).toMatchObject({ status: "done", summary: { orders: 0, notes: [expect.stringMatching(/CANCELLED/)] } });
  });

  it("another shop never sees the import; API keys: read may GET, write may POST", async () => {
    const mine = await post(report([row(orderId(), stocked[0], 1)]), "format=amazon-orders-report");
    expect((await get(mine.body.id, "", token(OTHER))).status).toBe(404);
    const otherList = await importsLoader(bearerArgs("/api/v1/imports", token(OTHER)));
    expect(((await otherList.json()) as Json).imports).toEqual([]);
    const csv = await csvLoader(bearerArgs(`/api/v1/imports/${mine.body.id}/lines.csv`, token(OTHER), { id: mine.body.id }));
    expect(csv.status).toBe(404);
    expect(await queryNumber(`SELECT COUNT(*) FROM "ImportLine" WHERE "shopId" = ?`, otherShopId)).toBe(0);

    const write = (await createApiKey(shopId, { name: "ERP", scope: "write" })).text;
    const read = (await createApiKey(shopId, { name: "BI", scope: "read" })).text;
    expect((await post(report([row(orderId(), stocked[1], 1)]), "format=amazon-orders-report", { bearer: write })).status).toBe(200);
    expect((await post(report([row(orderId(), stocked[1], 1)]), "format=amazon-orders-report", { bearer: read })).status).toBe(403);
    expect((await get(mine.body.id, "", read)).body.id).toBe(mine.body.id);
  });
});

describe("through the app's route table", () => {
  it("POST /api/v1/imports, GET /api/v1/imports/:id and GET /api/v1/imports/:id/lines.csv answer at their URLs", async () => {
    const handle = await remixRequestHandler();
    const auth = { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA };
    const created = await handle(new Request(`${URL_BASE}/api/v1/imports?format=amazon-orders-report`, { method: "POST", headers: auth, body: report([row(orderId(), stocked[3], 1)]) }));
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as Json;
    const one = await handle(new Request(`${URL_BASE}/api/v1/imports/${id}`, { headers: auth }));
    expect(((await one.json()) as Json).status).toBe("done");
    const csv = await handle(new Request(`${URL_BASE}/api/v1/imports/${id}/lines.csv`, { headers: auth }));
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect((await csv.text()).split("\r\n")[0]).toBe("line,ok,message,order_external_id,order_id");
    expect((await handle(new Request(`${URL_BASE}/api/v1/imports/${id}`, { method: "DELETE", headers: auth }))).status).toBe(405);
  });
});

describe("the Imports page", () => {
  const form = (fields: Record<string, string | Blob>, filename?: string) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === "string") data.set(k, v);
      else data.set(k, v, filename);
    }
    return pageAction({ request: new Request(`${URL_BASE}/app/imports`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA }, body: data }), params: {}, context: {} });
  };

  it("uploads a file as a queued import, lists it with its progress, and re-imports a failed one line by line", async () => {
    const good = orderId();
    const file = report([row(good, stocked[2], 1), row(orderId(), stocked[3], 1, { quantity: "x" })]);
    const uploaded = await form({ intent: "upload", format: "amazon-orders-report", mode: "all-or-nothing", file: new Blob([file], { type: "text/plain" }) }, "orders.txt");
    expect(uploaded).toMatchObject({ ok: true });
    const importId = (uploaded as { importId: string }).importId;
    let page = await pageLoader(bearerArgs("/app/imports", token()));
    expect(page.imports[0]).toMatchObject({ id: importId, status: "queued", filename: "orders.txt", source: "upload" });
    expect(page.formats.map((f) => f.id)).toEqual(["amazon-orders-report", "csv-po", "x12"]);
    expect(page.channels).toEqual([expect.objectContaining({ id: channel.id, kind: "amazon", connected: true })]);
    expect(await form({ intent: "resume", importId })).toMatchObject({ ok: true, message: expect.stringMatching(/^Queued again/) }); // a job lost to a restart
    await runJob(importId);
    expect(await form({ intent: "resume", importId })).toMatchObject({ ok: true, message: "That import has finished." });
    page = await pageLoader(bearerArgs("/app/imports", token()));
    expect(page.imports[0]).toMatchObject({ id: importId, status: "failed", failedLines: 1, progress: { percent: 100 } });
    expect(await ordersOf(good)).toEqual([]);

    const again = await form({ intent: "reimport", importId, mode: "line-by-line" });
    expect(again).toMatchObject({ ok: true });
    const secondId = (again as { importId: string }).importId;
    await runJob(secondId);
    expect(await readImport(shopId, secondId)).toMatchObject({ status: "done", mode: "line-by-line", source: "reimport", reimportOf: importId, okLines: 1, failedLines: 1 });
    expect(await ordersOf(good)).toHaveLength(1);
    const results = await resultsLoader(bearerArgs(`/app/imports/${importId}?failed=1`, token(), { id: importId }));
    expect(results.view.lines).toEqual([expect.objectContaining({ line: 3, ok: false, message: 'line 3: quantity "x" is not a whole number' })]);
    expect(await statusOf(() => resultsLoader(bearerArgs(`/app/imports/${importId}`, token(OTHER), { id: importId })))).toBe(404); // another shop's
    expect(await form({ intent: "upload", format: "amazon-orders-report", file: new Blob([""]) }, "empty.txt")).toMatchObject({ ok: false, error: "Choose a file to import." });
  });
});
