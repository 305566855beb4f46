import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { claimDelivery } from "~/.server/db/automation-sql";
import { database } from "~/.server/db/database";
import { DELIVERY_LEASE_MS, sendDueAutomation } from "~/.server/use-cases/send-automation";
import { sweepAutomation } from "~/.server/use-cases/sweep-automation";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from "~/domain/integrations/delivery-policy";
import { action as endpointsAction, loader as endpointsLoader } from "~/routes/api.v1.webhook-endpoints";
import { action as endpointAction, loader as endpointLoader } from "~/routes/api.v1.webhook-endpoints.$id";
import { action as pageAction, loader as pageLoader } from "~/routes/app.integrations";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryRows } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

// Issue 15, outgoing webhooks (ADR 0031): a merchant registers an endpoint (API and page); the order events the
// pipeline writes become signed deliveries in an outbox. A receiver that fails, times out and then recovers gets every
// event exactly once, each order's events in order, even with two senders at work; every signature verifies with the
// documented helper. An endpoint that keeps failing is paused (audit event, banner) and resumed. Another shop's
// endpoints are invisible.

const A = "hooks-a.myshopify.com";
const B = "hooks-b.myshopify.com";
setQueue(new InProcessQueue());
const URL_BASE = "http://127.0.0.1:3999";
const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, timeoutMs: 300 };

let now = Date.now() + 5_000;
const clock = () => new Date(now);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const api = async (run: (args: ActionFunctionArgs) => Promise<Response>, method: string, path: string, key: string, body?: unknown, params: Record<string, string> = {}) => {
  const request = new Request(`${URL_BASE}${path}`, { method, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "User-Agent": BROWSER_UA }, body: body === undefined ? undefined : JSON.stringify(body) });
  const response = await run({ request, params, context: {} });
  return { status: response.status, body: (response.status === 204 ? {} : await response.json()) as Json };
};

let shopA: string;
let shopB: string;
let keyA: string;
let keyB: string;
let receiver: WebhookReceiver;
let other: WebhookReceiver;

beforeAll(async () => {
  shopA = (await ensureShop(A, { name: "Hooks A" })).id;
  shopB = (await ensureShop(B, { name: "Hooks B" })).id;
  keyA = (await createApiKey(shopA, { name: "ERP", scope: "write" })).text;
  keyB = (await createApiKey(shopB, { name: "ERP", scope: "write" })).text;
  // Fails twice, does not answer once, then takes everything.
  receiver = await startWebhookReceiver({ clock, answers: (n) => (n === 0 ? 500 : n === 1 ? 503 : n === 2 ? "hang" : 200) });
  other = await startWebhookReceiver({ clock, answers: () => 200 });
});
afterAll(async () => {
  await receiver.close();
  await other.close();
});

describe("outgoing webhooks", () => {
  let endpointA: string;
  let endpointB: string;
  const orders: string[] = [];

  it("registers endpoints through the API, shows the secret once, and refuses what it cannot send to", async () => {
    const created = await api(endpointsAction, "POST", "/api/v1/webhook-endpoints", keyA, { url: receiver.url, topics: ["order.created", "order.backordered", "order.cancelled"] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    endpointA = created.body.endpoint.id;
    receiver.setSecret(created.body.secret);
    const listed = await api(endpointsLoader, "GET", "/api/v1/webhook-endpoints", keyA);
    expect(listed.body.endpoints).toEqual([expect.objectContaining({ id: endpointA, url: receiver.url, status: "active", topics: ["order.backordered", "order.cancelled", "order.created"] })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    const stored = await queryRows<{ secretSealed: string }>(`SELECT "secretSealed" FROM "WebhookEndpoint" WHERE "id" = ?`, endpointA);
    expect(stored[0].secretSealed).not.toContain(created.body.secret.slice(6));

    expect((await api(endpointsAction, "POST", "/api/v1/webhook-endpoints", keyA, { url: "http://erp.example.com/h", topics: ["order.created"] })).body.error).toMatchObject({ code: "WEBHOOK.URL_INVALID", message: "url must be https" });
    expect((await api(endpointsAction, "POST", "/api/v1/webhook-endpoints", keyA, { url: "https://erp.example.com/h", topics: ["order.exploded"] })).body.error).toMatchObject({ code: "WEBHOOK.TOPICS_INVALID" });
    expect((await api(endpointsAction, "POST", "/api/v1/webhook-endpoints", keyA, { url: "https://erp.example.com/h", topics: [] })).status).toBe(400);

    const createdB = await api(endpointsAction, "POST", "/api/v1/webhook-endpoints", keyB, { url: other.url, topics: ["order.created"] });
    endpointB = createdB.body.endpoint.id;
    other.setSecret(createdB.body.secret);
  });

  it("keeps another shop's endpoints out of sight and out of reach", async () => {
    expect((await api(endpointsLoader, "GET", "/api/v1/webhook-endpoints", keyA)).body.endpoints.map((e: Json) => e.id)).toEqual([endpointA]);
    expect((await api(endpointLoader, "GET", `/api/v1/webhook-endpoints/${endpointB}`, keyA, undefined, { id: endpointB })).status).toBe(404);
    expect((await api(endpointAction, "DELETE", `/api/v1/webhook-endpoints/${endpointB}`, keyA, undefined, { id: endpointB })).status).toBe(404);
    expect((await api(endpointAction, "PATCH", `/api/v1/webhook-endpoints/${endpointB}`, keyA, { topics: ["order.routed"] }, { id: endpointB })).status).toBe(404);
    expect((await api(endpointLoader, "GET", `/api/v1/webhook-endpoints/${endpointB}`, keyB, undefined, { id: endpointB })).body.endpoint.topics).toEqual(["order.created"]);
  });

  it("delivers every event exactly once, in order per order, through failures, a timeout and two senders", async () => {
    now = Date.now();
    expect(await sweepAutomation(shopA, { now: clock() })).toEqual({ events: 0, added: 0 }); // the shop starts now
    await sweepAutomation(shopB, { now: clock() });
    const newark = (await addLocation(shopA, "hn1", "newark")).id;
    await addSku(shopA, "HOOK-IN", { [newark]: 50 });
    await addSku(shopA, "HOOK-OUT", { [newark]: 0 });
    for (let i = 0; i < 4; i++) {
      const o = channelOrder([{ sku: i % 2 === 0 ? "HOOK-OUT" : "HOOK-IN", quantity: 1 }], { externalId: `hook-${i}` });
      const outcome = await ingestOn(A, "manual", o);
      if (outcome.kind !== "created") throw new Error(`order ${i}: ${outcome.kind}`);
      orders.push(outcome.orderId);
      if (i < 2) await ingestOn(A, "manual", { ...o, cancelledAt: new Date().toISOString(), updatedAt: new Date(Date.now() + 1_000).toISOString() }); // then cancelled
    }
    now = Date.now() + 10_000;
    const swept = await sweepAutomation(shopA, { now: clock() });
    // 4 created + 2 backordered (HOOK-OUT has no stock) + 2 cancelled
    expect(swept.added).toBe(8);
    expect((await sweepAutomation(shopA, { now: clock() })).added).toBe(0); // read again: nothing new
    expect((await sweepAutomation(shopB, { now: clock() })).added).toBe(0); // shop A's events never reach shop B's endpoint

    for (let round = 0; round < 12; round++) {
      await Promise.all([sendDueAutomation(shopA, { now: clock, policy }), sendDueAutomation(shopA, { now: clock, policy })]);
      now += 3_600_000; // past any backoff
    }
    const rows = await queryRows<{ eventId: string; resource: string; occurredAt: string; rank: number; status: string; attempts: number; lastStatusCode: number | null }>(
      `SELECT "eventId","resource","occurredAt","rank","status","attempts","lastStatusCode" FROM "AutomationDelivery" WHERE "shopId" = ? AND "target" = 'webhook' ORDER BY "occurredAt","rank","eventId"`, shopA,
    );
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.status === "sent" && Number(r.lastStatusCode) === 200)).toBe(true);
    expect(rows.reduce((n, r) => n + Number(r.attempts), 0)).toBe(8 + 3); // the two refusals and the timeout cost one attempt each

    const accepted = receiver.accepted();
    expect(accepted.map((d) => d.eventId).sort()).toEqual(rows.map((r) => r.eventId).sort()); // each exactly once
    expect(receiver.received.every((d) => d.signature.ok)).toBe(true);
    for (const resource of new Set(rows.map((r) => r.resource))) {
      const expected = rows.filter((r) => r.resource === resource).map((r) => r.eventId);
      expect(accepted.filter((d) => `order:${(d.body.data as Json).order.id}` === resource).map((d) => d.eventId)).toEqual(expected);
    }
    const cancelled = accepted.find((d) => d.topic === "order.cancelled")!;
    expect(cancelled.body).toMatchObject({ topic: "order.cancelled", shop: A, data: { order: { status: "cancelled", channel: "manual" } } });
    expect(other.received).toHaveLength(0);
  });

  it("shows the log on the page, and sends a delivery again on Resend with the same event id", async () => {
    const token = mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, A);
    await addSession({ id: `offline_${A}`, shop: A, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
    const page = (await pageLoader(bearerArgs("/app/integrations", token))) as Awaited<ReturnType<typeof pageLoader>>;
    expect(page.deliveries.filter((d) => d.target === "webhook")).toHaveLength(8);
    const first = page.deliveries.find((d) => d.status === "sent")!;
    const request = new Request(`${URL_BASE}/app/integrations`, {
      method: "POST", headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ intent: "resend", id: first.id }).toString(),
    });
    expect(await pageAction({ request, params: {}, context: {} })).toMatchObject({ ok: true });
    const before = receiver.accepted().length;
    await sendDueAutomation(shopA, { now: clock, policy });
    expect(receiver.accepted().length).toBe(before + 1);
    expect(receiver.accepted().at(-1)!.eventId).toBe(first.eventId);
    expect(receiver.accepted().at(-1)!.signature.ok).toBe(true);
    // Registering on the page: the secret in the answer, once; a bad URL is refused with the reason.
    const form = (fields: string) => new Request(`${URL_BASE}/app/integrations`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: fields });
    const made = await pageAction({ request: form("intent=create&url=https%3A%2F%2Ferp.example.com%2Fh&topics=order.routed&topics=order.split"), params: {}, context: {} });
    expect(made).toMatchObject({ ok: true, secret: expect.stringMatching(/^whsec_/) });
    const after = (await pageLoader(bearerArgs("/app/integrations", token))) as Awaited<ReturnType<typeof pageLoader>>;
    expect(after.endpoints.find((e) => e.url === "https://erp.example.com/h")).toMatchObject({ topics: ["order.routed", "order.split"], status: "active" });
    expect(JSON.stringify(after)).not.toContain((made as { secret: string }).secret);
    expect(await pageAction({ request: form("intent=create&url=ftp%3A%2F%2Ferp.example.com&topics=order.routed"), params: {}, context: {} })).toEqual({ ok: false, error: "url must be https" });
    // A delivery that is not this endpoint's is not found
    expect((await api(endpointAction, "POST", `/api/v1/webhook-endpoints/${endpointA}`, keyA, { intent: "resend", deliveryId: "nope" }, { id: endpointA })).status).toBe(404);
  });

  it("sends a delivery claimed by a sender that died once its lease is over, and only once", async () => {
    const o = channelOrder([{ sku: "HOOK-IN", quantity: 1 }], { externalId: "hook-died" });
    await ingestOn(A, "manual", o);
    await sweepAutomation(shopA, { now: clock(), lookbackMs: 48 * 3_600_000 });
    const [row] = await queryRows<{ id: string }>(`SELECT "id" FROM "AutomationDelivery" WHERE "shopId" = ? AND "status" = 'pending'`, shopA);
    expect(row).toBeDefined();
    expect(await database().transaction((tx) => claimDelivery(tx, shopA, row.id, clock(), new Date(now - DELIVERY_LEASE_MS)))).toBe(true); // …and the worker is killed
    const before = receiver.accepted().length;
    now += 60_000;
    expect(await sendDueAutomation(shopA, { now: clock, policy })).toMatchObject({ sent: 0 }); // still within its lease
    now += DELIVERY_LEASE_MS;
    const [x, y] = await Promise.all([sendDueAutomation(shopA, { now: clock, policy }), sendDueAutomation(shopA, { now: clock, policy })]);
    expect(x.sent + y.sent).toBe(1);
    expect(receiver.accepted().length).toBe(before + 1);
  });

  it("pauses an endpoint that keeps failing, says so, and sends what waited once resumed", async () => {
    let up = false;
    const flaky = await startWebhookReceiver({ clock, answers: () => (up ? 200 : 500) });
    try {
      const created = await api(endpointsAction, "POST", "/api/v1/webhook-endpoints", keyA, { url: flaky.url, topics: ["order.created"] });
      flaky.setSecret(created.body.secret);
      const id = created.body.endpoint.id as string;
      const o = channelOrder([{ sku: "HOOK-IN", quantity: 1 }], { externalId: "hook-flaky" });
      await ingestOn(A, "manual", o);
      await sweepAutomation(shopA, { now: clock(), lookbackMs: 48 * 3_600_000 }); // the test's clock ran a day ahead of the events
      const strict: DeliveryPolicy = { ...policy, maxConsecutiveFailures: 3 };
      for (let i = 0; i < 5; i++) {
        await sendDueAutomation(shopA, { now: clock, policy: strict });
        now += 3_600_000;
      }
      expect(flaky.received).toHaveLength(3); // paused after the third: no more attempts
      const listed = (await api(endpointLoader, "GET", `/api/v1/webhook-endpoints/${id}`, keyA, undefined, { id })).body;
      expect(listed.endpoint).toMatchObject({ status: "paused", pausedReason: "3 deliveries in a row failed" });
      expect(listed.deliveries).toEqual([expect.objectContaining({ status: "pending", attempts: 3, lastStatusCode: 500, lastError: "HTTP 500" })]);
      expect(await queryRows(`SELECT "action" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'webhook.endpoint_paused' AND "subjectId" = ?`, shopA, id)).toHaveLength(1);
      const token = mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, A);
      const page = (await pageLoader(bearerArgs("/app/integrations", token))) as Awaited<ReturnType<typeof pageLoader>>;
      expect(page.endpoints.find((e) => e.id === id)).toMatchObject({ status: "paused" });

      up = true;
      expect((await api(endpointAction, "POST", `/api/v1/webhook-endpoints/${id}`, keyA, { intent: "resume" }, { id })).body.endpoint.status).toBe("active");
      await sendDueAutomation(shopA, { now: clock, policy: strict });
      expect(flaky.accepted()).toHaveLength(1);
      expect(flaky.accepted()[0].signature.ok).toBe(true);
      expect((await api(endpointAction, "POST", `/api/v1/webhook-endpoints/${id}`, keyA, { intent: "resume" }, { id })).status).toBe(409);
      expect((await api(endpointAction, "DELETE", `/api/v1/webhook-endpoints/${id}`, keyA, undefined, { id })).status).toBe(204);
    } finally {
      await flaky.close();
    }
  });
});
