import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStockConsistency } from "~/.server/use-cases/check-stock-consistency";
import { receiveStock } from "~/.server/use-cases/receive-stock";
import { loader as healthz } from "~/routes/healthz";
import { cancelOrder } from "../../sandbox/shopify/order-factory";
import { cancelFulfillment, fulfillOrder, refundOrder } from "../../sandbox/shopify/order-events";
import { execute, queryRow } from "../support/db-query";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// The stock consistency check (operators: `npm run check:stock`, `/healthz?check=stock`; tests): per level,
// the ledger sums to on hand and reserved, open reservations sum to reserved, no bucket is negative.

const SHOP = "stock-check.myshopify.com";
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

const checkScript = () =>
  promisify(execFile)("npx", ["tsx", "scripts/check-stock.ts"], { env: { ...process.env }, cwd: process.cwd() })
    .then(({ stdout }) => ({ code: 0, stdout }))
    .catch((error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));

describe("checkStockConsistency", () => {
  it("finds nothing after orders, backorders, shipments, a cancelled shipment, a return, a receipt and a cancel", async () => {
    const item = await f.skuWithStock({ newark: 3, dallas: 1 });
    const a = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    const b = await f.placeOrder([{ sku: item.sku, quantity: 3 }]); // partly backordered
    const shipped = fulfillOrder(f.sandbox.store, SHOP, a.id, { lines: [{ lineItemId: a.line_items[0].id, quantity: 1 }] });
    await f.deliver("fulfillments/create", shipped);
    await f.deliver("fulfillments/update", cancelFulfillment(f.sandbox.store, SHOP, shipped.id));
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, a.id));
    await f.deliver("refunds/create", refundOrder(f.sandbox.store, SHOP, a.id, [{ lineItemId: a.line_items[0].id, quantity: 1, restockType: "return" }]));
    await receiveStock(f.shopId, { variantId: item.variantId, locationId: f.site("reno").id, quantity: 2, reason: "received", idempotencyKey: "check-test:po-1" });
    await f.deliver("orders/cancelled", cancelOrder(f.sandbox.store, SHOP, b.id));

    expect(await checkStockConsistency(f.shopId)).toEqual([]);
    expect((await checkScript()).code).toBe(0);
    const health = await healthz({ request: new Request("http://127.0.0.1/healthz?check=stock") });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, stock: { ok: true, discrepancies: 0 } });
  });

  it("names each level that does not add up, by SKU and location; the script exits 1 and /healthz?check=stock answers 503", async () => {
    const item = await f.skuWithStock({ newark: 4 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    const newark = f.site("newark").id;
    // A level changed outside the ledger, and a reservation that no longer matches its level.
    await execute(`UPDATE "InventoryLevel" SET "onHand" = "onHand" + 1 WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, f.shopId, item.variantId, newark);
    const allocation = await queryRow<{ id: string }>(
      `SELECT a."id" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId" WHERE o."shopId" = ? AND o."externalId" = ? AND a."status" = 'reserved'`,
      f.shopId, String(order.id),
    );
    await execute(`UPDATE "Allocation" SET "quantity" = 1 WHERE "shopId" = ? AND "id" = ?`, f.shopId, allocation!.id);

    const found = await checkStockConsistency(f.shopId);
    expect(found).toEqual([
      { kind: "ledger_on_hand", variantId: item.variantId, locationId: newark, level: 5, expected: 4, sku: item.sku, location: expect.any(String) },
      { kind: "allocations_reserved", variantId: item.variantId, locationId: newark, level: 2, expected: 1, sku: item.sku, location: expect.any(String) },
    ]);

    const script = await checkScript();
    expect(script.code).toBe(1);
    expect(script.stdout).toContain(`DRIFT ${SHOP} ledger_on_hand: ${item.sku}`);
    const health = await healthz({ request: new Request("http://127.0.0.1/healthz?check=stock") });
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, db: "ok", stock: { ok: false, discrepancies: 2 } });
    // The plain probe (load balancers) does not scan the ledgers and stays green.
    expect((await healthz({ request: new Request("http://127.0.0.1/healthz") })).status).toBe(200);
  });
});
