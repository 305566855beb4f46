import { perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Receiving scans against purchase order lines and the putaway tasks they open (migration 0022, ADR 0029).
// Every statement takes the shop.

export interface NewScan {
  purchaseOrderId: string;
  purchaseOrderLineId: string;
  scanId: string;
  condition: "good" | "damaged";
  quantity: number;
  lot: string;
  expiresAt: string | null;
  worker: string | null;
}

/** Records a scan; false when this scan id was recorded for the order already (the handheld sent it again). */
export async function insertScan(tx: Tx, shopId: string, s: NewScan, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(
    `INSERT INTO "ReceivingScan" ("id","shopId","purchaseOrderId","purchaseOrderLineId","scanId","condition","quantity","lot","expiresAt","worker","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)
     ON CONFLICT ("shopId","purchaseOrderId","scanId") DO NOTHING`,
    newId(), shopId, s.purchaseOrderId, s.purchaseOrderLineId, s.scanId, s.condition, s.quantity, s.lot, s.expiresAt, s.worker, at,
  );
  return changes === 1;
}

/** A purchase order by number, read without a lock (for reports). */
export async function readPurchaseOrder(q: Queryable, shopId: string, number: string): Promise<{ id: string; number: string; supplier: string; locationId: string; status: string } | undefined> {
  return q.get(`SELECT "id","number","supplier","locationId","status" FROM "PurchaseOrder" WHERE "shopId" = ? AND "number" = ?`, shopId, number);
}

/** Good and damaged units scanned per order line, for these orders. */
export async function scannedByLine(q: Queryable, shopId: string, purchaseOrderIds: string[]): Promise<Map<string, { good: number; damaged: number }>> {
  const totals = new Map<string, { good: number; damaged: number }>();
  if (purchaseOrderIds.length === 0) return totals;
  const rows = await q.all<{ lineId: string; condition: string; units: number }>(
    `SELECT "purchaseOrderLineId" AS "lineId", "condition", SUM("quantity") AS "units" FROM "ReceivingScan"
     WHERE "shopId" = ? AND "purchaseOrderId" IN (${purchaseOrderIds.map(() => "?").join(",")}) GROUP BY "purchaseOrderLineId", "condition"`,
    shopId, ...purchaseOrderIds,
  );
  for (const r of rows) {
    const t = totals.get(r.lineId) ?? { good: 0, damaged: 0 };
    if (r.condition === "damaged") t.damaged += Number(r.units);
    else t.good += Number(r.units);
    totals.set(r.lineId, t);
  }
  return totals;
}

/** The orders of a supplier that have been scanned at all (their ids), for its receiving accuracy. */
export async function scannedOrdersOfSupplier(q: Queryable, shopId: string, supplier: string): Promise<{ id: string; number: string }[]> {
  return q.all(
    `SELECT p."id", p."number" FROM "PurchaseOrder" p WHERE p."shopId" = ? AND p."supplier" = ? AND p."status" <> 'cancelled'
       AND EXISTS (SELECT 1 FROM "ReceivingScan" s WHERE s."shopId" = p."shopId" AND s."purchaseOrderId" = p."id") ORDER BY p."id"`,
    shopId, supplier,
  );
}

export interface PutawayRow {
  id: string;
  locationId: string;
  variantId: string;
  sku: string;
  lot: string;
  expiresAt: string | null;
  quantity: number;
  status: "open" | "done";
  suggestedBinId: string | null;
  suggestedCode: string | null;
  binCode: string | null;
  confirmedAt: string | null;
  /** The bin the units are taken from: null for the receiving bin (received units), else e.g. the staging bin. */
  sourceBinId: string | null;
  sourceCode: string | null;
}

const PUTAWAY_SELECT = `SELECT p."id", p."locationId", p."variantId", v."sku", p."lot", p."expiresAt", p."quantity", p."status", p."suggestedBinId", sb."code" AS "suggestedCode", b."code" AS "binCode", p."confirmedAt", p."sourceBinId", src."code" AS "sourceCode"
  FROM "Putaway" p JOIN "Variant" v ON v."id" = p."variantId" AND v."shopId" = p."shopId"
  LEFT JOIN "WarehouseBin" sb ON sb."id" = p."suggestedBinId" LEFT JOIN "WarehouseBin" b ON b."id" = p."binId" LEFT JOIN "WarehouseBin" src ON src."id" = p."sourceBinId"`;
const toPutaway = (r: PutawayRow): PutawayRow => ({ ...r, quantity: Number(r.quantity) });

/**
 * Units join the open putaway of their SKU and lot at the location (one is opened when none is); its id. Received
 * units (no `sourceBinId`) are taken from the receiving bin; others from the bin named (the staging bin, for the
 * picked units of a cancelled order, migration 0030), each source its own open putaway.
 */
export async function addToPutaway(tx: Tx, shopId: string, p: { locationId: string; variantId: string; lot: string; expiresAt: string | null; quantity: number; sourceBinId?: string | null }, at = sqlTime()): Promise<string> {
  const source = p.sourceBinId ?? null;
  const conflict = source === null ? `("shopId","locationId","variantId","lot") WHERE "status" = 'open' AND "sourceBinId" IS NULL` : `("shopId","locationId","sourceBinId","variantId","lot") WHERE "status" = 'open' AND "sourceBinId" IS NOT NULL`;
  await tx.run(
    `INSERT INTO "Putaway" ("id","shopId","locationId","variantId","lot","expiresAt","quantity","status","sourceBinId","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,'open',?,?,?)
     ON CONFLICT ${conflict} DO UPDATE SET "quantity" = "Putaway"."quantity" + excluded."quantity", "expiresAt" = COALESCE(excluded."expiresAt", "Putaway"."expiresAt"), "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, p.locationId, p.variantId, p.lot, p.expiresAt, p.quantity, source, at, at,
  );
  const row = source === null
    ? await tx.get<{ id: string }>(`SELECT "id" FROM "Putaway" WHERE "shopId" = ? AND "locationId" = ? AND "variantId" = ? AND "lot" = ? AND "status" = 'open' AND "sourceBinId" IS NULL`, shopId, p.locationId, p.variantId, p.lot)
    : await tx.get<{ id: string }>(`SELECT "id" FROM "Putaway" WHERE "shopId" = ? AND "locationId" = ? AND "variantId" = ? AND "lot" = ? AND "status" = 'open' AND "sourceBinId" = ?`, shopId, p.locationId, p.variantId, p.lot, source);
  return row!.id;
}

export async function setPutawaySuggestion(tx: Tx, shopId: string, id: string, binId: string | null): Promise<void> {
  await tx.run(`UPDATE "Putaway" SET "suggestedBinId" = ? WHERE "shopId" = ? AND "id" = ?`, binId, shopId, id);
}

/** The location's putaways: open ones (oldest first) or done ones (newest first). */
export async function listPutaways(q: Queryable, shopId: string, locationId: string, status: "open" | "done", limit = 200): Promise<PutawayRow[]> {
  const rows = await q.all<PutawayRow>(`${PUTAWAY_SELECT} WHERE p."shopId" = ? AND p."locationId" = ? AND p."status" = ? ORDER BY p."id" ${status === "open" ? "ASC" : "DESC"} LIMIT ?`, shopId, locationId, status, limit);
  return rows.map(toPutaway);
}

const FIND_PUTAWAY = perDialect((d) => `SELECT "id" FROM "Putaway" WHERE "shopId" = ? AND "locationId" = ? AND "id" = ?${d.forUpdate}`);

/** One putaway, locked for the transaction on PostgreSQL (a confirmation is about to move it). */
export async function findPutaway(q: Queryable, shopId: string, locationId: string, id: string): Promise<PutawayRow | undefined> {
  if (!(await q.get(FIND_PUTAWAY[q.dialect], shopId, locationId, id))) return undefined;
  const row = await q.get<PutawayRow>(`${PUTAWAY_SELECT} WHERE p."shopId" = ? AND p."id" = ?`, shopId, id);
  return row && toPutaway(row);
}

/** One putaway, read without a lock. */
export async function readPutaway(q: Queryable, shopId: string, locationId: string, id: string): Promise<PutawayRow | undefined> {
  const row = await q.get<PutawayRow>(`${PUTAWAY_SELECT} WHERE p."shopId" = ? AND p."locationId" = ? AND p."id" = ?`, shopId, locationId, id);
  return row && toPutaway(row);
}

/** Open → done, into this bin (guarded: false when it was done already). */
export async function closePutaway(tx: Tx, shopId: string, id: string, binId: string, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(`UPDATE "Putaway" SET "status" = 'done', "binId" = ?, "confirmedAt" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = 'open'`, binId, at, at, shopId, id);
  return changes === 1;
}
