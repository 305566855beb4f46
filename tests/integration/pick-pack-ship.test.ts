import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { addOnHand } from "~/.server/db/pipeline-sql";
import { readPutaways, confirmPutaway } from "~/.server/use-cases/confirm-putaway";
import { storeLayout } from "~/.server/use-cases/manage-warehouse";
import { setOrderFulfillmentHold } from "~/.server/use-cases/hold-order-fulfillment";
import { closePackage, confirmPick, createShopifyFulfillment, packScan, readPack, readPickTasks, releaseWave, reportShortPick, shipPack, type PickLineView } from "~/.server/use-cases/pick-pack-ship";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { action as packAction, loader as packLoader } from "~/routes/app.warehouse_.pack";
import { action as packApi, loader as packApiLoader } from "~/routes/api.v1.warehouses.$location.packs.$orderId";
import { loader as pickTasksApi } from "~/routes/api.v1.warehouses.$location.pick-tasks";
import { action as pickApi } from "~/routes/api.v1.warehouses.$location.picks.$id.$action";
import { action as wavesApi } from "~/routes/api.v1.warehouses.$location.waves";
import { action as pickAction, loader as pickLoader } from "~/routes/app.warehouse_.pick";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { channelOrder, ingestOn } from "../support/catalog";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Pick, pack, ship at a managed location (issue 13 item 6, ADR 0033), against the stand-in Shopify with the real
// worker: a wave released into a pick task in route order; wrong bin / SKU and over-picks refused with nothing
// changed; the same pick confirmed twice applied once; a short pick re-routed with a count requested and an audit
// row; packing verified by scan; the fulfillment created in the stand-in with its tracking; the order shipped; every
// bin movement a ledger row and the location's on hand the sum of its bins after every step.

const SHOP = "pick-pack-ship.myshopify.com";
const LAYOUT = { aisles: 3, baysPerAisle: 4, levels: 1, bayWidthM: 1, aisleSpacingM: 4, crossAisleWidthM: 2, capacityPerBin: 20 };

let f: ShopFixture;
let reno: { shopifyId: bigint; id: string };
let loc: string;
let a: Awaited<ReturnType<ShopFixture["skuWithStock"]>>;
let b: Awaited<ReturnType<ShopFixture["skuWithStock"]>>;
let c: Awaited<ReturnType<ShopFixture["skuWithStock"]>>;
let first: bigint;
let second: bigint;

const ledgerRows = () => queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ?`, f.shopId);
const lineState = (id: string) => queryRow<{ picked: number; short: number; status: string }>(`SELECT "picked","short","status" FROM "PickLine" WHERE "shopId" = ? AND "id" = ?`, f.shopId, id);
const inBin = async (code: string, variantId: string) =>
  Number((await queryRow<{ q: number }>(`SELECT COALESCE(SUM(s."quantity"), 0) AS "q" FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" WHERE b."shopId" = ? AND b."locationId" = ? AND b."code" = ? AND s."variantId" = ?`, f.shopId, reno.id, code, variantId))!.q);

/** On hand at the managed location equals the sum of its bins, SKU by SKU. */
async function sumsAgree() {
  for (const item of [a, b, c]) {
    const onHand = (await f.level(item.variantId, "reno")).onHand;
    const binned = Number((await queryRow<{ q: number }>(`SELECT COALESCE(SUM(s."quantity"), 0) AS "q" FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" WHERE b."shopId" = ? AND b."locationId" = ? AND s."variantId" = ?`, f.shopId, reno.id, item.variantId))!.q);
    expect(binned, `bins of ${item.sku}`).toBe(onHand);
  }
}

async function refused(promise: Promise<unknown>, code: string): Promise<string> {
  const error = (await promise.then(() => null, (e: unknown) => e)) as { code?: string; message?: string } | null;
  expect(error?.code).toBe(code);
  return error!.message!;
}

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  reno = f.site("reno");
  loc = String(reno.shopifyId);
  a = await f.skuWithStock({ reno: 6 });
  b = await f.skuWithStock({ reno: 4 });
  c = await f.skuWithStock({ reno: 2 });
  // Managed: on hand into the receiving bin, then put away bin by bin as a worker would.
  await storeLayout(f.shopId, loc, { generate: LAYOUT });
  for (const p of (await readPutaways(f.shopId, loc)).open) await confirmPutaway(f.shopId, loc, p.id, { bin: p.suggestedBin! });
  await sumsAgree();
  first = (await f.placeOrder([{ sku: a.sku, quantity: 2 }, { sku: b.sku, quantity: 1 }])).id;
  second = (await f.placeOrder([{ sku: c.sku, quantity: 2 }])).id;
  expect((await orderState(f, first)).status).toBe("routed");
  expect((await orderState(f, second)).status).toBe("routed");
  // Dallas gets units of c now (ours and Shopify's): where the short pick is re-routed to.
  await database().transaction((tx) => addOnHand(tx, f.shopId, c.variantId, f.site("dallas").id, 5, "seeded", `seed:${c.variantId}:dallas`));
  f.sandbox.store.stock(f.sandbox.store.shop(SHOP), c.inventoryItemId, f.site("dallas").shopifyId, 5);
});
afterAll(() => f.close());

let lines: PickLineView[];
const lineOf = (sku: string) => lines.find((l) => l.sku === sku)!;

describe("a wave released into a pick task", () => {
  it("puts the routed orders into one task, lines in the order of the drawn route, and moves them to picking", async () => {
    const released = await releaseWave(f.shopId, loc, { actor: "test" });
    expect(released.tasks).toHaveLength(1);
    expect(released.tasks[0]).toMatchObject({ wave: 1, lines: 3, units: 5 });
    expect((await orderState(f, first)).status).toBe("picking");
    expect((await orderState(f, second)).status).toBe("picking");
    const { open } = await readPickTasks(f.shopId, loc);
    expect(open).toHaveLength(1);
    lines = open[0].lines;
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(open[0].next).toEqual(lines[0]);
    expect(open[0].mapSvg).toContain("<svg");
    for (const l of lines) expect(l.bin).toMatch(/^A0\d-\d\d-1-[LR]$/);
    // Releasing again releases nothing: no order is routed any more.
    expect((await releaseWave(f.shopId, loc, { actor: "test" })).tasks).toEqual([]);
  });
});

describe("confirming picks", () => {
  it("refuses the wrong bin, the wrong SKU and an over-pick, changing nothing", async () => {
    const line = lineOf(a.sku);
    const before = await ledgerRows();
    const wrongBin = lines.find((l) => l.bin !== line.bin)?.bin ?? "A03-04-1-R";
    expect(await refused(confirmPick(f.shopId, loc, line.id, { bin: wrongBin, code: a.sku, scanId: "s-1" }), "PICK.WRONG_BIN")).toBe(`Wrong bin: you scanned ${wrongBin}, but this pick is in ${line.bin}. Nothing was picked.`);
    expect(await refused(confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: b.sku, scanId: "s-2" }), "PICK.WRONG_SKU")).toContain(`this pick is ${a.sku}`);
    await refused(confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: a.sku, quantity: 3, scanId: "s-3" }), "PICK.OVER_PICK");
    expect(await ledgerRows()).toBe(before);
    expect(await lineState(line.id)).toMatchObject({ picked: 0, short: 0, status: "open" });
    expect(await queryNumber(`SELECT COUNT(*) FROM "PickScan" WHERE "shopId" = ?`, f.shopId)).toBe(0);
  });

  it("applies two workers confirming the same line once, and the same scan again not at all", async () => {
    const line = lineOf(a.sku);
    const before = await ledgerRows();
    const inBinBefore = await inBin(line.bin, a.variantId);
    const both = await Promise.allSettled([
      confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: a.sku, scanId: "w1-1", worker: "ann" }),
      confirmPick(f.shopId, loc, line.id, { bin: line.bin.toLowerCase(), code: a.sku.toLowerCase(), scanId: "w2-1", worker: "bob" }),
    ]);
    const ok = both.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(1);
    const rejected = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(["PICK.LINE_CLOSED", "PICK.OVER_PICK"]).toContain((rejected.reason as { code: string }).code);
    expect(await lineState(line.id)).toMatchObject({ picked: 2, status: "picked" });
    expect(await ledgerRows()).toBe(before + 2);
    expect(await inBin(line.bin, a.variantId)).toBe(inBinBefore - 2);
    expect(await inBin("STAGING", a.variantId)).toBe(2);
    const winner = (ok[0] as PromiseFulfilledResult<{ applied: boolean }>).value;
    expect(winner.applied).toBe(true);
    const scanId = (await queryRow<{ scanId: string }>(`SELECT "scanId" FROM "PickScan" WHERE "shopId" = ? AND "pickLineId" = ?`, f.shopId, line.id))!.scanId;
    const again = await confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: a.sku, scanId });
    expect(again.applied).toBe(false);
    expect(await ledgerRows()).toBe(before + 2);
    // Reserved stays until shipped: the units are the order's on the cart.
    expect(await f.level(a.variantId, "reno")).toEqual({ onHand: 6, reserved: 2 });
    await sumsAgree();
  });

  it("picks the other line of the first order", async () => {
    const line = lineOf(b.sku);
    const r = await confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: b.sku, scanId: "w1-2", worker: "ann" });
    expect(r).toMatchObject({ applied: true, line: { picked: 1, status: "picked" } });
  });
});

describe("a short pick", () => {
  it("picks what was found, re-routes the rest elsewhere, requests a count of the bin and writes pick.short", async () => {
    const line = lineOf(c.sku);
    const r = await reportShortPick(f.shopId, loc, line.id, { bin: line.bin, found: 1, scanId: "w1-3", worker: "ann" }, { actor: "test" });
    expect(r).toMatchObject({ applied: true, shortQuantity: 1, unitsRerouted: 1, unitsBackordered: 0, line: { picked: 1, short: 1, status: "short" } });
    expect(r.countIds).toHaveLength(1);
    const state = await orderState(f, second);
    expect(state.status).toBe("picking");
    expect(state.allocations).toEqual([[c.sku, "reserved", "dallas", 1], [c.sku, "reserved", "reno", 1]]);
    expect(await f.level(c.variantId, "reno")).toMatchObject({ reserved: 1 });
    const exception = await queryRow<{ shortQuantity: number; countIds: string }>(`SELECT "shortQuantity","countIds" FROM "PickException" WHERE "shopId" = ? AND "pickLineId" = ?`, f.shopId, line.id);
    expect(Number(exception!.shortQuantity)).toBe(1);
    expect(JSON.parse(exception!.countIds)).toEqual(r.countIds);
    const count = await queryRow<{ reason: string; binId: string }>(`SELECT "reason","binId" FROM "CycleCount" WHERE "shopId" = ? AND "id" = ?`, f.shopId, r.countIds[0]);
    expect(count).toMatchObject({ reason: "short_pick" });
    const audit = await queryRow<{ data: string; subjectId: string }>(`SELECT "data","subjectId" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'pick.short'`, f.shopId);
    expect(audit!.subjectId).toBe(state.orderId);
    expect(JSON.parse(audit!.data)).toEqual({ locationId: reno.id, binId: count!.binId, binCode: line.bin, sku: c.sku, shortQuantity: 1, pickLineId: line.id });
    // Reported again: nothing new.
    const again = await reportShortPick(f.shopId, loc, line.id, { bin: line.bin, found: 1, scanId: "w1-3b" }, { actor: "test" });
    expect(again).toMatchObject({ applied: false, shortQuantity: 1 });
    expect(await queryNumber(`SELECT COUNT(*) FROM "PickException" WHERE "shopId" = ?`, f.shopId)).toBe(1);
    // Every line closed: the task is done.
    expect((await readPickTasks(f.shopId, loc)).open).toEqual([]);
    await sumsAgree();
  });
});

describe("pack and ship", () => {
  it("verifies the picked items by scan, refusing anything else, then ships: fulfillment in Shopify, order shipped, staging emptied", async () => {
    const orderId = (await orderState(f, first)).orderId;
    await refused(closePackage(f.shopId, loc, orderId, { carrier: "UPS", trackingNumber: "1ZPACK0001", packages: [{ weightGrams: 900 }] }, { actor: "test" }), "PACK.NOT_VERIFIED");
    expect(await refused(packScan(f.shopId, loc, orderId, { code: c.sku, scanId: "p-0" }), "PACK.WRONG_ITEM")).toContain("was not picked for this order");
    expect(await queryNumber(`SELECT COUNT(*) FROM "Pack" WHERE "shopId" = ?`, f.shopId)).toBe(0);
    await packScan(f.shopId, loc, orderId, { code: a.sku, scanId: "p-1", worker: "cy" });
    await packScan(f.shopId, loc, orderId, { code: a.sku, scanId: "p-1", worker: "cy" }); // the same scan twice: once
    await refused(packScan(f.shopId, loc, orderId, { code: b.sku, quantity: 2, scanId: "p-2" }), "PACK.TOO_MANY");
    expect(await refused(closePackage(f.shopId, loc, orderId, { carrier: "UPS", trackingNumber: "1ZPACK0001", packages: [{ weightGrams: 900 }] }, { actor: "test" }), "PACK.NOT_VERIFIED")).toContain(`${a.sku} ×1, ${b.sku} ×1`);
    await packScan(f.shopId, loc, orderId, { code: a.sku, scanId: "p-3", worker: "cy" });
    const ready = await packScan(f.shopId, loc, orderId, { code: b.sku, scanId: "p-4", worker: "cy" });
    expect(ready).toMatchObject({ ready: true, missing: [], status: "packing" });
    await refused(closePackage(f.shopId, loc, orderId, { carrier: "", trackingNumber: "1ZPACK0001", packages: [] }, { actor: "test" }), "PACK.INVALID");

    const closed = await closePackage(f.shopId, loc, orderId, { carrier: "UPS", trackingNumber: "1ZPACK0001", packages: [{ weightGrams: 900, lengthCm: 30, widthCm: 20, heightCm: 10 }], worker: "cy" }, { actor: "test" });
    expect(closed.applied).toBe(true);
    await f.queue.whenIdle(20_000); // the ship job
    const view = await readPack(f.shopId, loc, orderId);
    expect(view).toMatchObject({ status: "shipped", carrier: "UPS", trackingNumber: "1ZPACK0001", error: null });
    expect((await orderState(f, first)).status).toBe("shipped");
    // In the stand-in store: one fulfillment at reno with the tracking, the order fulfilled, Shopify's on hand down.
    const shop = f.sandbox.store.shop(SHOP);
    const made = [...shop.fulfillments.values()].filter((x) => x.orderId === first);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ locationId: reno.shopifyId, tracking: [{ company: "UPS", number: "1ZPACK0001" }] });
    expect(view.fulfillmentId).toBe(String(made[0].id));
    expect(shop.orders.get(first)!.payload.fulfillment_status).toBe("fulfilled");
    expect(f.sandbox.store.level(shop, a.inventoryItemId, reno.shopifyId)!.quantities.on_hand).toBe(4);
    // Ours: on hand and reserved down, the staging bin emptied by ledger rows, sums agreeing.
    expect(await f.level(a.variantId, "reno")).toEqual({ onHand: 4, reserved: 0 });
    expect(await inBin("STAGING", a.variantId)).toBe(0);
    expect(await queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ? AND "reason" = 'shipped'`, f.shopId)).toBe(2);
    await sumsAgree();
    // Closing again with the same tracking changes nothing; the job again ships nothing twice.
    expect((await closePackage(f.shopId, loc, orderId, { carrier: "UPS", trackingNumber: "1ZPACK0001", packages: [{ weightGrams: 900 }] }, { actor: "test" })).applied).toBe(false);
    const packId = (await queryRow<{ id: string }>(`SELECT "id" FROM "Pack" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, orderId))!.id;
    expect(await shipPack(f.shopId, packId)).toBe("skipped");
    expect([...shop.fulfillments.values()].filter((x) => x.orderId === first)).toHaveLength(1);
    // A lost reply: the job asking Shopify again finds the fulfillment with its tracking number and creates none.
    const lines = (await queryRows<{ externalId: string; quantity: number }>(`SELECT "externalId","quantity" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, orderId)).map((l) => ({ lineExternalId: l.externalId, quantity: Number(l.quantity) }));
    expect(await createShopifyFulfillment(SHOP, String(first), loc, lines, { company: "UPS", number: "1ZPACK0001" })).toBe(String(made[0].id));
    expect([...shop.fulfillments.values()].filter((x) => x.orderId === first)).toHaveLength(1);
  });

  it("records a labour event for every pick confirmation, the pack (with its duration) and the ship", async () => {
    const events = await queryRows<{ kind: string; worker: string; units: number; naturalKey: string; durationMs: number | null }>(`SELECT "kind","worker","units","naturalKey","durationMs" FROM "LabourEvent" WHERE "shopId" = ? ORDER BY "occurredAt", "naturalKey"`, f.shopId);
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === "pick")).toHaveLength(3); // a, b, and the short pick's found unit
    expect(kinds.filter((k) => k === "pack")).toHaveLength(1);
    expect(kinds.filter((k) => k === "ship")).toHaveLength(1);
    const pack = events.find((e) => e.kind === "pack")!;
    expect(pack).toMatchObject({ worker: "cy" });
    expect(Number(pack.units)).toBe(3);
    expect(Number(pack.durationMs)).toBeGreaterThanOrEqual(0);
    for (const e of events.filter((x) => x.kind === "pick")) expect(e.naturalKey).toMatch(/^pick:[^:]+:.+$/);
  });

  it("ships the short-picked order's found unit: partially shipped, the rest reserved at the other location", async () => {
    const orderId = (await orderState(f, second)).orderId;
    await packScan(f.shopId, loc, orderId, { code: c.sku, scanId: "q-1" });
    await closePackage(f.shopId, loc, orderId, { carrier: "USPS", trackingNumber: "9400PACK2", packages: [{ weightGrams: 300 }] }, { actor: "test" });
    await f.queue.whenIdle(20_000);
    const state = await orderState(f, second);
    expect(state.status).toBe("partially_shipped");
    expect(state.allocations).toEqual([[c.sku, "fulfilled", "reno", 1], [c.sku, "reserved", "dallas", 1]]);
    await sumsAgree();
  });
});

describe("the handheld pick and pack screens", () => {
  const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
  type Action = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
  const post = async (fn: Action, path: string, fields: Record<string, string>) =>
    fn({ request: new Request(`http://127.0.0.1:3999${path}`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }), params: {}, context: {} });

  it("release a wave, show the next pick with its map, refuse the wrong bin, pick, verify, close and ship", async () => {
    const third = (await f.placeOrder([{ sku: a.sku, quantity: 1 }])).id;
    expect((await orderState(f, third)).status).toBe("routed");
    const empty = await pickLoader(bearerArgs(`/app/warehouse/pick?location=${reno.id}`, token()));
    expect(empty).toMatchObject({ location: { id: reno.id }, task: null });
    expect(await post(pickAction as Action, "/app/warehouse/pick", { intent: "release", location: reno.id, maxOrders: "0" })).toMatchObject({ ok: false });
    expect(await post(pickAction as Action, "/app/warehouse/pick", { intent: "release", location: reno.id, maxOrders: "5" })).toMatchObject({ ok: true, message: expect.stringContaining("1 order(s), 1 unit(s)") });
    const page = await pickLoader(bearerArgs(`/app/warehouse/pick?location=${reno.id}`, token()));
    const next = page.task!.next!;
    expect(next).toMatchObject({ sku: a.sku, quantity: 1 });
    expect(page.task!.mapSvg).toContain("<svg");
    const wrongBin = next.bin === "A01-01-1-L" ? "A01-02-1-L" : "A01-01-1-L";
    expect(await post(pickAction as Action, "/app/warehouse/pick", { location: reno.id, line: next.id, bin: wrongBin, code: a.sku, scanId: "ui-1" })).toEqual({ ok: false, error: `Wrong bin: you scanned ${wrongBin}, but this pick is in ${next.bin}. Nothing was picked.` });
    expect(await post(pickAction as Action, "/app/warehouse/pick", { location: reno.id, line: next.id, bin: next.bin, code: a.sku, quantity: "1", scanId: "ui-2", worker: "dee" })).toEqual({ ok: true, message: `Picked 1 × ${a.sku} from ${next.bin}. Task done: take the cart to packing.` });

    const orderId = (await orderState(f, third)).orderId;
    const list = await packLoader(bearerArgs(`/app/warehouse/pack?location=${reno.id}`, token()));
    expect(list.ready.map((o) => o.orderId)).toEqual([orderId]);
    expect(await post(packAction as Action, "/app/warehouse/pack", { location: reno.id, order: orderId, code: b.sku, scanId: "ui-p1" })).toMatchObject({ ok: false, error: expect.stringContaining("was not picked for this order") });
    expect(await post(packAction as Action, "/app/warehouse/pack", { location: reno.id, order: orderId, code: a.sku, scanId: "ui-p2" })).toMatchObject({ ok: true, message: expect.stringContaining("Every item verified") });
    expect(await post(packAction as Action, "/app/warehouse/pack", { intent: "close", location: reno.id, order: orderId, weightGrams: "400", carrier: "UPS", trackingNumber: "1ZUI00001", lengthCm: "", widthCm: "", heightCm: "" })).toMatchObject({ ok: true, message: expect.stringContaining("Package closed (UPS 1ZUI00001)") });
    await f.queue.whenIdle(20_000);
    const shipped = await packLoader(bearerArgs(`/app/warehouse/pack?location=${reno.id}&order=${orderId}`, token()));
    expect(shipped.pack).toMatchObject({ status: "shipped", orderStatus: "shipped", trackingNumber: "1ZUI00001" });
    await sumsAgree();
  });
});

describe("the API", () => {
  const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
  type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
  const call = async (fn: Fn, path: string, params: Record<string, string>, body?: unknown) => {
    const response = await fn({ request: new Request(`http://127.0.0.1:3999/api/v1/${path}`, { method: body === undefined ? "GET" : "POST", headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json", "User-Agent": BROWSER_UA }, body: body === undefined ? undefined : JSON.stringify(body) }), params, context: {} });
    return { status: response.status, body: await response.json() };
  };

  it("answers the tasks, waves, picks and packs with the usual error shape", async () => {
    expect(await call(pickTasksApi as Fn, `warehouses/${loc}/pick-tasks`, { location: loc })).toMatchObject({ status: 200, body: { open: [] } });
    expect(await call(wavesApi as Fn, `warehouses/${loc}/waves`, { location: loc }, {})).toEqual({ status: 200, body: { tasks: [], waiting: [] } });
    expect(await call(wavesApi as Fn, `warehouses/${loc}/waves`, { location: loc }, { capacityItems: 0 })).toMatchObject({ status: 400, body: { error: { code: "WAVE.INVALID" } } });
    expect(await call(wavesApi as Fn, "warehouses/nowhere/waves", { location: "nowhere" }, {})).toMatchObject({ status: 404 });
    const notJson = await (wavesApi as Fn)({ request: new Request(`http://127.0.0.1:3999/api/v1/warehouses/${loc}/waves`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json", "User-Agent": BROWSER_UA }, body: "{nope" }), params: { location: loc }, context: {} });
    expect(notJson.status).toBe(400);
    const noBody = await (wavesApi as Fn)({ request: new Request(`http://127.0.0.1:3999/api/v1/warehouses/${loc}/waves`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA } }), params: { location: loc }, context: {} });
    expect(noBody.status).toBe(200);
    expect(await call(pickApi as Fn, `warehouses/${loc}/picks/x/confirm`, { location: loc, id: "x", action: "confirm" }, { bin: "A01-01-1-L" })).toMatchObject({ status: 400, body: { error: { code: "PICK.INVALID" } } });
    expect(await call(pickApi as Fn, `warehouses/${loc}/picks/x/confirm`, { location: loc, id: "x", action: "confirm" }, { bin: "A01-01-1-L", code: a.sku, scanId: "api-1" })).toMatchObject({ status: 404, body: { error: { code: "PICK.LINE_NOT_FOUND" } } });
    const line = lineOf(a.sku);
    expect(await call(pickApi as Fn, `warehouses/${loc}/picks/${line.id}/confirm`, { location: loc, id: line.id, action: "confirm" }, { bin: line.bin, code: a.sku, scanId: "api-2" })).toMatchObject({ status: 409, body: { error: { code: "PICK.LINE_CLOSED" } } });
    const orderId = (await orderState(f, first)).orderId;
    expect(await call(packApiLoader as Fn, `warehouses/${loc}/packs/${orderId}`, { location: loc, orderId })).toMatchObject({ status: 200, body: { status: "shipped", trackingNumber: "1ZPACK0001", items: [{ picked: 2, verified: 2 }, { picked: 1, verified: 1 }] } });
    expect(await call(packApi as Fn, `warehouses/${loc}/packs/${orderId}`, { location: loc, orderId }, { scan: { code: a.sku, scanId: "api-3" } })).toMatchObject({ status: 409, body: { error: { code: "PACK.CLOSED" } } });
    expect(await call(packApi as Fn, `warehouses/${loc}/packs/${orderId}`, { location: loc, orderId }, { nonsense: true })).toMatchObject({ status: 400, body: { error: { code: "PACK.INVALID" } } });
  });
});

describe("an order of another channel", () => {
  it("ships as a shipment we record (ADR 0020): units consumed once, the staging bin emptied, the order shipped", async () => {
    const outcome = await ingestOn(SHOP, "manual", channelOrder([{ sku: b.sku, quantity: 2 }], { externalId: "manual-wh-1" }));
    const orderId = outcome.orderId;
    await f.queue.whenIdle(20_000);
    const status = async () => (await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, f.shopId, orderId))!.status;
    expect(await status()).toBe("routed");
    const released = await releaseWave(f.shopId, loc, { actor: "test" });
    expect(released.tasks.flatMap((t) => t.orders)).toEqual([orderId]);
    const task = (await readPickTasks(f.shopId, loc)).open[0];
    for (const l of task.lines) await confirmPick(f.shopId, loc, l.id, { bin: l.bin, code: l.sku, scanId: `m-${l.id}` });
    await packScan(f.shopId, loc, orderId, { code: b.sku, quantity: 2, scanId: "m-p1" });
    await closePackage(f.shopId, loc, orderId, { carrier: "FedEx", trackingNumber: "7700MANUAL1", packages: [{ weightGrams: 500 }] }, { actor: "test" });
    await f.queue.whenIdle(20_000);
    expect(await status()).toBe("shipped");
    const shipment = await queryRow<{ externalId: string; carrier: string; trackingNumber: string }>(`SELECT "externalId","carrier","trackingNumber" FROM "Shipment" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, orderId);
    expect(shipment).toMatchObject({ carrier: "FedEx", trackingNumber: "7700MANUAL1" });
    expect((await readPack(f.shopId, loc, orderId)).fulfillmentId).toMatch(/^shipment:/);
    expect(await inBin("STAGING", b.variantId)).toBe(0);
    expect(await f.level(b.variantId, "reno")).toEqual({ onHand: 1, reserved: 0 });
    await sumsAgree();
  });
});

describe("an order on a fulfillment hold (ADR 0037)", () => {
  it("stays out of waves until the hold is released", async () => {
    const { orderId } = await ingestOn(SHOP, "manual", channelOrder([{ sku: b.sku, quantity: 1 }], { externalId: "manual-wh-held" }));
    await f.queue.whenIdle(20_000);
    expect(await setOrderFulfillmentHold(f.shopId, orderId, { hold: true, reason: "fraud check" }, { actor: "test" })).toMatchObject({ kind: "held" });
    expect((await releaseWave(f.shopId, loc, { actor: "test" })).tasks).toEqual([]);
    expect((await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, f.shopId, orderId))!.status).toBe("routed");
    expect(await setOrderFulfillmentHold(f.shopId, orderId, { hold: false }, { actor: "test" })).toMatchObject({ kind: "released" });
    expect((await releaseWave(f.shopId, loc, { actor: "test" })).tasks.flatMap((t) => t.orders)).toEqual([orderId]);
  });
});
