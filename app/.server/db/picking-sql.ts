import type { BinSupply } from "~/domain/warehouse/picking";
import { perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { NOT_ON_FULFILLMENT_HOLD_SQL } from "./fulfillment-hold-sql";
import { newId, sqlTime } from "./ids";

// Pick tasks and lines, pick scans and exceptions, packs and pack scans (migration 0025, ADR 0033). Every
// statement takes the shop. A pick line's picked quantity only moves by compare-and-set (the value read must
// still be there), so two workers confirming the same line apply it once.

export const STAGING_BIN = "STAGING";

/** The location's staging place (picked units wait there for packing): a bin at the depot, made when missing. */
export async function ensureStagingBin(tx: Tx, shopId: string, locationId: string, depot: { aisle: number; yM: number }): Promise<string> {
  await tx.run(
    `INSERT INTO "WarehouseBin" ("id","shopId","locationId","code","kind","zone","aisle","bay","level","side","yM","capacity","createdAt") VALUES (?,?,?,?,'staging','STAGING',?,0,0,'',?,NULL,?)
     ON CONFLICT ("shopId","locationId","code") DO NOTHING`,
    newId(), shopId, locationId, STAGING_BIN, depot.aisle, depot.yM, sqlTime(),
  );
  return (await tx.get<{ id: string }>(`SELECT "id" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND "code" = ?`, shopId, locationId, STAGING_BIN))!.id;
}

export interface RoutedNeed {
  orderId: string;
  placedAt: string;
  promisedBy: string | null;
  orderLineId: string;
  variantId: string;
  quantity: number;
}

/** Units reserved at the location per line of orders that are `routed` (ready to pick) and not on a fulfillment hold, oldest orders first. */
export async function routedNeedsAt(q: Queryable, shopId: string, locationId: string, maxOrders: number): Promise<RoutedNeed[]> {
  const rows = await q.all<RoutedNeed>(
    `SELECT o."id" AS "orderId", o."placedAt", o."promisedBy", l."id" AS "orderLineId", l."variantId", SUM(a."quantity") AS "quantity"
     FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id" AND l."shopId" = o."shopId" JOIN "Allocation" a ON a."orderLineId" = l."id" AND a."shopId" = l."shopId"
     WHERE o."shopId" = ? AND o."status" = 'routed' AND a."status" = 'reserved' AND a."locationId" = ? AND l."variantId" IS NOT NULL AND ${NOT_ON_FULFILLMENT_HOLD_SQL("o")}
       AND o."id" IN (SELECT o2."id" FROM "Order" o2 JOIN "OrderLine" l2 ON l2."orderId" = o2."id" AND l2."shopId" = o2."shopId" JOIN "Allocation" a2 ON a2."orderLineId" = l2."id" AND a2."shopId" = l2."shopId"
                      WHERE o2."shopId" = ? AND o2."status" = 'routed' AND a2."status" = 'reserved' AND a2."locationId" = ? AND ${NOT_ON_FULFILLMENT_HOLD_SQL("o2")} GROUP BY o2."id", o2."placedAt" ORDER BY o2."placedAt", o2."id" LIMIT ?)
     GROUP BY o."id", o."placedAt", o."promisedBy", l."id", l."variantId", l."createdAt" ORDER BY o."placedAt", o."id", l."createdAt", l."id"`,
    shopId, locationId, shopId, locationId, maxOrders,
  );
  return rows.map((r) => ({ ...r, placedAt: String(r.placedAt), promisedBy: r.promisedBy === null ? null : String(r.promisedBy), quantity: Number(r.quantity) }));
}

/** What each bin of the location holds per variant and lot, less what open pick lines still have to take from it. */
export async function binSupplies(q: Queryable, shopId: string, locationId: string, variantIds: string[]): Promise<BinSupply[]> {
  if (variantIds.length === 0) return [];
  const rows = await q.all<BinSupply>(
    `SELECT s."binId", b."code", b."kind", b."aisle", b."yM", s."variantId", s."lot", s."expiresAt",
       s."quantity" - COALESCE((SELECT SUM(pl."quantity" - pl."picked" - pl."short") FROM "PickLine" pl WHERE pl."shopId" = s."shopId" AND pl."binId" = s."binId" AND pl."variantId" = s."variantId" AND pl."lot" = s."lot" AND pl."status" = 'open'), 0) AS "available"
     FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" AND b."shopId" = s."shopId"
     WHERE s."shopId" = ? AND b."locationId" = ? AND s."quantity" > 0 AND s."variantId" IN (${variantIds.map(() => "?").join(",")})`,
    shopId, locationId, ...variantIds,
  );
  return rows.map((r) => ({ ...r, aisle: Number(r.aisle), yM: Number(r.yM), available: Number(r.available), expiresAt: r.expiresAt === null ? null : String(r.expiresAt) }));
}

export interface NewPickLine {
  seq: number;
  orderId: string;
  orderLineId: string;
  variantId: string;
  binId: string;
  lot: string;
  quantity: number;
}

export async function insertPickTask(tx: Tx, shopId: string, t: { locationId: string; wave: number; cutoffAt: string | null; routeLengthM: number; routeAlgorithm: string; routeExact: boolean }, lines: readonly NewPickLine[]): Promise<string> {
  const id = newId();
  const at = sqlTime();
  await tx.run(
    `INSERT INTO "PickTask" ("id","shopId","locationId","wave","cutoffAt","status","routeLengthM","routeAlgorithm","routeExact","createdAt") VALUES (?,?,?,?,?,'open',?,?,?,?)`,
    id, shopId, t.locationId, t.wave, t.cutoffAt, t.routeLengthM, t.routeAlgorithm, t.routeExact ? 1 : 0, at,
  );
  for (const l of lines) {
    await tx.run(
      `INSERT INTO "PickLine" ("id","shopId","taskId","seq","orderId","orderLineId","variantId","binId","lot","quantity","picked","short","status","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,0,0,'open',?)`,
      newId(), shopId, id, l.seq, l.orderId, l.orderLineId, l.variantId, l.binId, l.lot, l.quantity, at,
    );
  }
  return id;
}

export interface PickLineRow {
  id: string;
  taskId: string;
  locationId: string;
  seq: number;
  orderId: string;
  orderName: string | null;
  orderLineId: string;
  variantId: string;
  sku: string;
  binId: string;
  binCode: string;
  aisle: number;
  yM: number;
  lot: string;
  quantity: number;
  picked: number;
  short: number;
  status: string;
}

const LINE_SELECT = `SELECT pl."id", pl."taskId", t."locationId", pl."seq", pl."orderId", o."name" AS "orderName", pl."orderLineId", pl."variantId", v."sku", pl."binId", b."code" AS "binCode", b."aisle", b."yM",
  pl."lot", pl."quantity", pl."picked", pl."short", pl."status"
  FROM "PickLine" pl JOIN "PickTask" t ON t."id" = pl."taskId" AND t."shopId" = pl."shopId" JOIN "Variant" v ON v."id" = pl."variantId" AND v."shopId" = pl."shopId"
  JOIN "WarehouseBin" b ON b."id" = pl."binId" AND b."shopId" = pl."shopId" LEFT JOIN "Order" o ON o."id" = pl."orderId" AND o."shopId" = pl."shopId"`;

const toLine = (r: PickLineRow): PickLineRow => ({ ...r, seq: Number(r.seq), aisle: Number(r.aisle), yM: Number(r.yM), quantity: Number(r.quantity), picked: Number(r.picked), short: Number(r.short) });

export async function pickLineById(q: Queryable, shopId: string, id: string): Promise<PickLineRow | undefined> {
  const r = await q.get<PickLineRow>(`${LINE_SELECT} WHERE pl."shopId" = ? AND pl."id" = ?`, shopId, id);
  return r && toLine(r);
}

export async function linesOfTask(q: Queryable, shopId: string, taskId: string): Promise<PickLineRow[]> {
  return (await q.all<PickLineRow>(`${LINE_SELECT} WHERE pl."shopId" = ? AND pl."taskId" = ? ORDER BY pl."seq", pl."id"`, shopId, taskId)).map(toLine);
}

/** Every pick line of the order, at every location. */
export async function linesOfOrder(q: Queryable, shopId: string, orderId: string): Promise<PickLineRow[]> {
  return (await q.all<PickLineRow>(`${LINE_SELECT} WHERE pl."shopId" = ? AND pl."orderId" = ? ORDER BY t."locationId", pl."seq", pl."id"`, shopId, orderId)).map(toLine);
}

/**
 * Closes a line of a cancelled order (ADR 0033): status cancelled, so it is no longer picked nor counted as needed
 * from its bin. Compare-and-set on the status and picked quantity read: false when a pick (or another cancel)
 * changed the line meanwhile. `picked` keeps what had been picked (those units are put back by a putaway).
 */
export async function cancelPickLine(tx: Tx, shopId: string, id: string, expected: { status: string; picked: number }): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "PickLine" SET "status" = 'cancelled', "updatedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = ? AND "picked" = ?`,
    sqlTime(), shopId, id, expected.status, expected.picked,
  );
  return changes === 1;
}

/** A staged lot's expiry (what the putaway carries to the bin it goes to). */
export async function lotExpiryIn(q: Queryable, shopId: string, binId: string, variantId: string, lot: string): Promise<string | null> {
  const r = await q.get<{ expiresAt: unknown }>(`SELECT "expiresAt" FROM "BinStock" WHERE "shopId" = ? AND "binId" = ? AND "variantId" = ? AND "lot" = ?`, shopId, binId, variantId, lot);
  return r?.expiresAt == null ? null : r.expiresAt instanceof Date ? r.expiresAt.toISOString() : String(r.expiresAt);
}

export async function linesOfOrderAt(q: Queryable, shopId: string, orderId: string, locationId: string): Promise<PickLineRow[]> {
  return (await q.all<PickLineRow>(`${LINE_SELECT} WHERE pl."shopId" = ? AND pl."orderId" = ? AND t."locationId" = ? ORDER BY pl."seq", pl."id"`, shopId, orderId, locationId)).map(toLine);
}

export interface PickTaskRow {
  id: string;
  locationId: string;
  wave: number;
  cutoffAt: string | null;
  status: string;
  routeLengthM: number;
  routeAlgorithm: string;
  routeExact: boolean;
  createdAt: string;
}

const toTask = (r: PickTaskRow & { routeExact: unknown }): PickTaskRow => ({ ...r, wave: Number(r.wave), routeLengthM: Number(r.routeLengthM), routeExact: Number(r.routeExact) === 1, cutoffAt: r.cutoffAt === null ? null : String(r.cutoffAt), createdAt: String(r.createdAt) });

export async function pickTasksAt(q: Queryable, shopId: string, locationId: string, status: "open" | "done", limit = 50): Promise<PickTaskRow[]> {
  const rows = await q.all<PickTaskRow>(
    `SELECT "id","locationId","wave","cutoffAt","status","routeLengthM","routeAlgorithm","routeExact","createdAt" FROM "PickTask" WHERE "shopId" = ? AND "locationId" = ? AND "status" = ? ORDER BY "createdAt", "wave", "id" LIMIT ?`,
    shopId, locationId, status, limit,
  );
  return rows.map(toTask);
}

export async function pickTaskById(q: Queryable, shopId: string, id: string): Promise<PickTaskRow | undefined> {
  const r = await q.get<PickTaskRow>(`SELECT "id","locationId","wave","cutoffAt","status","routeLengthM","routeAlgorithm","routeExact","createdAt" FROM "PickTask" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
  return r && toTask(r);
}

/** The scan, once: false when this scan id was recorded for the line already. */
export async function insertPickScan(tx: Tx, shopId: string, pickLineId: string, scanId: string, quantity: number, worker: string | null, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(
    `INSERT INTO "PickScan" ("id","shopId","pickLineId","scanId","quantity","worker","scannedAt") VALUES (?,?,?,?,?,?,?) ON CONFLICT ("shopId","pickLineId","scanId") DO NOTHING`,
    newId(), shopId, pickLineId, scanId, quantity, worker, at,
  );
  return changes === 1;
}

/**
 * Compare-and-set: `picked` becomes `picked + add` (and `short` grows by `short`) only if the line still shows the
 * values read (`expectedPicked`, `expectedShort`) and stays within its quantity; the line closes (picked or short)
 * when nothing is left. False: someone else changed it first.
 */
export async function advancePickLine(tx: Tx, shopId: string, id: string, expected: { picked: number; short: number }, add: { picked: number; short: number }): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "PickLine" SET "picked" = "picked" + ?, "short" = "short" + ?,
       "status" = CASE WHEN "picked" + ? + "short" + ? < "quantity" THEN 'open' WHEN "short" + ? > 0 THEN 'short' ELSE 'picked' END, "updatedAt" = ?
     WHERE "shopId" = ? AND "id" = ? AND "status" = 'open' AND "picked" = ? AND "short" = ? AND "picked" + ? + "short" + ? <= "quantity"`,
    add.picked, add.short, add.picked, add.short, add.short, sqlTime(), shopId, id, expected.picked, expected.short, add.picked, add.short,
  );
  return changes === 1;
}

/** The task is done once none of its lines is open; true when this call closed it. */
export async function closeTaskIfDone(tx: Tx, shopId: string, taskId: string): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "PickTask" SET "status" = 'done', "doneAt" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = 'open' AND NOT EXISTS (SELECT 1 FROM "PickLine" WHERE "shopId" = ? AND "taskId" = ? AND "status" = 'open')`,
    sqlTime(), shopId, taskId, shopId, taskId,
  );
  return changes === 1;
}

export async function insertPickException(tx: Tx, shopId: string, e: { pickLineId: string; orderId: string; locationId: string; binId: string; variantId: string; shortQuantity: number; unitsRerouted: number; unitsBackordered: number; countIds: string[]; worker: string | null }): Promise<string> {
  const id = newId();
  await tx.run(
    `INSERT INTO "PickException" ("id","shopId","pickLineId","orderId","locationId","binId","variantId","shortQuantity","unitsRerouted","unitsBackordered","countIds","worker","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    id, shopId, e.pickLineId, e.orderId, e.locationId, e.binId, e.variantId, e.shortQuantity, e.unitsRerouted, e.unitsBackordered, JSON.stringify(e.countIds), e.worker, sqlTime(),
  );
  return id;
}

export interface PickExceptionRow {
  id: string;
  pickLineId: string;
  orderId: string;
  binId: string;
  variantId: string;
  shortQuantity: number;
  unitsRerouted: number;
  unitsBackordered: number;
  countIds: string[];
}

export async function pickExceptionOfLine(q: Queryable, shopId: string, pickLineId: string): Promise<PickExceptionRow | undefined> {
  const r = await q.get<PickExceptionRow & { countIds: string }>(
    `SELECT "id","pickLineId","orderId","binId","variantId","shortQuantity","unitsRerouted","unitsBackordered","countIds" FROM "PickException" WHERE "shopId" = ? AND "pickLineId" = ?`, shopId, pickLineId,
  );
  return r && { ...r, shortQuantity: Number(r.shortQuantity), unitsRerouted: Number(r.unitsRerouted), unitsBackordered: Number(r.unitsBackordered), countIds: JSON.parse(r.countIds) as string[] };
}

// ---- packing ------------------------------------------------------------------------------------------------

export interface PackRow {
  id: string;
  orderId: string;
  locationId: string;
  status: "packing" | "packed" | "shipped" | "cancelled";
  worker: string | null;
  carrier: string | null;
  service: string | null;
  trackingNumber: string | null;
  packages: { weightGrams: number; lengthCm?: number; widthCm?: number; heightCm?: number }[];
  firstScanAt: string | null;
  packedAt: string | null;
  shippedAt: string | null;
  fulfillmentId: string | null;
  error: string | null;
}

const PACK_COLUMNS = `"id","orderId","locationId","status","worker","carrier","service","trackingNumber","packages","firstScanAt","packedAt","shippedAt","fulfillmentId","error"`;
const str = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
const toPack = (r: PackRow & { packages: string }): PackRow => ({
  ...r, packages: JSON.parse(r.packages) as PackRow["packages"], firstScanAt: str(r.firstScanAt), packedAt: str(r.packedAt), shippedAt: str(r.shippedAt),
});
const LOCK_PACK = perDialect((d) => `SELECT ${PACK_COLUMNS} FROM "Pack" WHERE "shopId" = ? AND "id" = ?${d.forUpdate}`);

export async function packOf(q: Queryable, shopId: string, orderId: string, locationId: string): Promise<PackRow | undefined> {
  const r = await q.get<PackRow & { packages: string }>(`SELECT ${PACK_COLUMNS} FROM "Pack" WHERE "shopId" = ? AND "orderId" = ? AND "locationId" = ?`, shopId, orderId, locationId);
  return r && toPack(r);
}

/** The pack by id, locked for this transaction on PostgreSQL (its status is about to move). */
export async function lockPack(q: Queryable, shopId: string, id: string): Promise<PackRow | undefined> {
  const r = await q.get<PackRow & { packages: string }>(LOCK_PACK[q.dialect], shopId, id);
  return r && toPack(r);
}

/** The order's pack at the location, opened (status packing, first scan now) when there is none. */
export async function ensurePack(tx: Tx, shopId: string, orderId: string, locationId: string, worker: string | null, at = sqlTime()): Promise<PackRow> {
  await tx.run(
    `INSERT INTO "Pack" ("id","shopId","orderId","locationId","status","worker","packages","firstScanAt","createdAt") VALUES (?,?,?,?,'packing',?,'[]',?,?) ON CONFLICT ("shopId","orderId","locationId") DO NOTHING`,
    newId(), shopId, orderId, locationId, worker, at, at,
  );
  const pack = (await packOf(tx, shopId, orderId, locationId))!;
  return (await lockPack(tx, shopId, pack.id))!;
}

export async function insertPackScan(tx: Tx, shopId: string, packId: string, scanId: string, variantId: string, quantity: number, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(
    `INSERT INTO "PackScan" ("id","shopId","packId","scanId","variantId","quantity","scannedAt") VALUES (?,?,?,?,?,?,?) ON CONFLICT ("shopId","packId","scanId") DO NOTHING`,
    newId(), shopId, packId, scanId, variantId, quantity, at,
  );
  return changes === 1;
}

/** Units verified per variant in the pack. */
export async function verifiedOf(q: Queryable, shopId: string, packId: string): Promise<Map<string, number>> {
  const rows = await q.all<{ variantId: string; units: number }>(`SELECT "variantId", SUM("quantity") AS "units" FROM "PackScan" WHERE "shopId" = ? AND "packId" = ? GROUP BY "variantId"`, shopId, packId);
  return new Map(rows.map((r) => [r.variantId, Number(r.units)]));
}

/** packing → packed (guarded): false when the pack was not packing any more. */
export async function closePack(tx: Tx, shopId: string, id: string, c: { carrier: string; service: string | null; trackingNumber: string; packages: PackRow["packages"]; worker: string | null }, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "Pack" SET "status" = 'packed', "carrier" = ?, "service" = ?, "trackingNumber" = ?, "packages" = ?, "worker" = COALESCE(?, "worker"), "packedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = 'packing'`,
    c.carrier, c.service, c.trackingNumber, JSON.stringify(c.packages), c.worker, at, shopId, id,
  );
  return changes === 1;
}

/** packed → shipped (guarded), with the fulfillment that shipped it. */
export async function markPackShipped(tx: Tx, shopId: string, id: string, fulfillmentId: string, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(`UPDATE "Pack" SET "status" = 'shipped', "fulfillmentId" = ?, "shippedAt" = ?, "error" = NULL WHERE "shopId" = ? AND "id" = ? AND "status" = 'packed'`, fulfillmentId, at, shopId, id);
  return changes === 1;
}

/** packing or packed → cancelled (its order was cancelled): the ship job skips it. False when there was none to cancel. */
export async function cancelPack(tx: Tx, shopId: string, orderId: string, locationId: string): Promise<boolean> {
  const { changes } = await tx.run(`UPDATE "Pack" SET "status" = 'cancelled', "error" = NULL WHERE "shopId" = ? AND "orderId" = ? AND "locationId" = ? AND "status" IN ('packing','packed')`, shopId, orderId, locationId);
  return changes === 1;
}

export async function setPackError(q: Queryable, shopId: string, id: string, error: string | null): Promise<void> {
  await q.run(`UPDATE "Pack" SET "error" = ? WHERE "shopId" = ? AND "id" = ?`, error, shopId, id);
}

export async function packById(q: Queryable, shopId: string, id: string): Promise<PackRow | undefined> {
  const r = await q.get<PackRow & { packages: string }>(`SELECT ${PACK_COLUMNS} FROM "Pack" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
  return r && toPack(r);
}

/** Orders at the location whose picking is finished (no open pick line) and that are not shipped from here yet. */
export async function ordersReadyToPack(q: Queryable, shopId: string, locationId: string, limit = 50): Promise<{ orderId: string; name: string | null; status: string }[]> {
  return q.all<{ orderId: string; name: string | null; status: string }>(
    `SELECT o."id" AS "orderId", o."name", o."status" FROM "Order" o
     WHERE o."shopId" = ? AND o."status" IN ('picking','packed')
       AND EXISTS (SELECT 1 FROM "PickLine" pl JOIN "PickTask" t ON t."id" = pl."taskId" WHERE pl."shopId" = o."shopId" AND pl."orderId" = o."id" AND t."locationId" = ? AND pl."picked" > 0)
       AND NOT EXISTS (SELECT 1 FROM "PickLine" pl JOIN "PickTask" t ON t."id" = pl."taskId" WHERE pl."shopId" = o."shopId" AND pl."orderId" = o."id" AND t."locationId" = ? AND pl."status" = 'open')
       AND NOT EXISTS (SELECT 1 FROM "Pack" p WHERE p."shopId" = o."shopId" AND p."orderId" = o."id" AND p."locationId" = ? AND p."status" = 'shipped')
     ORDER BY o."placedAt", o."id" LIMIT ?`,
    shopId, locationId, locationId, locationId, limit,
  );
}
