import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { mapShopifyFulfillment } from "~/domain/fulfillment/map-shopify-fulfillment";
import { mapOrderEdit } from "~/domain/orders/map-order-edit";
import { mapShopifyOrder, shopifyOrderPayload } from "~/domain/orders/map-shopify-order";
import { mapShopifyRefund } from "~/domain/orders/map-shopify-refund";
import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { webhookRequest } from "../support/webhooks";

// Shopify's own sample payloads (../shared/fixtures, not copied here) go through the real intake path:
// signed delivery → inbox → job → database.

const ROOT = path.resolve("../shared/fixtures/shopify_webhooks");
if (!existsSync(ROOT)) throw new Error(`Shopify webhook fixtures missing at ${ROOT}: clone the repo beside ../shared`);
const SAMPLE_DIRS = readdirSync(ROOT).filter((d) => d.startsWith("shopify_docs_samples_"));
const samples = SAMPLE_DIRS.flatMap((dir) =>
  readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith(".payload.json"))
    .map((f) => ({ version: dir.replace("shopify_docs_samples_", ""), topic: f.replace(".payload.json", "").replace("__", "/"), raw: readFileSync(path.join(ROOT, dir, f), "utf8") })),
);
const orderSamples = samples.filter((s) => s.topic.startsWith("orders/"));

const queue = new InProcessQueue();
setQueue(queue);
const worker = runWorker({ queue, jobs: ALL_JOBS, log: { info() {}, warn() {}, error() {} }, signals: [] });
afterAll(() => worker.stop());

/** Each test's shop, installed once (only an installed shop's webhooks are taken in). */
const installed = new Set<string>();
async function install(shop: string): Promise<void> {
  if (installed.has(shop)) return;
  installed.add(shop);
  await ensureShop(shop);
}

interface StoredOrder {
  id: string;
  shopId: string;
  externalId: string;
  name: string;
  currency: string;
  totalMinor: number;
  status: string;
}
/** The shop's (only) order. */
async function orderOf(shop: string): Promise<StoredOrder> {
  const order = await queryRow<StoredOrder>(
    `SELECT o."id" AS "id", o."shopId" AS "shopId", o."externalId" AS "externalId", o."name" AS "name", o."currency" AS "currency", o."totalMinor" AS "totalMinor", o."status" AS "status"
     FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ?`,
    shop,
  );
  if (!order) throw new Error(`No order in ${shop}`);
  return order;
}
const linesOf = (order: StoredOrder) => queryRows<{ id: string; externalId: string; quantity: number }>(`SELECT "id","externalId","quantity" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, order.shopId, order.id);
type InboxRow = { topic: string; status: string; error: string | null; payload: string | null };
const INBOX = `SELECT "topic","status","error","payload" FROM "WebhookInbox" WHERE "shopDomain" = ?`;

describe("Shopify's documented webhook samples", () => {
  it("are there to test against", () => {
    expect(orderSamples.length).toBeGreaterThanOrEqual(6);
    expect(samples.map((s) => s.topic)).toEqual(expect.arrayContaining(["customers/redact", "shop/redact", "customers/data_request", "app/uninstalled"]));
  });

  it.each(orderSamples)("$version $topic ingests through the real path, ids exact from the gid", async ({ version, topic, raw }) => {
    const shop = `conf-${version.replace(/-/g, "")}-${topic.replace("/", "-")}.myshopify.com`;
    await install(shop);
    const response = await receiveWebhook(webhookRequest({ topic, shop, body: raw }), topic);
    expect(response.status).toBe(200);
    await queue.whenIdle(10_000);
    const payload = JSON.parse(raw);
    const gidId = payload.admin_graphql_api_id.split("/").pop();
    const order = await orderOf(shop);
    expect(order.externalId).toBe(gidId); // the bare `id` lost precision in the sample; the gid did not
    expect(order.name).toBe(payload.name);
    expect(order.currency).toBe(payload.currency);
    expect(order.totalMinor).toBe(Math.round(Number(payload.total_price) * 100));
    // Units removed by order edits are gone from current_quantity (API 2024-01+); quantity stays as bought.
    const lines = Object.fromEntries((await linesOf(order)).map((l) => [l.externalId, l.quantity]));
    expect(lines).toEqual(Object.fromEntries(payload.line_items.map((li: { admin_graphql_api_id: string; quantity: number; current_quantity?: number }) => [li.admin_graphql_api_id.split("/").pop(), li.current_quantity ?? li.quantity])));
    expect(order.status).toBe(payload.cancelled_at ? "cancelled" : "received");
    const inbox = await queryRows<InboxRow>(INBOX, shop);
    expect(inbox.map((r) => r.status)).toEqual(["processed"]);
  });

  it.each(samples.filter((s) => !s.topic.startsWith("orders/") && !s.topic.startsWith("inventory_levels") && !s.topic.startsWith("refunds") && !s.topic.startsWith("fulfillments")))(
    "$version $topic is accepted and processed",
    async ({ version, topic, raw }) => {
      const shop = `conf-compliance-${version.replace(/-/g, "")}.myshopify.com`; // one per version: shop/redact comes last
      await install(shop);
      const response = await receiveWebhook(webhookRequest({ topic, shop, body: raw }), topic);
      expect(response.status).toBe(200);
      await queue.whenIdle(10_000);
      const inbox = await queryRow<InboxRow>(`${INBOX} AND "topic" = ? ORDER BY "receivedAt" DESC LIMIT 1`, shop, topic);
      // shop/redact deletes the shop's other inbox rows but keeps (and completes) its own
      expect(inbox?.status).toBe("processed");
    },
  );
});

describe("real-shop payload shapes (anonymised exemplars)", () => {
  const dirs = readdirSync(ROOT).filter((d) => d.startsWith("gadget_anonymized_exemplars_"));
  const all = dirs.flatMap((dir) => readdirSync(path.join(ROOT, dir)).filter((f) => /^orders_\d+\.json$/.test(f)).map((f) => ({ name: `${dir}/${f}`, raw: readFileSync(path.join(ROOT, dir, f), "utf8") })));
  // Some "orders" exemplars are other order topics (orders/edited carries { order_edit }, orders/delete { id }).
  const exemplars = all.filter((e) => Array.isArray(JSON.parse(e.raw).line_items));

  it("include full order payloads", () => expect(exemplars.length).toBeGreaterThanOrEqual(3));

  it.each(exemplars)("$name carries every field the order mapper reads", ({ raw }) => {
    const payload = parseJsonKeepingBigInts<Record<string, unknown>>(raw);
    const read = Object.keys(shopifyOrderPayload.shape).filter((k) => !["contact_email", "phone", "financial_status", "cancelled_at", "customer", "shipping_address", "admin_graphql_api_id", "email"].includes(k));
    for (const key of read) expect(payload, key).toHaveProperty(key);
    // Values are anonymised ("example string"), so mapping must fail cleanly, naming the field.
    const mapped = mapShopifyOrder(payload);
    if (!mapped.ok) expect(mapped.error).toMatch(/currency|total_price|price|created_at/);
  });
});

describe("fulfillments and refunds (Shopify's docs samples) through the real path", () => {
  const versions = SAMPLE_DIRS.map((d) => d.replace("shopify_docs_samples_", "")).filter((v) => samples.some((s) => s.version === v && s.topic === "fulfillments/create"));
  const sample = (version: string, topic: string) => samples.find((s) => s.version === version && s.topic === topic)!.raw;

  it("are there for 2025-01 and 2026-04", () => expect(versions).toEqual(expect.arrayContaining(["2025-01", "2026-04"])));

  it.each(versions)("%s: orders/create, then fulfillments/create records every shipped line once, then refunds/create (no_restock) moves no stock", async (version) => {
    const shop = `conf-${version.replace(/-/g, "")}-shipping.myshopify.com`;
    await install(shop);
    const send = async (topic: string, raw: string, eventId?: string) => {
      expect((await receiveWebhook(webhookRequest({ topic, shop, body: raw, eventId }), topic)).status).toBe(200);
      await queue.whenIdle(10_000);
    };
    await send("orders/create", sample(version, "orders/create"));
    const fulfillment = JSON.parse(sample(version, "fulfillments/create"));
    await send("fulfillments/create", sample(version, "fulfillments/create"));
    await send("fulfillments/create", sample(version, "fulfillments/create")); // a redelivery (new event id)

    const inbox = await queryRows<InboxRow>(INBOX, shop);
    expect(inbox.every((r) => r.status === "processed"), JSON.stringify(inbox)).toBe(true);
    // The sample's bare order_id lost precision (…500 for …508): the line item gids name the order.
    const order = await orderOf(shop);
    const lines = await linesOf(order);
    const shippedLines = fulfillment.line_items.map((li: { admin_graphql_api_id: string }) => li.admin_graphql_api_id.split("/").pop());
    for (const line of lines) {
      const units = await queryNumber(`SELECT COALESCE(SUM("quantity"), 0) AS "n" FROM "Allocation" WHERE "shopId" = ? AND "orderLineId" = ? AND "status" = 'fulfilled'`, order.shopId, line.id);
      expect(units, line.externalId).toBe(shippedLines.includes(line.externalId) ? line.quantity : 0);
    }
    // The sample order is a cancelled one: the status machine keeps it cancelled; its lines still record what shipped.
    const cancelled = Boolean(JSON.parse(sample(version, "orders/create")).cancelled_at);
    expect(order.status).toBe(cancelled ? "cancelled" : shippedLines.length === lines.length ? "shipped" : "partially_shipped");
    const recorded = await queryNumber(`SELECT COUNT(*) AS "n" FROM "FulfillmentLine" WHERE "shopId" = ? AND "orderId" = ? AND "status" = 'consumed'`, order.shopId, order.id);
    expect(recorded).toBe(shippedLines.length);

    const refund = JSON.parse(sample(version, "refunds/create"));
    await send("refunds/create", sample(version, "refunds/create"));
    expect((await queryRows<InboxRow>(`${INBOX} AND "topic" = 'refunds/create'`, shop)).map((r) => r.status)).toEqual(["processed"]);
    const refundLines = await queryRows<{ lineExternalId: string; restockType: string; effect: string }>(
      `SELECT "lineExternalId","restockType","effect" FROM "RefundLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "lineExternalId"`, order.shopId, order.id,
    );
    expect(refundLines.map((r) => r.lineExternalId)).toEqual(refund.refund_line_items.map((r: { line_item: { admin_graphql_api_id: string } }) => r.line_item.admin_graphql_api_id.split("/").pop()).sort());
    expect(refundLines.every((r) => r.restockType === "no_restock" && r.effect === "none")).toBe(true);
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "refType" IN ('refund','fulfillment')`, order.shopId)).toBe(0); // unknown SKUs: no stock of ours moved
    expect((await orderOf(shop)).status).toBe(order.status);
  });
});

describe("real-shop fulfillment, refund and order edit shapes (anonymised exemplars)", () => {
  const dirs = readdirSync(ROOT).filter((d) => d.startsWith("gadget_anonymized_exemplars_"));
  const load = (pattern: RegExp) => dirs.flatMap((dir) => readdirSync(path.join(ROOT, dir)).filter((f) => pattern.test(f)).map((f) => ({ name: `${dir}/${f}`, raw: readFileSync(path.join(ROOT, dir, f), "utf8") })));
  const fulfillments = load(/^fulfillments_\d+\.json$/);
  const refunds = load(/^refunds_\d+\.json$/);
  const edits = load(/^orders_\d+\.json$/).filter((e) => "order_edit" in JSON.parse(e.raw));
  const shop = "conf-exemplars.myshopify.com";
  const send = async (topic: string, raw: string) => {
    await install(shop);
    const eventId = `${topic}:${raw.length}:${Math.random()}`;
    expect((await receiveWebhook(webhookRequest({ topic, shop, body: raw, eventId }), topic)).status).toBe(200);
    await queue.whenIdle(10_000);
    return (await queryRow<InboxRow>(`${INBOX} AND "eventId" = ?`, shop, eventId))!;
  };

  it("include fulfillments (2024-01, 2025-04), refunds and an order edit", () => {
    expect(fulfillments.length).toBeGreaterThanOrEqual(3);
    expect(refunds.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeGreaterThanOrEqual(1);
  });

  it.each(fulfillments)("$name carries what the fulfillment mapper reads; its placeholder status fails cleanly, naming it, and is kept", async ({ raw }) => {
    const payload = parseJsonKeepingBigInts<Record<string, unknown>>(raw);
    for (const key of ["id", "order_id", "status", "location_id", "line_items", "admin_graphql_api_id"]) expect(payload, key).toHaveProperty(key);
    for (const li of payload.line_items as Record<string, unknown>[]) for (const key of ["id", "quantity", "admin_graphql_api_id"]) expect(li, key).toHaveProperty(key);
    expect(mapShopifyFulfillment(payload)).toMatchObject({ ok: false, error: expect.stringMatching(/^status: /) });
    const row = await send("fulfillments/create", raw);
    expect(row).toMatchObject({ status: "failed", payload: raw });
    expect(row.error).toMatch(/status/);
  });

  it.each(refunds)("$name carries what the refund mapper reads and goes through the real path: no lines → nothing to do; a placeholder restock type fails cleanly", async ({ raw }) => {
    const payload = parseJsonKeepingBigInts<{ refund_line_items: Record<string, unknown>[] }>(raw);
    for (const key of ["id", "order_id", "created_at", "restock", "refund_line_items"]) expect(payload, key).toHaveProperty(key);
    for (const rli of payload.refund_line_items) for (const key of ["id", "line_item_id", "quantity", "restock_type", "location_id", "line_item"]) expect(rli, key).toHaveProperty(key);
    const mapped = mapShopifyRefund(payload);
    const row = await send("refunds/create", raw);
    if (payload.refund_line_items.length === 0) {
      expect(mapped).toMatchObject({ ok: true, refund: { lines: [] } });
      expect(row.status).toBe("processed");
    } else {
      expect(mapped).toMatchObject({ ok: false, error: expect.stringMatching(/restock_type/) });
      expect(row.status).toBe("failed");
      expect(row.error).toMatch(/restock_type/);
    }
  });

  it.each(edits)("$name (orders/edited) names the order to read again", ({ raw }) => {
    const mapped = mapOrderEdit(parseJsonKeepingBigInts(raw));
    expect(mapped).toMatchObject({ ok: true, edit: { orderExternalId: "123", additions: [{ lineExternalId: "123", delta: 123 }] } });
  });
});
