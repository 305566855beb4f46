import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AmazonSandbox } from "./server";
import { listingPath, spClient, startTestSandbox, type ManualClock } from "./test-support";

let sandbox: AmazonSandbox;
let clock: ManualClock;
beforeEach(async () => ({ sandbox, clock } = await startTestSandbox({ visibilityDelayMs: 1000 })));
afterEach(() => sandbox.close());

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.url}/_sandbox${path}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("/_sandbox control API", () => {
  it("seeds listings, creates orders, and reports state and the visibility log", async () => {
    expect((await control("POST", "/listings", { listings: [{ sku: "NEW-1", productType: "SHOES", quantity: 6 }] })).status).toBe(201);
    expect((await control("POST", "/listings", { listings: [{ sku: "NEW-1" }] })).status).toBe(422);
    const order = await control("POST", "/orders", { items: [{ sku: "NEW-1", quantity: 2 }] });
    expect(order.status).toBe(201);
    const orderId = (order.body.order as { AmazonOrderId: string }).AmazonOrderId;
    expect((await control("POST", `/orders/${orderId}/status`, { status: "Shipped" })).status).toBe(200);
    expect((await control("POST", `/orders/${orderId}/status`, { status: "Lost" })).status).toBe(400);
    const state = await control("GET", "/state");
    expect(state.body.listings).toContainEqual({ sku: "NEW-1", productType: "SHOES", acceptedQuantity: 4, visibleQuantity: 4 });
    expect(state.body.orders).toEqual([{ amazonOrderId: orderId, status: "Shipped", items: [{ sku: "NEW-1", quantity: 2, quantityShipped: 2 }], packages: [] }]);
    const log = await control("GET", "/visibility-log?sku=NEW-1");
    expect((log.body.updates as { source: string }[]).map((u) => u.source)).toEqual(["seed", "order"]);
  });

  it("issues access tokens and resets quotas", async () => {
    const token = String((await control("POST", "/access-tokens", {})).body.access_token);
    const get = () => fetch(`${sandbox.url}${listingPath("SKU-1")}`, { headers: { "x-amz-access-token": token } }).then((r) => r.status);
    for (let i = 0; i < 10; i += 1) expect(await get()).toBe(200);
    expect(await get()).toBe(429);
    expect((await control("POST", "/rate-limits/reset", {})).status).toBe(200);
    expect(await get()).toBe(200);
  });

  it("ticks feed processing by the clock", async () => {
    const client = await spClient(sandbox);
    const doc = await client.call<{ feedDocumentId: string; url: string }>("POST", "/feeds/2021-06-30/documents", { contentType: "application/json" });
    await fetch(doc.body.url, { method: "PUT", headers: { "Content-Type": "application/json" }, body: "[]" });
    const feed = await client.call<{ feedId: string }>("POST", "/feeds/2021-06-30/feeds", { feedType: "JSON_LISTINGS_FEED", marketplaceIds: ["ATVPDKIKX0DER"], inputFeedDocumentId: doc.body.feedDocumentId });
    expect((await control("POST", "/tick", {})).body.finished).toEqual([]);
    clock.advance(3000);
    expect((await control("POST", "/tick", {})).body.finished).toEqual([{ feedId: feed.body.feedId, processingStatus: "FATAL" }]);
  });

  it("answers unknown SP-API paths with 404 and wrong methods with 405, in Amazon's error shape", async () => {
    const client = await spClient(sandbox);
    const missing = await client.call<{ errors: { code: string }[] }>("GET", "/catalog/2022-04-01/items/B000");
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe("NotFound");
    const wrong = await client.call<{ errors: { code: string }[] }>("DELETE", "/orders/v0/orders");
    expect(wrong.status).toBe(405);
    expect((await control("GET", "/nothing")).status).toBe(404);
  });
});
