import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { mapShopifyOrder, shopifyOrderPayload } from "~/domain/orders/map-shopify-order";
import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
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

describe("Shopify's documented webhook samples", () => {
  it("are there to test against", () => {
    expect(orderSamples.length).toBeGreaterThanOrEqual(6);
    expect(samples.map((s) => s.topic)).toEqual(expect.arrayContaining(["customers/redact", "shop/redact", "customers/data_request", "app/uninstalled"]));
  });

  it.each(orderSamples)("$version $topic ingests through the real path, ids exact from the gid", async ({ version, topic, raw }) => {
    const shop = `conf-${version.replace(/-/g, "")}-${topic.replace("/", "-")}.myshopify.com`;
    const response = await receiveWebhook(webhookRequest({ topic, shop, body: raw }), topic);
    expect(response.status).toBe(200);
    await queue.whenIdle(10_000);
    const payload = JSON.parse(raw);
    const gidId = payload.admin_graphql_api_id.split("/").pop();
    const order = await db().order.findFirstOrThrow({ where: { shop: { domain: shop } }, include: { lines: true } });
    expect(order.externalId).toBe(gidId); // the bare `id` lost precision in the sample; the gid did not
    expect(order.name).toBe(payload.name);
    expect(order.currency).toBe(payload.currency);
    expect(order.totalMinor).toBe(Math.round(Number(payload.total_price) * 100));
    // Units removed by order edits are gone from current_quantity (API 2024-01+); quantity stays as bought.
    expect(order.lines.map((l) => l.quantity)).toEqual(payload.line_items.map((li: { quantity: number; current_quantity?: number }) => li.current_quantity ?? li.quantity));
    expect(order.status).toBe(payload.cancelled_at ? "cancelled" : "received");
    const inbox = await db().webhookInbox.findFirstOrThrow({ where: { shopDomain: shop } });
    expect(inbox.status).toBe("processed");
  });

  it.each(samples.filter((s) => !s.topic.startsWith("orders/") && !s.topic.startsWith("inventory_levels") && !s.topic.startsWith("refunds") && !s.topic.startsWith("fulfillments")))(
    "$version $topic is accepted and processed",
    async ({ topic, raw }) => {
      const shop = "conf-compliance.myshopify.com";
      const response = await receiveWebhook(webhookRequest({ topic, shop, body: raw }), topic);
      expect(response.status).toBe(200);
      await queue.whenIdle(10_000);
      const inbox = await db().webhookInbox.findFirst({ where: { shopDomain: shop, topic }, orderBy: { receivedAt: "desc" } });
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
