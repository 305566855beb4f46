import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { confirmPutaway, readPutaways } from "~/.server/use-cases/confirm-putaway";
import { storeLayout } from "~/.server/use-cases/manage-warehouse";
import { closePackage, confirmPick, packScan, readPickTasks, releaseWave, type PickLineView } from "~/.server/use-cases/pick-pack-ship";
import { unpickCancelledOrder } from "~/.server/use-cases/unpick-cancelled-order";
import { cancelOrder } from "../../sandbox/shopify/order-factory";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// An order cancelled while it is being picked (or packing) at a managed location (ADR 0033, "Cancelled while picking
// or packed"), through Shopify's orders/cancelled webhook and the real worker: its open pick lines close and leave the
// pick screen, the units it picked wait in STAGING on a putaway from the staging bin with a storage bin suggested,
// its reservation is released, and confirming the putaway returns the units to storage. On hand equals the sum of the
// bins after every step; the webhook delivered twice does all of it once.

const SHOP = "pick-cancel.myshopify.com";
const LAYOUT = { aisles: 3, baysPerAisle: 4, levels: 1, bayWidthM: 1, aisleSpacingM: 4, crossAisleWidthM: 2, capacityPerBin: 20 };

let f: ShopFixture;
let reno: { shopifyId: bigint; id: string };
let loc: string;
let a: Awaited<ReturnType<ShopFixture["skuWithStock"]>>;
let b: Awaited<ReturnType<ShopFixture["skuWithStock"]>>;
let doomed: { id: bigint };
let kept: { id: bigint };
let doomedId: string;
let lines: PickLineView[];

const ledgerRows = () => queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ?`, f.shopId);
const inBin = async (code: string, variantId: string) =>
  Number((await queryRow<{ q: number }>(`SELECT COALESCE(SUM(s."quantity"), 0) AS "q" FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" WHERE b."shopId" = ? AND b."locationId" = ? AND b."code" = ? AND s."variantId" = ?`, f.shopId, reno.id, code, variantId))!.q);
const linesOfDoomed = () => queryRows<{ id: string; picked: number; status: string }>(`SELECT "id","picked","status" FROM "PickLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "id"`, f.shopId, doomedId);

/** The open putaways from the staging bin (the cancelled orders' picked units). */
const stagingPutaways = async () => (await readPutaways(f.shopId, loc)).open.filter((p) => p.from === "STAGING");

/** On hand at the managed location equals the sum of its bins, SKU by SKU. */
async function sumsAgree() {
  for (const item of [a, b]) {
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
  await storeLayout(f.shopId, loc, { generate: LAYOUT });
  // Put away as a worker would; a seeded SKU with more than a bin holds stays in the receiving bin (still a bin).
  for (const p of (await readPutaways(f.shopId, loc)).open) if (p.suggestedBin) await confirmPutaway(f.shopId, loc, p.id, { bin: p.suggestedBin });
  doomed = await f.placeOrder([{ sku: a.sku, quantity: 3 }, { sku: b.sku, quantity: 2 }]);
  kept = await f.placeOrder([{ sku: b.sku, quantity: 1 }]);
  doomedId = (await orderState(f, doomed.id)).orderId;
  const released = await releaseWave(f.shopId, loc, { actor: "test" });
  expect(released.tasks).toHaveLength(1);
  lines = (await readPickTasks(f.shopId, loc)).open[0].lines;
  expect(lines).toHaveLength(3);
  await sumsAgree();
});
afterAll(() => f.close());

describe("an order cancelled while it is being picked", () => {
  it("closes its lines, takes them off the pick screen, releases its reservation and opens a putaway from STAGING for what was picked", async () => {
    const line = lines.find((l) => l.orderId === doomedId && l.sku === a.sku)!;
    // 2 of the 3 units picked: the line stays open with 2 units in STAGING.
    await confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: a.sku, quantity: 2, scanId: "c-1", worker: "ann" });
    expect(await inBin("STAGING", a.variantId)).toBe(2);
    expect(await f.level(a.variantId, "reno")).toEqual({ onHand: 6, reserved: 3 });
    expect(await f.level(b.variantId, "reno")).toEqual({ onHand: 4, reserved: 3 });
    const ledgerBefore = await ledgerRows();

    await f.deliver("orders/cancelled", cancelOrder(f.sandbox.store, SHOP, doomed.id), { eventId: "cancel-1" });

    expect((await orderState(f, doomed.id)).status).toBe("cancelled");
    expect((await linesOfDoomed()).map((l) => [l.status, Number(l.picked)]).sort()).toEqual([["cancelled", 0], ["cancelled", 2]]);
    // Nothing moved yet (the units are still in STAGING, the putaway moves them): no bin ledger row, on hand kept.
    expect(await ledgerRows()).toBe(ledgerBefore);
    expect(await inBin("STAGING", a.variantId)).toBe(2);
    // The reservation is released; the other order keeps its own.
    expect(await f.level(a.variantId, "reno")).toEqual({ onHand: 6, reserved: 0 });
    expect(await f.level(b.variantId, "reno")).toEqual({ onHand: 4, reserved: 1 });
    await sumsAgree();

    // The pick screen shows only the other order's line, and it is next.
    const { open } = await readPickTasks(f.shopId, loc);
    expect(open).toHaveLength(1);
    expect(open[0].lines.map((l) => l.orderId)).toEqual([(await orderState(f, kept.id)).orderId]);
    expect(open[0].next?.sku).toBe(b.sku);

    // A putaway of the 2 staged units, from STAGING, into a suggested storage bin.
    const putaways = await stagingPutaways();
    expect(putaways).toHaveLength(1);
    expect(putaways[0]).toMatchObject({ sku: a.sku, quantity: 2, from: "STAGING", status: "open", reason: null });
    expect(putaways[0].suggestedBin).toMatch(/^A0\d-\d\d-1-[LR]$/);

    const audit = await queryRows<{ data: string }>(`SELECT "data" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'pick.cancelled' AND "subjectId" = ?`, f.shopId, doomedId);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].data)).toEqual({ locationId: reno.id, linesClosed: 2, unitsToPutAway: 2, putawayIds: [putaways[0].id] });
  });

  it("refuses a pick on a cancelled line, changing nothing", async () => {
    const line = lines.find((l) => l.orderId === doomedId && l.sku === b.sku)!;
    const before = await ledgerRows();
    expect(await refused(confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: b.sku, scanId: "c-2" }), "PICK.LINE_CANCELLED")).toContain("its order was cancelled");
    expect(await ledgerRows()).toBe(before);
  });

  it("does it once when the cancel webhook is delivered twice (and when asked again directly)", async () => {
    const ledgerBefore = await ledgerRows();
    const putawaysBefore = await stagingPutaways();
    await f.deliver("orders/cancelled", cancelOrder(f.sandbox.store, SHOP, doomed.id), { eventId: "cancel-2" });
    const again = await database().transaction((tx) => unpickCancelledOrder({ tx, shopId: f.shopId, actor: "test", now: new Date() }, doomedId));
    expect(again).toEqual({ linesClosed: 0, packsCancelled: 0, unitsToPutAway: 0, putawayIds: [] });
    expect(await stagingPutaways()).toEqual(putawaysBefore);
    expect(await ledgerRows()).toBe(ledgerBefore);
    expect(await queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'pick.cancelled'`, f.shopId)).toBe(1);
    expect(await f.level(a.variantId, "reno")).toEqual({ onHand: 6, reserved: 0 });
    await sumsAgree();
  });

  it("confirming the putaway returns the staged units to a storage bin; the units can be picked again", async () => {
    const p = (await stagingPutaways())[0];
    const before = await inBin(p.suggestedBin!, a.variantId);
    await refused(confirmPutaway(f.shopId, loc, p.id, { bin: "STAGING" }), "PUTAWAY.WRONG_BIN");
    const done = await confirmPutaway(f.shopId, loc, p.id, { bin: p.suggestedBin!, worker: "ann" });
    expect(done).toMatchObject({ applied: true, putaway: { status: "done", bin: p.suggestedBin, from: "STAGING" } });
    expect(await inBin("STAGING", a.variantId)).toBe(0);
    expect(await inBin(p.suggestedBin!, a.variantId)).toBe(before + 2);
    expect(await f.level(a.variantId, "reno")).toEqual({ onHand: 6, reserved: 0 });
    await sumsAgree();
    // Confirmed again: nothing moves twice.
    const ledger = await ledgerRows();
    expect((await confirmPutaway(f.shopId, loc, p.id, { bin: p.suggestedBin! })).applied).toBe(false);
    expect(await ledgerRows()).toBe(ledger);
    // All 6 units are pickable again: the cancelled line holds no supply, the staged units are back in storage.
    const next = await f.placeOrder([{ sku: a.sku, quantity: 6 }]);
    const released = await releaseWave(f.shopId, loc, { actor: "test" });
    expect(released.waiting).toEqual([]);
    expect(released.tasks.flatMap((t) => t.orders)).toEqual([(await orderState(f, next.id)).orderId]);
    expect(released.tasks.reduce((n, t) => n + t.units, 0)).toBe(6);
  });
});

describe("an order cancelled while it is being packed", () => {
  it("cancels its pack and puts all its picked units on the staging putaway", async () => {
    // The order left open above (one unit of b): picked in full, one packing scan, then cancelled.
    const keptId = (await orderState(f, kept.id)).orderId;
    const line = (await readPickTasks(f.shopId, loc)).open.flatMap((t) => t.lines).find((l) => l.orderId === keptId)!;
    await confirmPick(f.shopId, loc, line.id, { bin: line.bin, code: b.sku, scanId: "k-1" });
    await packScan(f.shopId, loc, keptId, { code: b.sku, scanId: "kp-1" });
    expect(await inBin("STAGING", b.variantId)).toBe(1);

    await f.deliver("orders/cancelled", cancelOrder(f.sandbox.store, SHOP, kept.id), { eventId: "cancel-kept" });

    expect((await orderState(f, kept.id)).status).toBe("cancelled");
    expect(await queryRow<{ status: string }>(`SELECT "status" FROM "Pack" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, keptId)).toEqual({ status: "cancelled" });
    expect(await queryRow<{ status: string }>(`SELECT "status" FROM "PickLine" WHERE "shopId" = ? AND "id" = ?`, f.shopId, line.id)).toEqual({ status: "cancelled" });
    expect(await refused(closePackage(f.shopId, loc, keptId, { carrier: "UPS", trackingNumber: "1ZKEPT", packages: [{ weightGrams: 100 }] }, { actor: "test" }), "PACK.CANCELLED")).toContain("putaway");
    const open = await stagingPutaways();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ sku: b.sku, quantity: 1, from: "STAGING" });
    expect(await f.level(b.variantId, "reno")).toEqual({ onHand: 4, reserved: 0 });
    await sumsAgree();
    await confirmPutaway(f.shopId, loc, open[0].id, { bin: open[0].suggestedBin! });
    expect(await inBin("STAGING", b.variantId)).toBe(0);
    await sumsAgree();
  });
});
