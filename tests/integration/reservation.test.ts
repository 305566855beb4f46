import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { ingestChannelOrder } from "~/.server/use-cases/ingest-channel-order";
import { receiveStock } from "~/.server/use-cases/receive-stock";
import { decodeDecision } from "~/domain/routing";
import { addLocation, addSku, channelOrder } from "../support/catalog";

// Reservation the moment an order lands, never below zero; backorders filled oldest first.

const SHOP = "reserve-test.myshopify.com";
setQueue(new InProcessQueue()); // apply-routing jobs are recorded, not run, here
let shopId: string;
let newark: string;
let dallas: string;

async function level(sku: string, locationId: string) {
  return db().inventoryLevel.findFirstOrThrow({ where: { shopId, locationId, variant: { sku } } });
}

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  newark = (await addLocation(shopId, "1", "newark")).id;
  dallas = (await addLocation(shopId, "2", "dallas")).id;
});

describe("reservation under concurrency", () => {
  it("100 concurrent orders for a SKU with 10 units: exactly 10 reserved, 90 backordered, never negative; 30 received fill the 30 oldest, in order", async () => {
    await addSku(shopId, "HOT", { [newark]: 10 });
    const orders = Array.from({ length: 100 }, (_, i) => channelOrder([{ sku: "HOT", quantity: 1 }], { externalId: `hot-${i}`, placedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString() }));
    const outcomes = await Promise.all(orders.map((o) => ingestChannelOrder(SHOP, "manual", o)));
    expect(outcomes.every((o) => o.kind === "created")).toBe(true);

    const hot = await level("HOT", newark);
    expect(hot.reserved).toBe(10);
    expect(hot.onHand - hot.reserved).toBe(0);
    const reserved = await db().allocation.aggregate({ where: { shopId, status: "reserved", orderLine: { sku: "HOT" } }, _sum: { quantity: true } });
    const backordered = await db().allocation.aggregate({ where: { shopId, status: "backordered", orderLine: { sku: "HOT" } }, _sum: { quantity: true } });
    expect(reserved._sum.quantity).toBe(10);
    expect(backordered._sum.quantity).toBe(90);
    expect(await db().order.count({ where: { shopId, status: "reserved", externalId: { startsWith: "hot-" } } })).toBe(10);
    expect(await db().order.count({ where: { shopId, status: "backordered", externalId: { startsWith: "hot-" } } })).toBe(90);
    const variant = await db().variant.findFirstOrThrow({ where: { shopId, sku: "HOT" } });
    const ledger = await db().inventoryLedgerEntry.aggregate({ where: { shopId, bucket: "reserved", variantId: variant.id }, _sum: { delta: true } });
    expect(ledger._sum.delta).toBe(10); // the ledger agrees with the level

    const arrival = { variantId: variant.id, locationId: dallas, quantity: 30, reason: "received", idempotencyKey: "po-1:line-1" };
    const first = await receiveStock(shopId, arrival);
    expect(first.filled).toHaveLength(30);
    expect((await receiveStock(shopId, arrival)).applied).toBe(false); // the same receipt twice adds nothing

    const stillWaiting = await db().order.findMany({ where: { shopId, status: "backordered", externalId: { startsWith: "hot-" } }, orderBy: { placedAt: "asc" }, select: { externalId: true, placedAt: true } });
    expect(stillWaiting).toHaveLength(60);
    // the 30 oldest backorders, filled in order of age
    const filledInOrder = await Promise.all(first.filled.map((f) => db().order.findUniqueOrThrow({ where: { id: f.orderId }, select: { placedAt: true } })));
    const times = filledInOrder.map((o) => o.placedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(Math.min(...stillWaiting.map((o) => o.placedAt.getTime())));
    const dallasLevel = await level("HOT", dallas);
    expect(dallasLevel.reserved).toBe(30);
    expect(dallasLevel.onHand - dallasLevel.reserved).toBe(0);
  });

  it("a cancel releases its stock to the oldest backorder", async () => {
    await addSku(shopId, "PAIR", { [newark]: 1 });
    const a = await ingestChannelOrder(SHOP, "manual", channelOrder([{ sku: "PAIR", quantity: 1 }], { externalId: "pair-a", placedAt: "2026-11-01T00:00:00Z" }));
    const b = await ingestChannelOrder(SHOP, "manual", channelOrder([{ sku: "PAIR", quantity: 1 }], { externalId: "pair-b", placedAt: "2026-11-02T00:00:00Z" }));
    expect((await db().order.findUniqueOrThrow({ where: { id: b.orderId } })).status).toBe("backordered");
    const cancelled = channelOrder([{ sku: "PAIR", quantity: 1 }], { externalId: "pair-a", placedAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-03T00:00:00Z", cancelledAt: "2026-11-03T00:00:00Z" });
    cancelled.lines[0].externalId = (await db().orderLine.findFirstOrThrow({ where: { orderId: a.orderId } })).externalId;
    expect((await ingestChannelOrder(SHOP, "manual", cancelled)).kind).toBe("cancelled");
    expect((await db().order.findUniqueOrThrow({ where: { id: a.orderId } })).status).toBe("cancelled");
    expect((await db().order.findUniqueOrThrow({ where: { id: b.orderId } })).status).toBe("reserved");
    expect((await level("PAIR", newark)).reserved).toBe(1);
  });

  it("routes to the cheaper location and records the explanation", async () => {
    await addSku(shopId, "WIDE", { [newark]: 5, [dallas]: 5 });
    const near = await ingestChannelOrder(SHOP, "manual", channelOrder([{ sku: "WIDE", quantity: 1 }], { city: "dallas" }));
    const allocation = await db().allocation.findFirstOrThrow({ where: { orderLine: { orderId: near.orderId } } });
    expect(allocation.locationId).toBe(dallas);
    const decision = await db().routingDecision.findFirstOrThrow({ where: { orderId: near.orderId } });
    expect(decision.decidedBy).toBeTruthy();
    expect(decodeDecision(decision.explanation).explanation.candidates.length).toBeGreaterThan(0);
  });

  it("a duplicate or older payload reserves nothing more", async () => {
    await addSku(shopId, "ONCE", { [newark]: 5 });
    const order = channelOrder([{ sku: "ONCE", quantity: 2 }], { externalId: "once-1" });
    await ingestChannelOrder(SHOP, "manual", order);
    expect((await ingestChannelOrder(SHOP, "manual", order)).kind).toBe("stale");
    expect((await level("ONCE", newark)).reserved).toBe(2);
  });
});
