import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { declaredSubscriptions, webhookRequest } from "../support/webhooks";
import { shopifyOrderBody } from "../support/orders";
import { execute, queryNumber, queryRows } from "../support/db-query";

// Every webhook URI declared in shopify.app.toml: signed → 200 and stored once however often it
// arrives; wrong or missing HMAC → 401/400 and nothing stored.

type RouteModule = { action: (args: ActionFunctionArgs) => Promise<Response>; WEBHOOK_TOPIC?: string };
const routeModules = import.meta.glob<RouteModule>("/app/routes/webhooks.*.ts");
const SHOP = "hooks-test.myshopify.com";
const queue = new InProcessQueue();
setQueue(queue);

function moduleFor(handledBy: string) {
  const load = routeModules[`/${handledBy}`];
  if (!load) throw new Error(`shopify.app.toml names ${handledBy}, which does not exist`);
  return load();
}

async function call(handledBy: string, request: Request): Promise<Response> {
  const mod = await moduleFor(handledBy);
  return mod.action({ request, params: {}, context: {} });
}

const subscriptions = declaredSubscriptions();
const inboxRows = () => queryNumber(`SELECT COUNT(*) AS "n" FROM "WebhookInbox"`); // any shop's

describe("webhook routes declared in shopify.app.toml", () => {
  beforeEach(async () => {
    await execute(`DELETE FROM "WebhookInbox"`); // every shop's: this file's database holds only this test's rows
  });
  afterAll(async () => {
    await queue.close();
  });

  it("declares the compliance topics and each subscription names an existing handler", () => {
    const topics = subscriptions.map((s) => s.topic);
    expect(topics).toEqual(expect.arrayContaining(["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact", "orders/create"]));
    for (const s of subscriptions) expect(routeModules[`/${s.handledBy}`], s.handledBy).toBeDefined();
  });

  it("each handler names its topic (WEBHOOK_TOPIC) at the route path of its URI, so server.ts's lean intake serves it too", async () => {
    expect(subscriptions.map((s) => s.topic)).toEqual(expect.arrayContaining(["orders/edited", "fulfillments/create", "fulfillments/update", "refunds/create"]));
    for (const s of subscriptions) {
      expect((await moduleFor(s.handledBy)).WEBHOOK_TOPIC, s.handledBy).toBe(s.topic);
      // Remix flat routes: app/routes/webhooks.orders_create.ts serves /webhooks/orders_create
      expect(`/${s.handledBy.replace(/^app\/routes\//, "").replace(/\.ts$/, "").replace(/\./g, "/")}`).toBe(s.uri);
    }
  });

  it.each(subscriptions)("$topic: three deliveries of one event → 200 each, stored once", async ({ topic, uri, handledBy }) => {
    const body = topic.startsWith("orders/") ? shopifyOrderBody() : JSON.stringify({ shop_domain: SHOP, customer: { id: 1, email: "a@example.com" }, orders_to_redact: [] });
    const eventId = `evt-${topic}`;
    for (let copy = 0; copy < 3; copy++) {
      const started = Date.now();
      const response = await call(handledBy, webhookRequest({ topic, shop: SHOP, body, eventId, url: `http://127.0.0.1:3999${uri}` }));
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    const rows = await queryRows<{ payload: string; topic: string }>(`SELECT "payload","topic" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, SHOP, eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toBe(body); // byte-exact, 64-bit ids intact
    expect(rows[0].topic).toBe(topic);
  });

  it.each(subscriptions)("$topic: wrong HMAC → 401, missing HMAC → 401, missing headers → 400; nothing stored", async ({ topic, uri, handledBy }) => {
    const body = shopifyOrderBody();
    const url = `http://127.0.0.1:3999${uri}`;
    expect((await call(handledBy, webhookRequest({ topic, shop: SHOP, body, url, secret: "not-the-app-secret" }))).status).toBe(401);
    expect((await call(handledBy, webhookRequest({ topic, shop: SHOP, body, url, hmac: null }))).status).toBe(401);
    const noShop = webhookRequest({ topic, shop: SHOP, body, url });
    noShop.headers.delete("x-shopify-shop-domain");
    expect((await call(handledBy, noShop)).status).toBe(400);
    expect(await inboxRows()).toBe(0);
  });

  it("rejects a delivery whose topic does not belong to the endpoint", async () => {
    const response = await call("app/routes/webhooks.orders_create.ts", webhookRequest({ topic: "shop/redact", shop: SHOP, body: "{}", url: "http://127.0.0.1:3999/webhooks/orders_create" }));
    expect(response.status).toBe(400);
    expect(await inboxRows()).toBe(0);
  });

  it("a body tampered after signing is refused", async () => {
    const request = webhookRequest({ topic: "orders/create", shop: SHOP, body: shopifyOrderBody() });
    const forged = new Request(request.url, { method: "POST", headers: request.headers, body: shopifyOrderBody({ email: "mallory@example.com" }) });
    expect((await call("app/routes/webhooks.orders_create.ts", forged)).status).toBe(401);
  });
});
