import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { ensureShop } from "~/.server/db/shops";
import { moveBinStock } from "~/.server/db/warehouse-sql";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { readPutaways } from "~/.server/use-cases/confirm-putaway";
import { createPurchaseOrder } from "~/.server/use-cases/create-purchase-order";
import { storeLayout } from "~/.server/use-cases/manage-warehouse";
import { scanAtReceiving } from "~/.server/use-cases/scan-receiving";
import { parseBinCode } from "~/domain/warehouse/bins";
import { geometryOf, travelM } from "~/domain/warehouse/layout";
import { action as postReceipt } from "~/routes/api.v1.inventory.receipts";
import { action as pickRoutes } from "~/routes/api.v1.pick-routes";
import { action as scanAction, loader as scansLoader } from "~/routes/api.v1.purchase-orders.$number.scans";
import { loader as supplierLoader } from "~/routes/api.v1.receiving-accuracy";
import { loader as binsLoader } from "~/routes/api.v1.warehouses.$location.bins";
import { action as binsCsv } from "~/routes/api.v1.warehouses.$location.bins[.]csv";
import { action as layoutAction } from "~/routes/api.v1.warehouses.$location.layout";
import { action as confirmAction } from "~/routes/api.v1.warehouses.$location.putaways.$id.confirm";
import { loader as putawaysLoader } from "~/routes/api.v1.warehouses.$location.putaways";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryNumber, queryRow } from "../support/db-query";
import { addSession } from "../support/sessions";

// The warehouse module through its API (issue 13 items 1–3 and the stored pick route; ADR 0029): a location switched
// to managed keeps its on hand as the sum of its bins after every operation; bins come from a generated layout or a
// CSV (bad rows listed, nothing imported); scans receive a purchase order into the receiving bin with over / short /
// damaged and accuracy; putaway moves units to the scanned bin once; a pick route is asked for by bin.

const SHOP = "warehouse.myshopify.com";
setQueue(new InProcessQueue());
const headers = (type = "application/json") => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP)}`, "Content-Type": type, "User-Agent": "Mozilla/5.0 Chrome/156" });
const url = (path: string) => `http://127.0.0.1:3999/api/v1/${path}`;
const answer = async (response: Response) => ({ status: response.status, body: await response.json() });
type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
const call = async (fn: Fn, path: string, params: Record<string, string>, init: { method?: string; body?: unknown; type?: string } = {}) =>
  answer(await fn({ request: new Request(url(path), { method: init.method ?? "GET", headers: headers(init.type), body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body) }), params, context: {} }));

let shopId: string;
let reno: string;
let dallas: string;
const variants: Record<string, string> = {};
const LOC = "81";

const putLayout = (body: unknown, location = LOC) => call(layoutAction as Fn, `warehouses/${location}/layout`, { location }, { method: "PUT", body });
const bins = (location = LOC) => call(binsLoader as Fn, `warehouses/${location}/bins`, { location });
const importCsv = (text: string, location = LOC) => call(binsCsv as Fn, `warehouses/${location}/bins.csv`, { location }, { method: "POST", body: text, type: "text/csv" });
const scan = (number: string, body: Record<string, unknown>) => call(scanAction as Fn, `purchase-orders/${number}/scans`, { number }, { method: "POST", body });
const putaways = () => call(putawaysLoader as Fn, `warehouses/${LOC}/putaways`, { location: LOC });
const confirm = (id: string, body: unknown) => call(confirmAction as Fn, `warehouses/${LOC}/putaways/${id}/confirm`, { location: LOC, id }, { method: "POST", body });
const route = (body: unknown) => call(pickRoutes as Fn, "pick-routes", {}, { method: "POST", body });
const onHand = (sku: string, locationId = reno) => queryNumber(`SELECT "onHand" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variants[sku], locationId);
const inBin = async (code: string, sku: string) =>
  Number((await queryRow<{ q: number }>(`SELECT COALESCE(SUM(s."quantity"), 0) AS "q" FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" WHERE b."shopId" = ? AND b."locationId" = ? AND b."code" = ? AND s."variantId" = ?`, shopId, reno, code, variants[sku]))!.q);
const binLedgerRows = () => queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ?`, shopId);

/** Location on hand equals the sum of its bins for every SKU: asserted after every operation. */
async function sumsAgree() {
  const { status, body } = await bins();
  expect(status).toBe(200);
  for (const t of body.totals) expect(t, `on hand against bins for ${t.sku}`).toMatchObject({ agrees: true });
  const direct = await queryNumber(`SELECT COALESCE(SUM("onHand"), 0) FROM "InventoryLevel" WHERE "shopId" = ? AND "locationId" = ?`, shopId, reno);
  const binned = await queryNumber(`SELECT COALESCE(SUM(s."quantity"), 0) FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" WHERE b."shopId" = ? AND b."locationId" = ?`, shopId, reno);
  expect(binned).toBe(direct);
  return body;
}

const LAYOUT = { aisles: 3, baysPerAisle: 4, levels: 1, bayWidthM: 1, aisleSpacingM: 4, crossAisleWidthM: 2, capacityPerBin: 20 };

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  reno = (await addLocation(shopId, LOC, "reno")).id;
  dallas = (await addLocation(shopId, "82", "dallas")).id;
  variants.TEE = (await addSku(shopId, "WH-TEE", { [reno]: 7, [dallas]: 3 })).id;
  variants.CAP = (await addSku(shopId, "WH-CAP", { [reno]: 2 })).id;
  variants.MUG = (await addSku(shopId, "WH-MUG")).id;
});

describe("a location switched to managed", () => {
  it("refuses a bad layout with every problem, and an unknown location, storing nothing", async () => {
    const bad = await putLayout({ generate: { ...LAYOUT, aisles: 0, capacityPerBin: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("aisles: must be a whole number from 1 to 500 (got 0)");
    expect(bad.body.error.message).toContain("capacityPerBin");
    expect((await putLayout({ generate: LAYOUT }, "nowhere")).status).toBe(404);
    expect((await bins()).status).toBe(404);
  });

  it("moves its on hand into the receiving bin so the sums agree, and generating the layout again changes no stock", async () => {
    const first = await putLayout({ generate: LAYOUT });
    expect(first).toMatchObject({ status: 200, body: { managed: true, bins: 24, unitsToReceiving: 9, layout: { aisles: 3, aisleLengthM: 6, aisleSpacingM: 4, depot: { aisle: 0, yM: 0 } } } });
    expect(await inBin("RECEIVING", "TEE")).toBe(7);
    expect(await inBin("RECEIVING", "CAP")).toBe(2);
    expect(await onHand("TEE")).toBe(7);
    const body = await sumsAgree();
    expect(body.bins[0]).toMatchObject({ code: "RECEIVING", kind: "receiving", capacity: null, used: 9 });
    expect(body.bins.find((b: { code: string }) => b.code === "A02-03-1-L")).toMatchObject({ aisle: 1, bay: 3, level: 1, side: "L", yM: 3.5, capacity: 20, used: 0 });
    // What was on the shelves waits in the receiving bin with a putaway per SKU.
    expect((await putaways()).body.open.map((p: { sku: string; quantity: number }) => [p.sku, p.quantity]).sort()).toEqual([["WH-CAP", 2], ["WH-TEE", 7]]);
    const again = await putLayout({ generate: LAYOUT });
    expect(again.body).toMatchObject({ managed: false, unitsToReceiving: 0, bins: 24 });
    expect(await inBin("RECEIVING", "TEE")).toBe(7);
    await sumsAgree();
  });
});

describe("bins imported from CSV", () => {
  it("reports every bad row with its line and imports nothing; a good file adds and updates bins", async () => {
    const ledgerBefore = await binLedgerRows();
    const bad = await importCsv("bin,zone,yM,capacity\nA01-05-1-L,COLD,5.5,20\nshelf 9,,1,5\nA04-01-1-L,,1,5\n\nA01-06-1-R,,9,0\nA01-05-1-L,,5.5,20\n");
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.errors).toEqual([
      { line: 3, message: 'line 3: bin "shelf 9" is not an address like A03-12-2-L' },
      { line: 4, message: "line 4: bin A04-01-1-L: aisle A04 is past the layout's 3 aisles" },
      { line: 6, message: 'line 6: yM "9" must be a number from 0 to the aisle length 6; capacity "0" must be a whole number of units ≥ 1' },
      { line: 7, message: "line 7: bin A01-05-1-L is already on line 2" },
    ]);
    expect((await bins()).body.bins).toHaveLength(25);
    expect((await importCsv("code,capacity\nA01-01-1-L,3\n")).status).toBe(400);

    const good = await importCsv("bin,zone,yM,capacity\r\nA01-05-1-L,COLD,5.5,20\r\nA03-04-1-R,,4.5,12\r\n");
    expect(good).toMatchObject({ status: 200, body: { imported: 2, errors: [] } });
    const after = (await bins()).body.bins;
    expect(after).toHaveLength(26);
    expect(after.find((b: { code: string }) => b.code === "A01-05-1-L")).toMatchObject({ zone: "COLD", yM: 5.5, capacity: 20 });
    expect(after.find((b: { code: string }) => b.code === "A03-04-1-R")).toMatchObject({ capacity: 12 });
    expect(await binLedgerRows()).toBe(ledgerBefore);
    await sumsAgree();
  });
});

describe("receiving against a purchase order by scanning", () => {
  beforeAll(async () => {
    await createPurchaseOrder(shopId, { number: "WH-PO-1", supplier: "Knit Co", location: LOC, expectedAt: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10), lines: [{ sku: "WH-TEE", quantity: 6 }, { sku: "WH-MUG", quantity: 4 }, { sku: "WH-CAP", quantity: 3 }] });
    await createPurchaseOrder(shopId, { number: "WH-PO-DALLAS", supplier: "Knit Co", location: "82", expectedAt: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10), lines: [{ sku: "WH-TEE", quantity: 1 }] });
  });

  it("receives good units into the receiving bin once per scan id, and records over, short and damaged", async () => {
    const s1 = await scan("WH-PO-1", { code: "WH-TEE", quantity: 6, scanId: "hh1-1" });
    expect(s1.status).toBe(201);
    expect(s1.body).toMatchObject({ applied: true, line: { sku: "WH-TEE", ordered: 6, good: 6, outcome: "as_expected" } });
    expect(await onHand("TEE")).toBe(13);
    expect(await inBin("RECEIVING", "TEE")).toBe(13);
    expect(await queryNumber(`SELECT "incoming" FROM "InventoryLevel" WHERE "variantId" = ? AND "locationId" = ?`, variants.TEE, reno)).toBe(0);
    await sumsAgree();

    const replay = await scan("WH-PO-1", { code: "WH-TEE", quantity: 6, scanId: "hh1-1" });
    expect(replay).toMatchObject({ status: 200, body: { applied: false, line: { good: 6 } } });
    expect(await onHand("TEE")).toBe(13);

    // MUG: typed in lower case, 5 good against 4 ordered (over), lot with expiry; CAP: 2 good, 1 damaged.
    expect((await scan("WH-PO-1", { code: "wh-mug", quantity: 5, lot: "L7", expiresAt: "2027-06-30", scanId: "hh1-2" })).body.line).toMatchObject({ good: 5, over: 1, outcome: "over" });
    expect((await scan("WH-PO-1", { code: "WH-CAP", quantity: 2, scanId: "hh1-3" })).body.line).toMatchObject({ good: 2, short: 1, outcome: "short" });
    const damaged = await scan("WH-PO-1", { code: "WH-CAP", condition: "damaged", scanId: "hh1-4" });
    expect(damaged.body.line).toMatchObject({ good: 2, damaged: 1, short: 1, outcome: "damaged" });
    expect(await onHand("CAP")).toBe(4); // 2 before + 2 good; the damaged one is stocked nowhere
    expect(await onHand("MUG")).toBe(5);
    const lot = await queryRow<{ lot: string; expiresAt: string }>(`SELECT s."lot", s."expiresAt" FROM "BinStock" s WHERE s."variantId" = ?`, variants.MUG);
    expect(lot?.lot).toBe("L7");
    expect(new Date(lot!.expiresAt).toISOString()).toBe("2027-06-30T00:00:00.000Z");
    await sumsAgree();

    const view = await call(scansLoader as Fn, "purchase-orders/WH-PO-1/scans", { number: "WH-PO-1" });
    expect(view.body.accuracy).toEqual({ lines: 3, linesAsExpected: 1, lineAccuracy: 1 / 3, unitsOrdered: 13, unitsGood: 13, unitsDamaged: 1, unitAccuracy: (6 + 4 + 2) / (6 + 5 + 3) });
    const supplier = await call(supplierLoader as Fn, `receiving-accuracy?supplier=${encodeURIComponent("Knit Co")}`, {});
    expect(supplier.body).toMatchObject({ supplier: "Knit Co", orders: ["WH-PO-1"], accuracy: { lines: 3, linesAsExpected: 1 } });
  });

  it("refuses a code not on the order, an unknown order, and an order at an unmanaged location, changing nothing", async () => {
    const before = await onHand("TEE");
    const notOn = await scan("WH-PO-1", { code: "NOPE-1", scanId: "hh1-9" });
    expect(notOn.status).toBe(400);
    expect(notOn.body.error.message).toContain('"NOPE-1" is not a SKU on purchase order WH-PO-1');
    expect((await scan("WH-PO-404", { code: "WH-TEE", scanId: "x" })).status).toBe(404);
    const unmanaged = await scan("WH-PO-DALLAS", { code: "WH-TEE", scanId: "x" });
    expect(unmanaged).toMatchObject({ status: 409, body: { error: { code: "RECEIVING.NOT_MANAGED" } } });
    expect(await onHand("TEE")).toBe(before);
    expect(await onHand("TEE", dallas)).toBe(3);
    expect(await queryNumber(`SELECT COUNT(*) FROM "ReceivingScan" WHERE "shopId" = ? AND "scanId" IN ('hh1-9','x')`, shopId)).toBe(0);
  });

  it("a receipt posted through the inventory API at a managed location lands in the receiving bin too", async () => {
    const r = await call(postReceipt as Fn, "inventory/receipts", {}, { method: "POST", body: { reference: "ERP-77", lines: [{ sku: "WH-CAP", location: LOC, quantity: 1 }] } });
    expect(r.status).toBe(200);
    expect(await inBin("RECEIVING", "CAP")).toBe(5);
    await sumsAgree();
  });
});

describe("putaway", () => {
  it("suggests a bin, refuses the wrong one, moves the units once on the right one, and leaves on hand alone", async () => {
    const { body } = await putaways();
    const tee = body.open.find((p: { sku: string }) => p.sku === "WH-TEE");
    expect(tee).toMatchObject({ quantity: 13, status: "open", lot: "" }); // 7 on the shelves when managed + 6 received
    expect(tee.suggestedBin).toMatch(/^A0\d-0\d-1-[LR]$/);
    const suggestions = body.open.map((p: { suggestedBin: string }) => p.suggestedBin);
    expect(new Set(suggestions).size).toBe(suggestions.length); // no two open putaways sent to one bin

    const wrongBin = tee.suggestedBin === "A03-04-1-L" ? "A03-03-1-L" : "A03-04-1-L";
    const wrong = await confirm(tee.id, { bin: wrongBin, quantity: 13 });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toMatchObject({ code: "PUTAWAY.WRONG_BIN", message: `Wrong bin: you scanned ${wrongBin}, but these 13 units of WH-TEE go to ${tee.suggestedBin}. Nothing was moved.` });
    expect(await inBin(wrongBin, "TEE")).toBe(0);
    expect((await confirm(tee.id, { bin: tee.suggestedBin, quantity: 12 })).body.error.code).toBe("PUTAWAY.QUANTITY_CHANGED");

    const ledger = await binLedgerRows();
    const [a, b] = await Promise.all([confirm(tee.id, { bin: tee.suggestedBin.toLowerCase(), quantity: 13 }), confirm(tee.id, { bin: tee.suggestedBin, quantity: 13 })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.applied, b.body.applied].sort()).toEqual([false, true]);
    expect(await binLedgerRows()).toBe(ledger + 2);
    expect(await inBin(tee.suggestedBin, "TEE")).toBe(13);
    expect(await inBin("RECEIVING", "TEE")).toBe(0);
    expect(await onHand("TEE")).toBe(13);
    expect((await confirm(tee.id, { bin: "A01-01-1-L" })).status).toBe(409);
    expect((await confirm("nope", { bin: "A01-01-1-L" })).status).toBe(404);
    await sumsAgree();
  });

  it("refuses a bin that has no room any more, moves nothing and suggests another", async () => {
    const mug = (await putaways()).body.open.find((p: { sku: string }) => p.sku === "WH-MUG");
    expect(mug).toMatchObject({ quantity: 5, lot: "L7" });
    const target = mug.suggestedBin;
    // The bin shrinks to 3 units (a re-import): 5 no longer fit.
    const bin = (await bins()).body.bins.find((b: { code: string }) => b.code === target);
    expect((await importCsv(`bin,zone,yM,capacity\n${target},${bin.zone},${bin.yM},3\n`)).status).toBe(200);
    const full = await confirm(mug.id, { bin: target, quantity: 5 });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe("PUTAWAY.BIN_FULL");
    expect(full.body.error.message).toContain(`Bin ${target} holds 0 of 3 units now: no room for 5. Nothing was moved. Take them to `);
    expect(await inBin(target, "MUG")).toBe(0);
    const next = (await putaways()).body.open.find((p: { sku: string }) => p.sku === "WH-MUG");
    expect(next.suggestedBin).not.toBe(target);
    expect((await confirm(mug.id, { bin: next.suggestedBin, quantity: 5 })).body).toMatchObject({ applied: true, putaway: { status: "done", bin: next.suggestedBin } });
    await sumsAgree();
  });

  it("never lets a bin go negative or over capacity in the store itself", async () => {
    const binId = (await queryRow<{ id: string }>(`SELECT "id" FROM "WarehouseBin" WHERE "shopId" = ? AND "code" = 'A01-01-1-R'`, shopId))!.id;
    const move = (delta: number, key: string) => database().transaction((tx) => moveBinStock(tx, shopId, { locationId: reno, binId, variantId: variants.CAP, lot: "", delta, reason: "test", idempotencyKey: key }));
    await expect(move(-1, "neg")).rejects.toMatchObject({ code: "BIN.INSUFFICIENT" });
    await expect(move(21, "over")).rejects.toMatchObject({ code: "BIN.OVER_CAPACITY" });
    expect(await queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ? AND "idempotencyKey" IN ('neg','over')`, shopId)).toBe(0);
  });

  it("a layout that would remove bins holding stock is refused", async () => {
    const smaller = await putLayout({ generate: { ...LAYOUT, aisles: 1 } });
    expect(smaller.status).toBe(409);
    expect(smaller.body.error.code).toBe("WAREHOUSE.BINS_HOLD_STOCK");
    expect((await bins()).body.layout.aisles).toBe(3);
  });
});

describe("pick route through stored bins", () => {
  it("resolves bins to their aisle and position and answers like the ad-hoc form", async () => {
    const stored = await route({ location: LOC, bins: ["A03-04-1-L", "a02-01-1-r", "A01-02-1-L"] });
    expect(stored.status).toBe(200);
    const adHoc = await route({ layout: { aisles: 3, aisleLengthM: 6, aisleSpacingM: 4, depot: { aisle: 0, yM: 0 } }, picks: [{ aisle: 2, yM: 4.5 }, { aisle: 1, yM: 1.5 }, { aisle: 0, yM: 2.5 }] });
    expect(stored.body.lengthM).toBe(adHoc.body.lengthM);
    expect(stored.body).toMatchObject({ method: "optimal", exact: true });
    expect(stored.body.sequence.map((s: { bin: string; index: number }) => [s.index, s.bin]).sort()).toEqual([[0, "A03-04-1-L"], [1, "A02-01-1-R"], [2, "A01-02-1-L"]]);
    const unknown = await route({ location: LOC, bins: ["A01-01-1-L", "A09-01-1-L", "B-7"] });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: "PICK_ROUTE.UNKNOWN_BIN", details: { unknownBins: ["A09-01-1-L", "B-7"] } } } });
    expect(unknown.body.error.message).toContain("A09-01-1-L, B-7");
    expect((await route({ location: "82", bins: ["A01-01-1-L"] })).status).toBe(404);
  });
});

describe("ABC slotting from recent orders", () => {
  it("puts a fast mover's putaway nearer the depot than a slow mover's", async () => {
    const ABC = "warehouse-abc.myshopify.com";
    const abcShop = (await ensureShop(ABC)).id;
    const loc = (await addLocation(abcShop, "61", "newark")).id;
    await addSku(abcShop, "ABC-FAST");
    await addSku(abcShop, "ABC-SLOW");
    await addSku(abcShop, "ABC-MID");
    // Sold in the last 30 days: FAST 40 units (A), MID 8 (B: 40/50 = 80 % before it), SLOW 2 (C).
    const placedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await ingestOn(ABC, "manual", channelOrder([{ sku: "ABC-FAST", quantity: 40 }, { sku: "ABC-MID", quantity: 8 }, { sku: "ABC-SLOW", quantity: 2 }], { placedAt }));
    const stored = await storeLayout(abcShop, loc, { generate: { aisles: 3, baysPerAisle: 4, levels: 1, bayWidthM: 1, aisleSpacingM: 4, crossAisleWidthM: 2, capacityPerBin: 20 } });
    await createPurchaseOrder(abcShop, { number: "ABC-1", supplier: "S", location: loc, expectedAt: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), lines: [{ sku: "ABC-SLOW", quantity: 5 }, { sku: "ABC-MID", quantity: 5 }, { sku: "ABC-FAST", quantity: 5 }] });
    for (const sku of ["ABC-SLOW", "ABC-MID", "ABC-FAST"]) await scanAtReceiving(abcShop, "ABC-1", { code: sku, quantity: 5, condition: "good", scanId: sku });
    const { open } = await readPutaways(abcShop, loc);
    const distance = (sku: string) => {
      const a = parseBinCode(open.find((p) => p.sku === sku)!.suggestedBin!)!;
      return travelM(geometryOf(stored.layout), stored.layout.depot, { aisle: a.aisle, yM: 1.5 + (a.bay - 1) * 1 });
    };
    // 24 bins in thirds by distance: A ≤ 8th nearest, C from the 17th.
    expect(distance("ABC-FAST")).toBe(1.5);
    expect(distance("ABC-FAST")).toBeLessThan(distance("ABC-MID"));
    expect(distance("ABC-MID")).toBeLessThan(distance("ABC-SLOW"));
  });
});

