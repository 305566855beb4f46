import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushOnHandJob } from "~/.server/jobs/definitions";
import { JOB, setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { adminGraphql } from "~/.server/shopify/admin-graphql";
import { INVENTORY_ADJUST_ON_HAND_MUTATION, type InventoryAdjustOnHandResult, type InventoryAdjustOnHandVariables } from "~/.server/shopify/graphql/inventory-adjust-on-hand-mutation";
import { pushOnHand } from "~/.server/use-cases/push-on-hand";
import { syncInventoryLevel } from "~/.server/use-cases/sync-inventory-level";
import { action as postReceipt } from "~/routes/api.v1.inventory.receipts";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { execute, queryNumber, queryRow } from "../support/db-query";

// ADR 0008: the app's own on-hand changes reach Shopify by compare-and-set with an idempotency key, and never
// come back as external changes. Everything goes through the Shopify stand-in over HTTP.

const SHOP = "on-hand-push.myshopify.com";
const seed = demoShopSeed(SHOP);
const idle = new InProcessQueue(); // jobs enqueued here never run: the tests below drive pushOnHand themselves
setQueue(idle);
let sandbox: ShopifySandbox;
let unroute: () => void;
let shopId: string;

const legacy = (gid: string) => gid.split("/").pop()!;
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const receipt = (reference: string, lines: { sku: string; location: string; quantity: number }[]) =>
  postReceipt({ request: new Request("http://127.0.0.1:3999/api/v1/inventory/receipts", { method: "POST", headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" }, body: JSON.stringify({ reference, lines }) }), params: {}, context: {} });

beforeAll(async () => {
  sandbox = await startShopifySandbox({ port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:1", shops: [seed] });
  unroute = routeShopTrafficTo(sandbox.url);
  await seedDemoShop(seed);
  await execute(`INSERT INTO "Session" ("id","shop","state","isOnline","accessToken","scope","expires") VALUES (?,?,'',?,?,?,?)`, `offline_${SHOP}`, SHOP, false, sandbox.issueAccessToken(SHOP), "read_inventory,write_inventory", new Date(Date.now() + 86_400_000));
  shopId = (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, SHOP))!.id;
});
afterAll(async () => {
  await idle.close();
  unroute();
  await sandbox.close();
});

/** A stocked level of the demo catalogue: the variant's SKU and Shopify ids, and ours. */
async function stockedLevel(index: number) {
  const variant = seed.products.flatMap((p) => p.variants).filter((v) => Object.keys(v.stock).length > 0)[index];
  const locationGid = Object.keys(variant.stock)[0];
  const variantId = (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopId, variant.sku))!.id;
  const locationId = (await queryRow<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND "externalId" = ?`, shopId, legacy(locationGid)))!.id;
  const item = BigInt(legacy(variant.inventoryItemId));
  const location = BigInt(legacy(locationGid));
  return {
    sku: variant.sku, variantId, locationId, locationExternalId: legacy(locationGid),
    shopify: () => sandbox.store.level(sandbox.store.shop(SHOP), item, location)!.quantities.on_hand,
    editInShopify: (onHand: number) => sandbox.store.stock(sandbox.store.shop(SHOP), item, location, onHand),
    ours: async () => queryNumber(`SELECT "onHand" AS "n" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variantId, locationId),
    webhook: (updatedAt: string) => syncInventoryLevel(SHOP, `{"inventory_item_id":${item},"location_id":${location},"available":null,"updated_at":"${updatedAt}","admin_graphql_api_id":"gid://shopify/InventoryLevel/${location}?inventory_item_id=${item}"}`),
    pushes: () => queryRow<{ open: number; sent: number }>(`SELECT SUM(CASE WHEN "status" IN ('pending','sending') THEN 1 ELSE 0 END) AS "open", SUM(CASE WHEN "status" = 'sent' THEN 1 ELSE 0 END) AS "sent" FROM "StockPush" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variantId, locationId),
  };
}

/**
 * Shopify's webhook for a write arrives after it (seconds later in production). A reading taken in the very
 * millisecond a push was confirmed cannot be told from before it, and is rightly deferred to the recheck.
 */
const later = () => new Promise((resolve) => setTimeout(resolve, 5));

const realSend = (shop: string, variables: InventoryAdjustOnHandVariables) => adminGraphql<InventoryAdjustOnHandResult>(shop, INVENTORY_ADJUST_ON_HAND_MUTATION, variables as unknown as Record<string, unknown>);

describe("on hand written back to Shopify", () => {
  it("a receipt posted through the API leaves Shopify's on hand equal to ours, and the inventory_levels/update that follows changes nothing", async () => {
    const level = await stockedLevel(0);
    const before = level.shopify();
    expect(await level.ours()).toBe(before);
    const response = await receipt("PO-500", [{ sku: level.sku, location: level.locationExternalId, quantity: 7 }]);
    expect(response.status).toBe(200);
    expect(await level.ours()).toBe(before + 7); // ours at once: backorders need not wait for Shopify
    expect((await idle.counts()).waiting).toBeGreaterThan(0); // the receipt enqueued its push (not run on this queue)
    // The same job, run by a worker as in production.
    const worker = new InProcessQueue();
    setQueue(worker);
    try {
      worker.process(JOB.pushOnHand, (job) => pushOnHandJob.perform(job as never), { concurrency: pushOnHandJob.concurrency });
      await worker.enqueue(JOB.pushOnHand, { shopId, variantId: level.variantId, locationId: level.locationId }, { jobId: "after-receipt" });
      await worker.whenIdle();
    } finally {
      await worker.close();
      setQueue(idle);
    }
    expect(level.shopify()).toBe(before + 7);
    expect(await level.pushes()).toEqual({ open: 0, sent: 1 });
    // Shopify tells us about the change we made: it is recognised as ours.
    await later();
    expect(await level.webhook("2026-12-04T10:00:00Z")).toEqual({ outcome: "unchanged", delta: 0 });
    expect(await level.ours()).toBe(before + 7);
    const pushed = await queryRow<{ data: string }>(`SELECT "data" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'inventory.pushed' AND "subjectId" = ?`, shopId, level.variantId);
    expect(JSON.parse(pushed!.data)).toMatchObject({ changeFrom: before, quantity: before + 7, pushes: 1 });
  });

  it("a change made in Shopify meanwhile is detected (compare-and-set refused), taken in, and not overwritten", async () => {
    const level = await stockedLevel(1);
    const before = level.shopify();
    await receipt("PO-501", [{ sku: level.sku, location: level.locationExternalId, quantity: 5 }]);
    level.editInShopify(before + 3); // someone received 3 units in Shopify's admin before our push went out
    const sent: InventoryAdjustOnHandVariables[] = [];
    const recording = (shop: string, variables: InventoryAdjustOnHandVariables) => (sent.push(variables), realSend(shop, variables));
    const outcome = await pushOnHand(shopId, level.variantId, level.locationId, { send: recording });
    expect(outcome).toMatchObject({ refused: 1, sent: 1 });
    // First from the figure we last agreed on (refused), then from Shopify's, each its own request.
    expect(sent.map((v) => v.input.changes[0])).toMatchObject([{ changeFromQuantity: before, delta: 5 }, { changeFromQuantity: before + 3, delta: 5 }]);
    expect(sent[0].idempotencyKey).not.toBe(sent[1].idempotencyKey);
    expect(sent[1].input).toMatchObject({ name: "on_hand", reason: "received", referenceDocumentUri: "oms://receipt/PO-501" });
    expect(level.shopify()).toBe(before + 3 + 5); // their 3 kept, our 5 added
    expect(await level.ours()).toBe(before + 3 + 5);
    await later();
    expect(await level.webhook("2026-12-04T10:05:00Z")).toEqual({ outcome: "unchanged", delta: 0 });
  });

  it("a reply lost in transit: the same batch is sent again with the same key and applies once", async () => {
    const level = await stockedLevel(2);
    const before = level.shopify();
    await receipt("PO-502", [{ sku: level.sku, location: level.locationExternalId, quantity: 4 }]);
    let lost = 0;
    const losesReply = async (shop: string, variables: InventoryAdjustOnHandVariables) => {
      await realSend(shop, variables); // Shopify applies it...
      lost += 1;
      throw new Error("socket hang up"); // ...and the answer never reaches us
    };
    await expect(pushOnHand(shopId, level.variantId, level.locationId, { send: losesReply })).rejects.toThrow("socket hang up");
    expect(level.shopify()).toBe(before + 4);
    // While the batch is unconfirmed, Shopify's figure cannot be told from our own write: the webhook waits.
    expect(await level.webhook("2026-12-04T10:10:00Z")).toMatchObject({ outcome: "deferred", delta: 0 });
    expect(await level.ours()).toBe(before + 4);
    expect(await pushOnHand(shopId, level.variantId, level.locationId)).toMatchObject({ sent: 1, refused: 0 });
    expect(lost).toBe(1);
    expect(level.shopify()).toBe(before + 4); // not before + 8
    expect(await level.pushes()).toEqual({ open: 0, sent: 1 });
    await later();
    expect(await level.webhook("2026-12-04T10:11:00Z")).toEqual({ outcome: "unchanged", delta: 0 });
  });

  it("Shopify below zero (more shipped than it knew it had): ours follows it there, and a receipt raises both from it", async () => {
    const level = await stockedLevel(4);
    level.editInShopify(-3);
    expect(await level.webhook("2026-12-04T10:30:00Z")).toMatchObject({ outcome: "decrease" });
    expect(await level.ours()).toBe(-3);
    await receipt("PO-503", [{ sku: level.sku, location: level.locationExternalId, quantity: 2 }]);
    expect(await level.ours()).toBe(-1);
    expect(await pushOnHand(shopId, level.variantId, level.locationId)).toMatchObject({ sent: 1, refused: 0 });
    expect(level.shopify()).toBe(-1);
    await later();
    expect(await level.webhook("2026-12-04T10:31:00Z")).toEqual({ outcome: "unchanged", delta: 0 });
    await receipt("PO-504", [{ sku: level.sku, location: level.locationExternalId, quantity: 5 }]);
    expect(await pushOnHand(shopId, level.variantId, level.locationId)).toMatchObject({ sent: 1, refused: 0 });
    expect([level.shopify(), await level.ours()]).toEqual([4, 4]);
  });

  it("Shopify went below zero before our receipt's push: refused once, taken in, then the receipt is added to Shopify's figure", async () => {
    const level = await stockedLevel(5);
    level.editInShopify(-2); // not told to us yet
    await receipt("PO-505", [{ sku: level.sku, location: level.locationExternalId, quantity: 3 }]);
    expect(await pushOnHand(shopId, level.variantId, level.locationId)).toMatchObject({ refused: 1, sent: 1 });
    expect([level.shopify(), await level.ours()]).toEqual([1, 1]);
  });

  it("an edit made in Shopify while nothing of ours is open arrives by webhook and is applied once", async () => {
    const level = await stockedLevel(3);
    const before = level.shopify();
    level.editInShopify(before + 6);
    expect(await level.webhook("2026-12-04T10:20:00Z")).toMatchObject({ outcome: "arrival", delta: 6 });
    expect(await level.webhook("2026-12-04T10:20:00Z")).toEqual({ outcome: "unchanged", delta: 0 });
    expect(await level.ours()).toBe(before + 6);
  });
});
