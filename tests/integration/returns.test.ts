import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { eraseReturnsOfOrders, saveReturnPolicy, setProductTags } from "~/.server/db/returns-sql";
import { setCarrierPort } from "~/.server/returns/carrier-port";
import { changeReturn } from "~/.server/use-cases/change-return";
import { issueReturnLabel } from "~/.server/use-cases/issue-return-label";
import { getReturnPolicy, updateReturnPolicy } from "~/.server/use-cases/manage-return-policy";
import { requestReturn } from "~/.server/use-cases/request-return";
import { sweepReturnExchanges } from "~/.server/use-cases/return-exchange";
import { defaultReturnPolicy } from "~/domain/returns/policy";
import { action as createReturn, loader as listReturnsLoader } from "~/routes/api.v1.returns";
import { loader as getReturnLoader } from "~/routes/api.v1.returns.$rma";
import { action as returnAction } from "~/routes/api.v1.returns.$rma.$action";
import { loader as labelLoader } from "~/routes/api.v1.returns.$rma.label[.]pdf";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { approveReturn, openReturn, processReturn, shopReturns } from "../../sandbox/shopify/returns";
import { fulfillmentLineItems, orderFulfillments } from "../../sandbox/shopify/views";
import { sandboxCarrier, sandboxTrackingNumber } from "../../sandbox/returns/sandbox-carrier";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture, type Site } from "../support/shop-with-sandbox";

// Returns end to end on the real paths: a customer's request becomes an RMA with a number, a receiving location and a
// label; the merchant approves; the warehouse receives and restocks, and the restocked unit goes to the oldest
// backorder; QC-held units wait until released; an exchange's replacement is reserved at approval and released when
// the return never arrives; bad requests and wrong transitions are refused with nothing changed.

const SHOP = "returns-test.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  setCarrierPort(sandboxCarrier());
  // Receive returns at Newark only, so where stock lands is known.
  await database().transaction((tx) => saveReturnPolicy(tx, f.shopId, { ...defaultReturnPolicy(), receivingLocationIds: [f.site("newark").id] }));
});
afterAll(async () => {
  setCarrierPort(null);
  await f.close();
});

/** An order of `quantity` units shipped from `site`, as our ids. */
async function shippedOrder(sku: string, quantity: number, site: Site = "newark") {
  const order = await f.placeOrder([{ sku, quantity }]);
  await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site(site).shopifyId }));
  const state = await orderState(f, order.id);
  const line = (await queryRow<{ id: string }>(`SELECT "id" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, state.orderId))!;
  return { shopifyId: order.id, orderId: state.orderId, lineId: line.id };
}

const snapshot = async () => ({
  returns: await queryNumber(`SELECT COUNT(*) FROM "ReturnRequest" WHERE "shopId" = ?`, f.shopId),
  lines: await queryRows(`SELECT "id","receivedQuantity","heldQuantity","restockedQuantity" FROM "ReturnLine" WHERE "shopId" = ? ORDER BY "id"`, f.shopId),
  statuses: await queryRows(`SELECT "number","status" FROM "ReturnRequest" WHERE "shopId" = ? ORDER BY "number"`, f.shopId),
  ledger: await queryNumber(`SELECT COUNT(*) FROM "InventoryLedgerEntry" WHERE "shopId" = ?`, f.shopId),
  counter: await queryNumber(`SELECT "nextNumber" FROM "ReturnPolicy" WHERE "shopId" = ?`, f.shopId),
});

describe("returns", () => {
  it("request → label → approve → in transit → receive with restock: the oldest waiting backorder gets the unit", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const waiting = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    expect((await orderState(f, waiting.id)).status).toBe("backordered");

    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    const rma = asked.rma;
    expect(rma.number).toMatch(/^R\d{4,}$/);
    expect(rma.status).toBe("requested");
    expect(rma.receivingLocation).toMatchObject({ id: f.site("newark").id, reason: expect.stringMatching(/^Returns to Newark[^:]*: the only receiving location, \$\d+\.\d\d for 1 unit from \d+ km away\.$/) });
    expect(rma.label).toEqual({ carrier: "Sandbox Parcel", trackingNumber: sandboxTrackingNumber(f.shopId, rma.number), issuedAt: expect.any(String), url: `/api/v1/returns/${rma.number}/label.pdf` });
    const label = await issueReturnLabel(f.shopId, rma.number);
    expect(label.pdf.subarray(0, 5).toString()).toBe("%PDF-");

    // The same request again is the same RMA.
    const again = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], source: "portal" });
    expect(again).toMatchObject({ ok: true, created: false, rma: { number: rma.number } });
    expect(await queryNumber(`SELECT COUNT(*) FROM "ReturnRequest" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, sold.orderId)).toBe(1);

    expect(await changeReturn(f.shopId, rma.number, { type: "approve" })).toMatchObject({ ok: true, rma: { status: "approved" } });
    expect(await changeReturn(f.shopId, rma.number, { type: "mark_in_transit" })).toMatchObject({ ok: true, rma: { status: "in_transit" } });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 0, reserved: 0 });
    const received = await changeReturn(f.shopId, rma.number, { type: "receive", lines: [{ returnLineId: rma.lines[0].id, quantity: 1, disposition: "restock" }] });
    expect(received).toMatchObject({ ok: true, rma: { status: "inspected", lines: [{ received: 1, disposition: "restock", held: 0, restocked: 1 }] } });
    await f.queue.whenIdle(20_000);

    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 1, reserved: 1 });
    expect(await orderState(f, waiting.id)).toMatchObject({ allocations: [[item.sku, "reserved", "newark", 1]] });
    expect(await orderState(f, sold.shopifyId)).toMatchObject({ status: "returned", allocations: [[item.sku, "returned", "newark", 1]] });
    const ledger = await queryRows(`SELECT "delta","reason","refType","refId" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "variantId" = ? AND "reason" = 'returned'`, f.shopId, item.variantId);
    expect(ledger).toEqual([{ delta: 1, reason: "returned", refType: "return", refId: rma.number }]);

    const refunded = await changeReturn(f.shopId, rma.number, { type: "refund" });
    expect(refunded).toMatchObject({ ok: true, rma: { status: "refunded" } });
    const actions = refunded.ok ? refunded.rma.timeline.map((e) => e.action) : [];
    expect(actions.filter((a) => !a.startsWith("return.shopify_"))).toEqual(["return.requested", "return.label_issued", "return.approved", "return.in_transit", "return.received", "return.refunded"]);
    await f.queue.whenIdle(20_000);
    expect((await changeReturn(f.shopId, rma.number, { type: "close", reason: "x" })).ok).toBe(false);
    const mirrored = (await queryRows<{ action: string }>(`SELECT "action" FROM "AuditEvent" WHERE "shopId" = ? AND "subjectType" = 'return' AND "action" LIKE 'return.shopify%' AND "data" LIKE ?`, f.shopId, `%"${rma.number}"%`)).map((r) => r.action).sort();
    expect(mirrored).toEqual(["return.shopify_approved", "return.shopify_processed", "return.shopify_requested"]);
    // Receiving again is a wrong transition: refused, nothing restocked twice.
    expect(await changeReturn(f.shopId, rma.number, { type: "receive", lines: [{ returnLineId: rma.lines[0].id, quantity: 1, disposition: "restock" }] })).toEqual({ ok: false, status: 409, error: "A refunded return cannot be received (only from approved or in_transit)." });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 1, reserved: 1 });
  });

  it("decline: the RMA ends, the units can be asked for again", async () => {
    const item = await f.skuWithStock({ newark: 2 });
    const sold = await shippedOrder(item.sku, 2);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 2, reason: "changed_mind" }], source: "customer_account" });
    if (!asked.ok) throw new Error(asked.error);
    expect(await changeReturn(f.shopId, asked.rma.number, { type: "decline", reason: "" })).toMatchObject({ ok: false, status: 400 });
    const declined = await changeReturn(f.shopId, asked.rma.number, { type: "decline", reason: "Worn" });
    expect(declined).toMatchObject({ ok: true, rma: { status: "declined" } });
    expect(await changeReturn(f.shopId, asked.rma.number, { type: "approve" })).toMatchObject({ ok: false, status: 409 });
    const next = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "damaged" }], source: "admin" });
    expect(next).toMatchObject({ ok: true, created: true });
    expect(next.ok && next.rma.number).not.toBe(asked.rma.number);
  });

  it("QC hold: held units are not on hand until released, then they restock", async () => {
    const item = await f.skuWithStock({ newark: 3 });
    const sold = await shippedOrder(item.sku, 3);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 3, reason: "damaged", condition: "damaged" }], source: "admin" });
    if (!asked.ok) throw new Error(asked.error);
    await changeReturn(f.shopId, asked.rma.number, { type: "approve" });
    const lineId = asked.rma.lines[0].id;
    const received = await changeReturn(f.shopId, asked.rma.number, { type: "receive", lines: [{ returnLineId: lineId, quantity: 3, disposition: "qc_hold" }] });
    expect(received).toMatchObject({ ok: true, rma: { status: "received", lines: [{ received: 3, held: 3, restocked: 0 }] } });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 0, reserved: 0 });
    expect(await changeReturn(f.shopId, asked.rma.number, { type: "refund" })).toMatchObject({ ok: false, status: 409 });
    expect(await changeReturn(f.shopId, asked.rma.number, { type: "release", lines: [{ returnLineId: lineId, quantity: 4, disposition: "restock" }] })).toMatchObject({ ok: false, status: 400 });

    expect(await changeReturn(f.shopId, asked.rma.number, { type: "release", lines: [{ returnLineId: lineId, quantity: 2, disposition: "restock" }] })).toMatchObject({ ok: true, rma: { status: "received", lines: [{ held: 1, restocked: 2 }] } });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 2, reserved: 0 });
    expect(await changeReturn(f.shopId, asked.rma.number, { type: "release", lines: [{ returnLineId: lineId, quantity: 1, disposition: "scrap" }] })).toMatchObject({ ok: true, rma: { status: "inspected", lines: [{ held: 0, restocked: 2 }] } });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 2, reserved: 0 });
  });

  it("exchange: the replacement is reserved at approval and released when the return does not arrive in time", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const other = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size", replacementSku: other.sku }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    expect(await f.level(other.variantId, "newark")).toEqual({ onHand: 1, reserved: 0 });
    const approvedAt = new Date();
    const approved = await changeReturn(f.shopId, asked.rma.number, { type: "approve" }, { now: approvedAt });
    expect(approved).toMatchObject({ ok: true, rma: { status: "approved", exchange: { replacementOrderId: expect.any(String), holdUntil: expect.any(String) }, lines: [{ replacementSku: other.sku }] } });
    expect(await f.level(other.variantId, "newark")).toEqual({ onHand: 1, reserved: 1 });

    expect(await sweepReturnExchanges({ now: new Date(approvedAt.getTime() + 13 * 86_400_000) })).toBe(0);
    expect(await f.level(other.variantId, "newark")).toEqual({ onHand: 1, reserved: 1 });
    expect(await sweepReturnExchanges({ now: new Date(approvedAt.getTime() + 15 * 86_400_000) })).toBe(1);
    expect(await f.level(other.variantId, "newark")).toEqual({ onHand: 1, reserved: 0 });
    const replacement = approved.ok ? approved.rma.exchange!.replacementOrderId! : "";
    expect((await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, f.shopId, replacement))!.status).toBe("cancelled");
    // Arriving late it is a plain return: refunded, not exchanged.
    await changeReturn(f.shopId, asked.rma.number, { type: "receive", lines: [{ returnLineId: asked.rma.lines[0].id, quantity: 1, disposition: "refurbish" }] });
    expect(await changeReturn(f.shopId, asked.rma.number, { type: "refund" })).toMatchObject({ ok: true, rma: { status: "refunded" } });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 0, reserved: 0 }); // refurbish: no sellable stock
  });

  it("an exchange that arrives in time completes as exchanged, its replacement still reserved", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const other = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size", replacementSku: other.sku }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    await changeReturn(f.shopId, asked.rma.number, { type: "approve" });
    await changeReturn(f.shopId, asked.rma.number, { type: "receive", lines: [{ returnLineId: asked.rma.lines[0].id, quantity: 1, disposition: "restock" }] });
    expect(await sweepReturnExchanges({ now: new Date(Date.now() + 30 * 86_400_000) })).toBe(0);
    expect(await changeReturn(f.shopId, asked.rma.number, { type: "refund" })).toMatchObject({ ok: true, rma: { status: "exchanged" } });
    expect(await f.level(other.variantId, "newark")).toEqual({ onHand: 1, reserved: 1 });
    expect(await f.level(item.variantId, "newark")).toEqual({ onHand: 1, reserved: 0 });
  });

  it("bad requests are refused with a clear message and change nothing", async () => {
    const item = await f.skuWithStock({ newark: 2 });
    const sold = await shippedOrder(item.sku, 1);
    const unshipped = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const unshippedLine = (await queryRow<{ id: string }>(`SELECT l."id" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" WHERE o."shopId" = ? AND o."externalId" = ?`, f.shopId, String(unshipped.id)))!.id;
    const before = await snapshot();
    const ask = (lines: { orderLineId: string; quantity: number; reason: string; condition?: string }[], opts?: { now?: Date }, orderId = sold.orderId) => requestReturn(f.shopId, { orderId, lines, source: "portal" }, opts);

    expect(await ask([{ orderLineId: sold.lineId, quantity: 2, reason: "wrong_size" }])).toEqual({ ok: false, status: 422, error: "Return not requested: Line 1: asks to return 2 but only 1 can be returned" });
    expect(await ask([{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], { now: new Date(Date.now() + 31 * 86_400_000) })).toMatchObject({ ok: false, status: 422, error: expect.stringContaining("30-day return window") });
    expect(await ask([{ orderLineId: unshippedLine, quantity: 1, reason: "wrong_size" }], undefined, (await orderState(f, unshipped.id)).orderId)).toMatchObject({ ok: false, status: 422, error: expect.stringContaining("has not shipped") });
    expect(await ask([{ orderLineId: sold.lineId, quantity: 1, reason: "bored" }])).toMatchObject({ ok: false, status: 400, error: expect.stringContaining('reason "bored"') });
    expect(await ask([{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], undefined, "no-such-order")).toMatchObject({ ok: false, status: 404 });
    const product = (await queryRow<{ productId: string }>(`SELECT "productId" FROM "Variant" WHERE "id" = ?`, item.variantId))!.productId;
    await database().transaction((tx) => setProductTags(tx, f.shopId, product, ["final-sale"]));
    expect(await ask([{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }])).toMatchObject({ ok: false, status: 422, error: expect.stringContaining("final sale") });
    await database().transaction((tx) => setProductTags(tx, f.shopId, product, []));

    expect(await changeReturn(f.shopId, "R999999", { type: "approve" })).toMatchObject({ ok: false, status: 404 });
    expect(await snapshot()).toEqual(before);
  });

  it("another shop's RMA is not found", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    const other = await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "id" != ? LIMIT 1`, f.shopId);
    const otherShop = other?.id ?? "shop-that-is-not-this-one";
    expect(await changeReturn(otherShop, asked.rma.number, { type: "approve" })).toEqual({ ok: false, status: 404, error: `No return "${asked.rma.number}" in this shop.` });
    expect(await requestReturn(otherShop, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], source: "portal" })).toMatchObject({ ok: false, status: 404 });
    expect((await queryRow<{ status: string }>(`SELECT "status" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, f.shopId, asked.rma.number))!.status).toBe("requested");
  });
});

describe("returns API", () => {
  const headers = () => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP)}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" });
  const url = (path: string) => `http://127.0.0.1:3999/api/v1/${path}`;
  const answer = async (response: Response) => ({ status: response.status, body: await response.json() });
  const post = async (path: string, body: unknown, params: Record<string, string> = {}) => {
    const request = new Request(url(path), { method: "POST", headers: headers(), body: JSON.stringify(body) });
    return answer(await (path === "returns" ? createReturn : returnAction)({ request, params, context: {} }));
  };

  it("creates, lists, shows, moves on and serves the label; refusals carry the reason", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const created = await post("returns", { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "damaged" }], source: "portal" });
    expect(created).toMatchObject({ status: 201, body: { created: true, rma: { status: "requested", source: "portal" } } });
    const number = created.body.rma.number as string;
    expect(await post("returns", { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "damaged" }] })).toMatchObject({ status: 200, body: { created: false, rma: { number } } });
    expect(await post("returns", { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 5, reason: "damaged" }] })).toMatchObject({ status: 422, body: { error: { code: "RETURN.NOT_ELIGIBLE", message: expect.stringContaining("already returned or on a return") } } });
    expect(await post("returns", { orderId: sold.orderId, lines: [] })).toMatchObject({ status: 400 });

    const listed = await answer(await listReturnsLoader({ request: new Request(url("returns?status=requested"), { headers: headers() }), params: {}, context: {} }));
    expect(listed.status).toBe(200);
    expect(listed.body.returns.map((r: { number: string }) => r.number)).toContain(number);
    expect((await answer(await listReturnsLoader({ request: new Request(url("returns?status=lost"), { headers: headers() }), params: {}, context: {} }))).status).toBe(400);
    const queue = async (site: Site) => (await answer(await listReturnsLoader({ request: new Request(url(`returns?status=approved,requested&location=${f.site(site).id}`), { headers: headers() }), params: {}, context: {} }))).body.returns.map((r: { number: string }) => r.number);
    expect(await queue("newark")).toContain(number);
    expect(await queue("reno")).not.toContain(number);
    expect(await answer(await getReturnLoader({ request: new Request(url(`returns/${number}`), { headers: headers() }), params: { rma: number }, context: {} }))).toMatchObject({ status: 200, body: { rma: { number } } });
    expect((await answer(await getReturnLoader({ request: new Request(url("returns/R1"), { headers: headers() }), params: { rma: "R1" }, context: {} }))).status).toBe(404);

    expect(await post(`returns/${number}/refund`, {}, { rma: number, action: "refund" })).toMatchObject({ status: 409, body: { error: { code: "RETURN.CONFLICT" } } });
    expect(await post(`returns/${number}/approve`, {}, { rma: number, action: "approve" })).toMatchObject({ status: 200, body: { rma: { status: "approved" } } });
    expect(await post(`returns/${number}/in-transit`, {}, { rma: number, action: "in-transit" })).toMatchObject({ status: 200, body: { rma: { status: "in_transit" } } });
    expect((await post(`returns/${number}/receive`, { lines: [{ returnLineId: created.body.rma.lines[0].id, quantity: 1, disposition: "shelf" }] }, { rma: number, action: "receive" })).status).toBe(400);
    expect(await post(`returns/${number}/receive`, { lines: [{ returnLineId: created.body.rma.lines[0].id, quantity: 1, disposition: "restock" }] }, { rma: number, action: "receive" })).toMatchObject({ status: 200, body: { rma: { status: "inspected" } } });
    expect(await post(`returns/${number}/close`, { reason: "Store credit given" }, { rma: number, action: "close" })).toMatchObject({ status: 200, body: { rma: { status: "closed" } } });
    expect((await post(`returns/${number}/teleport`, {}, { rma: number, action: "teleport" })).status).toBe(404);

    const pdf = await labelLoader({ request: new Request(url(`returns/${number}/label.pdf`), { headers: headers() }), params: { rma: number }, context: {} });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe(`Return label ${number}`);
    expect(doc.getSubject()).toContain(sandboxTrackingNumber(f.shopId, number));
  });
});

describe("Shopify's copy of a Shopify order's RMA (the stand-in)", () => {
  const shopifyReturns = () => [...shopReturns(f.sandbox.store.shop(SHOP)).values()];
  const mirror = async (number: string) => {
    await f.queue.whenIdle(20_000);
    return (await queryRow<{ shopifySync: string; shopifyStep: string; shopifyReturnId: string | null; shopifyError: string | null }>(`SELECT "shopifySync","shopifyStep","shopifyReturnId","shopifyError" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, f.shopId, number))!;
  };

  it("a customer's request is returnRequest, then approved, and processed when refunded", async () => {
    const item = await f.skuWithStock({ newark: 2 });
    const sold = await shippedOrder(item.sku, 2);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 2, reason: "wrong_size" }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    const requested = await mirror(asked.rma.number);
    expect(requested).toMatchObject({ shopifySync: "synced", shopifyStep: "requested", shopifyError: null });
    const copy = shopifyReturns().find((r) => `gid://shopify/Return/${r.id}` === requested.shopifyReturnId)!;
    expect(copy).toMatchObject({ orderId: sold.shopifyId, status: "REQUESTED" });
    expect(copy.lines.reduce((s, l) => s + l.quantity, 0)).toBe(2);

    await changeReturn(f.shopId, asked.rma.number, { type: "approve" });
    expect(await mirror(asked.rma.number)).toMatchObject({ shopifySync: "synced", shopifyStep: "approved" });
    expect(copy.status).toBe("OPEN");
    await changeReturn(f.shopId, asked.rma.number, { type: "receive", lines: [{ returnLineId: asked.rma.lines[0].id, quantity: 2, disposition: "restock" }] });
    await changeReturn(f.shopId, asked.rma.number, { type: "refund" });
    expect(await mirror(asked.rma.number)).toMatchObject({ shopifySync: "synced", shopifyStep: "processed" });
    expect(copy).toMatchObject({ status: "CLOSED", lines: [{ processed: 2 }] });
    expect(shopifyReturns().filter((r) => r.orderId === sold.shopifyId)).toHaveLength(1); // every step once
  });

  it("a declined request is returnDeclineRequest; a merchant's return is returnCreate (open at once)", async () => {
    const item = await f.skuWithStock({ newark: 2 });
    const sold = await shippedOrder(item.sku, 2);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], source: "customer_account" });
    if (!asked.ok) throw new Error(asked.error);
    await changeReturn(f.shopId, asked.rma.number, { type: "decline", reason: "Worn" });
    expect(await mirror(asked.rma.number)).toMatchObject({ shopifySync: "synced", shopifyStep: "declined" });
    const merchant = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 2, reason: "damaged" }], source: "admin" });
    if (!merchant.ok) throw new Error(merchant.error);
    expect(await mirror(merchant.rma.number)).toMatchObject({ shopifySync: "synced", shopifyStep: "approved", shopifyError: null });
    expect(shopifyReturns().filter((r) => r.orderId === sold.shopifyId).map((r) => r.status).sort()).toEqual(["DECLINED", "OPEN"]);
  });

  it("the stand-in refuses what Shopify would: unknown ids, more units than shipped, a wrong state", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const ctx = { store: f.sandbox.store, shop: f.sandbox.store.shop(SHOP), apiVersion: "2026-01", searchWarnings: [] };
    const fli = fulfillmentLineItems(ctx, orderFulfillments(ctx, sold.shopifyId)[0])[0];
    expect(openReturn(ctx, "gid://shopify/Order/1", [{ fulfillmentLineItemId: `gid://shopify/FulfillmentLineItem/${fli.id}`, quantity: 1 }], "REQUESTED", "input")).toMatchObject({ ok: false, errors: [{ code: "NOT_FOUND" }] });
    expect(openReturn(ctx, `gid://shopify/Order/${sold.shopifyId}`, [{ fulfillmentLineItemId: `gid://shopify/FulfillmentLineItem/${fli.id}`, quantity: 2 }], "REQUESTED", "input")).toMatchObject({ ok: false, errors: [{ code: "INVALID" }] });
    const opened = openReturn(ctx, `gid://shopify/Order/${sold.shopifyId}`, [{ fulfillmentLineItemId: `gid://shopify/FulfillmentLineItem/${fli.id}`, quantity: 1 }], "OPEN", "returnInput");
    if (!opened.ok) throw new Error("not opened");
    expect(approveReturn(ctx, `gid://shopify/Return/${opened.value.id}`)).toMatchObject({ ok: false, errors: [{ code: "INVALID_STATE" }] });
    expect(processReturn(ctx, `gid://shopify/Return/${opened.value.id}`, [{ id: `gid://shopify/ReturnLineItem/${opened.value.lines[0].id}`, quantity: 2 }])).toMatchObject({ ok: false, errors: [{ code: "INVALID" }] });
    expect(opened.value.status).toBe("OPEN");
  });
});

describe("return policy", () => {
  it("is saved whole or refused whole, and a shorter window refuses what was returnable", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const before = await getReturnPolicy(f.shopId);
    expect(await updateReturnPolicy(f.shopId, { ...before, receivingLocationIds: ["nowhere"] })).toEqual({ ok: false, status: 400, error: 'Return policy not saved: receivingLocationIds: no location "nowhere" in this shop' });
    expect(await updateReturnPolicy(f.shopId, { ...before, windowDays: -3, rmaPrefix: "r1" })).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/windowDays.*rmaPrefix/) });
    expect(await getReturnPolicy(f.shopId)).toEqual(before);
    expect(await updateReturnPolicy(f.shopId, { ...before, windowDays: 0 })).toMatchObject({ ok: true, policy: { windowDays: 0 } });
    const late = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], source: "portal" }, { now: new Date(Date.now() + 60_000) });
    expect(late).toMatchObject({ ok: false, status: 422, error: expect.stringContaining("0-day return window") });
    await updateReturnPolicy(f.shopId, before);
  });
});

describe("redaction", () => {
  it("a redacted customer's RMA loses its note and label, keeps its lines and status", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const sold = await shippedOrder(item.sku, 1);
    const asked = await requestReturn(f.shopId, { orderId: sold.orderId, lines: [{ orderLineId: sold.lineId, quantity: 1, reason: "wrong_size" }], note: "Call me at 555-0100", source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    expect(await database().transaction((tx) => eraseReturnsOfOrders(tx, f.shopId, [sold.orderId]))).toBe(1);
    expect(await queryRow(`SELECT "note","labelPdf","status" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, f.shopId, asked.rma.number)).toEqual({ note: null, labelPdf: null, status: "requested" });
  });
});
