import { afterAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { runWorker } from "~/.server/queues/worker-runner";
import { onShopAuthenticated } from "~/.server/use-cases/install-shop";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { reconcileOrders } from "~/.server/use-cases/reconcile-orders";
import { sweepInbox } from "~/.server/use-cases/sweep-inbox";
import { action as postReceipt } from "~/routes/api.v1.inventory.receipts";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryRow, queryRows } from "../support/db-query";
import { findStoredValues } from "../support/find-values";
import { shopifyOrderBody } from "../support/orders";
import { webhookRequest } from "../support/webhooks";
import { addSession } from "../support/sessions";

// Shop lifecycle (installed → uninstalled → redacted) respected by every intake path: webhooks (accepted
// and processed), ingestion, the reconciliation poll, the API. Only a real install makes a shop installed.

const queue = new InProcessQueue();
setQueue(queue);
const worker = runWorker({ queue, jobs: ALL_JOBS, log: { info() {}, warn() {}, error() {} }, signals: [] });

async function deliver(shop: string, topic: string, body: string, eventId?: string) {
  const response = await receiveWebhook(webhookRequest({ topic, shop, body, eventId }), topic);
  expect(response.status).toBe(200); // whatever the shop's state: Shopify must stop sending
  await queue.whenIdle(10_000);
}

const orderCount = (domain: string) => queryRow<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ?`, domain).then((r) => r!.n);
const shopRows = (domain: string) => queryRows(`SELECT "status","name","email" FROM "Shop" WHERE "domain" = ?`, domain);
const inbox = (domain: string) => queryRows<{ topic: string; status: string; payload: string }>(`SELECT "topic","status","payload" FROM "WebhookInbox" WHERE "shopDomain" = ? ORDER BY "receivedAt"`, domain);

afterAll(() => worker.stop());

describe("after shop/redact", () => {
  const SHOP = "redacted-shop.myshopify.com";

  it("a signed orders/create stores nothing and does not bring the shop back", async () => {
    await ensureShop(SHOP);
    await deliver(SHOP, "orders/create", shopifyOrderBody({ email: "before@example.com" }));
    expect(await orderCount(SHOP)).toBe(1);
    await deliver(SHOP, "app/uninstalled", `{"id":1,"domain":"${SHOP}"}`);
    await deliver(SHOP, "shop/redact", `{"shop_id":1,"shop_domain":"${SHOP}"}`);
    expect(await shopRows(SHOP)).toEqual([{ status: "redacted", name: SHOP, email: null }]);

    await deliver(SHOP, "orders/create", shopifyOrderBody({ id: "7100000000000000001", email: "after.redact@example.com" }), "after-redact");
    expect(await shopRows(SHOP)).toEqual([{ status: "redacted", name: SHOP, email: null }]);
    expect(await orderCount(SHOP)).toBe(0);
    expect((await inbox(SHOP)).map((r) => r.topic)).toEqual(["shop/redact"]); // the request itself: domain only
    expect(await findStoredValues(["after.redact@example.com", "before@example.com", "7100000000000000001"])).toEqual([]);

    // Compliance webhooks are still answered 200 (deliver checks it); nothing is held to act on, nothing stored.
    await deliver(SHOP, "customers/redact", `{"shop_id":1,"shop_domain":"${SHOP}","customer":{"id":1,"email":"after.redact@example.com"},"orders_to_redact":[]}`);
    await deliver(SHOP, "shop/redact", `{"shop_id":1,"shop_domain":"${SHOP}"}`);
    expect(await findStoredValues(["after.redact@example.com"])).toEqual([]);
    expect(await shopRows(SHOP)).toEqual([{ status: "redacted", name: SHOP, email: null }]);
  });

  it("a real install makes it installed again (and only that)", async () => {
    await expect(ensureShop(SHOP)).rejects.toMatchObject({ code: "SHOP.NOT_INSTALLED" });
    await onShopAuthenticated(SHOP);
    await queue.whenIdle(10_000);
    expect(await shopRows(SHOP)).toEqual([{ status: "installed", name: SHOP, email: null }]); // name and email come with the shop sync
    await deliver(SHOP, "orders/create", shopifyOrderBody({ email: "back@example.com" }));
    expect(await orderCount(SHOP)).toBe(1);
  });
});

describe("after app/uninstalled", () => {
  const SHOP = "uninstalled-shop.myshopify.com";

  it("orders are answered 200 but not taken in, and their bodies are not kept", async () => {
    const shop = await ensureShop(SHOP);
    await addLocation(shop.id, "77", "dallas");
    await addSku(shop.id, "UNI", {});
    await deliver(SHOP, "orders/create", shopifyOrderBody({ email: "installed@example.com" }));
    await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
    await deliver(SHOP, "app/uninstalled", `{"id":1,"domain":"${SHOP}"}`);
    expect(await shopRows(SHOP)).toEqual([{ status: "uninstalled", name: "uninstalled-shop", email: null }]);

    await deliver(SHOP, "orders/create", shopifyOrderBody({ id: "7100000000000000002", email: "uninstalled@example.com" }), "while-uninstalled");
    await deliver(SHOP, "orders/updated", shopifyOrderBody({ id: "7100000000000000002", email: "uninstalled@example.com", updatedAt: "2026-11-21T10:00:00Z" }));
    expect(await orderCount(SHOP)).toBe(1); // only the one from before
    // Both deliveries may share a receivedAt millisecond, so compare them as a set.
    const afterUninstall = (await inbox(SHOP)).filter((r) => r.status === "ignored"); // bodies are not kept, so status marks them
    expect(afterUninstall.map((r) => [r.topic, r.status]).sort()).toEqual([["orders/create", "ignored"], ["orders/updated", "ignored"]]);
    expect(await findStoredValues(["uninstalled@example.com", "7100000000000000002"])).toEqual([]);
    expect(await shopRows(SHOP)).toEqual([{ status: "uninstalled", name: "uninstalled-shop", email: null }]); // not re-installed by a webhook
  });

  it("compliance webhooks are still taken: customers/redact anonymises the uninstalled shop's orders", async () => {
    await deliver(SHOP, "customers/redact", `{"shop_id":1,"shop_domain":"${SHOP}","customer":{"id":7220000000000000001,"email":"installed@example.com"},"orders_to_redact":[]}`);
    expect(await findStoredValues(["installed@example.com"])).toEqual([]);
  });

  it("the reconciliation poll and the receipts API take nothing in either", async () => {
    await expect(reconcileOrders(SHOP, { graphql: async () => ({ orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } }) as never })).rejects.toMatchObject({ code: "SHOP.NOT_INSTALLED" });
    // A session token minted before the uninstall (its session re-created to reach the check).
    await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
    const token = mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
    const response = await postReceipt({
      request: new Request("http://127.0.0.1:3999/api/v1/inventory/receipts", { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" }, body: JSON.stringify({ reference: "PO-UNI", lines: [{ sku: "UNI", location: "77", quantity: 5 }] }) }),
      params: {}, context: {},
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("SHOP.NOT_INSTALLED");
    expect(await queryRow(`SELECT COALESCE(SUM("onHand"), 0) AS "onHand" FROM "InventoryLevel" l JOIN "Shop" s ON s."id" = l."shopId" WHERE s."domain" = ?`, SHOP)).toEqual({ onHand: 0 });
  });
});

describe("a domain that never installed the app", () => {
  it("gets nothing processed: its orders are held, then processed when it installs", async () => {
    const SHOP = "installing-shop.myshopify.com";
    await deliver(SHOP, "orders/create", shopifyOrderBody({ id: "7100000000000000003", email: "early@example.com" }), "before-install");
    expect(await shopRows(SHOP)).toEqual([]);
    expect(await orderCount(SHOP)).toBe(0);
    expect((await inbox(SHOP)).map((r) => r.status)).toEqual(["held"]);
    await sweepInbox({ now: new Date(Date.now() + 3_600_000) }); // the sweep does not run held webhooks
    expect(await orderCount(SHOP)).toBe(0);

    await onShopAuthenticated(SHOP); // the merchant opens the app: token exchange → install
    await queue.whenIdle(10_000);
    expect(await orderCount(SHOP)).toBe(1);
    expect((await inbox(SHOP)).map((r) => r.status)).toEqual(["processed"]);
  });

  it("and deleted at retention if it never installs", async () => {
    const SHOP = "never-installed.myshopify.com";
    await deliver(SHOP, "orders/create", shopifyOrderBody({ id: "7100000000000000004", email: "never@example.com" }), "never-1");
    await deliver(SHOP, "orders/updated", shopifyOrderBody({ id: "7100000000000000004", email: "never@example.com", updatedAt: "2026-11-21T10:00:00Z" }), "never-2");
    expect((await inbox(SHOP)).map((r) => r.status)).toEqual(["held", "held"]);
    await sweepInbox({ now: new Date(Date.now() + 6 * 86_400_000) });
    expect((await inbox(SHOP)).length).toBe(2); // within retention
    await sweepInbox({ now: new Date(Date.now() + 8 * 86_400_000) });
    expect(await inbox(SHOP)).toEqual([]);
    expect(await shopRows(SHOP)).toEqual([]);
    expect(await findStoredValues(["never@example.com", "7100000000000000004"])).toEqual([]);
  });
});
