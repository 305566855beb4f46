import { availableOf } from "./availability-sql";
import type { Queryable } from "./engine/types";
import { sqlTime } from "./ids";

// Statements of the stock-price planning job (app/.server/use-cases/plan-stock-prices.ts) and of the
// live-routing read of its result. Every statement is scoped by shop.

export interface SaleRow {
  orderId: string;
  sku: string;
  units: number;
  weightGrams: number | null;
  latitude: number;
  longitude: number;
  placedAt: string;
}

/**
 * Order lines placed since `since` that were (or are) demand: not cancelled, with a destination and a
 * SKU. Quantities are current (edits and refunds applied). Uses the (shopId, placedAt) index.
 */
export async function recentSales(q: Queryable, shopId: string, since: Date): Promise<SaleRow[]> {
  return q.all<SaleRow>(`SELECT o."id" AS "orderId", COALESCE(v."sku", l."sku") AS "sku", l."quantity" AS "units", v."weightGrams" AS "weightGrams",
      o."shipLatitude" AS "latitude", o."shipLongitude" AS "longitude", o."placedAt" AS "placedAt"
    FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id" LEFT JOIN "Variant" v ON v."id" = l."variantId"
    WHERE o."shopId" = ? AND o."placedAt" >= ? AND o."status" <> 'cancelled' AND o."cancelledAt" IS NULL
      AND o."shipLatitude" IS NOT NULL AND o."shipLongitude" IS NOT NULL AND l."quantity" > 0 AND COALESCE(v."sku", l."sku") IS NOT NULL
    ORDER BY o."placedAt"`, shopId, sqlTime(since));
}

/** When the shop's first order was placed (the start of what the planner can have observed). */
export async function firstOrderPlacedAt(q: Queryable, shopId: string): Promise<string | null> {
  const row = await q.get<{ at: string | null }>(`SELECT MIN("placedAt") AS "at" FROM "Order" WHERE "shopId" = ?`, shopId);
  return row?.at ?? null;
}

/** Available units per location and SKU (only positive), for every variant of the shop. */
export async function availableBySku(q: Queryable, shopId: string): Promise<{ locationId: string; sku: string; available: number }[]> {
  return q.all(`SELECT i."locationId", v."sku", ${availableOf("i")} AS "available" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId"
    WHERE i."shopId" = ? AND ${availableOf("i")} > 0`, shopId);
}

export interface StockPriceRow {
  version: number;
  prices: string;
  stats: string;
  computedAt: string;
}

/** Replace the shop's plan; returns the new version. */
export async function saveStockPrices(tx: Queryable, shopId: string, prices: object, stats: object, computedAt: Date): Promise<number> {
  const row = await tx.get<{ version: number }>(`INSERT INTO "StockPricePlan" ("shopId","version","prices","stats","computedAt") VALUES (?,1,?,?,?)
    ON CONFLICT ("shopId") DO UPDATE SET "version" = "StockPricePlan"."version" + 1, "prices" = excluded."prices", "stats" = excluded."stats", "computedAt" = excluded."computedAt"
    RETURNING "version"`, shopId, JSON.stringify(prices), JSON.stringify(stats), sqlTime(computedAt));
  return row!.version;
}

/** The plan's version and time only: what the hot path checks before deciding to re-read the prices. */
export async function stockPriceVersion(q: Queryable, shopId: string): Promise<{ version: number; computedAt: string } | undefined> {
  return q.get(`SELECT "version", "computedAt" FROM "StockPricePlan" WHERE "shopId" = ?`, shopId);
}

export async function loadStockPrices(q: Queryable, shopId: string): Promise<StockPriceRow | undefined> {
  return q.get<StockPriceRow>(`SELECT "version", "prices", "stats", "computedAt" FROM "StockPricePlan" WHERE "shopId" = ?`, shopId);
}
