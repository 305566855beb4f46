import type { Queryable } from "./engine/types";
import { sqlTime } from "./ids";

// One SKU's ledger, for its page: its stock movements newest first (a page at a time) and those of a time
// window (what its stock chart is rebuilt from). Every statement takes the shop first. The ledger keeps no
// per-variant index on purpose (ADR 0004): these read one SKU's rows of one shop, on a merchant's click.

export interface SkuLedgerRow {
  id: number;
  createdAt: string;
  locationId: string;
  /** Null when the location is gone: the ledger outlives it (no key to Location). */
  locationName: string | null;
  bucket: string;
  delta: number;
  reason: string;
  refType: string | null;
  refId: string | null;
}

/** A place in the ledger's newest-first order: a row's time and id. */
export interface LedgerCursor {
  at: string;
  id: number;
}

const COLUMNS = `e."id", e."createdAt", e."locationId", l."name" AS "locationName", e."bucket", e."delta", e."reason", e."refType", e."refId"
  FROM "InventoryLedgerEntry" e LEFT JOIN "Location" l ON l."id" = e."locationId" AND l."shopId" = e."shopId"`;

/**
 * Up to `take` rows of the variant's ledger in newest-first order: from the newest, or strictly older than
 * `before`; or, with `after`, the `take` rows just newer than it (returned newest first too).
 */
export async function skuLedgerRows(q: Queryable, shopId: string, variantId: string, take: number, at: { before?: LedgerCursor; after?: LedgerCursor } = {}): Promise<SkuLedgerRow[]> {
  if (at.after) {
    const { at: time, id } = at.after;
    const rows = await q.all<SkuLedgerRow>(
      `SELECT ${COLUMNS} WHERE e."shopId" = ? AND e."variantId" = ? AND (e."createdAt" > ? OR (e."createdAt" = ? AND e."id" > ?))
       ORDER BY e."createdAt", e."id" LIMIT ?`,
      shopId, variantId, time, time, id, take,
    );
    return rows.reverse();
  }
  if (at.before) {
    const { at: time, id } = at.before;
    return q.all<SkuLedgerRow>(
      `SELECT ${COLUMNS} WHERE e."shopId" = ? AND e."variantId" = ? AND (e."createdAt" < ? OR (e."createdAt" = ? AND e."id" < ?))
       ORDER BY e."createdAt" DESC, e."id" DESC LIMIT ?`,
      shopId, variantId, time, time, id, take,
    );
  }
  return q.all<SkuLedgerRow>(`SELECT ${COLUMNS} WHERE e."shopId" = ? AND e."variantId" = ? ORDER BY e."createdAt" DESC, e."id" DESC LIMIT ?`, shopId, variantId, take);
}

/** The variant's movements since `since`, newest first, at most `limit` of them (the newest). */
export async function skuMovementsSince(q: Queryable, shopId: string, variantId: string, since: Date, limit: number): Promise<{ createdAt: string; locationId: string; bucket: string; delta: number }[]> {
  return q.all(
    `SELECT "createdAt", "locationId", "bucket", "delta" FROM "InventoryLedgerEntry"
     WHERE "shopId" = ? AND "variantId" = ? AND "createdAt" >= ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`,
    shopId, variantId, sqlTime(since), limit,
  );
}
