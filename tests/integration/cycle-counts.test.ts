import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { ensureShop } from "~/.server/db/shops";
import { moveBinStock } from "~/.server/db/warehouse-sql";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { confirmPutaway, readPutaways } from "~/.server/use-cases/confirm-putaway";
import { createPurchaseOrder } from "~/.server/use-cases/create-purchase-order";
import { countIfBinEmptied, openCycleCounts, scheduleCycleCounts, scheduleCycleCountsJob } from "~/.server/use-cases/cycle-counts";
import { storeLayout } from "~/.server/use-cases/manage-warehouse";
import { scanAtReceiving } from "~/.server/use-cases/scan-receiving";
import { loader as binsLoader } from "~/routes/api.v1.warehouses.$location.bins";
import { action as openAction, loader as queueLoader } from "~/routes/api.v1.warehouses.$location.counts";
import { loader as countLoader } from "~/routes/api.v1.warehouses.$location.counts.$id";
import { action as decideAction } from "~/routes/api.v1.warehouses.$location.counts.$id.$decision";
import { action as submitAction } from "~/routes/api.v1.warehouses.$location.counts.$id.submit";
import { loader as labourLoader } from "~/routes/api.v1.warehouses.$location.labour";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { addSession } from "../support/sessions";

// Cycle counts and labour through the API and use cases (issue 13 items 7–8; ADR 0034), on SQLite and PostgreSQL:
// counts open idempotently, are blind and wait for approval; approval posts bin and on-hand ledger rows with reason
// `counted` (and a push to Shopify) so on hand stays the sum of the bins; decline and recount move nothing; every
// receiving scan, putaway and count is one labour event.

const SHOP = "cycle-counts.myshopify.com";
setQueue(new InProcessQueue());
const headers = () => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP)}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" });
type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
const call = async (fn: Fn, path: string, params: Record<string, string>, init: { method?: string; body?: unknown } = {}) => {
  const response = await fn({ request: new Request(`http://127.0.0.1:3999/api/v1/${path}`, { method: init.method ?? "GET", headers: headers(), body: init.body === undefined ? undefined : JSON.stringify(init.body) }), params, context: {} });
  return { status: response.status, body: await response.json() };
};

const LOC = "91";
let shopId: string;
let reno: string;
const variants: Record<string, string> = {};

const queue = () => call(queueLoader as Fn, `warehouses/${LOC}/counts`, { location: LOC });
const openCounts = (body: unknown) => call(openAction as Fn, `warehouses/${LOC}/counts`, { location: LOC }, { method: "POST", body });
const count = (id: string) => call(countLoader as Fn, `warehouses/${LOC}/counts/${id}`, { location: LOC, id });
const submit = (id: string, body: unknown) => call(submitAction as Fn, `warehouses/${LOC}/counts/${id}/submit`, { location: LOC, id }, { method: "POST", body });
const decide = (id: string, decision: string, body: unknown = { by: "lead" }) => call(decideAction as Fn, `warehouses/${LOC}/counts/${id}/${decision}`, { location: LOC, id, decision }, { method: "POST", body });
const onHand = (sku: string) => queryNumber(`SELECT "onHand" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variants[sku], reno);
const inBin = async (code: string, sku: string) =>
  queryNumber(`SELECT COALESCE(SUM(s."quantity"), 0) FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" WHERE b."shopId" = ? AND b."locationId" = ? AND b."code" = ? AND s."variantId" = ?`, shopId, reno, code, variants[sku]);
const binId = async (code: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND "code" = ?`, shopId, reno, code))!.id;
const countedRows = async () => ({
  bin: await queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ? AND "reason" = 'counted'`, shopId),
  onHand: await queryNumber(`SELECT COUNT(*) FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "reason" = 'counted'`, shopId),
  pushes: await queryNumber(`SELECT COUNT(*) FROM "StockPush" WHERE "shopId" = ? AND "reason" = 'cycle_count_available'`, shopId),
});
const labour = (kind: string) => queryNumber(`SELECT COUNT(*) FROM "LabourEvent" WHERE "shopId" = ? AND "kind" = ?`, shopId, kind);

/** On hand at the location equals the sum of its bins, per SKU. */
async function sumsAgree() {
  const { status, body } = await call(binsLoader as Fn, `warehouses/${LOC}/bins`, { location: LOC });
  expect(status).toBe(200);
  for (const t of body.totals) expect(t, `on hand against bins for ${t.sku}`).toMatchObject({ agrees: true });
}

/** A storage bin that never had a count. */
const uncountedBin = async () =>
  (await queryRow<{ code: string }>(`SELECT b."code" FROM "WarehouseBin" b WHERE b."shopId" = ? AND b."locationId" = ? AND b."kind" = 'storage' AND NOT EXISTS (SELECT 1 FROM "CycleCount" c WHERE c."binId" = b."id") ORDER BY b."code"`, shopId, reno))!.code;

/** Where the putaway of a SKU went. */
const binOf = async (sku: string) => (await readPutaways(shopId, LOC)).done.find((p) => p.sku === sku)!.bin!;

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  reno = (await addLocation(shopId, LOC, "reno")).id;
  variants.TEE = (await addSku(shopId, "CC-TEE", { [reno]: 10 })).id;
  variants.CAP = (await addSku(shopId, "CC-CAP", { [reno]: 4 })).id;
  variants.MUG = (await addSku(shopId, "CC-MUG")).id;
  await storeLayout(shopId, LOC, { generate: { aisles: 2, baysPerAisle: 3, levels: 1, bayWidthM: 1, aisleSpacingM: 4, crossAisleWidthM: 2, capacityPerBin: 30 } });
});

describe("labour events", () => {
  it("records one event per putaway confirmation and per receiving scan, in the same transaction, never twice", async () => {
    for (const p of (await readPutaways(shopId, LOC)).open) {
      expect((await confirmPutaway(shopId, LOC, p.id, { bin: p.suggestedBin!, worker: "ann" })).applied).toBe(true);
      expect((await confirmPutaway(shopId, LOC, p.id, { bin: p.suggestedBin!, worker: "ann" })).applied).toBe(false);
    }
    expect(await labour("putaway")).toBe(2);
    await createPurchaseOrder(shopId, { number: "CC-PO-1", supplier: "S", location: LOC, expectedAt: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), lines: [{ sku: "CC-MUG", quantity: 5 }] });
    await scanAtReceiving(shopId, "CC-PO-1", { code: "CC-MUG", quantity: 3, condition: "good", scanId: "s1", worker: "bob" });
    await scanAtReceiving(shopId, "CC-PO-1", { code: "CC-MUG", quantity: 3, condition: "good", scanId: "s1", worker: "bob" });
    await scanAtReceiving(shopId, "CC-PO-1", { code: "CC-MUG", quantity: 1, condition: "damaged", scanId: "s2", worker: "bob" });
    // A refused scan (not on the order) records nothing.
    await expect(scanAtReceiving(shopId, "CC-PO-1", { code: "CC-TEE", quantity: 1, condition: "good", scanId: "s3", worker: "bob" })).rejects.toThrow(/not a SKU on purchase order/);
    expect(await labour("receive")).toBe(2);
    const rows = await queryRows<{ worker: string; units: number; naturalKey: string }>(`SELECT "worker","units","naturalKey" FROM "LabourEvent" WHERE "shopId" = ? AND "kind" = 'receive' ORDER BY "naturalKey"`, shopId);
    expect(rows.map((r) => [r.worker, Number(r.units)])).toEqual([["bob", 3], ["bob", 1]]);
    await sumsAgree();
  });
});

describe("opening counts", () => {
  it("is idempotent on (source, bin); a second trigger joins the bin's open count; by SKU, every bin holding it", async () => {
    const teeBin = await binOf("CC-TEE");
    const first = await database().transaction((tx) => openCycleCounts(tx, shopId, { locationId: LOC, binId: teeBin, sku: "CC-TEE", reason: "short_pick", sourceKey: "short_pick:line-1" }));
    expect(first.created).toBe(1);
    const again = await database().transaction((tx) => openCycleCounts(tx, shopId, { locationId: LOC, binId: teeBin, sku: "CC-TEE", reason: "short_pick", sourceKey: "short_pick:line-1" }));
    expect(again).toEqual({ ids: first.ids, created: 0 });
    const other = await database().transaction((tx) => openCycleCounts(tx, shopId, { locationId: reno, sku: "CC-TEE", reason: "flow", sourceKey: "flow:run-9" }));
    expect(other).toEqual({ ids: first.ids, created: 0 });
    expect(await queryNumber(`SELECT COUNT(*) FROM "CycleCount" WHERE "shopId" = ?`, shopId)).toBe(1);
    const { body } = await queue();
    expect(body.open).toHaveLength(1);
    expect(body.open[0]).toMatchObject({ bin: teeBin, reason: "short_pick", focusSku: "CC-TEE", status: "open" });
    expect(JSON.stringify(body.open[0])).not.toMatch(/expected|quantity/);
  });

  it("refuses an unknown SKU, a SKU no bin holds, an unknown bin, no target: nothing opened", async () => {
    const before = await queryNumber(`SELECT COUNT(*) FROM "CycleCount" WHERE "shopId" = ?`, shopId);
    expect((await openCounts({ sku: "NOPE", sourceKey: "m1" })).body.error.code).toBe("COUNT.UNKNOWN_SKU");
    const none = await database().transaction((tx) => openCycleCounts(tx, shopId, { locationId: LOC, sku: "CC-MUG", reason: "manual", sourceKey: "m2" })).catch((e: Error & { code?: string }) => e.code);
    expect(none).toBe("COUNT.SKU_IN_NO_BIN"); // the received mugs wait in the receiving bin, not on a shelf
    expect((await openCounts({ bin: "Z99-99-9-L", sourceKey: "m3" })).status).toBe(404);
    expect((await openCounts({ sourceKey: "m4" })).body.error.code).toBe("COUNT.NO_TARGET");
    expect(await queryNumber(`SELECT COUNT(*) FROM "CycleCount" WHERE "shopId" = ?`, shopId)).toBe(before);
  });
});

describe("a blind count", () => {
  let id: string;
  let teeBin: string;

  it("refuses a negative count, the wrong bin and an unknown SKU, recording nothing", async () => {
    teeBin = await binOf("CC-TEE");
    id = (await queue()).body.open[0].id;
    const negative = await submit(id, { bin: teeBin, lines: [{ sku: "CC-TEE", quantity: -2 }], submissionId: "c1", worker: "cat" });
    expect(negative.status).toBe(400);
    expect(negative.body.error).toMatchObject({ code: "COUNT.BAD_QUANTITY" });
    expect(negative.body.error.message).toContain("whole number ≥ 0");
    const wrong = await submit(id, { bin: "A02-03-1-R", lines: [{ sku: "CC-TEE", quantity: 8 }], submissionId: "c1", worker: "cat" });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain(`this count is for ${teeBin}`);
    expect((await submit(id, { bin: teeBin, lines: [{ sku: "GHOST", quantity: 1 }], submissionId: "c1" })).body.error.code).toBe("COUNT.UNKNOWN_SKU");
    expect((await count(id)).body).toMatchObject({ status: "open", lines: [] });
    expect(await labour("count")).toBe(0);
  });

  it("waits for approval: stock does not move until then; the same submission twice records once", async () => {
    const before = await countedRows();
    const sent = await submit(id, { bin: teeBin.toLowerCase(), lines: [{ sku: "CC-TEE", quantity: 5 }, { sku: "CC-TEE", quantity: 3 }], submissionId: "c1", worker: "cat" });
    expect(sent).toMatchObject({ status: 200, body: { applied: true, count: { status: "counted", countedBy: "cat" } } });
    expect((await submit(id, { bin: teeBin, lines: [{ sku: "CC-TEE", quantity: 8 }], submissionId: "c1", worker: "cat" })).body.applied).toBe(false);
    expect((await submit(id, { bin: teeBin, lines: [{ sku: "CC-TEE", quantity: 9 }], submissionId: "other" })).status).toBe(409);
    expect(await inBin(teeBin, "TEE")).toBe(10);
    expect(await onHand("TEE")).toBe(10);
    expect(await countedRows()).toEqual(before);
    expect(await labour("count")).toBe(1);
    const { body } = await queue();
    expect(body.awaiting).toHaveLength(1);
    expect(body.awaiting[0].lines).toEqual([{ variantId: variants.TEE, sku: "CC-TEE", lot: "", expected: 10, counted: 8, variance: -2 }]);
    expect(body.awaiting[0].summary).toEqual({ over: 0, short: 2, linesOff: 1 });
  });

  it("approval posts the variance to the bin ledger and on hand (with a Shopify push) once; on hand = sum of bins", async () => {
    const before = await countedRows();
    const approved = await decide(id, "approve");
    expect(approved).toMatchObject({ status: 200, body: { applied: true, count: { status: "approved", decidedBy: "lead" } } });
    expect(await inBin(teeBin, "TEE")).toBe(8);
    expect(await onHand("TEE")).toBe(8);
    expect(await countedRows()).toEqual({ bin: before.bin + 1, onHand: before.onHand + 1, pushes: before.pushes + 1 });
    const push = await queryRow<{ delta: number }>(`SELECT "delta" FROM "StockPush" WHERE "shopId" = ? AND "reason" = 'cycle_count_available'`, shopId);
    expect(Number(push!.delta)).toBe(-2);
    expect((await decide(id, "approve")).body.applied).toBe(false);
    expect(await countedRows()).toEqual({ bin: before.bin + 1, onHand: before.onHand + 1, pushes: before.pushes + 1 });
    expect((await decide(id, "decline")).status).toBe(409);
    await sumsAgree();
  });

  it("decline and recount leave stock unchanged; the recount's approval applies its own variance", async () => {
    const capBin = await binOf("CC-CAP");
    const opened = await openCounts({ bin: capBin, sourceKey: "manual:1", worker: "cat" });
    expect(opened).toMatchObject({ status: 201, body: { created: 1 } });
    const first = opened.body.ids[0];
    const before = await countedRows();
    await submit(first, { bin: capBin, lines: [{ sku: "CC-CAP", quantity: 9 }], submissionId: "cap-1" });
    const recount = await decide(first, "recount");
    expect(recount).toMatchObject({ status: 201, body: { applied: true, recount: { status: "open", recountOf: first, bin: capBin } } });
    expect((await decide(first, "recount")).body).toMatchObject({ applied: false, recount: { id: recount.body.recount.id } });
    expect(await inBin(capBin, "CAP")).toBe(4);
    const second = recount.body.recount.id;
    await submit(second, { bin: capBin, lines: [{ sku: "CC-CAP", quantity: 6 }], submissionId: "cap-2" });
    expect(await count(second)).toMatchObject({ body: { lines: [{ expected: 4, counted: 6, variance: 2 }] } });
    const declined = await decide(second, "decline");
    expect(declined.body).toMatchObject({ applied: true, count: { status: "declined" } });
    expect((await decide(second, "approve")).status).toBe(409);
    expect(await inBin(capBin, "CAP")).toBe(4);
    expect(await onHand("CAP")).toBe(4);
    expect(await countedRows()).toEqual(before);
    // A third count finds 6: approved, the bin and on hand rise by 2 through the stock-arrival path.
    const third = (await openCounts({ bin: capBin, sourceKey: "manual:2" })).body.ids[0];
    await submit(third, { bin: capBin, lines: [{ sku: "CC-CAP", quantity: 6 }], submissionId: "cap-3" });
    await decide(third, "approve");
    expect(await inBin(capBin, "CAP")).toBe(6);
    expect(await onHand("CAP")).toBe(6);
    expect(await countedRows()).toEqual({ bin: before.bin + 1, onHand: before.onHand + 1, pushes: before.pushes + 1 });
    await sumsAgree();
  });

  it("stock moved between count and approval: the variance is applied as a delta, or refused when the bin no longer holds the shortfall", async () => {
    const teeBinId = await binId(teeBin);
    const receiving = await binId("RECEIVING");
    const move = (from: string, to: string, n: number, key: string) =>
      database().transaction(async (tx) => {
        await moveBinStock(tx, shopId, { locationId: reno, binId: from, variantId: variants.TEE!, lot: "", delta: -n, reason: "test_move", idempotencyKey: `${key}:out` });
        await moveBinStock(tx, shopId, { locationId: reno, binId: to, variantId: variants.TEE!, lot: "", delta: n, reason: "test_move", idempotencyKey: `${key}:in` });
      });
    // Counted 7 of 8 (short 1); then 2 leave the bin. Approval takes the 1 counted short from the 6 there: 5.
    const a = (await openCounts({ bin: teeBin, sourceKey: "manual:3" })).body.ids[0];
    await submit(a, { bin: teeBin, lines: [{ sku: "CC-TEE", quantity: 7 }], submissionId: "tee-a" });
    await move(teeBinId, receiving, 2, "mv1");
    expect((await decide(a, "approve")).body.applied).toBe(true);
    expect(await inBin(teeBin, "TEE")).toBe(5);
    // Counted 0 of 5 (short 5); then 4 leave: the bin holds 1, the shortfall of 5 cannot be taken: refused, nothing moved.
    const b = (await openCounts({ bin: teeBin, sourceKey: "manual:4" })).body.ids[0];
    await submit(b, { bin: teeBin, lines: [], submissionId: "tee-b" });
    await move(teeBinId, receiving, 4, "mv2");
    const before = await countedRows();
    const refused = await decide(b, "approve");
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("COUNT.STOCK_MOVED");
    expect(refused.body.error.message).toContain("Recount it");
    expect(await countedRows()).toEqual(before);
    expect((await count(b)).body.status).toBe("counted");
    expect((await decide(b, "recount")).status).toBe(201);
    await sumsAgree();
  });
});

describe("scheduled and empty-bin counts", () => {
  it("the ABC schedule opens the day's due bins under the cap, once per day, skipping bins with a pending count", async () => {
    const now = new Date(Date.now() + 86_400_000);
    const pending = await queryNumber(`SELECT COUNT(*) FROM "CycleCount" WHERE "shopId" = ? AND "status" IN ('open','counted')`, shopId);
    const [first] = await scheduleCycleCounts(shopId, { now, cap: 5 });
    // Stocked storage bins: the tee bin (open recount, skipped) and the cap bin (counted before, C: not due).
    expect(first).toMatchObject({ locationId: reno, due: 0, opened: 0 });
    // A never-counted stocked bin is due.
    const teeBinId = await binId(await binOf("CC-TEE"));
    await database().transaction(async (tx) => {
      await moveBinStock(tx, shopId, { locationId: reno, binId: teeBinId, variantId: variants.TEE!, lot: "", delta: -1, reason: "test_move", idempotencyKey: "mv3:out" });
      await moveBinStock(tx, shopId, { locationId: reno, binId: await binId("A02-03-1-R"), variantId: variants.TEE!, lot: "", delta: 1, reason: "test_move", idempotencyKey: "mv3:in" });
    });
    const [second] = await scheduleCycleCounts(shopId, { now, cap: 5 });
    expect(second).toMatchObject({ due: 1, opened: 1 });
    const [third] = await scheduleCycleCounts(shopId, { now, cap: 5 });
    expect(third).toMatchObject({ opened: 0 });
    expect(await queryNumber(`SELECT COUNT(*) FROM "CycleCount" WHERE "shopId" = ? AND "status" IN ('open','counted')`, shopId)).toBe(pending + 1);
    expect((await queue()).body.open.some((c: { bin: string; reason: string }) => c.bin === "A02-03-1-R" && c.reason === "scheduled")).toBe(true);
    // The daily job: an unknown shop is skipped; for this shop it runs today's schedule (one more never-counted bin
    // stocked → one count), after which today has nothing left to open.
    await database().transaction(async (tx) => {
      await moveBinStock(tx, shopId, { locationId: reno, binId: await binId("RECEIVING"), variantId: variants.TEE!, lot: "", delta: -1, reason: "test_move", idempotencyKey: "mv5:out" });
      await moveBinStock(tx, shopId, { locationId: reno, binId: await binId(await uncountedBin()), variantId: variants.TEE!, lot: "", delta: 1, reason: "test_move", idempotencyKey: "mv5:in" });
    });
    const total = () => queryNumber(`SELECT COUNT(*) FROM "CycleCount" WHERE "shopId" = ?`, shopId);
    const job = (shopDomain: string) => scheduleCycleCountsJob.perform({ id: "j", name: scheduleCycleCountsJob.name, data: { shopDomain }, attempt: 1 });
    const countsBefore = await total();
    await job("nobody.myshopify.com");
    expect(await total()).toBe(countsBefore);
    await job(SHOP);
    expect(await total()).toBe(countsBefore + 1);
    const [today] = await scheduleCycleCounts(shopId);
    expect(today).toMatchObject({ opened: 0 });
  });

  it("a storage bin a move emptied gets an empty_bin count, once per move; a bin still holding stock does not", async () => {
    const capBin = await binOf("CC-CAP");
    const capBinId = await binId(capBin);
    expect(await database().transaction((tx) => countIfBinEmptied(tx, shopId, { locationId: reno, binId: capBinId, sourceKey: "pick:1" }))).toBeUndefined();
    const opened = await database().transaction(async (tx) => {
      await moveBinStock(tx, shopId, { locationId: reno, binId: capBinId, variantId: variants.CAP!, lot: "", delta: -6, reason: "test_move", idempotencyKey: "mv4:out" });
      await moveBinStock(tx, shopId, { locationId: reno, binId: await binId("RECEIVING"), variantId: variants.CAP!, lot: "", delta: 6, reason: "test_move", idempotencyKey: "mv4:in" });
      return countIfBinEmptied(tx, shopId, { locationId: reno, binId: capBinId, sourceKey: "pick:2" });
    });
    expect(opened?.created).toBe(1);
    expect((await database().transaction((tx) => countIfBinEmptied(tx, shopId, { locationId: reno, binId: capBinId, sourceKey: "pick:2" })))?.created).toBe(0);
    expect((await count(opened!.ids[0]!)).body).toMatchObject({ reason: "empty_bin", status: "open", bin: capBin });
  });
});

describe("the labour endpoint", () => {
  it("reports per worker and day, and refuses a bad period", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { status, body } = await call(labourLoader as Fn, `warehouses/${LOC}/labour?from=${today}&to=${today}`, { location: LOC });
    expect(status).toBe(200);
    expect(body.events).toBe(await queryNumber(`SELECT COUNT(*) FROM "LabourEvent" WHERE "shopId" = ?`, shopId));
    expect(body.workers.map((w: { worker: string }) => w.worker)).toEqual(expect.arrayContaining(["ann", "bob", "cat"]));
    expect(body.workers.find((w: { worker: string }) => w.worker === "bob")).toMatchObject({ receivedUnits: 4, receivedLines: 2 });
    expect((await call(labourLoader as Fn, `warehouses/${LOC}/labour?from=2026-13-01`, { location: LOC })).status).toBe(400);
    expect((await call(labourLoader as Fn, `warehouses/${LOC}/labour?from=2026-01-01&to=2026-12-31`, { location: LOC })).body.error.code).toBe("LABOUR.PERIOD_TOO_LONG");
  });
});

describe("two workers at once", () => {
  it("the same trigger opens one count; two submissions record one; two approvals apply once", async () => {
    const free = await uncountedBin();
    const open = () => database().transaction((tx) => openCycleCounts(tx, shopId, { locationId: LOC, binId: free, reason: "short_pick", sourceKey: "short_pick:race" }));
    const [a, b] = await Promise.all([open(), open()]);
    expect(a.ids).toEqual(b.ids);
    expect(a.created + b.created).toBe(1);
    const id = a.ids[0]!;
    const [s1, s2] = await Promise.all([
      submit(id, { bin: free, lines: [{ sku: "CC-TEE", quantity: 2 }], submissionId: "race-1", worker: "ann" }),
      submit(id, { bin: free, lines: [{ sku: "CC-TEE", quantity: 3 }], submissionId: "race-2", worker: "bob" }),
    ]);
    expect([s1.status, s2.status].sort()).toEqual([200, 409]);
    expect(await queryNumber(`SELECT COUNT(*) FROM "CycleCountLine" WHERE "shopId" = ? AND "cycleCountId" = ?`, shopId, id)).toBe(1);
    expect(await queryNumber(`SELECT COUNT(*) FROM "LabourEvent" WHERE "shopId" = ? AND "naturalKey" = ?`, shopId, `count:${id}`)).toBe(1);
    const before = await countedRows();
    const [d1, d2] = await Promise.all([decide(id, "approve"), decide(id, "approve")]);
    expect([d1.body.applied, d2.body.applied].sort()).toEqual([false, true]);
    expect(await countedRows()).toEqual({ bin: before.bin + 1, onHand: before.onHand + 1, pushes: before.pushes + 1 });
    await sumsAgree();
  });
});

describe("lots", () => {
  it("units found under another lot in a full bin: the shortfall is taken before the excess is put, on hand does not move", async () => {
    const code = await uncountedBin();
    const id = await binId(code);
    await database().transaction(async (tx) => {
      await moveBinStock(tx, shopId, { locationId: reno, binId: await binId("RECEIVING"), variantId: variants.TEE!, lot: "", delta: -3, reason: "test_move", idempotencyKey: "mv6:out" });
      await moveBinStock(tx, shopId, { locationId: reno, binId: id, variantId: variants.TEE!, lot: "L1", delta: 3, reason: "test_move", idempotencyKey: "mv6:in" });
    });
    await database().run(`UPDATE "WarehouseBin" SET "capacity" = 3 WHERE "shopId" = ? AND "id" = ?`, shopId, id);
    const count = (await openCounts({ bin: code, sourceKey: "manual:lots" })).body.ids[0];
    await submit(count, { bin: code, lines: [{ sku: "CC-TEE", quantity: 3 }], submissionId: "lots-1" });
    const before = await countedRows();
    const onHandBefore = await onHand("TEE");
    expect((await decide(count, "approve")).body).toMatchObject({ applied: true, count: { summary: { over: 3, short: 3, linesOff: 2 } } });
    const lots = await queryRows<{ lot: string; quantity: number }>(`SELECT "lot","quantity" FROM "BinStock" WHERE "shopId" = ? AND "binId" = ? ORDER BY "lot"`, shopId, id);
    expect(lots.map((l) => [l.lot, Number(l.quantity)])).toEqual([["", 3]]);
    expect(await onHand("TEE")).toBe(onHandBefore);
    expect(await countedRows()).toEqual({ bin: before.bin + 2, onHand: before.onHand, pushes: before.pushes });
    await sumsAgree();
  });
});
