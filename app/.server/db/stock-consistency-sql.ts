import type { LedgerSums, LevelBuckets, ReservedAllocations } from "~/domain/inventory/stock-consistency";
import type { Queryable } from "./engine/types";

// The three counts the stock consistency check compares (app/domain/inventory/stock-consistency.ts), each
// for one shop. They scan: the ledger keeps no (variant, location) index on purpose (ADR 0004), so this is
// an operator's audit, not a hot path. Run them in one read transaction for a consistent snapshot.

export async function levelBuckets(q: Queryable, shopId: string): Promise<LevelBuckets[]> {
  return q.all<LevelBuckets>(`SELECT "variantId", "locationId", "onHand", "reserved" FROM "InventoryLevel" WHERE "shopId" = ?`, shopId);
}

export async function ledgerSums(q: Queryable, shopId: string): Promise<LedgerSums[]> {
  return q.all<LedgerSums>(`SELECT "variantId", "locationId",
      COALESCE(SUM(CASE WHEN "bucket" = 'on_hand' THEN "delta" ELSE 0 END), 0) AS "onHand",
      COALESCE(SUM(CASE WHEN "bucket" = 'reserved' THEN "delta" ELSE 0 END), 0) AS "reserved"
    FROM "InventoryLedgerEntry" WHERE "shopId" = ? GROUP BY "variantId", "locationId"`, shopId);
}

/** Open reservations per level: allocations in status `reserved`, at their location, of their line's variant. */
export async function reservedAllocations(q: Queryable, shopId: string): Promise<ReservedAllocations[]> {
  return q.all<ReservedAllocations>(`SELECT l."variantId" AS "variantId", a."locationId" AS "locationId", SUM(a."quantity") AS "units"
    FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
    WHERE a."shopId" = ? AND a."status" = 'reserved' AND a."locationId" IS NOT NULL AND l."variantId" IS NOT NULL
    GROUP BY l."variantId", a."locationId"`, shopId);
}

/** SKUs and location names, to say in words where a discrepancy is. */
export async function stockNames(q: Queryable, shopId: string): Promise<{ skus: Map<string, string>; locations: Map<string, string> }> {
  const skus = await q.all<{ id: string; name: string }>(`SELECT "id", "sku" AS "name" FROM "Variant" WHERE "shopId" = ?`, shopId);
  const locations = await q.all<{ id: string; name: string }>(`SELECT "id", "name" FROM "Location" WHERE "shopId" = ?`, shopId);
  return { skus: new Map(skus.map((r) => [r.id, r.name])), locations: new Map(locations.map((r) => [r.id, r.name])) };
}

/** Cross-shop, for operators only (`npm run check:stock`, /healthz?check=stock): every shop we hold. */
export async function allShopsAcrossShops(q: Queryable): Promise<{ id: string; domain: string }[]> {
  return q.all(`SELECT "id", "domain" FROM "Shop" ORDER BY "domain"`);
}
