import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { saveReturnPolicy } from "~/.server/db/returns-sql";
import { findShopByDomain } from "~/.server/db/shops";
import { setCarrierPort } from "~/.server/returns/carrier-port";
import { getDashboard } from "~/.server/use-cases/get-dashboard";
import { readPutaways } from "~/.server/use-cases/confirm-putaway";
import { readWarehouse, storeLayout } from "~/.server/use-cases/manage-warehouse";
import { requestReturn } from "~/.server/use-cases/request-return";
import { defaultReturnPolicy } from "~/domain/returns/policy";
import { action as rmaAction, loader as rmaLoader } from "~/routes/app.returns.$rma";
import { loader as queueLoader } from "~/routes/app.returns._index";
import { action as createAction, loader as createLoader } from "~/routes/app.returns.new";
import { loader as comingLoader } from "~/routes/app.coming.$feature";
import { action as receiveAction, loader as receiveLoader } from "~/routes/app.warehouse_.receive";
import { NAV } from "~/routes/app";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { shopReturns } from "../../sandbox/shopify/returns";
import { sandboxCarrier } from "../../sandbox/returns/sandbox-carrier";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { orderState, startShopFixture, type ShopFixture, type Site } from "../support/shop-with-sandbox";

// The admin Returns pages and the warehouse's side of a return (ADR 0035), through their loaders and actions as the
// embedded app calls them: the queue and its filters, a merchant's return, Approve / Decline (with a reason) / Mark in
// transit / Receive (dispositions) / Release / Refund / Close on the RMA page, restocked units landing in the
// receiving bin of a location the warehouse module manages (on hand = the sum of its bins, QC-held units in neither),
// expected returns on the receiving screen, the refund mirrored to Shopify as returnProcess with its financial
// transfer, and the dashboard's return rates. A refused action changes nothing and says why.

const SHOP = "returns-admin.myshopify.com";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
const token = () => mintSessionToken(app, SHOP);
let f: ShopFixture;
let newark: string;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  setCarrierPort(sandboxCarrier());
  newark = f.site("newark").id;
  // Returns come back to Newark, which the warehouse module manages; sold units ship from Dallas.
  await database().transaction((tx) => saveReturnPolicy(tx, f.shopId, { ...defaultReturnPolicy(), receivingLocationIds: [newark] }));
  await storeLayout(f.shopId, newark, { generate: { aisles: 2, baysPerAisle: 3, levels: 1, bayWidthM: 1, aisleSpacingM: 3, capacityPerBin: 50 } });
});
afterAll(async () => {
  setCarrierPort(null);
  await f.close();
});

type Action = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
const post = async (fn: Action, path: string, fields: Record<string, string>, params: Record<string, string> = {}) =>
  fn({ request: new Request(`http://127.0.0.1:3999${path}`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }), params, context: {} });
const onRma = (number: string, fields: Record<string, string>) => post(rmaAction as Action, `/app/returns/${number}`, fields, { rma: number });
const page = async (number: string) => ((await rmaLoader(bearerArgs(`/app/returns/${number}`, token(), { rma: number }))) as Awaited<ReturnType<typeof rmaLoader>>).rma;
const queue = async (query: string) => (await queueLoader(bearerArgs(`/app/returns${query}`, token()))) as Awaited<ReturnType<typeof queueLoader>>;

async function shippedOrder(sku: string, quantity: number, site: Site = "dallas") {
  const order = await f.placeOrder([{ sku, quantity }]);
  await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site(site).shopifyId }));
  const state = await orderState(f, order.id);
  const line = (await queryRow<{ id: string }>(`SELECT "id" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, state.orderId))!;
  const name = (await queryRow<{ name: string }>(`SELECT "name" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, f.shopId, state.orderId))!.name;
  return { shopifyId: order.id, orderId: state.orderId, lineId: line.id, name, price: order.line_items[0].price };
}

/** Newark's view of one SKU: on hand and the sum of its bins (the warehouse module keeps them equal). */
async function newarkStock(sku: string) {
  const totals = (await readWarehouse(f.shopId, newark)).totals.find((t) => t.sku === sku);
  return { onHand: totals?.onHand ?? 0, inBins: totals?.inBins ?? 0 };
}

/**
 * What Newark gained of a SKU since `base` (on hand and in bins). The fixture's skuWithStock sets on hand at every
 * site without touching bins, so the test compares movements: a return's units move both by the same amount.
 */
async function newarkGain(sku: string, base: { onHand: number; inBins: number }) {
  const now = await newarkStock(sku);
  return { onHand: now.onHand - base.onHand, inBins: now.inBins - base.inBins };
}

/** Units of a SKU waiting on Newark's open putaways (restocked returns join them). */
const putawayUnits = async (sku: string) => (await readPutaways(f.shopId, newark)).open.filter((p) => p.sku === sku).reduce((s, p) => s + p.quantity, 0);

const snapshot = async (number: string) => ({
  rma: await queryRow(`SELECT "status","updatedAt","exchangeExpiresAt" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, f.shopId, number),
  lines: await queryRows(`SELECT rl."receivedQuantity",rl."heldQuantity",rl."restockedQuantity",rl."disposition" FROM "ReturnLine" rl JOIN "ReturnRequest" r ON r."id" = rl."returnId" WHERE r."shopId" = ? AND r."number" = ? ORDER BY rl."id"`, f.shopId, number),
  audit: await queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ? AND "subjectType" = 'return'`, f.shopId),
  ledger: await queryNumber(`SELECT COUNT(*) FROM "InventoryLedgerEntry" WHERE "shopId" = ?`, f.shopId),
  bins: await queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ?`, f.shopId),
});

describe("admin Returns pages", () => {
  it("navigation leads to the Returns page; the old 'coming' address redirects there", async () => {
    expect(NAV.find((n) => n.label === "Returns")).toEqual({ to: "/app/returns", label: "Returns" });
    expect(NAV.some((n) => n.to.includes("coming"))).toBe(false);
    const thrown = await comingLoader(bearerArgs("/app/coming/returns", token(), { feature: "returns" })).then(() => null, (r: unknown) => r);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get("location")).toContain("/app/returns");
  });

  it("Create return (source admin) → Approve → Mark in transit → Receive with dispositions into Newark's receiving bin → Release → Refund mirrored with returnProcess and its refund", async () => {
    const item = await f.skuWithStock({ dallas: 3 });
    const base = await newarkStock(item.sku);
    const sold = await shippedOrder(item.sku, 3);

    // The merchant finds the order and starts a return: 3 units, damaged.
    const found = (await createLoader(bearerArgs(`/app/returns/new?order=${encodeURIComponent(sold.name)}`, token()))) as Awaited<ReturnType<typeof createLoader>>;
    expect(found).toMatchObject({ error: null, found: { order: { id: sold.orderId, name: sold.name, lines: [{ orderLineId: sold.lineId, sku: item.sku, shipped: 3, onReturns: 0, returnable: 3 }] } } });
    const refused = await post(createAction as Action, "/app/returns/new", { order: sold.orderId, [`qty:${sold.lineId}`]: "4", [`reason:${sold.lineId}`]: "damaged" });
    expect(refused).toEqual({ ok: false, error: "Return not requested: Line 1: asks to return 4 but only 3 can be returned" });
    expect(await queryNumber(`SELECT COUNT(*) FROM "ReturnRequest" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, sold.orderId)).toBe(0);
    const created = await post(createAction as Action, "/app/returns/new", { order: sold.orderId, [`qty:${sold.lineId}`]: "3", [`reason:${sold.lineId}`]: "damaged", [`condition:${sold.lineId}`]: "opened", note: "Box crushed" });
    expect(created).toBeInstanceOf(Response);
    const number = /\/app\/returns\/([A-Z]+\d+)/.exec((created as Response).headers.get("location") ?? "")![1];
    let rma = await page(number);
    expect(rma).toMatchObject({ status: "requested", source: "admin", note: "Box crushed", receivingLocation: { id: newark }, lines: [{ sku: item.sku, quantity: 3, reason: "damaged", condition: "opened" }] });
    expect(rma.label?.trackingNumber).toBeTruthy();
    const lineId = rma.lines[0].id;

    expect(await onRma(number, { intent: "approve" })).toEqual({ ok: true, message: `Return ${number} approved.` });
    expect(await onRma(number, { intent: "in_transit" })).toEqual({ ok: true, message: `Return ${number} marked in transit.` });

    // The receiving screen at Newark expects it.
    const screen = (await receiveLoader(bearerArgs(`/app/warehouse/receive?location=${newark}`, token()))) as Awaited<ReturnType<typeof receiveLoader>>;
    expect(screen.returns.map((r) => r.number)).toContain(number);

    // Received on the RMA page: 2 restocked, 1 held for QC.
    expect(await onRma(number, { intent: "receive", [`qty:${lineId}`]: "3", [`disposition:${lineId}`]: "qc_hold" })).toMatchObject({ ok: true });
    rma = await page(number);
    expect(rma).toMatchObject({ status: "received", lines: [{ received: 3, disposition: "qc_hold", held: 3, restocked: 0 }] });
    expect(await newarkGain(item.sku, base)).toEqual({ onHand: 0, inBins: 0 }); // held units are neither on hand nor in a bin
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 0, reserved: 0 });

    const putawayBefore = await putawayUnits(item.sku);
    expect(await onRma(number, { intent: "release", [`releaseQty:${lineId}`]: "2", [`releaseDisposition:${lineId}`]: "restock" })).toEqual({ ok: true, message: `Return ${number} released from QC hold.` });
    expect(await newarkGain(item.sku, base)).toEqual({ onHand: 2, inBins: 2 });
    // Into the receiving bin under the on-hand ledger's key, and onto a putaway.
    const binRows = await queryRows(
      `SELECT b."code", e."delta", e."reason", e."refType", e."refId" FROM "BinLedgerEntry" e JOIN "WarehouseBin" b ON b."id" = e."binId" WHERE e."shopId" = ? AND e."variantId" = ? AND e."idempotencyKey" IN (SELECT "idempotencyKey" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "refType" = 'return' AND "refId" = ?)`,
      f.shopId, item.variantId, f.shopId, number,
    );
    expect(binRows).toEqual([{ code: "RECEIVING", delta: 2, reason: "received", refType: "return", refId: number }]);
    expect(await putawayUnits(item.sku)).toBe(putawayBefore + 2);
    expect(await page(number)).toMatchObject({ status: "received", lines: [{ held: 1, restocked: 2 }] });
    expect(await onRma(number, { intent: "release", [`releaseQty:${lineId}`]: "1", [`releaseDisposition:${lineId}`]: "scrap" })).toMatchObject({ ok: true });
    expect(await newarkGain(item.sku, base)).toEqual({ onHand: 2, inBins: 2 });

    // Refund: Shopify's copy (returnCreate, open at once) is processed with the suggested refund of the 3 units.
    expect(await onRma(number, { intent: "refund" })).toEqual({ ok: true, message: `Return ${number} refunded.` });
    await f.queue.whenIdle(20_000);
    const mirror = (await queryRow<{ shopifySync: string; shopifyStep: string; shopifyReturnId: string }>(`SELECT "shopifySync","shopifyStep","shopifyReturnId" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, f.shopId, number))!;
    expect(mirror).toMatchObject({ shopifySync: "synced", shopifyStep: "processed" });
    const copy = [...shopReturns(f.sandbox.store.shop(SHOP)).values()].find((r) => `gid://shopify/Return/${r.id}` === mirror.shopifyReturnId)!;
    const expected = Math.round(Number(sold.price) * 100) * 3;
    expect(copy).toMatchObject({ status: "CLOSED", lines: [{ quantity: 3, processed: 3 }], refunds: [{ parentTransactionId: `gid://shopify/OrderTransaction/${sold.shopifyId}`, amountCents: expected, currencyCode: "USD" }] });
    rma = await page(number);
    const processed = rma.timeline.find((e) => e.action === "return.shopify_processed")!;
    expect(processed.data).toMatchObject({ shopifyStatus: "CLOSED", refund: { amount: (expected / 100).toFixed(2), currencyCode: "USD" } });
    expect(rma.timeline.map((e) => e.action).filter((a) => !a.startsWith("return.shopify_"))).toEqual(["return.requested", "return.label_issued", "return.approved", "return.in_transit", "return.received", "return.released", "return.released", "return.refunded"]);
    // Nothing more to do: a further action is refused.
    expect(await onRma(number, { intent: "close" })).toEqual({ ok: false, error: "A refunded return cannot be closed (only from requested or approved or in_transit or inspected)." });
  });

  it("an exchange completes without a refund: returnProcess carries no financial transfer", async () => {
    const item = await f.skuWithStock({ dallas: 1 });
    const base = await newarkStock(item.sku);
    const other = await f.skuWithStock({ dallas: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size", replacementSku: other.sku }], source: "admin" });
    if (!asked.ok) throw new Error(asked.error);
    const n = asked.rma.number;
    await onRma(n, { intent: "approve" });
    expect(await onRma(n, { intent: "receive", [`qty:${asked.rma.lines[0].id}`]: "1", [`disposition:${asked.rma.lines[0].id}`]: "refurbish" })).toMatchObject({ ok: true });
    expect(await onRma(n, { intent: "refund" })).toEqual({ ok: true, message: `Return ${n} completed as an exchange.` });
    await f.queue.whenIdle(20_000);
    const id = (await queryRow<{ shopifyReturnId: string }>(`SELECT "shopifyReturnId" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, f.shopId, n))!.shopifyReturnId;
    const copy = [...shopReturns(f.sandbox.store.shop(SHOP)).values()].find((r) => `gid://shopify/Return/${r.id}` === id)!;
    expect(copy).toMatchObject({ status: "CLOSED", refunds: [] });
    expect(await newarkGain(item.sku, base)).toEqual({ onHand: 0, inBins: 0 }); // refurbish: no sellable stock
  });

  it("Decline asks a reason: without one nothing changes and the page says why; with one the RMA is declined and Shopify's copy too", async () => {
    const item = await f.skuWithStock({ dallas: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "changed_mind" }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    const n = asked.rma.number;
    await f.queue.whenIdle(20_000);
    const before = await snapshot(n);
    expect(await onRma(n, { intent: "decline", reason: "  " })).toEqual({ ok: false, error: "Say why the return is declined." });
    expect(await onRma(n, { intent: "refund" })).toEqual({ ok: false, error: "A requested return cannot be refunded (only from inspected)." });
    expect(await onRma(n, { intent: "receive", [`qty:${asked.rma.lines[0].id}`]: "1", [`disposition:${asked.rma.lines[0].id}`]: "restock" })).toEqual({ ok: false, error: "A requested return cannot be received (only from approved or in_transit)." });
    expect(await onRma(n, { intent: "teleport" })).toEqual({ ok: false, error: 'No action "teleport" on a return.' });
    expect(await snapshot(n)).toEqual(before);

    expect(await onRma(n, { intent: "decline", reason: "Worn and washed" })).toEqual({ ok: true, message: `Return ${n} declined.` });
    await f.queue.whenIdle(20_000);
    const rma = await page(n);
    expect(rma.status).toBe("declined");
    expect(rma.timeline.find((e) => e.action === "return.declined")).toMatchObject({ actor: "admin", data: { reason: "Worn and washed" } });
    expect(rma.shopify).toMatchObject({ sync: "synced" });
  });

  it("bad receipt figures change nothing and say why; Close from approved", async () => {
    const item = await f.skuWithStock({ dallas: 2 });
    const base = await newarkStock(item.sku);
    const sold = await shippedOrder(item.sku, 2);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 2, reason: "wrong_size" }], source: "admin" });
    if (!asked.ok) throw new Error(asked.error);
    const n = asked.rma.number;
    const line = asked.rma.lines[0].id;
    await onRma(n, { intent: "approve" });
    await f.queue.whenIdle(20_000);
    const before = await snapshot(n);
    expect(await onRma(n, { intent: "receive", [`qty:${line}`]: "two", [`disposition:${line}`]: "restock" })).toEqual({ ok: false, error: `Nothing changed: ${item.sku}: quantity must be a whole number, 0 or more (got "two").` });
    expect(await onRma(n, { intent: "receive", [`qty:${line}`]: "3", [`disposition:${line}`]: "restock" })).toEqual({ ok: false, error: "Receipt not recorded: line 1: 3 is more than the 2 requested." });
    expect(await onRma(n, { intent: "receive", [`qty:${line}`]: "1", [`disposition:${line}`]: "shelf" })).toEqual({ ok: false, error: `Nothing changed: ${item.sku}: no disposition "shelf".` });
    expect(await onRma(n, { intent: "receive", [`qty:${line}`]: "0", [`disposition:${line}`]: "restock" })).toEqual({ ok: false, error: "Nothing received: enter how many units arrived." });
    expect(await snapshot(n)).toEqual(before);
    expect(await newarkGain(item.sku, base)).toEqual({ onHand: 0, inBins: 0 });

    expect(await onRma(n, { intent: "close", reason: "" })).toEqual({ ok: true, message: `Return ${n} closed.` });
    expect((await page(n)).timeline.find((e) => e.action === "return.closed")?.data).toMatchObject({ reason: "Closed by the merchant" });
  });

  it("the receiving screen lists expected returns and receives them with a disposition into the receiving bin; another location's return is refused", async () => {
    const item = await f.skuWithStock({ dallas: 2 });
    const base = await newarkStock(item.sku);
    const sold = await shippedOrder(item.sku, 2);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 2, reason: "wrong_size" }], source: "admin" });
    if (!asked.ok) throw new Error(asked.error);
    const n = asked.rma.number;
    const line = asked.rma.lines[0].id;
    const listed = async () => ((await receiveLoader(bearerArgs(`/app/warehouse/receive?location=${newark}`, token()))) as Awaited<ReturnType<typeof receiveLoader>>).returns.map((r) => r.number);
    expect(await listed()).not.toContain(n); // requested: not expected yet
    await onRma(n, { intent: "approve" });
    expect(await listed()).toContain(n);
    const one = (await receiveLoader(bearerArgs(`/app/warehouse/receive?location=${newark}&rma=${n}`, token()))) as Awaited<ReturnType<typeof receiveLoader>>;
    expect(one.expectedReturn).toMatchObject({ number: n, lines: [{ id: line, sku: item.sku, quantity: 2 }] });

    await f.queue.whenIdle(20_000);
    const before = await snapshot(n);
    expect(await post(receiveAction as Action, "/app/warehouse/receive", { intent: "receiveReturn", rma: n, location: f.site("reno").id, [`qty:${line}`]: "2", [`disposition:${line}`]: "restock" })).toEqual({ ok: false, error: `Return ${n} is to be received at ${asked.rma.receivingLocation!.name}, not here; nothing was received.` });
    expect(await snapshot(n)).toEqual(before);

    expect(await post(receiveAction as Action, "/app/warehouse/receive", { intent: "receiveReturn", rma: n, location: newark, [`qty:${line}`]: "2", [`disposition:${line}`]: "restock" })).toEqual({ ok: true, message: `Return ${n} received: 2 × ${item.sku} restock.` });
    expect(await newarkGain(item.sku, base)).toEqual({ onHand: 2, inBins: 2 });
    expect(await listed()).not.toContain(n);
    expect((await page(n)).timeline.find((e) => e.action === "return.received")?.actor).toBe("warehouse");
    expect(await queryRows(`SELECT "delta","reason" FROM "BinLedgerEntry" WHERE "shopId" = ? AND "idempotencyKey" LIKE ?`, f.shopId, `return:%:${line}:received`)).toEqual([{ delta: 2, reason: "received" }]);
  });

  it("the queue filters by status, reason, date range and RMA or order; a bad filter lists nothing and says why", async () => {
    const item = await f.skuWithStock({ dallas: 2 });
    const sold = await shippedOrder(item.sku, 2);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "not_as_described" }], source: "admin" });
    if (!asked.ok) throw new Error(asked.error);
    const n = asked.rma.number;
    const numbers = async (query: string) => (await queue(query)).returns.map((r) => r.number);
    expect(await numbers("")).toContain(n);
    expect(await numbers("?status=requested")).toContain(n);
    expect(await numbers("?status=approved")).not.toContain(n);
    expect(await numbers("?reason=not_as_described")).toEqual([n]);
    expect(await numbers("?reason=damaged")).not.toContain(n);
    expect(await numbers(`?q=${n.toLowerCase()}`)).toEqual([n]);
    expect(await numbers(`?q=${encodeURIComponent(sold.name)}`)).toEqual([n]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await numbers(`?from=${today}&to=${today}`)).toContain(n);
    expect(await numbers(`?from=${tomorrow}`)).toEqual([]);
    const row = (await queue(`?q=${n}`)).returns[0];
    expect(row).toMatchObject({ number: n, orderName: sold.name, status: "requested", units: 1, reasons: "not_as_described", location: asked.rma.receivingLocation!.name });
    expect(await queue("?from=2026-02-30")).toMatchObject({ returns: [], error: 'From "2026-02-30" is not a calendar day.' });
    expect(await queue(`?from=${tomorrow}&to=${today}`)).toMatchObject({ returns: [], error: "From is after To." });
    expect(await queue("?status=lost")).toMatchObject({ returns: [], error: 'Unknown status "lost".' });
  });

  it("an unknown RMA page is 404", async () => {
    const thrown = await rmaLoader(bearerArgs("/app/returns/R999999", token(), { rma: "R999999" })).then(() => null, (r: unknown) => r);
    expect((thrown as Response).status).toBe(404);
  });
});

describe("dashboard return figures", () => {
  it("per product: units on returns (declined left out) over units shipped, orders of the last 90 days; reasons", async () => {
    const item = await f.skuWithStock({ dallas: 4 });
    const first = await shippedOrder(item.sku, 3);
    const second = await shippedOrder(item.sku, 1);
    const a = await requestReturn(f.shopId, { orderId: first.orderId, lines: [{ orderLineId: first.lineId, quantity: 2, reason: "wrong_size" }], source: "admin" });
    const b = await requestReturn(f.shopId, { orderId: second.orderId, lines: [{ orderLineId: second.lineId, quantity: 1, reason: "damaged" }], source: "portal" });
    if (!a.ok || !b.ok) throw new Error("not requested");
    const product = (await queryRow<{ id: string; title: string }>(`SELECT p."id", p."title" FROM "Product" p JOIN "Variant" v ON v."productId" = p."id" WHERE v."id" = ?`, item.variantId))!;
    const shop = (await findShopByDomain(database(), SHOP))!;
    const row = async () => (await getDashboard(shop)).returns.products.find((p) => p.productId === product.id);
    const shippedOfProduct = await queryNumber(
      `SELECT SUM(a."quantity") FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Variant" v ON v."id" = l."variantId" WHERE a."shopId" = ? AND v."productId" = ? AND a."status" IN ('fulfilled','returned')`,
      f.shopId, product.id,
    );
    const returnedOfProduct = async () => queryNumber(`SELECT SUM(rl."quantity") FROM "ReturnLine" rl JOIN "ReturnRequest" r ON r."id" = rl."returnId" JOIN "Variant" v ON v."id" = rl."variantId" WHERE rl."shopId" = ? AND v."productId" = ? AND r."status" <> 'declined'`, f.shopId, product.id);
    expect(await row()).toEqual({ productId: product.id, title: product.title, shipped: shippedOfProduct, returned: await returnedOfProduct(), rate: (await returnedOfProduct()) / shippedOfProduct });
    expect(shippedOfProduct).toBeGreaterThanOrEqual(4);
    const before = (await row())!.returned;
    expect(await onRma(b.rma.number, { intent: "decline", reason: "Outside policy" })).toMatchObject({ ok: true });
    expect((await row())!.returned).toBe(before - 1);
    const d = await getDashboard(shop);
    expect(d.returns.reasons.map((r) => r.reason)).toContain("wrong_size");
    expect(d.returns.reasons.reduce((s, r) => s + r.units, 0)).toBe(d.returns.returned);
    // Orders placed more than 90 days before are outside the window.
    const later = await getDashboard(shop, new Date(Date.now() + 91 * 86_400_000));
    expect(later.returns).toMatchObject({ shipped: 0, returned: 0, rate: null, products: [], reasons: [] });
  });
});
