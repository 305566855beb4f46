import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_HANDLERS } from "~/.server/use-cases/process-webhook";
import { recheckInventoryLevels } from "~/.server/use-cases/recheck-inventory-levels";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { cancelFulfillment, fulfillOrder, inventoryLevelPayload, refundOrder } from "../../sandbox/shopify/order-events";
import { queryNumber } from "../support/db-query";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// ADR 0008, shipments Shopify makes: orders placed and shipped in Shopify, shipments cancelled and units returned
// there (Shopify restocks both itself), units lost there, and the webhooks that tell us — orders/create,
// fulfillments/create and /update, refunds/create, inventory_levels/update — delivered in any order, late (after the
// settle time has passed and the recheck has applied what it read), twice, a fulfillment before its order. Shopify's
// on hand may go below zero (it ships what it did not know it had). Once every webhook has arrived and the level
// has been looked at again, our on hand is Shopify's: no shipment or restock counted twice, none missed; the ledger
// adds up after every step. SHIPMENT_PROPERTY_SEED=<seed> reproduces a failure.

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
  | { kind: "cancel"; pick: number }
  | { kind: "return"; pick: number; units: number }
  | { kind: "deliver"; pick: number; again: boolean }
  | { kind: "settle" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("place" as const), quantity: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("ship" as const), pick: fc.nat(20) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("lose" as const), units: fc.integer({ min: 1, max: 2 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(20) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("return" as const), pick: fc.nat(20), units: fc.integer({ min: 1, max: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat(20), again: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("settle" as const) }), weight: 2 },
);

interface Pending { topic: string; body: string }

describe("Shopify's shipments mirrored, whatever order their webhooks arrive in", () => {
  it("our on hand ends at Shopify's: every shipment, restock and loss counted once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 16 }), async (steps) => {
        const item = pool[runs++ % pool.length];
        const newark = f.site("newark");
        const state = f.sandbox.store.shop(SHOP);
        const shopify = () => f.sandbox.store.level(state, item.inventoryItemId, newark.shopifyId)!.quantities.on_hand;
        const ledger = () => queryNumber(`SELECT COALESCE(SUM("delta"), 0) AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "bucket" = 'on_hand'`, f.shopId, item.variantId, newark.id);
        const levelUpdate = (): Pending => ({ topic: "inventory_levels/update", body: toExactJson(inventoryLevelPayload(f.sandbox.store, SHOP, item.inventoryItemId, newark.shopifyId)) });
        const lossesBefore = await queryNumber(`SELECT "unexplainedDecrease" AS "n" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, f.shopId, item.variantId, newark.id);
        let belowZero = false;
        const placed: bigint[] = [];
        // Shipments made: cancellable until units of their order are returned; returnable while not cancelled.
        const shipments: { id: bigint; orderId: bigint; lineItemId: bigint; units: number; cancelled: boolean }[] = [];
        const returned = new Map<bigint, number>();
        const inbox: Pending[] = [];
        let hours = 0;
        // A webhook's work, as the job runs it; a fulfillment or refund ahead of its order is refused (retried later by the job).
        const run = async (p: Pending): Promise<boolean> => {
          try {
            await WEBHOOK_HANDLERS[p.topic](SHOP, p.body, { triggeredAt: null });
            return true;
          } catch (error) {
            if (["FULFILLMENT.ORDER_UNKNOWN", "REFUND.ORDER_UNKNOWN"].includes((error as { code?: string }).code ?? "")) return false;
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
              const shipment = fulfillOrder(f.sandbox.store, SHOP, id);
              shipments.push({ id: shipment.id, orderId: id, lineItemId: shipment.line_items[0].id, units: shipment.line_items[0].quantity, cancelled: false });
              inbox.push({ topic: "fulfillments/create", body: toExactJson(shipment) }, levelUpdate());
            }
          }
          if (s.kind === "cancel") {
            const open = shipments.filter((x) => !x.cancelled && !returned.has(x.orderId));
            const shipment = open[s.pick % Math.max(open.length, 1)];
            if (shipment) {
              shipment.cancelled = true;
              inbox.push({ topic: "fulfillments/update", body: toExactJson(cancelFulfillment(f.sandbox.store, SHOP, shipment.id)) }, levelUpdate());
            }
          }
          if (s.kind === "return") {
            const open = shipments.filter((x) => !x.cancelled && x.units > (returned.get(x.orderId) ?? 0));
            const shipment = open[s.pick % Math.max(open.length, 1)];
            if (shipment) {
              const units = Math.min(s.units, shipment.units - (returned.get(shipment.orderId) ?? 0));
              returned.set(shipment.orderId, (returned.get(shipment.orderId) ?? 0) + units);
              const refund = refundOrder(f.sandbox.store, SHOP, shipment.orderId, [{ lineItemId: shipment.lineItemId, quantity: units, restockType: "return" }]);
              inbox.push({ topic: "refunds/create", body: toExactJson(refund) }, levelUpdate());
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
          belowZero ||= shopify() < 0;
        }
        // Everything arrives in the end (a fulfillment refused for its order goes again after it), and the level is looked at again.
        for (let round = 0; inbox.length > 0 && round < 10; round++) {
          for (const p of [...inbox]) if (await run(p)) inbox.splice(inbox.indexOf(p), 1);
        }
        expect(inbox).toEqual([]);
        await f.queue.whenIdle(20_000);
        // Without losses every change of Shopify's figure has a webhook that explains it: the two agree before any
        // recheck. Not so when a loss an earlier run left unexplained was claimed by a shipment of this one, or when
        // Shopify shipped past zero (ours stops at zero): the reading that follows waits for the open orders, and
        // only the recheck settles it.
        if (!steps.some((s) => s.kind === "lose") && lossesBefore === 0 && !belowZero) expect({ ours: (await f.level(item.variantId, "newark")).onHand }, "before the recheck").toEqual({ ours: shopify() });
        await recheckInventoryLevels({ now: new Date(Date.now() + (hours + 1) * 3_600_000) });
        expect({ ours: (await f.level(item.variantId, "newark")).onHand }).toEqual({ ours: shopify() });
        expect(await ledger()).toBe((await f.level(item.variantId, "newark")).onHand);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);
});
