import type { LedgerSums, LevelBuckets, ReservedAllocations } from "~/domain/inventory/stock-consistency";
import { stmt, type Sql } from "./sql";

// The three counts the stock consistency check compares (app/domain/inventory/stock-consistency.ts), each
// for one shop. They scan: the ledger keeps no (variant, location) index on purpose (ADR 0004), so this is
// an operator's audit, not a hot path. Run them in one read transaction for a consistent snapshot.

export function levelBuckets(db: Sql, shopId: string): LevelBuckets[] {
  return stmt(db, `SELECT "variantId", "locationId", "onHand", "reserved" FROM "InventoryLevel" WHERE "shopId" = ?`).all(shopId) as LevelBuckets[];
}

export function ledgerSums(db: Sql, shopId: string): LedgerSums[] {
  return stmt(db, `SELECT "variantId", "locationId",
      COALESCE(SUM(CASE WHEN "bucket" = 'on_hand' THEN "delta" ELSE 0 END), 0) AS "onHand",
      COALESCE(SUM(CASE WHEN "bucket" = 'reserved' THEN "delta" ELSE 0 END), 0) AS "reserved"
    FROM "InventoryLedgerEntry" WHERE "shopId" = ? GROUP BY "variantId", "locationId"`).all(shopId) as LedgerSums[];
}

/** Open reservations per level: allocations in status `reserved`, at their location, of their line's variant. */
export function reservedAllocations(db: Sql, shopId: string): ReservedAllocations[] {
  return stmt(db, `SELECT l."variantId" AS "variantId", a."locationId" AS "locationId", SUM(a."quantity") AS "units"
    FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
    WHERE a."shopId" = ? AND a."status" = 'reserved' AND a."locationId" IS NOT NULL AND l."variantId" IS NOT NULL
    GROUP BY l."variantId", a."locationId"`).all(shopId) as ReservedAllocations[];
}

/** SKUs and location names, to say in words where a discrepancy is. */
export function stockNames(db: Sql, shopId: string): { skus: Map<string, string>; locations: Map<string, string> } {
  const skus = stmt(db, `SELECT "id", "sku" AS "name" FROM "Variant" WHERE "shopId" = ?`).all(shopId) as { id: string; name: string }[];
  const locations = stmt(db, `SELECT "id", "name" FROM "Location" WHERE "shopId" = ?`).all(shopId) as { id: string; name: string }[];
  return { skus: new Map(skus.map((r) => [r.id, r.name])), locations: new Map(locations.map((r) => [r.id, r.name])) };
}

/** Cross-shop, for operators only (`npm run check:stock`, /healthz?check=stock): every shop we hold. */
export function allShops(db: Sql): { id: string; domain: string }[] {
  return stmt(db, `SELECT "id", "domain" FROM "Shop" ORDER BY "domain"`).all() as { id: string; domain: string }[];
}
