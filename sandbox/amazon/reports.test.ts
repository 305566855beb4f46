import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { ALL_ORDERS_HEADER } from "./order-report";
import { fixturesDir } from "./schemas";
import type { AmazonSandbox } from "./server";
import { MARKETPLACE, spClient, startTestSandbox, type ManualClock, type SpClient } from "./test-support";

let sandbox: AmazonSandbox;
let clock: ManualClock;
let client: SpClient;
async function start() {
  ({ sandbox, clock } = await startTestSandbox({ reportProcessing: { inQueueMs: 1000, inProgressMs: 4000 } }));
  started = true;
  client = await spClient(sandbox);
}
let started = false;
afterEach(async () => {
  if (started) await sandbox.close();
  started = false;
});

const REPORT_TYPE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";
interface Report { reportId: string; processingStatus: string; reportDocumentId?: string; dataStartTime: string }
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

async function create(body: Record<string, unknown>) {
  return client.call<{ reportId?: string; errors?: { message: string }[] }>("POST", "/reports/2021-06-30/reports", body);
}
async function getReport(id: string): Promise<Report> {
  const res = await client.call<Report>("GET", `/reports/2021-06-30/reports/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe("Reports API with GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL", () => {
  it("moves IN_QUEUE → IN_PROGRESS → DONE by the clock and serves a gzipped report in Amazon's layout", async () => {
    await start();
    const since = clock.t;
    const mfn = sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 2 }, { sku: "SKU-3", quantity: 1 }] });
    const afn = sandbox.createOrder({ items: [{ sku: "SKU-3", quantity: 1 }], fulfillmentChannel: "AFN", status: "Shipped" });
    clock.advance(1000);
    const cancelled = sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 1 }], status: "Canceled" });
    const created = await create({ reportType: REPORT_TYPE, marketplaceIds: [MARKETPLACE], dataStartTime: iso(since) });
    expect(created.status).toBe(202);
    const id = created.body.reportId!;
    expect((await getReport(id)).processingStatus).toBe("IN_QUEUE");
    clock.advance(1000);
    expect((await getReport(id)).processingStatus).toBe("IN_PROGRESS");
    clock.advance(4000);
    const done = await getReport(id);
    expect(done).toMatchObject({ processingStatus: "DONE", dataStartTime: iso(since) });
    const doc = await client.call<{ url: string; compressionAlgorithm: string; reportDocumentId: string }>("GET", `/reports/2021-06-30/documents/${done.reportDocumentId}`);
    expect(doc.body).toMatchObject({ reportDocumentId: done.reportDocumentId, compressionAlgorithm: "GZIP" });
    const res = await fetch(doc.body.url);
    expect(res.status).toBe(200);
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
    const [header, ...rows] = text.trimEnd().split("\n").map((l) => l.split("\t"));
    expect(header).toEqual([...ALL_ORDERS_HEADER]);
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    expect(rows).toHaveLength(4); // one row per item
    const mfnRows = rows.filter((r) => col(r, "amazon-order-id") === mfn.amazonOrderId);
    expect(mfnRows.map((r) => [col(r, "sku"), col(r, "quantity"), col(r, "fulfillment-channel"), col(r, "order-status"), col(r, "item-price")])).toEqual([
      ["SKU-1", "2", "Merchant", "Unshipped", "99.98"],
      ["SKU-3", "1", "Merchant", "Unshipped", "89.00"],
    ]);
    expect(col(mfnRows[0], "purchase-date")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    const afnRow = rows.find((r) => col(r, "amazon-order-id") === afn.amazonOrderId)!;
    expect([col(afnRow, "fulfillment-channel"), col(afnRow, "order-status"), col(afnRow, "item-status")]).toEqual(["Amazon", "Shipped", "Shipped"]);
    const cancelledRow = rows.find((r) => col(r, "amazon-order-id") === cancelled.amazonOrderId)!;
    expect([col(cancelledRow, "order-status"), col(cancelledRow, "quantity")]).toEqual(["Cancelled", "0"]);
  });

  it("uses the header of Amazon's report as the fixture records it", () => {
    const file = path.join(fixturesDir(), "flat_file_reports", "airbyte_GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL.DERIVED.tsv");
    expect(readFileSync(file, "utf8").split("\n")[0].split("\t")).toEqual([...ALL_ORDERS_HEADER]);
  });

  it("cancels a report with no data, refuses bad requests, and limits createReport to its usage plan", async () => {
    await start();
    const empty = await create({ reportType: REPORT_TYPE, marketplaceIds: [MARKETPLACE], dataStartTime: iso(clock.t - 60_000) });
    clock.advance(5000);
    expect((await getReport(empty.body.reportId!)).processingStatus).toBe("CANCELLED");
    expect((await create({ reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [MARKETPLACE] })).status).toBe(400);
    expect((await create({ reportType: REPORT_TYPE, marketplaceIds: ["A1PA6795UKMFR9"] })).status).toBe(400);
    expect((await create({ reportType: REPORT_TYPE, marketplaceIds: [MARKETPLACE], dataStartTime: "yesterday" })).status).toBe(400);
    expect((await client.call("GET", "/reports/2021-06-30/reports/123")).status).toBe(404);
    // createReport: burst 15, then one a minute (0.0167/s)
    let accepted = 0;
    let throttled = 0;
    for (let i = 0; i < 16; i++) {
      const res = await create({ reportType: REPORT_TYPE, marketplaceIds: [MARKETPLACE] });
      if (res.status === 202) accepted++;
      else if (res.status === 429) throttled++;
    }
    expect(accepted + throttled).toBe(16);
    expect(throttled).toBeGreaterThan(0);
    clock.advance(60_000);
    expect((await create({ reportType: REPORT_TYPE, marketplaceIds: [MARKETPLACE] })).status).toBe(202);
  });

  it("refuses a document URL with a wrong signature or past its expiry", async () => {
    await start();
    sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 1 }] });
    const created = await create({ reportType: REPORT_TYPE, marketplaceIds: [MARKETPLACE], dataStartTime: iso(clock.t - 1000) });
    clock.advance(5000);
    const report = await getReport(created.body.reportId!);
    const doc = await client.call<{ url: string }>("GET", `/reports/2021-06-30/documents/${report.reportDocumentId}`);
    expect((await fetch(doc.body.url.replace(/X-Amz-Signature=[0-9a-f]+/, "X-Amz-Signature=00"))).status).toBe(403);
    clock.advance(5 * 60_000 + 1);
    expect((await fetch(doc.body.url)).status).toBe(403);
  });
});
