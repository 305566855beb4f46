import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "~/.server/db/audit";
import { database } from "~/.server/db/database";
import { listChannels } from "~/.server/db/shops";
import { readPutaways, confirmPutaway } from "~/.server/use-cases/confirm-putaway";
import { storeLayout } from "~/.server/use-cases/manage-warehouse";
import { getOrderDetail } from "~/.server/use-cases/get-order-detail";
import { setChannelBuffer } from "~/.server/use-cases/read-channel-stock";
import { sendDueAutomation } from "~/.server/use-cases/send-automation";
import { sweepAutomation } from "~/.server/use-cases/sweep-automation";
import { MERCHANT_HOLD_HANDLE } from "~/domain/integrations/fulfillment-hold";
import { changeReturn } from "~/.server/use-cases/change-return";
import { requestReturn } from "~/.server/use-cases/request-return";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { BACKORDER_HOLD_HANDLE } from "~/domain/fulfillment/fulfillment-order-types";
import { action as orderPageAction } from "~/routes/app.orders.$id";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { queryNumber, queryRows } from "../support/db-query";
import { BROWSER_UA } from "../support/requests";
import { remixRequestHandler } from "../support/remix-app";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Issue 15, the second part (ADR 0037), through the stand-in Shopify and the app's real route table: the triggers
// return requested, return received (with disposition), pick exception (short pick) and stock under a channel's
// buffer are each sent once per event, even when the sending job fails and is retried or runs twice at once; stock
// under a buffer fires once per crossing (not on every push); the actions hold / release an order's fulfillment (in
// the OMS and on Shopify's fulfillment orders) and create a cycle count refuse a bad HMAC (401) and act once however
// often Flow retries a run.

const SHOP = "flow-more.myshopify.com";
const LAYOUT = { aisles: 3, baysPerAisle: 4, levels: 1, bayWidthM: 1, aisleSpacingM: 4, crossAisleWidthM: 2, capacityPerBin: 50 };
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  const handle = await remixRequestHandler();
  f.sandbox.flow.fetch = async (input, init) => handle(new Request(input as string, init)); // Flow's POSTs reach the app's routes
});
afterAll(async () => {
  await f.close();
});

const flowId = (id: bigint | string) => (Number.isSafeInteger(Number(id)) ? Number(id) : String(id));
const triggersOf = (handle: string) => f.sandbox.flow.triggers.filter((t) => t.shop === SHOP && t.handle === handle);
const auditCount = (action: string, subjectId?: string) =>
  queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ? AND "action" = ? ${subjectId ? `AND "subjectId" = ?` : ""}`, f.shopId, action, ...(subjectId ? [subjectId] : []));
/** The automate job's run, its sender's clock past any backoff. */
const automate = async (later: Date) => ({ swept: await sweepAutomation(f.shopId), sent: await sendDueAutomation(f.shopId, { now: () => later }) });
const tick = () => new Promise((r) => setTimeout(r, 5)); // the sweep reads up to now (exclusive)

describe("the new Flow triggers", () => {
  let order: bigint;
  let orderId: string;
  let underSku: Awaited<ReturnType<ShopFixture["skuWithStock"]>>;

  it("sends return requested, return received, short pick and stock under a buffer once each, through a failed send and two senders at once", async () => {
    await sweepAutomation(f.shopId); // the shop starts now
    const item = await f.skuWithStock({ newark: 5 });
    order = (await f.placeOrder([{ sku: item.sku, quantity: 3 }])).id;
    orderId = (await orderState(f, order)).orderId;
    // What the returns core and the pick code write (request-return.ts, change-return.ts; pick.short on the order).
    await audit(database(), f.shopId, "customer", "return.requested", { type: "return", id: "rma-1" }, { number: "R-1001", orderId, source: "portal", units: 3 });
    await audit(database(), f.shopId, "admin", "return.received", { type: "return", id: "rma-1" }, {
      number: "R-1001", from: "in_transit", to: "inspected", orderId, lines: [{ returnLineId: "rl-1", quantity: 2, disposition: "restock" }, { returnLineId: "rl-2", quantity: 1, disposition: "scrap" }],
    });
    await audit(database(), f.shopId, "picker", "pick.short", { type: "order", id: orderId }, { locationId: f.site("newark").id, binId: "bin-1", binCode: "A-01-1", sku: item.sku, shortQuantity: 1, pickLineId: "pl-1" });
    // Stock under the Shopify channel's buffer: 2 sellable, a buffer of 3 for that SKU; the push sees it.
    underSku = await f.skuWithStock({ dallas: 2 });
    const shopify = (await listChannels(database(), f.shopId)).find((c) => c.kind === "shopify")!;
    await setChannelBuffer(f.shopId, shopify.id, { sku: underSku.sku, buffer: { kind: "units", units: 3 } });
    await f.queue.whenIdle(20_000);
    expect(await auditCount("stock.below_buffer", underSku.variantId)).toBe(1);

    await tick();
    await sweepAutomation(f.shopId);
    const down = await sendDueAutomation(f.shopId, { flow: async () => { throw new Error("Shopify is down"); } });
    expect(down.sent).toBe(0);
    expect(down.retrying).toBeGreaterThanOrEqual(4);
    const later = new Date(Date.now() + 3_600_000);
    const [x, y] = await Promise.all([automate(later), automate(later)]);
    expect(x.swept.added + y.swept.added).toBe(0); // the events were planned once already
    expect(x.sent.sent + y.sent.sent).toBe(down.retrying);
    const again = await automate(later);
    expect(again.sent.sent + again.swept.added).toBe(0);

    expect(triggersOf("return-requested").map((t) => t.payload)).toEqual([{ order_id: flowId(order), "Order name": expect.stringMatching(/^#\d+$/), "OMS order id": orderId, "Return number": "R-1001", "Units requested": 3 }]);
    expect(triggersOf("return-received").map((t) => t.payload)).toEqual([expect.objectContaining({ order_id: flowId(order), "Return number": "R-1001", "Units received": 3, Disposition: "restock 2, scrap 1" })]);
    expect(triggersOf("pick-short").map((t) => t.payload)).toEqual([expect.objectContaining({ order_id: flowId(order), SKU: item.sku, Bin: "A-01-1", "Short quantity": 1 })]);
    const product = (await queryRows<{ externalId: string }>(`SELECT p."externalId" FROM "Variant" v JOIN "Product" p ON p."id" = v."productId" WHERE v."id" = ?`, underSku.variantId))[0].externalId;
    expect(triggersOf("stock-under-buffer").filter((t) => t.payload.SKU === underSku.sku).map((t) => t.payload)).toEqual([{ product_id: flowId(product), SKU: underSku.sku, Channel: shopify.name, Available: 2, "Buffer units": 3 }]);
  });

  it("fires the return triggers from the returns core itself: requested, then received with each line's disposition", async () => {
    const item = await f.skuWithStock({ newark: 3 });
    const sold = await f.placeOrder([{ sku: item.sku, quantity: 3 }]);
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, sold.id, { locationId: f.site("newark").shopifyId }));
    const soldId = (await orderState(f, sold.id)).orderId;
    const line = (await queryRows<{ id: string }>(`SELECT "id" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, soldId))[0];
    const asked = await requestReturn(f.shopId, { orderId: soldId, lines: [{ orderLineId: line.id, quantity: 3, reason: "wrong_size" }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    for (const type of ["approve", "mark_in_transit"] as const) expect((await changeReturn(f.shopId, asked.rma.number, { type })).ok).toBe(true);
    const received = await changeReturn(f.shopId, asked.rma.number, { type: "receive", lines: [{ returnLineId: asked.rma.lines[0].id, quantity: 3, disposition: "restock" }] });
    expect(received.ok).toBe(true);
    await f.queue.whenIdle(20_000);
    await tick();
    const later = new Date(Date.now() + 3_600_000);
    await Promise.all([automate(later), automate(later)]);
    const mine = (handle: string) => triggersOf(handle).filter((t) => t.payload.order_id === flowId(sold.id)).map((t) => t.payload);
    expect(mine("return-requested")).toEqual([expect.objectContaining({ "OMS order id": soldId, "Return number": asked.rma.number, "Units requested": 3 })]);
    expect(mine("return-received")).toEqual([expect.objectContaining({ "Return number": asked.rma.number, "Units received": 3, Disposition: "restock 3" })]);
  });

  it("fires stock under a buffer once per crossing: not again while it stays under, again after it went back above", async () => {
    const shopify = (await listChannels(database(), f.shopId)).find((c) => c.kind === "shopify")!;
    const setBuffer = async (units: number) => {
      await setChannelBuffer(f.shopId, shopify.id, { sku: underSku.sku, buffer: { kind: "units", units } });
      await f.queue.whenIdle(20_000);
    };
    await setBuffer(4); // still under (2 ≤ 4): pushed again, nothing new
    await setBuffer(2); // at the buffer: still under
    expect(await auditCount("stock.below_buffer", underSku.variantId)).toBe(1);
    await setBuffer(1); // above again: re-armed
    expect(await auditCount("stock.below_buffer", underSku.variantId)).toBe(1);
    await setBuffer(5); // the second crossing
    await setBuffer(6);
    expect(await auditCount("stock.below_buffer", underSku.variantId)).toBe(2);
    const crossings = await queryRows<{ data: string }>(`SELECT "data" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'stock.below_buffer' AND "subjectId" = ? ORDER BY "createdAt"`, f.shopId, underSku.variantId);
    expect(crossings.map((c) => JSON.parse(c.data).crossing)).toEqual([1, 2]);
    await tick();
    const later = new Date(Date.now() + 7_200_000);
    await Promise.all([automate(later), automate(later)]);
    expect(triggersOf("stock-under-buffer").filter((t) => t.payload.SKU === underSku.sku).map((t) => t.payload["Buffer units"])).toEqual([3, 5]);
  });
});

describe("the new Flow actions", () => {
  let order: bigint;
  let orderId: string;
  const fosOf = (shopifyOrderId: bigint) => [...f.sandbox.store.shop(SHOP).fulfillmentOrders.values()].filter((fo) => fo.orderId === shopifyOrderId);

  it("holds an order's fulfillment: a bad HMAC is refused (401) and changes nothing; a good one holds it once, in the OMS and in Shopify, however often Flow retries", async () => {
    const item = await f.skuWithStock({ newark: 1 });
    const out = await f.skuWithStock({});
    order = (await f.placeOrder([{ sku: item.sku, quantity: 1 }, { sku: out.sku, quantity: 1 }])).id; // one line backordered: Shopify holds it for the routing
    await f.queue.whenIdle(20_000);
    orderId = (await orderState(f, order)).orderId;
    const properties = { order_id: flowId(order), Reason: "Fraud check" };

    const forged = await f.sandbox.flow.runAction({ shop: SHOP, handle: "hold-fulfillment", properties, hmac: "wrong" });
    expect(forged.statuses).toEqual([401]);
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).toBeNull();
    expect(await queryNumber(`SELECT COUNT(*) FROM "FlowActionRun" WHERE "shopId" = ? AND "actionRunId" = ?`, f.shopId, forged.actionRunId)).toBe(0);

    const run = await f.sandbox.flow.runAction({ shop: SHOP, handle: "hold-fulfillment", properties });
    expect(run.statuses).toEqual([200]);
    expect(run.response).toMatchObject({ kind: "held", reason: "Fraud check", shopify: { holdsPlaced: fosOf(order).length } });
    const [r1, r2, r3] = await Promise.all([1, 2, 3].map(() => f.sandbox.flow.runAction({ shop: SHOP, handle: "hold-fulfillment", properties, actionRunId: run.actionRunId })));
    expect([r1, r2, r3].map((r) => r.statuses.at(-1))).toEqual([200, 200, 200]); // a duplicate arriving mid-run gets 503 and Flow's retry the answer
    expect([r1, r2, r3].every((r) => (r.response as { replayed?: boolean }).replayed === true)).toBe(true);
    expect(await auditCount("order.fulfillment_held", orderId)).toBe(1);
    const detail = (await getOrderDetail(f.shopId, orderId))!;
    expect(detail.fulfillmentHold).toMatchObject({ reason: "Fraud check" });
    expect(detail.timeline.some((e) => e.action === "order.fulfillment_held" && e.sentence.includes("Fraud check"))).toBe(true);
    for (const fo of fosOf(order)) {
      expect(fo.status).toBe("ON_HOLD");
      expect(fo.holds.filter((h) => h.handle === MERCHANT_HOLD_HANDLE)).toHaveLength(1);
    }
    expect(fosOf(order).some((fo) => fo.holds.some((h) => h.handle === BACKORDER_HOLD_HANDLE))).toBe(true);
    // Another run holding it again (a second workflow) changes nothing.
    const second = await f.sandbox.flow.runAction({ shop: SHOP, handle: "hold-fulfillment", properties });
    expect(second.response).toMatchObject({ kind: "unchanged", shopify: { holdsPlaced: 0 } });
    expect(await auditCount("order.fulfillment_held", orderId)).toBe(1);
  });

  it("releases it once: the app's own hold goes, the routing's backorder hold stays", async () => {
    const properties = { order_id: `gid://shopify/Order/${order}` };
    expect((await f.sandbox.flow.runAction({ shop: SHOP, handle: "release-fulfillment", properties, hmac: "wrong" })).statuses).toEqual([401]);
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).not.toBeNull();
    const run = await f.sandbox.flow.runAction({ shop: SHOP, handle: "release-fulfillment", properties });
    expect(run.statuses).toEqual([200]);
    expect(run.response).toMatchObject({ kind: "released", heldAt: null });
    const retry = await f.sandbox.flow.runAction({ shop: SHOP, handle: "release-fulfillment", properties, actionRunId: run.actionRunId });
    expect(retry.response).toMatchObject({ kind: "released", replayed: true });
    expect(await auditCount("order.fulfillment_released", orderId)).toBe(1);
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).toBeNull();
    for (const fo of fosOf(order)) expect(fo.holds.some((h) => h.handle === MERCHANT_HOLD_HANDLE)).toBe(false);
    expect(fosOf(order).some((fo) => fo.status === "ON_HOLD" && fo.holds.some((h) => h.handle === BACKORDER_HOLD_HANDLE))).toBe(true);
    expect(fosOf(order).some((fo) => fo.status === "OPEN")).toBe(true);
  });

  it("holds and releases from the order page too, Shopify's fulfillment orders following", async () => {
    const token = mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
    const post = (fields: Record<string, string>) => orderPageAction({
      request: new Request(`http://127.0.0.1/app/orders/${orderId}`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }),
      params: { id: orderId }, context: {},
    });
    expect(await post({ intent: "hold", reason: "Customer called" })).toMatchObject({ holdProblem: null });
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).toMatchObject({ reason: "Customer called" });
    expect(fosOf(order).every((fo) => fo.holds.some((h) => h.handle === MERCHANT_HOLD_HANDLE))).toBe(true);
    expect(await post({ intent: "release" })).toMatchObject({ holdProblem: null });
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).toBeNull();
    expect(fosOf(order).some((fo) => fo.holds.some((h) => h.handle === MERCHANT_HOLD_HANDLE))).toBe(false);
    expect(await auditCount("order.fulfillment_held", orderId)).toBe(2);
  });

  it("refuses for good what it cannot hold (422): no such order, no order given", async () => {
    const none = await f.sandbox.flow.runAction({ shop: SHOP, handle: "hold-fulfillment", properties: { order_id: 999_999_999 } });
    expect(none.statuses).toEqual([422]);
    expect(none.response).toMatchObject({ error: "No order with Shopify id 999999999 in this shop" });
    const bad = await f.sandbox.flow.runAction({ shop: SHOP, handle: "hold-fulfillment", properties: {} });
    expect(bad.statuses).toEqual([422]);
  });

  it("creates a cycle count for a SKU at a managed location once, however often Flow retries; a bad HMAC is refused", async () => {
    const reno = f.site("reno");
    const item = await f.skuWithStock({ reno: 4 });
    await storeLayout(f.shopId, String(reno.shopifyId), { generate: LAYOUT });
    const putaway = (await readPutaways(f.shopId, String(reno.shopifyId))).open.find((p) => p.sku === item.sku)!;
    await confirmPutaway(f.shopId, String(reno.shopifyId), putaway.id, { bin: putaway.suggestedBin! }); // the SKU in a storage bin
    const renoName = (await queryRows<{ name: string }>(`SELECT "name" FROM "Location" WHERE "id" = ?`, reno.id))[0].name;
    const counts = () => queryNumber(`SELECT COUNT(*) FROM "CycleCount" WHERE "shopId" = ?`, f.shopId);
    const before = await counts();
    const properties = { Location: renoName, SKU: item.sku, Bin: "" };

    expect((await f.sandbox.flow.runAction({ shop: SHOP, handle: "create-cycle-count", properties, hmac: "wrong" })).statuses).toEqual([401]);
    expect(await counts()).toBe(before);
    const run = await f.sandbox.flow.runAction({ shop: SHOP, handle: "create-cycle-count", properties });
    expect(run.statuses).toEqual([200]);
    expect(run.response).toMatchObject({ action: "create-cycle-count", locationId: reno.id, created: 1 });
    const opened = await counts();
    expect(opened).toBe(before + 1);
    const [x, y] = await Promise.all([1, 2].map(() => f.sandbox.flow.runAction({ shop: SHOP, handle: "create-cycle-count", properties, actionRunId: run.actionRunId })));
    expect([x.statuses.at(-1), y.statuses.at(-1)]).toEqual([200, 200]);
    expect(await counts()).toBe(opened);

    const unknown = await f.sandbox.flow.runAction({ shop: SHOP, handle: "create-cycle-count", properties: { Location: renoName, SKU: "NO-SUCH-SKU" } });
    expect(unknown.statuses).toEqual([422]);
    expect(await counts()).toBe(opened);
  });
});
