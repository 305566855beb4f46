import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_HANDLERS } from "~/.server/use-cases/process-webhook";
import { recheckInventoryLevels } from "~/.server/use-cases/recheck-inventory-levels";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { fulfillOrder, inventoryLevelPayload } from "../../sandbox/shopify/order-events";
import { queryNumber } from "../support/db-query";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// ADR 0008, shipments Shopify makes: orders placed and shipped in Shopify, units lost there, and the webhooks that
// tell us — orders/create, fulfillments/create, inventory_levels/update — delivered in any order, late (after the
// settle time has passed and the recheck has applied what it read), twice, a fulfillment before its order. Shopify's
// on hand may go below zero (it ships what it did not know it had). Once every webhook has arrived and the level
// has been looked at again, our on hand is Shopify's: no shipment counted twice, none missed; the ledger adds up
// after every step. SHIPMENT_PROPERTY_SEED=<seed> reproduces a failure.

const SHOP = "shipments-property.myshopify.com";
const RUNS = Number(process.env.SHIPMENT_PROPERTY_RUNS ?? 100);
const SEED = process.env.SHIPMENT_PROPERTY_SEED === undefined ? undefined : Number(process.env.SHIPMENT_PROPERTY_SEED);
let f: ShopFixture;
let pool: Awaited<ReturnType<ShopFixture["skuWithStock"]>>[];
let runs = 0;

beforeAll(async () => {
  f = await startShopFixture(SHOP, { throttle: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 } });
  // Runs take turns over these SKUs; each starts from where its SKU's last run ended (the two sides agreeing).
  pool = [];
  for (let i = 0; i < 24; i++) pool.push(await f.skuWithStock({ newark: 6 }));
});
afterAll(() => f.close());

type Step =
  | { kind: "place"; quantity: number }
  | { kind: "ship"; pick: number }
  | { kind: "lose"; units: number }
  | { kind: "deliver"; pick: number; again: boolean }
  | { kind: "settle" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("place" as const), quantity: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("ship" as const), pick: fc.nat(20) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("lose" as const), units: fc.integer({ min: 1, max: 2 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat(20), again: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("settle" as const) }), weight: 2 },
);

interface Pending { topic: string; body: string }

describe("Shopify's shipments mirrored, whatever order their webhooks arrive in", () => {
  it("our on hand ends at Shopify's: every shipment and loss counted once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 16 }), async (steps) => {
        const item = pool[runs++ % pool.length];
        const newark = f.site("newark");
        const state = f.sandbox.store.shop(SHOP);
        const shopify = () => f.sandbox.store.level(state, item.inventoryItemId, newark.shopifyId)!.quantities.on_hand;
        const ledger = () => queryNumber(`SELECT COALESCE(SUM("delta"), 0) AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "bucket" = 'on_hand'`, f.shopId, item.variantId, newark.id);
        const levelUpdate = (): Pending => ({ topic: "inventory_levels/update", body: toExactJson(inventoryLevelPayload(f.sandbox.store, SHOP, item.inventoryItemId, newark.shopifyId)) });
        const placed: bigint[] = [];
        const inbox: Pending[] = [];
        let hours = 0;
        // A webhook's work, as the job runs it; a fulfillment ahead of its order is refused (retried later by the job).
        const run = async (p: Pending): Promise<boolean> => {
          try {
            await WEBHOOK_HANDLERS[p.topic](SHOP, p.body, { triggeredAt: null });
            return true;
          } catch (error) {
            if ((error as { code?: string }).code === "FULFILLMENT.ORDER_UNKNOWN") return false;
            throw error;
          }
        };
        for (const s of steps) {
          if (s.kind === "place") {
            const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: s.quantity }] });
            placed.push(order.id);
            inbox.push({ topic: "orders/create", body: toExactJson(order) });
          }
          if (s.kind === "ship" && placed.length > 0) {
            const id = placed[s.pick % placed.length];
            // Only an open fulfillment order ships (the app may have put one on hold: a backorder).
            if (f.sandbox.store.fulfillmentOrdersOf(state, id).some((fo) => fo.status === "OPEN" || fo.status === "IN_PROGRESS")) {
              placed.splice(placed.indexOf(id), 1);
              inbox.push({ topic: "fulfillments/create", body: toExactJson(fulfillOrder(f.sandbox.store, SHOP, id)) }, levelUpdate());
            }
          }
          if (s.kind === "lose") {
            f.sandbox.store.adjustOnHand(state, item.inventoryItemId, newark.shopifyId, -s.units);
            inbox.push(levelUpdate());
          }
          if (s.kind === "deliver" && inbox.length > 0) {
            const i = s.pick % inbox.length;
            if ((await run(inbox[i])) && !s.again) inbox.splice(i, 1);
          }
          if (s.kind === "settle") await recheckInventoryLevels({ now: new Date(Date.now() + ++hours * 3_600_000) });
          expect(await ledger()).toBe((await f.level(item.variantId, "newark")).onHand);
        }
        // Everything arrives in the end (a fulfillment refused for its order goes again after it), and the level is looked at again.
        for (let round = 0; inbox.length > 0 && round < 10; round++) {
          for (const p of [...inbox]) if (await run(p)) inbox.splice(inbox.indexOf(p), 1);
        }
        expect(inbox).toEqual([]);
        await f.queue.whenIdle(20_000);
        await recheckInventoryLevels({ now: new Date(Date.now() + (hours + 1) * 3_600_000) });
        expect({ ours: (await f.level(item.variantId, "newark")).onHand }).toEqual({ ours: shopify() });
        expect(await ledger()).toBe((await f.level(item.variantId, "newark")).onHand);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);
});
