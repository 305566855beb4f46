import { describe, expect, it } from "vitest";
import { addLocation, addSku, channelOrder, ingestOn } from "../../../tests/support/catalog";
import { ensureShop } from "./shops";
import { queryRow, queryRows } from "../../../tests/support/db-query";
import { database } from "./database";
import { newId, sqlTime, utcDay } from "./ids";
import { activeLocations, appendLedger, appendReservedLedger, bumpLocationLoad, insertReservedAllocations, reserveStockAll, type LedgerEntry, type Reservation } from "./pipeline-sql";

// The multi-row statements of the reservation write path: all-or-nothing claims, ledger idempotency
// across statement chunks.

async function network(domain: string) {
  const shop = await ensureShop(domain);
  const east = await addLocation(shop.id, "east", "newark");
  const west = await addLocation(shop.id, "west", "reno");
  const a = await addSku(shop.id, "A", { [east.id]: 5, [west.id]: 2 });
  const b = await addSku(shop.id, "B", { [east.id]: 1 });
  return { shopId: shop.id, east, west, a, b };
}

const reservedOf = async (shopId: string) =>
  Object.fromEntries(
    (await queryRows<{ k: string; r: number }>(`SELECT v."sku" || '@' || l."externalId" AS "k", i."reserved" AS "r" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" JOIN "Location" l ON l."id" = i."locationId" WHERE i."shopId" = ?`, shopId)).map((row) => [row.k, row.r]),
  );

describe("reserveStockAll", () => {
  it("reserves every claim when each fits", async () => {
    const n = await network("claims-fit.myshopify.com");
    const ok = await database().transaction((tx) => reserveStockAll(tx, n.shopId, [
      { variantId: n.a.id, locationId: n.east.id, quantity: 5 },
      { variantId: n.a.id, locationId: n.west.id, quantity: 1 },
      { variantId: n.b.id, locationId: n.east.id, quantity: 1 },
    ]));
    expect(ok).toBe(true);
    expect(await reservedOf(n.shopId)).toEqual({ "A@east": 5, "A@west": 1, "B@east": 1 });
  });

  it("reports failure when one claim exceeds available, and the caller's rollback leaves every level untouched", async () => {
    const n = await network("claims-short.myshopify.com");
    await expect(
      database().transaction(async (tx) => {
        const ok = await reserveStockAll(tx, n.shopId, [
          { variantId: n.a.id, locationId: n.east.id, quantity: 2 },
          { variantId: n.b.id, locationId: n.east.id, quantity: 2 }, // only 1 on hand
        ]);
        if (!ok) throw new Error("short");
      }),
    ).rejects.toThrow("short");
    expect(await reservedOf(n.shopId)).toEqual({ "A@east": 0, "A@west": 0, "B@east": 0 });
  });

  it("never reserves another shop's stock", async () => {
    const mine = await network("claims-mine.myshopify.com");
    const other = await network("claims-other.myshopify.com");
    const ok = await database().transaction((tx) => reserveStockAll(tx, mine.shopId, [
      { variantId: other.a.id, locationId: other.east.id, quantity: 1 },
      { variantId: other.b.id, locationId: other.east.id, quantity: 1 },
    ]));
    expect(ok).toBe(false);
    expect(await reservedOf(other.shopId)).toEqual({ "A@east": 0, "A@west": 0, "B@east": 0 });
  });
});

describe("appendLedger", () => {
  it("writes entries across several statements and skips keys already written", async () => {
    const n = await network("ledger-chunks.myshopify.com");
    const entries = (from: number, to: number): LedgerEntry[] =>
      Array.from({ length: to - from }, (_, i) => ({ variantId: n.a.id, locationId: n.east.id, bucket: "reserved", delta: 1, reason: "test", idempotencyKey: `k:${from + i}`, refType: null, refId: null }));
    expect(await database().transaction((tx) => appendLedger(tx, n.shopId, entries(0, 70)))).toBe(70);
    // 40 repeats and 30 new ones, spread over three statements: only the new ones count.
    expect(await database().transaction((tx) => appendLedger(tx, n.shopId, entries(30, 100)))).toBe(30);
    const sum = await queryRow(`SELECT COUNT(*) AS "c", SUM("delta") AS "s" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "reason" = 'test'`, n.shopId);
    expect(sum).toEqual({ c: 100, s: 100 });
  });
});

describe("appendReservedLedger", () => {
  it("writes one reserved row per reservation, keyed by its allocation, and never twice", async () => {
    const n = await network("ledger-reserved.myshopify.com");
    const at = sqlTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    const rows: Reservation[] = Array.from({ length: 70 }, (_, i) => ({ allocationId: newId(), orderLineId: "line-x", variantId: i % 2 ? n.a.id : n.b.id, locationId: n.east.id, quantity: i + 1 }));
    expect(await database().transaction((tx) => appendReservedLedger(tx, n.shopId, "order-x", rows, at))).toBe(70);
    expect(await database().transaction((tx) => appendReservedLedger(tx, n.shopId, "order-x", rows.slice(30), at))).toBe(0); // a replay writes nothing
    const stored = await queryRows(`SELECT "variantId","locationId","bucket","delta","reason","idempotencyKey","refType","refId","createdAt" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "refId" = 'order-x' ORDER BY "delta"`, n.shopId);
    expect(stored).toEqual(rows.map((r) => ({ variantId: r.variantId, locationId: r.locationId, bucket: "reserved", delta: r.quantity, reason: "reserved", idempotencyKey: `reserve:${r.allocationId}`, refType: "order", refId: "order-x", createdAt: at })));
  });
});

describe("insertReservedAllocations", () => {
  it("gives every row, in every statement, the shop, decision and time it shares; backorders have no location", async () => {
    const n = await network("alloc-rows.myshopify.com");
    await ingestOn("alloc-rows.myshopify.com", "manual", channelOrder([{ sku: "A", quantity: 1 }], { externalId: "alloc-rows-1" }));
    const line = (await queryRow<{ id: string }>(`SELECT "id" FROM "OrderLine" WHERE "shopId" = ?`, n.shopId))!;
    const at = sqlTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    const reserved: Reservation[] = Array.from({ length: 40 }, (_, i) => ({ allocationId: newId(), orderLineId: line.id, variantId: n.a.id, locationId: i % 3 ? n.east.id : n.west.id, quantity: 2 * i + 1 }));
    const backordered = Array.from({ length: 35 }, (_, i) => ({ id: newId(), orderLineId: line.id, quantity: 2 * i + 2 }));
    await database().transaction((tx) => insertReservedAllocations(tx, n.shopId, "decision-x", reserved, backordered, at));
    const stored = await queryRows(`SELECT "id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt" FROM "Allocation" WHERE "shopId" = ? AND "decisionId" = 'decision-x' ORDER BY "quantity"`, n.shopId);
    const expected = [
      ...reserved.map((r) => ({ id: r.allocationId, locationId: r.locationId, quantity: r.quantity, status: "reserved" })),
      ...backordered.map((b) => ({ id: b.id, locationId: null, quantity: b.quantity, status: "backordered" })),
    ].sort((x, y) => x.quantity - y.quantity);
    expect(stored).toEqual(expected.map((r) => ({ ...r, shopId: n.shopId, orderLineId: line.id, decisionId: "decision-x", createdAt: at, updatedAt: at })));
  });
});

describe("bumpLocationLoad", () => {
  it("counts orders per location and day from the first one, and never below zero", async () => {
    const n = await network("location-load.myshopify.com");
    const load = async (day: string) => Object.fromEntries((await activeLocations(database(), n.shopId, day)).map((l) => [l.externalId, l.ordersToday]));
    await database().transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await bumpLocationLoad(tx, n.shopId, n.east.id, "2026-11-22");
      await bumpLocationLoad(tx, n.shopId, n.west.id, "2026-11-22");
      await bumpLocationLoad(tx, n.shopId, n.east.id, "2026-11-23", 2);
      await bumpLocationLoad(tx, n.shopId, n.west.id, "2026-11-22", -5); // a release never makes the count negative
      await bumpLocationLoad(tx, n.shopId, n.west.id, "2026-11-24", -1); // nor does the first row of a day
    });
    expect(await load("2026-11-22")).toEqual({ east: 3, west: 0 });
    expect(await load("2026-11-23")).toEqual({ east: 2, west: 0 });
    expect(await load("2026-11-24")).toEqual({ east: 0, west: 0 });
  });
});

describe("ids and times", () => {
  it("newId: distinct, in creation order, one shape", () => {
    const ids = Array.from({ length: 5_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{8,9}[0-9a-f]{12}[0-9a-z]{5}$/);
    expect([...ids].sort()).toEqual(ids); // text order is creation order (the counter wraps every 16.7 million ids)
  });

  it("sqlTime and utcDay format any date, not only the last one asked for", () => {
    const dates = [Date.UTC(2026, 10, 22, 23, 59, 59, 999), Date.UTC(2026, 10, 23), Date.UTC(2026, 10, 22, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 12)].map((ms) => new Date(ms));
    for (const d of dates) {
      expect(sqlTime(d)).toBe(d.toISOString()); // "…T23:59:59.999Z": the text both databases store and read back
      expect(utcDay(d)).toBe(d.toISOString().slice(0, 10));
    }
    expect(sqlTime()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(() => sqlTime(new Date("not a date"))).toThrow(RangeError);
  });
});
