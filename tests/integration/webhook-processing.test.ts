import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { shopifyOrderBody } from "../support/orders";
import { webhookRequest } from "../support/webhooks";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { addSession } from "../support/sessions";

// Webhook → inbox → job → database, with the in-process queue and a real SQLite file.

const SHOP = "processing-test.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const queue = new InProcessQueue();
setQueue(queue);
const silent = { info() {}, warn() {}, error() {} };
const worker = runWorker({ queue, jobs: ALL_JOBS, log: silent, signals: [] });

type OrderRow = Record<string, unknown> & { id: string; email: string | null; status: string; externalUpdatedAt: string | null; redactedAt: string | null; totalMinor: number };
/** The shop's order with this external id. */
async function orderOf(externalId: string, shop = SHOP): Promise<OrderRow> {
  const row = await queryRow<OrderRow>(`SELECT o.* FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ? AND o."externalId" = ?`, shop, externalId);
  if (!row) throw new Error(`No order ${externalId} in ${shop}`);
  return row;
}
const countOf = (from: string, shop: string, where = "TRUE", ...params: unknown[]) =>
  queryNumber(`SELECT COUNT(*) AS "n" FROM ${from} JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ? AND ${where}`, shop, ...params);

const sessionsOf = (shop: string) => queryNumber(`SELECT COUNT(*) AS "n" FROM "Session" WHERE "shop" = ?`, shop);

async function deliver(topic: string, body: string, shop = SHOP, eventId?: string, triggeredAt?: string) {
  const response = await receiveWebhook(webhookRequest({ topic, shop, body, eventId, triggeredAt }), topic);
  expect(response.status).toBe(200);
  await queue.whenIdle(10_000);
}

describe("processing webhooks", () => {
  beforeAll(async () => {
    await ensureShop(SHOP);
    await ensureShop(OTHER);
  });
  afterAll(async () => {
    await worker.stop();
  });

  it("stores an order once, with exact 64-bit ids, money in minor units, lines", async () => {
    const body = shopifyOrderBody({ id: "820982911946154508", lines: [{ sku: "A", quantity: 2 }, { sku: "B", quantity: 1 }] });
    await deliver("orders/create", body, SHOP, "e-1");
    await deliver("orders/create", body, SHOP, "e-1");
    await deliver("orders/create", body, SHOP, "e-1-redelivered-as-new-event");
    expect(await countOf(`"Order" o`, SHOP, `o."externalId" = ?`, "820982911946154508")).toBe(1);
    const order = await orderOf("820982911946154508");
    expect(order.totalMinor).toBe(4250);
    const lines = await queryRows(`SELECT "sku","quantity","priceMinor" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "sku"`, order.shopId, order.id);
    expect(lines).toEqual([{ sku: "A", quantity: 2, priceMinor: 2125 }, { sku: "B", quantity: 1, priceMinor: 2125 }]);
    const inbox = await queryRows<{ status: string }>(`SELECT "status" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, SHOP, "e-1");
    expect(inbox).toHaveLength(1);
    expect(inbox[0].status).toBe("processed");
  });

  it("never lets an older payload overwrite newer state", async () => {
    const id = "820982911946150001";
    await deliver("orders/updated", shopifyOrderBody({ id, email: "new@example.com", updatedAt: "2026-11-20T12:00:00Z" }));
    await deliver("orders/create", shopifyOrderBody({ id, email: "old@example.com", updatedAt: "2026-11-20T10:00:00Z" }));
    const order = await orderOf(id);
    expect(order.email).toBe("new@example.com");
    expect(order.externalUpdatedAt).toBe("2026-11-20T12:00:00.000Z");
    await deliver("orders/cancelled", shopifyOrderBody({ id, email: "new@example.com", updatedAt: "2026-11-20T13:00:00Z", cancelledAt: "2026-11-20T13:00:00Z" }));
    expect((await orderOf(id)).status).toBe("cancelled");
  });

  it("two updates in the same updated_at second: the later-triggered one wins, whichever arrives first (X-Shopify-Triggered-At)", async () => {
    const second = "2026-11-20T12:00:00Z";
    for (const [id, arrival] of [["820982911946150101", ["later", "earlier"]], ["820982911946150102", ["earlier", "later"]]] as const) {
      await deliver("orders/create", shopifyOrderBody({ id, email: "created@example.com", updatedAt: "2026-11-20T11:00:00Z" }), SHOP, undefined, "2026-11-20T11:00:00.100Z");
      const payloads = {
        earlier: { body: shopifyOrderBody({ id, email: "earlier@example.com", updatedAt: second }), triggeredAt: "2026-11-20T12:00:00.200Z" },
        later: { body: shopifyOrderBody({ id, email: "later@example.com", updatedAt: second }), triggeredAt: "2026-11-20T12:00:00.700Z" },
      };
      for (const which of arrival) await deliver("orders/updated", payloads[which].body, SHOP, undefined, payloads[which].triggeredAt);
      const order = await orderOf(id);
      expect(order.email, `arrival ${arrival.join(" → ")}`).toBe("later@example.com");
    }
    // Without the header (or with the same instant), a same-second payload stays a duplicate: first one kept.
    const id = "820982911946150103";
    await deliver("orders/updated", shopifyOrderBody({ id, email: "first@example.com", updatedAt: second }), SHOP, undefined, "2026-11-20T12:00:00.500Z");
    await deliver("orders/updated", shopifyOrderBody({ id, email: "second@example.com", updatedAt: second }), SHOP, undefined, "2026-11-20T12:00:00.500Z");
    expect((await orderOf(id)).email).toBe("first@example.com");
  });

  it("a malformed order payload fails terminally with its error, and stores no order", async () => {
    await deliver("orders/create", JSON.stringify({ id: 1, name: "#1" }), SHOP, "bad-1");
    const row = await queryRow<{ status: string; error: string | null }>(`SELECT "status","error" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, SHOP, "bad-1");
    expect(row?.status).toBe("failed");
    expect(row?.error).toMatch(/line_items/);
    const failed = await queue.failed();
    expect(failed.some((f) => f.error.includes("line_items") && f.attempts === 1)).toBe(true);
  });

  it("customers/redact removes the customer's personal data from their orders, and only theirs", async () => {
    await deliver("orders/create", shopifyOrderBody({ id: "7000000000000000001", customerId: "5550000000000000001", email: "gone@example.com" }));
    await deliver("orders/create", shopifyOrderBody({ id: "7000000000000000002", customerId: "5550000000000000002", email: "stays@example.com" }));
    await deliver("orders/create", shopifyOrderBody({ id: "7000000000000000001", customerId: "5550000000000000001", email: "gone@example.com" }), OTHER);
    await deliver("customers/redact", `{"shop_id":1,"shop_domain":"${SHOP}","customer":{"id":5550000000000000001,"email":"gone@example.com","phone":null},"orders_to_redact":[7000000000000000001]}`);

    const redacted = await orderOf("7000000000000000001");
    expect(redacted).toMatchObject({ email: null, phone: null, customerName: null, shipAddress1: null, shipLatitude: null, customerExternalId: null });
    expect(redacted.redactedAt).not.toBeNull();
    const kept = await orderOf("7000000000000000002");
    expect(kept.email).toBe("stays@example.com");
    const otherShop = await orderOf("7000000000000000001", OTHER);
    expect(otherShop.email).toBe("gone@example.com");
    expect(await countOf(`"Order" o`, SHOP, `o."email" = ?`, "gone@example.com")).toBe(0);
  });

  it("customers/data_request records what is held about the customer (without personal data)", async () => {
    await deliver("customers/data_request", `{"shop_id":1,"shop_domain":"${SHOP}","customer":{"id":5550000000000000002,"email":"stays@example.com"},"orders_requested":[7000000000000000002],"data_request":{"id":9999}}`);
    const event = (await queryRow<{ data: string }>(
      `SELECT a."data" AS "data" FROM "AuditEvent" a JOIN "Shop" s ON s."id" = a."shopId" WHERE s."domain" = ? AND a."action" = 'customer.data_requested'`, SHOP,
    ))!;
    const data = JSON.parse(event.data);
    expect(data.orders).toHaveLength(1);
    expect(data.orders[0]).toMatchObject({ externalId: "7000000000000000002", fieldsHeld: expect.arrayContaining(["email", "customerName"]) });
    expect(event.data).not.toContain("stays@example.com");
  });

  it("app/uninstalled removes sessions; shop/redact removes everything of that shop only", async () => {
    await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x" });
    await addSession({ id: `offline_${OTHER}`, shop: OTHER, state: "", accessToken: "shpat_y" });
    await deliver("app/uninstalled", `{"id":1,"name":"x","domain":"${SHOP}"}`);
    expect(await sessionsOf(SHOP)).toBe(0);
    expect((await queryRow<{ uninstalledAt: string | null }>(`SELECT "uninstalledAt" FROM "Shop" WHERE "domain" = ?`, SHOP))!.uninstalledAt).not.toBeNull();

    await deliver("shop/redact", `{"shop_id":1,"shop_domain":"${SHOP}"}`);
    // What stays is a tombstone of the domain: no name, no email, nothing it owned.
    expect(await queryRows(`SELECT "status","name","email" FROM "Shop" WHERE "domain" = ?`, SHOP)).toEqual([{ status: "redacted", name: SHOP, email: null }]);
    expect(await countOf(`"Order" o`, SHOP)).toBe(0);
    expect(await countOf(`"OrderLine" o`, SHOP)).toBe(0); // alias o: every table here has "shopId"
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "topic" != 'shop/redact'`, SHOP)).toBe(0);
    expect(await countOf(`"Order" o`, OTHER)).toBeGreaterThan(0);
    expect(await sessionsOf(OTHER)).toBe(1);
  });
});
