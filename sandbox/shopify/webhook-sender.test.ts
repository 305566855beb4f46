import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ID_BASE } from "./ids";
import { SandboxStore } from "./store";
import { demoShopSeed } from "./demo-catalog";
import { orderFactory } from "./order-factory";
import { WebhookSender } from "./webhook-sender";

const SECRET = "whsec-test";
interface Received { url: string; headers: IncomingHttpHeaders; body: string }

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = undefined;
});

/** A receiving app: records raw bodies; answers with the next status from `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, received };
}

function verifies(r: Received, secret = SECRET): boolean {
  const expected = createHmac("sha256", secret).update(r.body, "utf8").digest();
  const given = Buffer.from(String(r.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("webhook sender", () => {
  it("signs the raw body and keeps 64-bit ids byte-exact", async () => {
    const app = await receiver();
    const store = new SandboxStore();
    store.addShop(demoShopSeed());
    const order = orderFactory(store, "demo-oms.myshopify.com", 7).create();
    expect(order.id > ID_BASE).toBe(true);
    const sender = new WebhookSender({ appUrl: app.url, apiSecret: SECRET });
    const result = await sender.deliver({ shop: "demo-oms.myshopify.com", topic: "orders/create", payload: order });

    const [r] = app.received;
    expect(r.url).toBe("/webhooks/orders_create");
    expect(verifies(r)).toBe(true);
    expect(r.body).toBe(result.body);
    expect(r.body).toContain(`"id":${order.id},"admin_graphql_api_id":"gid://shopify/Order/${order.id}"`);
    expect(r.body).toContain(`"variant_id":${order.line_items[0].variant_id}`);
    expect(String(JSON.parse(r.body).id)).not.toBe(order.id.toString()); // a careless JSON.parse rounds it; the raw bytes do not
    expect(r.headers).toMatchObject({
      "content-type": "application/json", "x-shopify-topic": "orders/create", "x-shopify-shop-domain": "demo-oms.myshopify.com",
      "x-shopify-api-version": "2026-01", "x-shopify-event-id": result.eventId, "x-shopify-webhook-id": result.webhookIds[0],
    });
    expect(Number.isNaN(Date.parse(String(r.headers["x-shopify-triggered-at"])))).toBe(false);
  });

  it("duplicates share X-Shopify-Event-Id and get their own X-Shopify-Webhook-Id", async () => {
    const app = await receiver();
    const sender = new WebhookSender({ appUrl: app.url, apiSecret: SECRET });
    const result = await sender.deliver({ shop: "s.myshopify.com", topic: "app/uninstalled", payload: { id: 1 }, copies: 3 });
    expect(app.received.map((r) => r.url)).toEqual(Array(3).fill("/webhooks/app_uninstalled"));
    expect(new Set(app.received.map((r) => r.headers["x-shopify-event-id"]))).toEqual(new Set([result.eventId]));
    expect(new Set(app.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(3);
  });

  it("retries non-2xx answers with the same X-Shopify-Webhook-Id and records each attempt", async () => {
    const app = await receiver([500, 503]);
    const sender = new WebhookSender({ appUrl: app.url, apiSecret: SECRET });
    const result = await sender.deliver({
      shop: "s.myshopify.com", topic: "customers/redact", payload: { shop_id: 1 }, retryUntilOk: { attempts: 5, delaysMs: [5, 10] },
    });
    expect(result.attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 500], [2, 503], [3, 200]]);
    expect(result.ok).toBe(true);
    expect(new Set(app.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    expect(app.received[0].url).toBe("/webhooks/customers_redact");
    expect(sender.log).toHaveLength(3);
    expect(result.attempts.every((a) => a.ms >= 0)).toBe(true);
  });

  it("can send a wrong or missing HMAC", async () => {
    const app = await receiver();
    const sender = new WebhookSender({ appUrl: app.url, apiSecret: SECRET });
    await sender.deliver({ shop: "s.myshopify.com", topic: "orders/create", payload: { id: 1 }, hmac: "wrong" });
    await sender.deliver({ shop: "s.myshopify.com", topic: "orders/create", payload: { id: 1 }, hmac: "missing" });
    expect(verifies(app.received[0])).toBe(false);
    expect(app.received[0].headers["x-shopify-hmac-sha256"]).toBeDefined();
    expect(app.received[1].headers["x-shopify-hmac-sha256"]).toBeUndefined();
  });

  it("records a timeout as an attempt without a status", async () => {
    server = createServer(() => { /* never answers */ });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sender = new WebhookSender({ appUrl: url, apiSecret: SECRET });
    const result = await sender.deliver({ shop: "s.myshopify.com", topic: "orders/create", payload: {}, timeoutMs: 100 });
    expect(result.attempts).toMatchObject([{ status: null, error: "timeout" }]);
    server.closeAllConnections();
  });

  it("deliverBatch reorders and duplicates deterministically by seed", async () => {
    const app = await receiver();
    const sender = new WebhookSender({ appUrl: app.url, apiSecret: SECRET });
    const list = (tag: string) => Array.from({ length: 20 }, (_, i) => ({
      shop: "s.myshopify.com", topic: "orders/updated", payload: { n: i }, eventId: `${tag}-${i}`,
    }));
    const run = async (tag: string) => (await sender.deliverBatch(list(tag), { shuffleFraction: 0.5, duplicateFraction: 0.2, seed: 9 }))
      .map((r) => r.eventId.replace(`${tag}-`, ""));
    const a = await run("a");
    const b = await run("b");
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(20); // some events came twice
    expect(new Set(a).size).toBe(20); // every event arrived
    expect(a).not.toEqual([...new Set(a)].sort((x, y) => Number(x) - Number(y))); // and not in order
  });
});
