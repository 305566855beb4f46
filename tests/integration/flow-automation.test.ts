import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { channelById, listChannels } from "~/.server/db/shops";
import { runAutomation } from "~/.server/use-cases/run-automation";
import { sendDueAutomation } from "~/.server/use-cases/send-automation";
import { sweepAutomation } from "~/.server/use-cases/sweep-automation";
import { queryNumber, queryRows } from "../support/db-query";
import { remixRequestHandler } from "../support/remix-app";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Issue 15, Shopify Flow (ADR 0031), through the stand-in Shopify and the app's real route table: the automate job
// sends each trigger (order routed, split, backordered) once per event even when it runs twice at once and again; a
// stored workflow "when an order is backordered, re-route it excluding Reno" runs end to end — Flow's signed POST to
// /flow/actions/reroute-order re-routes the order without Reno, once, however often Flow retries the run; a request
// with a bad HMAC is refused (401) and changes nothing; the buffer action sets a channel's SKU buffer.

const SHOP = "flow-automation.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  const handle = await remixRequestHandler();
  f.sandbox.flow.fetch = async (input, init) => handle(new Request(input as string, init)); // Flow's POSTs reach the app's routes
});
afterAll(async () => {
  await f.close();
});

/** Shopify's order id as the trigger carries it (a number; exact digits past 2^53, as the stand-in's ids are). */
const flowId = (id: bigint) => (Number.isSafeInteger(Number(id)) ? Number(id) : String(id));
const renoName = async () => (await queryRows<{ name: string }>(`SELECT "name" FROM "Location" WHERE "id" = ?`, f.site("reno").id))[0].name;

describe("Flow triggers and actions", () => {
  let splitOrder: bigint;
  let backorderedOrder: bigint;

  it("sends each trigger once per event, even when the job runs twice at once and again", async () => {
    await sweepAutomation(f.shopId); // the shop starts now
    f.sandbox.flow.addWorkflow({ shop: SHOP, trigger: "order-backordered", action: "reroute-order", properties: { order_id: "{{order_id}}", "Exclude location": await renoName(), Reason: "Reno is closed today" } });
    const spread = await f.skuWithStock({ newark: 1, dallas: 1 });
    const renoOnly = await f.skuWithStock({ reno: 2 });
    splitOrder = (await f.placeOrder([{ sku: spread.sku, quantity: 2 }])).id;
    backorderedOrder = (await f.placeOrder([{ sku: renoOnly.sku, quantity: 3 }])).id;
    expect((await orderState(f, splitOrder)).status).toBe("routed");
    expect((await orderState(f, backorderedOrder)).allocations).toEqual([[renoOnly.sku, "backordered", null, 1], [renoOnly.sku, "reserved", "reno", 2]]);

    await new Promise((r) => setTimeout(r, 5)); // the sweep reads up to now (exclusive)
    const [first, second] = await Promise.all([runAutomation(f.shopId), runAutomation(f.shopId)]);
    expect(first.swept.added + second.swept.added).toBe(3);
    expect(first.sent.sent + second.sent.sent).toBe(3);
    const again = await runAutomation(f.shopId);
    expect(again.swept.added + again.sent.sent).toBe(0);

    const triggers = f.sandbox.flow.triggers.filter((t) => t.shop === SHOP);
    expect(triggers.map((t) => t.handle).sort()).toEqual(["order-backordered", "order-routed", "order-split"]);
    const split = triggers.find((t) => t.handle === "order-split")!;
    expect(split.payload).toMatchObject({ order_id: flowId(splitOrder), "Order name": expect.stringMatching(/^#\d+$/), "Location count": 2, Currency: "USD" });
    expect(String(split.payload["Location names"]).split(", ")).toHaveLength(2);
    expect(split.payload["Landed cost"]).toBeGreaterThan(0);
    expect(triggers.find((t) => t.handle === "order-backordered")!.payload).toMatchObject({ order_id: flowId(backorderedOrder), "Units backordered": 1 });
    const rows = await queryRows<{ status: string; attempts: number }>(`SELECT "status","attempts" FROM "AutomationDelivery" WHERE "shopId" = ? AND "target" = 'flow'`, f.shopId);
    expect(rows.map((r) => [r.status, Number(r.attempts)])).toEqual([["sent", 1], ["sent", 1], ["sent", 1]]);
  });

  it("runs the stored workflow: the backordered order is re-routed without Reno, once, even when Flow retries the run", async () => {
    await f.sandbox.flow.idle();
    await f.queue.whenIdle(20_000);
    const run = f.sandbox.flow.runs.find((r) => r.handle === "reroute-order")!;
    expect(run.response).toMatchObject({ kind: "rerouted" });
    expect(run.statuses).toEqual([200]);
    expect(run.properties).toMatchObject({ order_id: flowId(backorderedOrder), "Exclude location": await renoName() });
    const state = await orderState(f, backorderedOrder);
    expect(state.allocations.every(([, status, site]) => !(status === "reserved" && site === "reno"))).toBe(true);
    expect(state.allocations).toEqual([[state.lines[0][0], "backordered", null, 3]]); // Reno held the only stock
    const rerouted = () => queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'order.rerouted' AND "subjectId" = ?`, f.shopId, state.orderId);
    expect(await rerouted()).toBe(1);

    const retry = await f.sandbox.flow.runAction({ shop: SHOP, handle: "reroute-order", properties: run.properties, actionRunId: run.actionRunId });
    expect(retry.statuses).toEqual([200]);
    expect(retry.response).toMatchObject({ kind: "rerouted", replayed: true });
    const [x, y] = await Promise.all([1, 2].map(() => f.sandbox.flow.runAction({ shop: SHOP, handle: "reroute-order", properties: run.properties, actionRunId: run.actionRunId })));
    expect([...x.statuses, ...y.statuses]).toEqual([200, 200]);
    expect(await rerouted()).toBe(1);
    expect(await queryNumber(`SELECT COUNT(*) FROM "FlowActionRun" WHERE "shopId" = ?`, f.shopId)).toBe(1);
  });

  it("refuses a request whose HMAC does not match (401) and does nothing", async () => {
    const before = await queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ?`, f.shopId);
    const run = await f.sandbox.flow.runAction({ shop: SHOP, handle: "reroute-order", properties: { order_id: flowId(splitOrder) }, hmac: "wrong" });
    expect(run.statuses).toEqual([401]);
    expect(await queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ?`, f.shopId)).toBe(before);
    expect(await queryNumber(`SELECT COUNT(*) FROM "FlowActionRun" WHERE "shopId" = ? AND "actionRunId" = ?`, f.shopId, run.actionRunId)).toBe(0);
  });

  it("refuses for good what it cannot do (422, the same on a retry), and 404s an unknown action", async () => {
    const picked = await f.sandbox.flow.runAction({ shop: SHOP, handle: "reroute-order", properties: { order_id: 999_999_999, "Exclude location": "" } });
    expect(picked.statuses).toEqual([422]);
    expect(picked.response).toMatchObject({ error: "No order with Shopify id 999999999 in this shop" });
    const again = await f.sandbox.flow.runAction({ shop: SHOP, handle: "reroute-order", properties: { order_id: 999_999_999 }, actionRunId: picked.actionRunId });
    expect(again.statuses).toEqual([422]);
    expect(again.response).toMatchObject({ replayed: true });
    expect((await f.sandbox.flow.runAction({ shop: SHOP, handle: "explode-order", properties: {} })).statuses).toEqual([404]);
    expect((await f.sandbox.flow.runAction({ shop: "nobody.myshopify.com", handle: "reroute-order", properties: { order_id: 1 } })).statuses).toEqual([404]);
  });

  it("sets a channel's buffer for a SKU", async () => {
    const shopify = (await listChannels(database(), f.shopId)).find((c) => c.kind === "shopify")!;
    const sku = (await queryRows<{ sku: string }>(`SELECT "sku" FROM "Variant" WHERE "shopId" = ? AND "sku" IS NOT NULL ORDER BY "sku" LIMIT 1`, f.shopId))[0].sku;
    const run = await f.sandbox.flow.runAction({ shop: SHOP, handle: "set-channel-buffer", properties: { Channel: shopify.name, SKU: sku, "Buffer units": 4 } });
    expect(run.statuses).toEqual([200]);
    expect(JSON.parse((await channelById(database(), f.shopId, shopify.id))!.config)).toMatchObject({ skuBuffers: { [sku]: { kind: "units", units: 4 } } });
    const bad = await f.sandbox.flow.runAction({ shop: SHOP, handle: "set-channel-buffer", properties: { Channel: "No such channel", "Buffer units": 4 } });
    expect(bad.statuses).toEqual([422]);
  });

  it("lists what Shopify received through the stand-in's control API, and a trigger Shopify refuses is retried, not lost", async () => {
    const listed = (await (await fetch(`${f.sandbox.url}/_sandbox/flow/triggers?shop=${SHOP}`)).json()) as { triggers: { handle: string }[] };
    expect(listed.triggers.map((t) => t.handle).sort()).toEqual(["order-backordered", "order-routed", "order-split"]);
    // A sender whose Shopify call fails leaves the trigger pending with its error; the next run sends it once.
    const spread = await f.skuWithStock({ newark: 1, dallas: 1 });
    await f.placeOrder([{ sku: spread.sku, quantity: 2 }]);
    await new Promise((r) => setTimeout(r, 5));
    await sweepAutomation(f.shopId);
    const down = await sendDueAutomation(f.shopId, { flow: async () => { throw new Error("Shopify is down"); } });
    expect(down).toMatchObject({ sent: 0, retrying: 2 });
    const later = new Date(Date.now() + 3_600_000);
    expect(await sendDueAutomation(f.shopId, { now: () => later })).toMatchObject({ sent: 2 });
    expect(f.sandbox.flow.triggers.filter((t) => t.shop === SHOP)).toHaveLength(5);
  });
});
