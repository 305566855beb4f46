import { sqlTime, stmt, type Sql } from "./sql";

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
export function recentSales(db: Sql, shopId: string, since: Date): SaleRow[] {
  return stmt(db, `SELECT o."id" AS "orderId", COALESCE(v."sku", l."sku") AS "sku", l."quantity" AS "units", v."weightGrams" AS "weightGrams",
      o."shipLatitude" AS "latitude", o."shipLongitude" AS "longitude", o."placedAt" AS "placedAt"
    FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id" LEFT JOIN "Variant" v ON v."id" = l."variantId"
    WHERE o."shopId" = ? AND o."placedAt" >= ? AND o."status" <> 'cancelled' AND o."cancelledAt" IS NULL
      AND o."shipLatitude" IS NOT NULL AND o."shipLongitude" IS NOT NULL AND l."quantity" > 0 AND COALESCE(v."sku", l."sku") IS NOT NULL
    ORDER BY o."placedAt"`).all(shopId, sqlTime(since)) as SaleRow[];
}

/** When the shop's first order was placed (the start of what the planner can have observed). */
export function firstOrderPlacedAt(db: Sql, shopId: string): string | null {
  const row = stmt(db, `SELECT MIN("placedAt") AS "at" FROM "Order" WHERE "shopId" = ?`).get(shopId) as { at: string | null } | undefined;
  return row?.at ?? null;
}

/** Available units per location and SKU (only positive), for every variant of the shop. */
export function availableBySku(db: Sql, shopId: string): { locationId: string; sku: string; available: number }[] {
  return stmt(db, `SELECT i."locationId", v."sku", i."onHand" - i."reserved" - i."safety" AS "available" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId"
    WHERE i."shopId" = ? AND i."onHand" - i."reserved" - i."safety" > 0`).all(shopId) as { locationId: string; sku: string; available: number }[];
}

export interface StockPriceRow {
  version: number;
  prices: string;
  stats: string;
  computedAt: string;
}

/** Replace the shop's plan; returns the new version. */
export function saveStockPrices(db: Sql, shopId: string, prices: object, stats: object, computedAt: Date): number {
  const row = stmt(db, `INSERT INTO "StockPricePlan" ("shopId","version","prices","stats","computedAt") VALUES (?,1,?,?,?)
    ON CONFLICT ("shopId") DO UPDATE SET "version" = "version" + 1, "prices" = excluded."prices", "stats" = excluded."stats", "computedAt" = excluded."computedAt"
    RETURNING "version"`).get(shopId, JSON.stringify(prices), JSON.stringify(stats), sqlTime(computedAt)) as { version: number };
  return row.version;
}

/** The plan's version and time only: what the hot path checks before deciding to re-read the prices. */
export function stockPriceVersion(db: Sql, shopId: string): { version: number; computedAt: string } | undefined {
  return stmt(db, `SELECT "version", "computedAt" FROM "StockPricePlan" WHERE "shopId" = ?`).get(shopId) as { version: number; computedAt: string } | undefined;
}

export function loadStockPrices(db: Sql, shopId: string): StockPriceRow | undefined {
  return stmt(db, `SELECT "version", "prices", "stats", "computedAt" FROM "StockPricePlan" WHERE "shopId" = ?`).get(shopId) as StockPriceRow | undefined;
}
