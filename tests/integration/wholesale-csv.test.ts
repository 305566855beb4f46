import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { createTradingPartner, savePartnerItems } from "~/.server/use-cases/manage-trading-partners";
import { action as importsAction } from "~/routes/api.v1.imports";
import { action as pageAction, loader as pageLoader } from "~/routes/app.imports";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryNumber, queryRows } from "../support/db-query";
import { remixRequestHandler } from "../support/remix-app";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addOfflineSession } from "../support/sessions";

// Wholesale purchase orders as CSV (ADR 0018), through POST /api/v1/imports?format=csv-po and the Imports page,
// against a real database: a preview lists every problem and stores nothing; a good file becomes orders on the
// partner's own channel, reserved like any order, with buyer part numbers mapped and agreed prices applied; the
// same file (or PO) again changes nothing and a changed PO is refused; all or nothing, or line by line; two
// partners' PO 1001 are two orders; the partner is named, or the only one is taken; API key scopes hold.

const SHOP = "wholesale-csv.myshopify.com";
const SOLO = "wholesale-csv-solo.myshopify.com";
const BARE = "wholesale-csv-bare.myshopify.com";
const URL_BASE = "http://127.0.0.1:3999";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
setQueue(new InProcessQueue());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let shopId: string;
let acme: TradingPartner;
let beta: TradingPartner;
let solo: TradingPartner;

const HEADER = "PO Number,Order Date,Currency,Buyer Name,Ship To Name,Ship To Address1,Ship To City,Ship To Province,Ship To Country,Ship To Zip,Line Number,SKU,Buyer Part Number,Qty,Unit Price";
const line = (po: string, n: number, sku: string, bpn: string, qty: number | string, price: string) => `${po},2026-03-01,USD,Corner Shops,Corner Shop,100 Main St,Reno,NV,US,89501,${n},${sku},${bpn},${qty},${price}`;
const csv = (...rows: string[]) => [HEADER, ...rows].join("\r\n") + "\r\n";

const token = (shop = SHOP) => mintSessionToken(app, shop);
async function post(body: string, query: string, bearer = token()) {
  const request = new Request(`${URL_BASE}/api/v1/imports?${query}`, { method: "POST", headers: { Authorization: `Bearer ${bearer}`, "User-Agent": BROWSER_UA, "Content-Type": "text/csv; charset=utf-8" }, body });
  const response = await importsAction({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as Json };
}

const ordersOn = (channelId: string, externalId: string) => queryRows<{ id: string; status: string; currency: string; customerExternalId: string; customerName: string; shipCity: string }>(`SELECT "id","status","currency","customerExternalId","customerName","shipCity" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" = ?`, shopId, channelId, externalId);
const linesOf = (orderId: string) => queryRows<{ externalId: string; sku: string; quantity: number; priceMinor: number }>(`SELECT "externalId","sku","quantity","priceMinor" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "externalId"`, shopId, orderId).then((rows) => rows.map((r) => ({ ...r, quantity: Number(r.quantity), priceMinor: Number(r.priceMinor) })));
const reservedFor = (orderId: string) => queryNumber(`SELECT COALESCE(SUM(a."quantity"),0) FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'reserved'`, shopId, orderId);
const reservedAtLevels = (sku: string) => queryNumber(`SELECT COALESCE(SUM(i."reserved"),0) FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" WHERE i."shopId" = ? AND v."sku" = ?`, shopId, sku);
const count = (table: string) => queryNumber(`SELECT COUNT(*) FROM "${table}" WHERE "shopId" = ?`, shopId);

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addOfflineSession(SHOP);
  const reno = (await addLocation(shopId, "WL1", "reno")).id;
  for (const sku of ["WH-A", "WH-B", "WH-C"]) await addSku(shopId, sku, { [reno]: 1_000 });
  acme = await createTradingPartner(shopId, { code: "ACME", name: "Acme Stores", currency: "USD" });
  beta = await createTradingPartner(shopId, { code: "BETA", name: "Beta Markets", currency: "USD" });
  await savePartnerItems(shopId, acme.id, [{ sku: "WH-A", buyerPartNumber: "ACME-100", unitPriceMinor: 1200 }, { sku: "WH-B", buyerPartNumber: null, unitPriceMinor: 450 }]);
  const soloShop = (await ensureShop(SOLO)).id;
  await addOfflineSession(SOLO);
  await addSku(soloShop, "WH-A");
  solo = await createTradingPartner(soloShop, { code: "ONLY", name: "Only Buyer", currency: "USD" });
  await ensureShop(BARE);
  await addOfflineSession(BARE);
});

describe("POST /api/v1/imports?format=csv-po&preview=1", () => {
  it("lists every line's problem and stores nothing: no file, no import, no order", async () => {
    const before = await Promise.all(["ImportFile", "Import", "ImportLine", "Order", "ApiIdempotencyKey"].map(count));
    const file = csv(
      line("PV-1", 1, "", "ACME-100", 2, ""),
      line("PV-1", 2, "WH-B", "", 1, ""),
      line("PV-2", 1, "NOPE", "", 1, "1.00"),
      line("PV-2", 2, "", "UNMAPPED", 1, "1.00"),
      line("PV-3", 1, "WH-C", "", 0, ""),
      line("PV-4", 1, "WH-C", "", 1, ""),
    );
    const { status, body } = await post(file, "format=csv-po&partner=ACME&preview=1&filename=po.csv");
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: null, status: "preview", format: "csv-po", channelId: acme.channelId, partner: { id: acme.id, code: "ACME" }, filename: "po.csv", orders: [], okLines: 2, failedLines: 4, progress: { totalLines: 6 } });
    expect(body.summary).toMatchObject({ orders: 1, created: 1, unchanged: 0 });
    expect(body.lines.map((l: Json) => [l.line, l.ok, l.message])).toEqual([
      [2, true, "line 2: PO PV-1 line 1: SKU WH-A (buyer part ACME-100) × 2 at 12.00 USD (agreed price)"],
      [3, true, "line 3: PO PV-1 line 2: SKU WH-B × 1 at 4.50 USD (agreed price)"],
      [4, false, "line 4: unknown SKU NOPE"],
      [5, false, "line 5: buyer part number UNMAPPED is not mapped to a SKU for this partner (add it to the partner's items)"],
      [6, false, "line 6: quantity is 0: a line orders at least 1 unit"],
      [7, false, "line 7: no price and no agreed price for SKU WH-C"],
    ]);
    expect(body.error).toMatch(/^4 of 6 lines are refused \(the first: line 4: unknown SKU NOPE\): importing all or nothing would take in nothing; line by line would take in the 1 order/);
    expect(await Promise.all(["ImportFile", "Import", "ImportLine", "Order", "ApiIdempotencyKey"].map(count))).toEqual(before);
  });
});

describe("POST /api/v1/imports?format=csv-po", () => {
  it("makes each PO an order on the partner's channel, reserved, with buyer part numbers and agreed prices; the same file again changes nothing", async () => {
    const file = csv(line("1001", 1, "", "ACME-100", 5, ""), line("1002", 1, "WH-C", "", 4, "9.99"), line("1001", 2, "WH-B", "", 3, "5.25"));
    const levelsBefore = await reservedAtLevels("WH-A");
    const first = await post(file, "format=csv-po&partner=ACME");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "done", format: "csv-po", channelId: acme.channelId, failedLines: 0, okLines: 3 });
    expect(first.body.summary).toMatchObject({ orders: 2, created: 2, unchanged: 0 });
    expect(first.body.lines.map((l: Json) => l.message)).toEqual(["line 2: PO 1001: created, reserved", "line 3: PO 1002: created, reserved", "line 4: PO 1001: created, reserved"]);
    const [po1001] = await ordersOn(acme.channelId, "1001");
    expect(po1001).toMatchObject({ status: "reserved", currency: "USD", customerExternalId: "ACME", customerName: "Corner Shops", shipCity: "Reno" });
    expect(await linesOf(po1001.id)).toEqual([{ externalId: "1", sku: "WH-A", quantity: 5, priceMinor: 1200 }, { externalId: "2", sku: "WH-B", quantity: 3, priceMinor: 525 }]);
    expect(await reservedFor(po1001.id)).toBe(8);
    expect(await reservedAtLevels("WH-A")).toBe(levelsBefore + 5);

    const orders = await count("Order");
    const again = await post(file, "format=csv-po&partner=ACME");
    expect(again.body).toMatchObject({ status: "done", failedLines: 0 });
    expect(again.body.summary).toMatchObject({ orders: 2, created: 0, unchanged: 2 });
    expect(again.body.lines[0].message).toBe("line 2: PO 1001: unchanged (imported before with the same content)");
    // The same PO in another file (other rows around it, its lines in another order) is the same PO.
    const other = await post(csv(line("1001", 2, "WH-B", "", 3, "5.25"), line("1001", 1, "WH-A", "", 5, "12.00")), "format=csv-po&partner=ACME");
    expect(other.body.summary).toMatchObject({ created: 0, unchanged: 1 });
    expect(await count("Order")).toBe(orders);
    expect(await reservedFor(po1001.id)).toBe(8);
    expect(await reservedAtLevels("WH-A")).toBe(levelsBefore + 5);

    // A changed PO is refused with why, and nothing changes.
    const changed = await post(csv(line("1001", 1, "WH-A", "", 6, "12.00"), line("1001", 2, "WH-B", "", 3, "5.25")), "format=csv-po&partner=ACME");
    expect(changed.body).toMatchObject({ status: "failed", failedLines: 2 });
    expect(changed.body.lines[0].message).toMatch(/^line 2: PO 1001 was imported before with other content .*a changed PO is not applied over its order/);
    expect(await linesOf(po1001.id)).toEqual([{ externalId: "1", sku: "WH-A", quantity: 5, priceMinor: 1200 }, { externalId: "2", sku: "WH-B", quantity: 3, priceMinor: 525 }]);
  });

  it("all or nothing: one bad line imports nothing; line by line takes in the POs whose lines are all good", async () => {
    const file = csv(line("2001", 1, "WH-A", "", 1, "10.00"), line("2002", 1, "WH-A", "", "two", "10.00"), line("2002", 2, "WH-B", "", 1, "1.00"), line("2003", 1, "WH-B", "", 2, ""));
    const orders = await count("Order");
    const strict = await post(file, "format=csv-po&partner=ACME");
    expect(strict.body).toMatchObject({ status: "failed", failedLines: 2, okLines: 2, orders: [] });
    expect(strict.body.error).toMatch(/^2 of 4 lines are refused \(the first: line 3: quantity "two" is not a whole number\): nothing was imported/);
    expect(strict.body.lines.map((l: Json) => [l.line, l.ok])).toEqual([[2, true], [3, false], [4, false], [5, true]]);
    expect(strict.body.lines[3].message).toMatch(/^line 5: PO 2003 line 1: SKU WH-B × 2 at 4.50 USD \(agreed price\); not imported: 2 lines of the file are refused/);
    expect(await count("Order")).toBe(orders);

    const lenient = await post(file, "format=csv-po&partner=ACME&mode=line-by-line");
    expect(lenient.body).toMatchObject({ status: "done", mode: "line-by-line", failedLines: 2, okLines: 2 });
    expect(lenient.body.orders.map((o: Json) => o.externalId).sort()).toEqual(["2001", "2003"]);
    expect(lenient.body.lines[2].message).toBe("line 4: PO 2002 is not taken in part: line 3 of it is refused");
    expect(await ordersOn(acme.channelId, "2002")).toEqual([]);
    expect(await count("Order")).toBe(orders + 2);
  });

  it("two partners' PO with the same number are two orders, each on its own channel", async () => {
    const file = csv(line("3001", 1, "WH-C", "", 1, "2.00"));
    expect((await post(file, "format=csv-po&partner=ACME")).body.summary).toMatchObject({ created: 1 });
    expect((await post(file, `format=csv-po&partner=${beta.id}`)).body.summary).toMatchObject({ created: 1 });
    const [a] = await ordersOn(acme.channelId, "3001");
    const [b] = await ordersOn(beta.channelId, "3001");
    expect(a.id).not.toBe(b.id);
    expect([await reservedFor(a.id), await reservedFor(b.id)]).toEqual([1, 1]);
  });

  it("needs the partner named when the shop has several, takes the only one, and refuses what it cannot use", async () => {
    const file = csv(line("4001", 1, "WH-A", "", 1, "1.00"));
    expect((await post(file, "format=csv-po")).body.error).toMatchObject({ code: "IMPORT.PARTNER_REQUIRED", message: "This shop has 2 trading partners: name one with partner=<code> (ACME, BETA)." });
    expect((await post(file, "format=csv-po&partner=NOPE")).body.error).toMatchObject({ code: "IMPORT.UNKNOWN_PARTNER" });
    expect((await post(file, `format=csv-po&partner=ACME&channel=${beta.channelId}`)).body.error).toMatchObject({ code: "IMPORT.WRONG_CHANNEL" });
    expect((await post(file, "format=amazon-orders-report&partner=ACME")).body.error).toMatchObject({ code: "IMPORT.PARTNER_NOT_TAKEN" });
    const only = await post(file, "format=csv-po", token(SOLO));
    expect(only.body).toMatchObject({ status: "done", channelId: solo.channelId, summary: { created: 1 } });
    expect((await post(file, "format=csv-po", token(BARE))).body.error).toMatchObject({ code: "IMPORT.NO_PARTNER", message: expect.stringMatching(/add one on the Channels page/) });
    const garbage = await post("\u0000\u0001PK binary", "format=csv-po&partner=ACME");
    expect(garbage.body).toMatchObject({ status: "failed", error: expect.stringMatching(/^Nothing was imported: the file is not text/) });
  });

  it("API keys: a write key imports and previews, a read key is refused (403) and stores nothing; both download the template", async () => {
    const write = (await createApiKey(shopId, { name: "ERP", scope: "write" })).text;
    const read = (await createApiKey(shopId, { name: "BI", scope: "read" })).text;
    const file = csv(line("5001", 1, "WH-A", "", 1, "1.00"));
    const imports = await count("Import");
    expect((await post(file, "format=csv-po&partner=ACME&preview=1", read)).status).toBe(403);
    expect((await post(file, "format=csv-po&partner=ACME", read)).status).toBe(403);
    expect(await count("Import")).toBe(imports);
    expect((await post(file, "format=csv-po&partner=ACME&preview=1", write)).body).toMatchObject({ status: "preview", failedLines: 0 });
    expect((await post(file, "format=csv-po&partner=ACME", write)).body).toMatchObject({ status: "done", summary: { created: 1 } });

    const handle = await remixRequestHandler();
    const template = await handle(new Request(`${URL_BASE}/api/v1/imports/templates/csv-po.csv?partner=ACME`, { headers: { Authorization: `Bearer ${read}` } }));
    expect(template.status).toBe(200);
    expect(template.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await template.text();
    expect(text.split("\r\n")[0]).toBe("po_number,order_date,currency,buyer_name,email,phone,ship_to_name,ship_to_address1,ship_to_address2,ship_to_city,ship_to_province,ship_to_country,ship_to_zip,line_number,sku,buyer_part_number,quantity,unit_price,requested_ship_date,notes");
    expect(text.split("\r\n").slice(1, 3).map((l) => l.split(",")[14])).toEqual(["WH-A", "WH-B"]);
    // The template, as downloaded, previews clean against this shop's catalog.
    expect((await post(text, "format=csv-po&partner=ACME&preview=1", write)).body).toMatchObject({ failedLines: 0, okLines: 2 });
    expect((await handle(new Request(`${URL_BASE}/api/v1/imports/templates/amazon-orders-report.csv`, { headers: { Authorization: `Bearer ${read}` } }))).status).toBe(404);
  });
});

describe("the Imports page with a trading partner", () => {
  const form = (fields: Record<string, string>, file: string) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    data.set("file", new Blob([file], { type: "text/csv" }), "po.csv");
    return pageAction({ request: new Request(`${URL_BASE}/app/imports`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA }, body: data }), params: {}, context: {} });
  };

  it("lists the partners and the csv-po format, previews a file without storing it, then imports it for the partner", async () => {
    const page = await pageLoader(bearerArgs("/app/imports", token()));
    expect(page.partners.map((p) => p.code)).toEqual(["ACME", "BETA"]);
    expect(page.formats.find((f) => f.id === "csv-po")).toMatchObject({ partner: "required", template: true });
    const file = csv(line("6001", 1, "WH-B", "", 2, ""));
    const imports = await count("Import");
    const preview = await form({ intent: "preview", format: "csv-po", partner: acme.id, mode: "all-or-nothing" }, file);
    expect(preview).toMatchObject({ ok: true, preview: { status: "preview", failedLines: 0, lines: [{ line: 2, ok: true, message: "line 2: PO 6001 line 1: SKU WH-B × 2 at 4.50 USD (agreed price)" }] } });
    expect(await count("Import")).toBe(imports);
    const uploaded = await form({ intent: "upload", format: "csv-po", partner: acme.id, mode: "all-or-nothing" }, file);
    expect(uploaded).toMatchObject({ ok: true, importId: expect.any(String) });
    expect(await queryRows(`SELECT "channelId","format","status" FROM "Import" WHERE "shopId" = ? AND "id" = ?`, shopId, (uploaded as { importId: string }).importId)).toEqual([{ channelId: acme.channelId, format: "csv-po", status: "queued" }]);
    expect(await form({ intent: "preview", format: "csv-po", mode: "all-or-nothing" }, file)).toEqual({ ok: false, error: "This shop has 2 trading partners: name one with partner=<code> (ACME, BETA)." });
  });
});
