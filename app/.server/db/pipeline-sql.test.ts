import { describe, expect, it } from "vitest";
import { addLocation, addSku } from "../../../tests/support/catalog";
import { ensureShop } from "./shops";
import { appendLedger, reserveStockAll, type LedgerEntry } from "./pipeline-sql";
import { immediate, sql } from "./sql";

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

const reservedOf = (shopId: string) =>
  Object.fromEntries(
    (sql().prepare(`SELECT v."sku" || '@' || l."externalId" AS k, i."reserved" AS r FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" JOIN "Location" l ON l."id" = i."locationId" WHERE i."shopId" = ?`).all(shopId) as { k: string; r: number }[]).map((row) => [row.k, row.r]),
  );

describe("reserveStockAll", () => {
  it("reserves every claim when each fits", async () => {
    const n = await network("claims-fit.myshopify.com");
    const ok = await immediate(sql(), () => reserveStockAll(sql(), n.shopId, [
      { variantId: n.a.id, locationId: n.east.id, quantity: 5 },
      { variantId: n.a.id, locationId: n.west.id, quantity: 1 },
      { variantId: n.b.id, locationId: n.east.id, quantity: 1 },
    ]));
    expect(ok).toBe(true);
    expect(reservedOf(n.shopId)).toEqual({ "A@east": 5, "A@west": 1, "B@east": 1 });
  });

  it("reports failure when one claim exceeds available, and the caller's rollback leaves every level untouched", async () => {
    const n = await network("claims-short.myshopify.com");
    await expect(
      immediate(sql(), () => {
        const ok = reserveStockAll(sql(), n.shopId, [
          { variantId: n.a.id, locationId: n.east.id, quantity: 2 },
          { variantId: n.b.id, locationId: n.east.id, quantity: 2 }, // only 1 on hand
        ]);
        if (!ok) throw new Error("short");
      }),
    ).rejects.toThrow("short");
    expect(reservedOf(n.shopId)).toEqual({ "A@east": 0, "A@west": 0, "B@east": 0 });
  });

  it("never reserves another shop's stock", async () => {
    const mine = await network("claims-mine.myshopify.com");
    const other = await network("claims-other.myshopify.com");
    const ok = await immediate(sql(), () => reserveStockAll(sql(), mine.shopId, [
      { variantId: other.a.id, locationId: other.east.id, quantity: 1 },
      { variantId: other.b.id, locationId: other.east.id, quantity: 1 },
    ]));
    expect(ok).toBe(false);
    expect(reservedOf(other.shopId)).toEqual({ "A@east": 0, "A@west": 0, "B@east": 0 });
  });
});

describe("appendLedger", () => {
  it("writes entries across several statements and skips keys already written", async () => {
    const n = await network("ledger-chunks.myshopify.com");
    const entries = (from: number, to: number): LedgerEntry[] =>
      Array.from({ length: to - from }, (_, i) => ({ variantId: n.a.id, locationId: n.east.id, bucket: "reserved", delta: 1, reason: "test", idempotencyKey: `k:${from + i}`, refType: null, refId: null }));
    expect(await immediate(sql(), () => appendLedger(sql(), n.shopId, entries(0, 70)))).toBe(70);
    // 40 repeats and 30 new ones, spread over three statements: only the new ones count.
    expect(await immediate(sql(), () => appendLedger(sql(), n.shopId, entries(30, 100)))).toBe(30);
    const sum = sql().prepare(`SELECT COUNT(*) AS c, SUM("delta") AS s FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "reason" = 'test'`).get(n.shopId);
    expect(sum).toEqual({ c: 100, s: 100 });
  });
});
