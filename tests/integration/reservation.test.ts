import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { receiveStock } from "~/.server/use-cases/receive-stock";
import { decodeDecision } from "~/domain/routing";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryNumber, queryRow, queryRows } from "../support/db-query";

// Reservation the moment an order lands, never below zero; backorders filled oldest first.

const SHOP = "reserve-test.myshopify.com";
setQueue(new InProcessQueue()); // apply-routing jobs are recorded, not run, here
let shopId: string;
let newark: string;
let dallas: string;

async function level(sku: string, locationId: string) {
  const row = await queryRow<{ onHand: number; reserved: number }>(
    `SELECT i."onHand" AS "onHand", i."reserved" AS "reserved" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" WHERE i."shopId" = ? AND i."locationId" = ? AND v."sku" = ?`,
    shopId, locationId, sku,
  );
  if (!row) throw new Error(`No level of ${sku} at ${locationId}`);
  return row;
}

const orderStatus = async (orderId: string) => (await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, orderId))?.status;
const allocatedOfSku = (status: string, sku: string) =>
  queryNumber(`SELECT SUM(a."quantity") AS "n" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE a."shopId" = ? AND a."status" = ? AND l."sku" = ?`, shopId, status, sku);
const hotOrders = (status: string) => queryNumber(`SELECT COUNT(*) AS "n" FROM "Order" WHERE "shopId" = ? AND "status" = ? AND "externalId" LIKE 'hot-%'`, shopId, status);

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  newark = (await addLocation(shopId, "1", "newark")).id;
  dallas = (await addLocation(shopId, "2", "dallas")).id;
});

describe("reservation under concurrency", () => {
  it("100 concurrent orders for a SKU with 10 units: exactly 10 reserved, 90 backordered, never negative; 30 received fill the 30 oldest, in order", async () => {
    await addSku(shopId, "HOT", { [newark]: 10 });
    const orders = Array.from({ length: 100 }, (_, i) => channelOrder([{ sku: "HOT", quantity: 1 }], { externalId: `hot-${i}`, placedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString() }));
    const outcomes = await Promise.all(orders.map((o) => ingestOn(SHOP, "manual", o)));
    expect(outcomes.every((o) => o.kind === "created")).toBe(true);

    const hot = await level("HOT", newark);
    expect(hot.reserved).toBe(10);
    expect(hot.onHand - hot.reserved).toBe(0);
    expect(await allocatedOfSku("reserved", "HOT")).toBe(10);
    expect(await allocatedOfSku("backordered", "HOT")).toBe(90);
    expect(await hotOrders("reserved")).toBe(10);
    expect(await hotOrders("backordered")).toBe(90);
    const variant = (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopId, "HOT"))!;
    const ledger = await queryNumber(`SELECT SUM("delta") AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "bucket" = 'reserved' AND "variantId" = ?`, shopId, variant.id);
    expect(ledger).toBe(10); // the ledger agrees with the level

    const arrival = { variantId: variant.id, locationId: dallas, quantity: 30, reason: "received", idempotencyKey: "po-1:line-1" };
    const first = await receiveStock(shopId, arrival);
    expect(first.filled).toHaveLength(30);
    expect((await receiveStock(shopId, arrival)).applied).toBe(false); // the same receipt twice adds nothing

    const stillWaiting = await queryRows<{ externalId: string; placedAt: string }>(
      `SELECT "externalId","placedAt" FROM "Order" WHERE "shopId" = ? AND "status" = 'backordered' AND "externalId" LIKE 'hot-%' ORDER BY "placedAt"`, shopId,
    );
    expect(stillWaiting).toHaveLength(60);
    // the 30 oldest backorders, filled in order of age
    const filledInOrder = await Promise.all(first.filled.map(async (f) => (await queryRow<{ placedAt: string }>(`SELECT "placedAt" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, f.orderId))!));
    const times = filledInOrder.map((o) => new Date(o.placedAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(Math.min(...stillWaiting.map((o) => new Date(o.placedAt).getTime())));
    const dallasLevel = await level("HOT", dallas);
    expect(dallasLevel.reserved).toBe(30);
    expect(dallasLevel.onHand - dallasLevel.reserved).toBe(0);
  });

  it("a cancel releases its stock to the oldest backorder", async () => {
    await addSku(shopId, "PAIR", { [newark]: 1 });
    const a = await ingestOn(SHOP, "manual", channelOrder([{ sku: "PAIR", quantity: 1 }], { externalId: "pair-a", placedAt: "2026-11-01T00:00:00Z" }));
    const b = await ingestOn(SHOP, "manual", channelOrder([{ sku: "PAIR", quantity: 1 }], { externalId: "pair-b", placedAt: "2026-11-02T00:00:00Z" }));
    expect(await orderStatus(b.orderId)).toBe("backordered");
    const cancelled = channelOrder([{ sku: "PAIR", quantity: 1 }], { externalId: "pair-a", placedAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-03T00:00:00Z", cancelledAt: "2026-11-03T00:00:00Z" });
    cancelled.lines[0].externalId = (await queryRow<{ externalId: string }>(`SELECT "externalId" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, shopId, a.orderId))!.externalId;
    expect((await ingestOn(SHOP, "manual", cancelled)).kind).toBe("cancelled");
    expect(await orderStatus(a.orderId)).toBe("cancelled");
    expect(await orderStatus(b.orderId)).toBe("reserved");
    expect((await level("PAIR", newark)).reserved).toBe(1);
  });

  it("routes to the cheaper location and records the explanation", async () => {
    await addSku(shopId, "WIDE", { [newark]: 5, [dallas]: 5 });
    const near = await ingestOn(SHOP, "manual", channelOrder([{ sku: "WIDE", quantity: 1 }], { city: "dallas" }));
    const allocation = await queryRow<{ locationId: string | null }>(
      `SELECT a."locationId" AS "locationId" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE a."shopId" = ? AND l."orderId" = ?`, shopId, near.orderId,
    );
    expect(allocation?.locationId).toBe(dallas);
    const decision = (await queryRow<{ decidedBy: string; explanation: string }>(`SELECT "decidedBy","explanation" FROM "RoutingDecision" WHERE "shopId" = ? AND "orderId" = ?`, shopId, near.orderId))!;
    expect(decision.decidedBy).toBeTruthy();
    expect(decodeDecision(decision.explanation).explanation.candidates.length).toBeGreaterThan(0);
  });

  it("a duplicate or older payload reserves nothing more", async () => {
    await addSku(shopId, "ONCE", { [newark]: 5 });
    const order = channelOrder([{ sku: "ONCE", quantity: 2 }], { externalId: "once-1" });
    await ingestOn(SHOP, "manual", order);
    expect((await ingestOn(SHOP, "manual", order)).kind).toBe("stale");
    expect((await level("ONCE", newark)).reserved).toBe(2);
  });
});
