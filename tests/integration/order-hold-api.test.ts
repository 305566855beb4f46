import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getOrderDetail } from "~/.server/use-cases/get-order-detail";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { rerouteOrder } from "~/.server/use-cases/reroute-order";
import { MERCHANT_HOLD_HANDLE } from "~/domain/integrations/fulfillment-hold";
import { action as holdAction } from "~/routes/api.v1.orders.$id.hold";
import { action as releaseAction } from "~/routes/api.v1.orders.$id.release";
import { action as orderPageAction } from "~/routes/app.orders.$id";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { queryNumber } from "../support/db-query";
import { BROWSER_UA } from "../support/requests";
import { remixRequestHandler } from "../support/remix-app";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Issue 15's gaps in the fulfillment hold (ADR 0038): POST /api/v1/orders/:id/hold (reason required) and /release
// with an API key (a read-only key refused), idempotent; the order page's Hold asks for a reason; and a routing
// change made while the app's hold is on a Shopify fulfillment order reaches Shopify when the hold is released.

const SHOP = "hold-api.myshopify.com";
let f: ShopFixture;
let writeKey: string;
let readKey: string;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  writeKey = (await createApiKey(f.shopId, { name: "ERP", scope: "write" })).text;
  readKey = (await createApiKey(f.shopId, { name: "BI", scope: "read" })).text;
});
afterAll(async () => {
  await f.close();
});

const fosOf = (shopifyOrderId: bigint) => [...f.sandbox.store.shop(SHOP).fulfillmentOrders.values()].filter((fo) => fo.orderId === shopifyOrderId && fo.status !== "CLOSED");
const heldCount = (orderId: string) => queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'order.fulfillment_held' AND "subjectId" = ?`, f.shopId, orderId);
const releasedCount = (orderId: string) => queryNumber(`SELECT COUNT(*) FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'order.fulfillment_released' AND "subjectId" = ?`, f.shopId, orderId);

async function call(route: typeof holdAction, orderId: string, key: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const request = new Request(`http://127.0.0.1/api/v1/orders/${orderId}/x`, {
    method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = (await route({ request, params: { id: orderId }, context: {} })) as Response;
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("the fulfillment hold through the REST API", () => {
  let order: bigint;
  let orderId: string;

  it("holds with a reason, once however often it is sent; a read-only key and a missing reason are refused and change nothing", async () => {
    const item = await f.skuWithStock({ newark: 2, dallas: 2, reno: 2 });
    order = (await f.placeOrder([{ sku: item.sku, quantity: 1 }])).id;
    await f.queue.whenIdle(20_000);
    orderId = (await orderState(f, order)).orderId;

    const readOnly = await call(holdAction, orderId, readKey, { reason: "Fraud check" });
    expect(readOnly.status).toBe(403);
    expect(readOnly.json).toMatchObject({ error: { code: "AUTH.READ_ONLY_KEY" } });
    for (const body of [{}, { reason: "   " }, { reason: 42 }, { reason: "x".repeat(201) }]) {
      expect((await call(holdAction, orderId, writeKey, body)).status).toBe(400);
    }
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).toBeNull();
    expect(await heldCount(orderId)).toBe(0);
    expect((await call(holdAction, "no-such-order", writeKey, { reason: "x" })).status).toBe(404);

    const held = await call(holdAction, orderId, writeKey, { reason: "Fraud check" });
    expect(held.status).toBe(200);
    expect(held.json).toMatchObject({ changed: true, order: { id: orderId, fulfillmentHold: { reason: "Fraud check" } }, shopify: { holdsPlaced: 1 } });
    const again = await call(holdAction, orderId, writeKey, { reason: "Fraud check" });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ changed: false, order: { fulfillmentHold: { reason: "Fraud check" } }, shopify: { holdsPlaced: 0 } });
    // The app's route table serves the path as documented.
    const handle = await remixRequestHandler();
    const viaApp = await handle(new Request(`http://127.0.0.1:3999/api/v1/orders/${orderId}/hold`, {
      method: "POST", headers: { Authorization: `Bearer ${writeKey}`, "Content-Type": "application/json" }, body: JSON.stringify({ reason: "Fraud check" }),
    }));
    expect(viaApp.status).toBe(200);
    expect(await viaApp.json()).toMatchObject({ changed: false });
    expect(await heldCount(orderId)).toBe(1);
    expect(fosOf(order).every((fo) => fo.status === "ON_HOLD" && fo.holds.filter((h) => h.handle === MERCHANT_HOLD_HANDLE).length === 1)).toBe(true);
  });

  it("on release, a routing change made during the hold reaches Shopify; released twice changes nothing", async () => {
    const [fo] = fosOf(order);
    const sites = (["newark", "dallas", "reno"] as const).map((name) => f.site(name));
    const from = sites.find((s) => s.shopifyId === fo.locationId)!;
    // Re-routed away from its location while held: the apply-routing job skips the FO the app holds (HELD_BY_OTHERS).
    const rerouted = await rerouteOrder(f.shopId, orderId, { excludeLocationIds: [from.id], actor: "test" });
    expect(rerouted).toMatchObject({ kind: "rerouted", unitsBackordered: 0 });
    const to = sites.find((s) => s.id === (rerouted as { locations: string[] }).locations[0])!;
    expect(to.id).not.toBe(from.id);
    await f.queue.whenIdle(20_000);
    expect(fosOf(order).map((x) => x.locationId)).toEqual([from.shopifyId]);

    const released = await call(releaseAction, orderId, writeKey);
    expect(released.status).toBe(200);
    expect(released.json).toMatchObject({ changed: true, order: { fulfillmentHold: null }, shopify: { holdsReleased: 1 } });
    expect((released.json.shopify as { routingReapplied: number }).routingReapplied).toBeGreaterThan(0);
    const open = fosOf(order);
    expect(open.map((x) => x.locationId)).toEqual([to.shopifyId]);
    expect(open.every((x) => x.status === "OPEN" && x.holds.length === 0)).toBe(true);

    const again = await call(releaseAction, orderId, writeKey);
    expect(again.json).toMatchObject({ changed: false, shopify: { holdsReleased: 0, routingReapplied: 0 } });
    expect(await releasedCount(orderId)).toBe(1);
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).toBeNull();
  });

  it("the order page's Hold asks for a reason: none is refused, the reason given is kept and shown", async () => {
    const token = mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
    const post = (fields: Record<string, string>) => orderPageAction({
      request: new Request(`http://127.0.0.1/app/orders/${orderId}`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }),
      params: { id: orderId }, context: {},
    });
    expect(await post({ intent: "hold" })).toMatchObject({ holdProblem: "Enter a reason for the hold." });
    expect(await post({ intent: "hold", reason: "  " })).toMatchObject({ holdProblem: "Enter a reason for the hold." });
    expect((await getOrderDetail(f.shopId, orderId))!.fulfillmentHold).toBeNull();
    expect(await post({ intent: "hold", reason: "Address to confirm" })).toMatchObject({ holdProblem: null });
    const detail = (await getOrderDetail(f.shopId, orderId))!;
    expect(detail.fulfillmentHold).toMatchObject({ reason: "Address to confirm" });
    expect(detail.timeline.some((e) => e.action === "order.fulfillment_held" && e.sentence.includes("Address to confirm"))).toBe(true);
  });
});
