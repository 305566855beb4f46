import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { ensureShop } from "~/.server/db/shops";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { addLocation, addSku } from "../support/catalog";
import { queryRow, queryRows } from "../support/db-query";
import { shopifyOrderBody } from "../support/orders";
import { webhookRequest } from "../support/webhooks";

// Quantities and money beyond the domain's limits (app/domain/shared/limits.ts) are refused as invalid data:
// the inbox row says which field and which limit, the job fails once (no retries), nothing is stored or reserved.

const SHOP = "limits-test.myshopify.com";
const queue = new InProcessQueue();
setQueue(queue);
const silent = { info() {}, warn() {}, error() {} };
const worker = runWorker({ queue, jobs: ALL_JOBS, log: silent, signals: [] });
let shopId: string;

async function deliver(body: string, eventId: string, topic = "orders/create") {
  const response = await receiveWebhook(webhookRequest({ topic, shop: SHOP, body, eventId }), topic);
  expect(response.status).toBe(200);
  await queue.whenIdle(10_000);
  return (await queryRow<{ status: string; error: string | null }>(`SELECT "status", "error" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`, SHOP, eventId))!;
}

const orderCount = async (externalId: string) => (await queryRow<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Order" WHERE "shopId" = ? AND "externalId" = ?`, shopId, externalId))!.n;
const level = async () => (await queryRow<{ onHand: number; reserved: number }>(`SELECT l."onHand", l."reserved" FROM "InventoryLevel" l JOIN "Variant" v ON v."id" = l."variantId" WHERE l."shopId" = ? AND v."sku" = ?`, shopId, "LIM-1"))!;

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  const location = await addLocation(shopId, "501", "dallas");
  await addSku(shopId, "LIM-1", { [location.id]: 40 });
});
afterAll(async () => {
  await worker.stop();
});

describe("limits on channel input", () => {
  it("a line quantity of 10^12 is refused: error on the inbox row, failed once, no order, no stock reserved", async () => {
    const body = shopifyOrderBody({ id: "6100000000000000001", lines: [{ sku: "LIM-1", quantity: 1_000_000_000_000 }] });
    const row = await deliver(body, "limits-huge-qty");
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/line_items\.0\.quantity: more than the limit of 1000000 units on one line/);
    const failed = await queue.failed();
    expect(failed.filter((f) => f.error.includes("line_items.0.quantity")).map((f) => f.attempts)).toEqual([1]);
    expect(await orderCount("6100000000000000001")).toBe(0);
    expect(await level()).toEqual({ onHand: 40, reserved: 0 });
    const backorders = await queryRows(`SELECT "id" FROM "Allocation" WHERE "shopId" = ? AND "status" = 'backordered'`, shopId);
    expect(backorders).toEqual([]);
  });

  it("a negative price is refused, naming the line", async () => {
    const body = shopifyOrderBody({ id: "6100000000000000002", lines: [{ sku: "LIM-1", quantity: 1 }] }).replace(`"price":"21.25"`, `"price":"-21.25"`);
    const row = await deliver(body, "limits-negative-price");
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/line_items\.0\.price: "-21\.25" is negative/);
    expect(await orderCount("6100000000000000002")).toBe(0);
    expect((await level()).reserved).toBe(0);
  });

  it("a total over the money limit is refused; a large total within it is stored exactly, as an integer", async () => {
    const huge = shopifyOrderBody({ id: "6100000000000000003", lines: [{ sku: "LIM-1", quantity: 1 }] }).replace(`"total_price":"42.50"`, `"total_price":"123456789012345678.90"`);
    const row = await deliver(huge, "limits-huge-total");
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/total_price: "123456789012345678\.90" USD is over the limit of 100000000000000 minor units/);
    expect(await orderCount("6100000000000000003")).toBe(0);

    const large = shopifyOrderBody({ id: "6100000000000000004", lines: [{ sku: "LIM-1", quantity: 1 }] }).replace(`"total_price":"42.50"`, `"total_price":"999999999999.99"`);
    expect((await deliver(large, "limits-large-total")).status).toBe("processed");
    // The value's own storage type: SQLite's typeof() (a column takes any type there), PostgreSQL's pg_typeof().
    const postgres = database().dialect === "postgres";
    const kind = postgres ? `CAST(pg_typeof("totalMinor") AS TEXT)` : `typeof("totalMinor")`;
    const stored = await queryRow<{ kind: string; text: string }>(`SELECT ${kind} AS "kind", CAST("totalMinor" AS TEXT) AS "text" FROM "Order" WHERE "shopId" = ? AND "externalId" = ?`, shopId, "6100000000000000004");
    expect(stored).toEqual({ kind: postgres ? "bigint" : "integer", text: "99999999999999" });
    expect((await level()).reserved).toBe(1);
  });
});

// Every topic whose handler reads the body (app/uninstalled and shop/redact read only the shop's domain).
const BODY_TOPICS = ["orders/create", "orders/updated", "orders/cancelled", "orders/edited", "fulfillments/create", "fulfillments/update", "refunds/create", "inventory_levels/update", "customers/data_request", "customers/redact", "app/scopes_update"];

describe("a webhook body that is not JSON", () => {
  it.each(BODY_TOPICS)("%s: fails once as invalid data, with the reason on the inbox row", async (topic) => {
    const eventId = `not-json-${topic}`;
    const row = await deliver(`{"id": 1, "line_items": [`, eventId, topic);
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/payload is not valid JSON/);
    const failed = (await queue.failed()).filter((f) => f.error === row.error);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => f.attempts === 1)).toBe(true);
  });
});
