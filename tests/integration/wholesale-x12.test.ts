import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { resetEnvForTests } from "~/.server/env";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { createTradingPartner, savePartnerItems } from "~/.server/use-cases/manage-trading-partners";
import { partnerDocuments } from "~/.server/use-cases/read-partner-documents";
import { scanEdiDropFolder } from "~/.server/use-cases/scan-edi-drop-folder";
import { action as importsAction } from "~/routes/api.v1.imports";
import type { X12Interchange, X12SegmentData } from "~/domain/edi/x12-model";
import { readInterchange } from "~/domain/edi/x12-read";
import { write850s, type PoSpec } from "~/domain/edi/x12-test-kit";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryNumber, queryRows } from "../support/db-query";
import { BROWSER_UA } from "../support/requests";
import { addOfflineSession } from "../support/sessions";

// X12 850 purchase orders (ADR 0021), through POST /api/v1/imports?format=x12 and the EDI drop folder, against a real
// database: an 850 from a known partner (found by its ISA sender id) becomes an order on the partner's channel,
// reserved like any; its 997 acknowledges the group (AK1 GS06) and each set (AK2 ST02, AK5 A or R) and is kept, so
// the same interchange again changes nothing and answers the same 997 with no new control numbers; an unknown
// sender is refused by name; bad lines are refused by segment number; a cancellation 850 cancels the order; the
// drop folder takes settled files once, writes the 997 to out/ and sets apart what it cannot read.

const SHOP = "wholesale-x12.myshopify.com";
const URL_BASE = "http://127.0.0.1:3999";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
const queue = new InProcessQueue();
setQueue(queue);
const worker = runWorker({ queue, jobs: ALL_JOBS, log: { info() {}, warn() {}, error() {} }, signals: [] });
const dropDir = mkdtempSync(path.join(tmpdir(), "oms-edi-drop-"));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let shopId: string;
let acme: TradingPartner;
let beta: TradingPartner;

/** An interchange from ACME (12/4405197800 → ZZ/OPENOMS, as the test kit's buyer writes it) with its own control numbers. */
let nextControl = 5000;
function interchange(specs: PoSpec[], sender?: { isaQualifier: string; isaId: string; gsId: string } | null, more: { usage?: "P" | "T"; ackRequested?: boolean } = {}): { text: string; isa13: string; gs06: string } {
  nextControl += 1;
  const control = { interchange: nextControl, group: nextControl + 100_000, transactionSet: 1 };
  return { text: write850s(specs, { envelope: { control, ...(sender ? { ours: sender } : {}), ...more } }), isa13: String(nextControl).padStart(9, "0"), gs06: String(control.group) };
}

async function post(body: string, query: string) {
  const request = new Request(`${URL_BASE}/api/v1/imports?${query}`, { method: "POST", headers: { Authorization: `Bearer ${mintSessionToken(app, SHOP)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/edi-x12" }, body });
  const response = await importsAction({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as Json };
}

const ordersOn = (channelId: string, externalId: string) => queryRows<{ id: string; status: string; currency: string; customerExternalId: string; shipCity: string }>(`SELECT "id","status","currency","customerExternalId","shipCity" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" = ?`, shopId, channelId, externalId);
const linesOf = (orderId: string) => queryRows<{ sku: string; quantity: number; priceMinor: number }>(`SELECT "sku","quantity","priceMinor" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "externalId"`, shopId, orderId).then((rows) => rows.map((r) => ({ sku: r.sku, quantity: Number(r.quantity), priceMinor: Number(r.priceMinor) })));
const reservedFor = (orderId: string) => queryNumber(`SELECT COALESCE(SUM(a."quantity"),0) FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'reserved'`, shopId, orderId);
const count = (table: string) => queryNumber(`SELECT COUNT(*) FROM "${table}" WHERE "shopId" = ?`, shopId);
const controls = (partnerId: string) => queryRows<{ interchangeControl: number; groupControl: number }>(`SELECT "interchangeControl","groupControl" FROM "TradingPartner" WHERE "shopId" = ? AND "id" = ?`, shopId, partnerId).then(([r]) => [Number(r.interchangeControl), Number(r.groupControl)]);
const ediDocuments = (partnerId: string, key: string) => queryRows<{ direction: string; type: string; interchangeControl: number }>(`SELECT "direction","type","interchangeControl" FROM "EdiDocument" WHERE "shopId" = ? AND "partnerId" = ? AND "documentKey" = ? ORDER BY "direction"`, shopId, partnerId, key);

/** The 997 read back: who sends it to whom, and per set AK1 GS06, AK2 ST02 and AK5. */
function ack997(text: string): { ic: X12Interchange; groups: string[]; sets: [string, string][] } {
  const read = readInterchange(text);
  if (!read.ok) throw new Error(read.error);
  const segments: X12SegmentData[] = read.interchange.groups.flatMap((g) => g.transactionSets.flatMap((t) => t.segments));
  const groups = segments.filter((s) => s.tag === "AK1").map((s) => s.elements[1]);
  const sets: [string, string][] = [];
  for (const [i, s] of segments.entries()) if (s.tag === "AK2") sets.push([s.elements[1], segments.slice(i + 1).find((n) => n.tag === "AK5")!.elements[0]]);
  return { ic: read.interchange, groups, sets };
}

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addOfflineSession(SHOP);
  const reno = (await addLocation(shopId, "X1", "reno")).id;
  for (const sku of ["SKU-RED", "SKU-BLUE", "SKU-GREEN"]) await addSku(shopId, sku, { [reno]: 10_000 });
  acme = await createTradingPartner(shopId, { code: "ACME", name: "Acme Stores", currency: "USD", isaQualifier: "12", isaId: "4405197800", gsId: "4405197800", ourIsaQualifier: "ZZ", ourIsaId: "OPENOMS", ourGsId: "OPENOMS" });
  beta = await createTradingPartner(shopId, { code: "BETA", name: "Beta Markets", currency: "USD", isaQualifier: "ZZ", isaId: "BETAMKT", gsId: "BETAMKT", ourIsaQualifier: "ZZ", ourIsaId: "OPENOMS", ourGsId: "OPENOMS" });
  await savePartnerItems(shopId, acme.id, [{ sku: "SKU-RED", buyerPartNumber: "B-100", unitPriceMinor: 900 }, { sku: "SKU-BLUE", buyerPartNumber: "B-200", unitPriceMinor: 1500 }]);
});

afterAll(async () => {
  await worker.stop();
  rmSync(dropDir, { recursive: true, force: true });
  delete process.env.EDI_DROP_DIR;
  resetEnvForTests();
});

describe("POST /api/v1/imports?format=x12", () => {
  it("makes an 850 from a known partner an order on its channel, reserved, and answers a 997 for its group and set; the same interchange again changes nothing and answers the same 997", async () => {
    const file = interchange([{ poNumber: "X-1001" }]);
    const first = await post(file.text, "format=x12&filename=po.edi");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "done", format: "x12", channelId: null, failedLines: 0, okLines: 3, summary: { orders: 1, created: 1 } });
    expect(first.body.lines.map((l: Json) => [l.line, l.ok, l.message])).toEqual([
      [3, true, "segment 3: PO X-1001: created, reserved"],
      [14, true, "segment 14: PO X-1001: created, reserved"],
      [16, true, "segment 16: PO X-1001: created, reserved"],
    ]);
    const [order] = await ordersOn(acme.channelId, "X-1001");
    // Reserved as it landed (the worker may have routed it since: the apply-routing job runs here).
    expect(order).toMatchObject({ status: expect.stringMatching(/^(reserved|routed)$/), currency: "USD", customerExternalId: "ACME", shipCity: "SOLON" });
    expect(await linesOf(order.id)).toEqual([{ sku: "SKU-RED", quantity: 120, priceMinor: 925 }, { sku: "SKU-BLUE", quantity: 4, priceMinor: 1379 }]);
    expect(await reservedFor(order.id)).toBe(124);

    const ack = ack997(first.body.acknowledgement);
    expect(ack.ic).toMatchObject({ sender: { qualifier: "ZZ", id: "OPENOMS" }, receiver: { qualifier: "12", id: "4405197800" }, controlNumber: "000000001" });
    expect(ack.ic.groups[0]).toMatchObject({ functionalId: "FA", controlNumber: "1" });
    expect(ack.groups).toEqual([file.gs06]);
    expect(ack.sets).toEqual([["0001", "A"]]);
    const key = `12/4405197800:${file.isa13}`;
    expect(await ediDocuments(acme.id, key)).toEqual([{ direction: "in", type: "850", interchangeControl: Number(file.isa13) }, { direction: "out", type: "997", interchangeControl: 1 }]);
    expect(await controls(acme.id)).toEqual([1, 1]);

    const orders = await count("Order");
    const again = await post(file.text, "format=x12");
    expect(again.body).toMatchObject({ status: "done", failedLines: 0, summary: { orders: 1, created: 0, unchanged: 1 } });
    expect(again.body.acknowledgement).toBe(first.body.acknowledgement);
    expect(await controls(acme.id)).toEqual([1, 1]);
    expect(await count("Order")).toBe(orders);
    expect(await reservedFor(order.id)).toBe(124);

    // The same PO number with other content, in a new interchange, is refused and changes nothing.
    const changed = await post(interchange([{ poNumber: "X-1001", lines: [{ lineNumber: "1", quantity: 7, uom: "EA", price: "9.25", ids: ["BP", "B-100"] }] }]).text, "format=x12");
    expect(changed.body).toMatchObject({ status: "failed" });
    expect(changed.body.lines.find((l: Json) => l.line === 4).message).toMatch(/^segment 4 \(BEG\): PO X-1001 was imported before with other content/);
    expect(ack997(changed.body.acknowledgement).sets).toEqual([["0001", "R"]]);
    expect(await linesOf(order.id)).toEqual([{ sku: "SKU-RED", quantity: 120, priceMinor: 925 }, { sku: "SKU-BLUE", quantity: 4, priceMinor: 1379 }]);
  });

  it("refuses an interchange from an unknown sender, naming its id, with no 997 and nothing stored", async () => {
    const orders = await count("Order");
    const stranger = await post(interchange([{ poNumber: "S-1" }], { isaQualifier: "ZZ", isaId: "STRANGER", gsId: "STRANGER" }).text, "format=x12");
    expect(stranger.body).toMatchObject({ status: "failed", acknowledgement: null, okLines: 0 });
    expect(stranger.body.error).toContain("the interchange's sender ZZ/STRANGER (ISA05/ISA06, segment 1) is no trading partner of this shop");
    expect(await count("Order")).toBe(orders);
    // A partner named for the import must be the sender.
    const named = await post(interchange([{ poNumber: "S-2" }]).text, "format=x12&partner=BETA");
    expect(named.body).toMatchObject({ status: "failed", channelId: beta.channelId });
    expect(named.body.error).toContain("the interchange is from partner ACME (sender 12/4405197800), not from partner BETA named for this import");
  });

  it("all or nothing: an unknown part number, a zero quantity and a wrong CTT count are refused by segment, nothing is imported and the 997 rejects the set", async () => {
    const orders = await count("Order");
    const file = interchange([{ poNumber: "X-2001", lines: [{ lineNumber: "1", quantity: 0, uom: "EA", price: "1", ids: ["BP", "B-100"] }, { lineNumber: "2", quantity: 2, uom: "EA", price: "1", ids: ["BP", "NOPE"] }], lineCount: 3 }]);
    const { body } = await post(file.text, "format=x12");
    expect(body).toMatchObject({ status: "failed", failedLines: 4, okLines: 0, orders: [] });
    expect(body.lines.map((l: Json) => [l.line, l.message])).toEqual([
      [3, expect.stringMatching(/^segment 3 \(ST\): .*PO X-2001 is not taken: segment 14 \(PO1\), segment 15 \(PO1\), segment 16 \(CTT\) of it are refused$/)],
      [14, expect.stringMatching(/^segment 14 \(PO1\): .*PO102 0 is outside 1 to \d+ units$/)],
      [15, "segment 15 (PO1): buyer part number NOPE is not mapped to a SKU for this partner (add it to the partner's items)"],
      [16, "segment 16 (CTT): CTT01 says 3 lines, the order has 2 PO1 segments"],
    ]);
    expect(body.error).toMatch(/^4 of 4 segments are refused \(the first: segment 3 \(ST\)/);
    expect(await count("Order")).toBe(orders);
    expect(ack997(body.acknowledgement).sets).toEqual([["0001", "R"]]);
    // AK3/AK4: the PO1 at position 13 of the set, its element 7 (the buyer part number) an invalid code.
    expect(body.acknowledgement).toMatch(/AK3\*PO1\*13\*\*8~\s*AK4\*7\*234\*7~/);
  });

  it("two 850s in one interchange, one bad: line by line takes in the good one, and the 997 says A for it and R for the other", async () => {
    const file = interchange([{ poNumber: "X-3001" }, { poNumber: "X-3002", lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price: "1", ids: ["BP", "NOPE"] }] }]);
    const strict = await post(file.text, "format=x12");
    expect(strict.body).toMatchObject({ status: "failed", orders: [] });
    // Nothing was taken: the 997 accepts neither.
    expect(ack997(strict.body.acknowledgement).sets).toEqual([["0001", "R"], ["0002", "R"]]);
    expect(await ordersOn(acme.channelId, "X-3001")).toEqual([]);

    const file2 = interchange([{ poNumber: "X-3003" }, { poNumber: "X-3004", lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price: "1", ids: ["BP", "NOPE"] }] }]);
    const lenient = await post(file2.text, "format=x12&mode=line-by-line");
    expect(lenient.body).toMatchObject({ status: "done", summary: { created: 1 } });
    expect(lenient.body.orders.map((o: Json) => o.externalId)).toEqual(["X-3003"]);
    const ack = ack997(lenient.body.acknowledgement);
    expect(ack.groups).toEqual([file2.gs06]);
    expect(ack.sets).toEqual([["0001", "A"], ["0002", "R"]]);
    expect(ack.ic.groups[0].transactionSets[0].segments.find((s) => s.tag === "AK9")!.elements).toEqual(["P", "2", "2", "1"]);
  });

  it("a cancellation 850 (BEG01 01) cancels the partner's order for the PO and gives its stock back; again it changes nothing", async () => {
    await post(interchange([{ poNumber: "X-4001" }]).text, "format=x12");
    const [order] = await ordersOn(acme.channelId, "X-4001");
    expect(await reservedFor(order.id)).toBe(124);
    const cancel = interchange([{ poNumber: "X-4001", purpose: "01" }]);
    // A preview says what importing would do, and stores nothing: no 997, no control number, no EDI document.
    const [numbers, documents] = [await controls(acme.id), await count("EdiDocument")];
    const preview = await post(cancel.text, "format=x12&preview=1");
    expect(preview.body).toMatchObject({ status: "preview", id: null, acknowledgement: null, failedLines: 0, summary: { orders: 1, created: 0, cancelled: 1 } });
    expect(preview.body.lines[0].message).toMatch(/^segment 3 \(ST\): PO X-4001 cancellation \(BEG01 01\) from ACME: cancels its order \(now (reserved|routed)\)$/);
    expect([await controls(acme.id), await count("EdiDocument")]).toEqual([numbers, documents]);
    expect(await reservedFor(order.id)).toBe(124);
    const { body } = await post(cancel.text, "format=x12");
    expect(body).toMatchObject({ status: "done", summary: { cancelled: 1 } });
    expect(body.lines[0].message).toBe("segment 3: PO X-4001: its order is cancelled (850 cancellation)");
    expect((await ordersOn(acme.channelId, "X-4001"))[0].status).toBe("cancelled");
    expect(await reservedFor(order.id)).toBe(0);
    expect(ack997(body.acknowledgement).sets).toEqual([["0001", "A"]]);
    const again = await post(interchange([{ poNumber: "X-4001", purpose: "01" }]).text, "format=x12");
    expect(again.body).toMatchObject({ status: "done", summary: { unchanged: 1, cancelled: 0 } });
    // The original sent again does not bring the order back.
    expect((await post(interchange([{ poNumber: "X-4001" }]).text, "format=x12")).body.summary).toMatchObject({ unchanged: 1 });
    expect((await ordersOn(acme.channelId, "X-4001"))[0].status).toBe("cancelled");
    const unknown = await post(interchange([{ poNumber: "X-NONE", purpose: "01" }]).text, "format=x12");
    expect(unknown.body.lines.find((l: Json) => l.line === 4).message).toContain("holds no order X-NONE: nothing to cancel");
  });
});

describe("a test interchange (ISA15 T) through POST /api/v1/imports?format=x12", () => {
  const TEST = "test interchange (ISA15 T): validated, not imported";

  it("is checked and acknowledged as a production one, and takes nothing in: no order, no stock reserved, no EDI document of an order", async () => {
    const [orders, allocations, lines] = [await count("Order"), await count("Allocation"), await count("OrderLine")];
    const file = interchange([{ poNumber: "T-5001" }], null, { usage: "T" });
    const first = await post(file.text, "format=x12&filename=test.edi");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "done", error: null, failedLines: 0, okLines: 3, orders: [], summary: { orders: 0, created: 0, unchanged: 0 } });
    expect(first.body.lines.map((l: Json) => [l.line, l.ok])).toEqual([[3, true], [14, true], [16, true]]);
    for (const l of first.body.lines) expect(l.message).toMatch(new RegExp(`; ${TEST.replace(/[()]/g, "\\$&")}$`));
    expect(first.body.lines[0].message).toMatch(/^segment 3 \(ST\): PO T-5001 from ACME \(850 ST02 0001\): 2 lines, 124 units/);
    expect(first.body.summary.notes).toContain(`interchange ${file.isa13} from ACME: ${TEST} (1 purchase order: 1 valid, 0 refused); no order is made from it`);
    expect([await count("Order"), await count("Allocation"), await count("OrderLine")]).toEqual([orders, allocations, lines]);
    expect(await ordersOn(acme.channelId, "T-5001")).toEqual([]);

    // Its 997 is built and kept as any: A for the set, the group acknowledged, in a test interchange of its own.
    const ack = ack997(first.body.acknowledgement);
    expect(ack.ic).toMatchObject({ sender: { qualifier: "ZZ", id: "OPENOMS" }, receiver: { qualifier: "12", id: "4405197800" }, usage: "T" });
    expect(ack.groups).toEqual([file.gs06]);
    expect(ack.sets).toEqual([["0001", "A"]]);
    const key = `12/4405197800:${file.isa13}`;
    expect((await ediDocuments(acme.id, key)).map((d) => [d.direction, d.type])).toEqual([["in", "850"], ["out", "997"]]);
    const numbers = await controls(acme.id);
    const again = await post(file.text, "format=x12");
    expect(again.body).toMatchObject({ status: "done", orders: [], summary: { orders: 0 } });
    expect(again.body.acknowledgement).toBe(first.body.acknowledgement);
    expect(await controls(acme.id)).toEqual(numbers);
    expect(await count("Order")).toBe(orders);

    // The test PO left nothing behind: the same PO sent in production is a new order.
    const production = await post(interchange([{ poNumber: "T-5001" }]).text, "format=x12");
    expect(production.body).toMatchObject({ status: "done", summary: { created: 1 } });
    expect(await reservedFor((await ordersOn(acme.channelId, "T-5001"))[0].id)).toBe(124);
  });

  it("refuses what production would refuse, by segment, and its 997 rejects the set; a test PO held like a real one is still not imported", async () => {
    const orders = await count("Order");
    const bad = await post(interchange([{ poNumber: "T-6001", lines: [{ lineNumber: "1", quantity: 2, uom: "EA", price: "1", ids: ["BP", "NOPE"] }] }], null, { usage: "T" }).text, "format=x12");
    expect(bad.body).toMatchObject({ status: "failed", orders: [] });
    expect(bad.body.lines.find((l: Json) => l.line === 14).message).toBe(`segment 14 (PO1): buyer part number NOPE is not mapped to a SKU for this partner (add it to the partner's items); ${TEST}`);
    expect(ack997(bad.body.acknowledgement).sets).toEqual([["0001", "R"]]);
    // A cancellation in a test interchange is checked (the order could be cancelled) and cancels nothing.
    const cancel = await post(interchange([{ poNumber: "T-5001", purpose: "01" }], null, { usage: "T" }).text, "format=x12");
    expect(cancel.body).toMatchObject({ status: "done", summary: { orders: 0, cancelled: 0 } });
    expect(cancel.body.lines[0].message).toMatch(new RegExp(`^segment 3 \\(ST\\): PO T-5001 cancellation \\(BEG01 01\\) from ACME: cancels its order .*; ${TEST.replace(/[()]/g, "\\$&")}$`));
    expect(ack997(cancel.body.acknowledgement).sets).toEqual([["0001", "A"]]);
    const [held] = await ordersOn(acme.channelId, "T-5001");
    expect(held.status).not.toBe("cancelled");
    expect(await reservedFor(held.id)).toBe(124);
    expect(await count("Order")).toBe(orders);
  });
});

describe("TA1 interchange acknowledgements", () => {
  const ta1Of = (text: string) => /TA1\*[^~]*~/.exec(text)?.[0] ?? null;

  it("answers an interchange that asks for one (ISA14 1) with a TA1 A before its 997, kept and listed, the same again on a re-import", async () => {
    const file = interchange([{ poNumber: "TA-1" }], null, { ackRequested: true });
    const first = await post(file.text, "format=x12");
    expect(first.body).toMatchObject({ status: "done", summary: { created: 1 } });
    const [ta1Text, ackText] = first.body.acknowledgement.split(/(?=ISA\*)/);
    expect(ta1Of(ta1Text)).toMatch(new RegExp(`^TA1\\*${file.isa13}\\*\\d{6}\\*\\d{4}\\*A\\*000~$`));
    expect(ta1Text).toMatch(/IEA\*0\*\d{9}~\s*$/);
    expect(ack997(ackText).sets).toEqual([["0001", "A"]]);
    const key = `12/4405197800:${file.isa13}`;
    expect((await ediDocuments(acme.id, key)).map((d) => [d.direction, d.type])).toEqual([["in", "850"], ["out", "997"], ["out", "TA1"]]);
    const numbers = await controls(acme.id);
    const again = await post(file.text, "format=x12");
    expect(again.body.acknowledgement).toBe(first.body.acknowledgement);
    expect(await controls(acme.id)).toEqual(numbers);
    const { documents } = await partnerDocuments(shopId, acme.id);
    expect(documents.filter((d) => d.type === "TA1" && d.documentKey === key)).toHaveLength(1);
  });

  it("rejects an interchange whose IEA02 is not its ISA13 with a TA1 R 001, and one whose IEA01 miscounts its groups with R 021; nothing else is answered", async () => {
    const orders = await count("Order");
    const file = interchange([{ poNumber: "TA-2" }]);
    const bad = await post(file.text.replace(/IEA\*1\*\d{9}~/, "IEA*1*000000001~"), "format=x12");
    expect(bad.body).toMatchObject({ status: "failed" });
    expect(ta1Of(bad.body.acknowledgement)).toMatch(new RegExp(`^TA1\\*${file.isa13}\\*\\d{6}\\*\\d{4}\\*R\\*001~$`));
    expect(bad.body.acknowledgement).not.toContain("AK1");
    const key = `12/4405197800:${file.isa13}`;
    expect((await ediDocuments(acme.id, key)).map((d) => [d.direction, d.type])).toEqual([["out", "TA1"]]);
    const again = await post(file.text.replace(/IEA\*1\*\d{9}~/, "IEA*1*000000001~"), "format=x12");
    expect(again.body.acknowledgement).toBe(bad.body.acknowledgement);
    const counted = interchange([{ poNumber: "TA-3" }]);
    const miscounted = await post(counted.text.replace(/IEA\*1\*/, "IEA*2*"), "format=x12");
    expect(ta1Of(miscounted.body.acknowledgement)).toMatch(/\*R\*021~$/);
    // An unknown sender's refused interchange gets no answer of ours.
    const stranger = await post(interchange([{ poNumber: "TA-4" }], { isaQualifier: "ZZ", isaId: "STRANGER", gsId: "STRANGER" }).text.replace(/IEA\*1\*/, "IEA*2*"), "format=x12");
    expect(stranger.body.acknowledgement).toBeNull();
    expect(await count("Order")).toBe(orders);
  });
});

describe("the EDI drop folder", () => {
  const folder = (name: string) => path.join(dropDir, SHOP, name);
  const old = (file: string) => utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const dropImports = () => queryRows<{ id: string; status: string; filename: string; fileId: string; error: string | null; acknowledgement: string | null; sourceRef: string }>(`SELECT "id","status","filename","fileId","error","acknowledgement","sourceRef" FROM "Import" WHERE "shopId" = ? AND "source" = 'drop-folder' ORDER BY "createdAt", "id"`, shopId);

  beforeAll(() => {
    process.env.EDI_DROP_DIR = dropDir;
    resetEnvForTests();
    mkdirSync(folder("in"), { recursive: true });
    mkdirSync(path.join(dropDir, "not-a-shop.myshopify.com", "in"), { recursive: true });
    writeFileSync(path.join(dropDir, "not-a-shop.myshopify.com", "in", "po.edi"), "ISA");
  });

  it("takes settled files once into imports, moves them to done/, writes each 997 to out/, leaves fresh files, sets apart what it cannot read", async () => {
    const good = interchange([{ poNumber: "D-1" }]);
    writeFileSync(folder("in/po-d1.edi"), good.text);
    old(folder("in/po-d1.edi"));
    writeFileSync(folder("in/garbage.edi"), "\u0000\u0001 not an interchange");
    old(folder("in/garbage.edi"));
    writeFileSync(folder("in/fresh.edi"), interchange([{ poNumber: "D-2" }]).text); // being written: modified just now
    writeFileSync(folder("in/.upload.edi.part"), "ISA*");
    old(folder("in/.upload.edi.part"));

    const report = await scanEdiDropFolder({ dir: dropDir, settleMs: 5_000 });
    expect(report).toMatchObject({ unsettled: 1, ignored: ["not-a-shop.myshopify.com"], failed: [] });
    expect(report.taken.map((t) => t.file).sort()).toEqual(["garbage.edi", "po-d1.edi"]);
    await queue.whenIdle(20_000);

    expect(readdirSync(folder("in")).sort()).toEqual([".upload.edi.part", "fresh.edi"]);
    expect(readdirSync(folder("processing"))).toEqual([]);
    expect(readdirSync(folder("done"))).toEqual([expect.stringMatching(/_po-d1\.edi$/)]);
    const failed = readdirSync(folder("failed")).sort();
    expect(failed).toEqual([expect.stringMatching(/_garbage\.edi$/), expect.stringMatching(/_garbage\.edi\.error\.txt$/)]);
    expect(readFileSync(path.join(folder("failed"), failed[1]), "utf8")).toMatch(/^garbage\.edi: import .*: Nothing was imported: not an X12 interchange/);
    expect(readdirSync(path.join(dropDir, "not-a-shop.myshopify.com", "in"))).toEqual(["po.edi"]);

    const imports = await dropImports();
    expect(imports.map((i) => [i.filename, i.status])).toEqual(expect.arrayContaining([["po-d1.edi", "done"], ["garbage.edi", "failed"]]));
    const taken = imports.find((i) => i.filename === "po-d1.edi")!;
    expect(readdirSync(folder("out"))).toEqual([`997_${good.isa13}.edi`]);
    expect(readFileSync(path.join(folder("out"), `997_${good.isa13}.edi`), "utf8")).toBe(taken.acknowledgement);
    expect(ack997(taken.acknowledgement!).sets).toEqual([["0001", "A"]]);
    expect(await reservedFor((await ordersOn(acme.channelId, "D-1"))[0].id)).toBe(124);
    expect(imports.find((i) => i.filename === "garbage.edi")!.error).toMatch(/^Nothing was imported: not an X12 interchange/);

    // A second scan finds nothing new until the fresh file settles; the same file dropped again is a second import
    // of the same kept file, and changes nothing.
    expect((await scanEdiDropFolder({ dir: dropDir, settleMs: 5_000 })).taken).toEqual([]);
    const orders = await count("Order");
    writeFileSync(folder("in/po-d1-again.edi"), good.text);
    old(folder("in/po-d1-again.edi"));
    old(folder("in/fresh.edi"));
    const second = await scanEdiDropFolder({ dir: dropDir, settleMs: 5_000 });
    expect(second.taken.map((t) => t.file).sort()).toEqual(["fresh.edi", "po-d1-again.edi"]);
    await queue.whenIdle(20_000);
    const again = (await dropImports()).find((i) => i.filename === "po-d1-again.edi")!;
    expect(again).toMatchObject({ status: "done", fileId: taken.fileId, acknowledgement: taken.acknowledgement });
    expect(await count("Order")).toBe(orders + 1); // D-2 from fresh.edi, nothing from the copy
    expect(readdirSync(folder("out")).sort()).toHaveLength(2);
    expect(readdirSync(folder("in")).sort()).toEqual([".upload.edi.part"]);
  });
});
