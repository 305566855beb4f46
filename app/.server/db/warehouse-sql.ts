import type { BinSpec } from "~/domain/warehouse/bins";
import type { WarehouseLayout } from "~/domain/warehouse/layout";
import { AppError } from "../errors";
import { marks, perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Warehouses (managed locations), their bins, bin stock and its ledger (migration 0022, ADR 0029). Every
// statement takes the shop. Bin stock never goes negative or over a bin's capacity: the bin row is locked (on
// PostgreSQL; SQLite's writer holds the database) before its contents are summed and changed.

export interface WarehouseRow {
  id: string;
  locationId: string;
  layout: WarehouseLayout;
  generator: unknown;
  managedAt: string;
}

interface RawWarehouse {
  id: string;
  locationId: string;
  aisles: number;
  aisleLengthM: number;
  aisleSpacingM: number;
  crossAisles: string;
  depotAisle: number;
  depotYM: number;
  generator: string | null;
  managedAt: string;
}

const FIND_WAREHOUSE = `SELECT "id","locationId","aisles","aisleLengthM","aisleSpacingM","crossAisles","depotAisle","depotYM","generator","managedAt" FROM "Warehouse" WHERE "shopId" = ? AND "locationId" = ?`;

/** The location's warehouse (undefined: the location is not managed). Not locked: bin rows are, where stock moves. */
export async function findWarehouse(q: Queryable, shopId: string, locationId: string): Promise<WarehouseRow | undefined> {
  const r = await q.get<RawWarehouse>(FIND_WAREHOUSE, shopId, locationId);
  if (!r) return undefined;
  const crossAislesAtM = JSON.parse(r.crossAisles) as number[];
  return {
    id: r.id,
    locationId: r.locationId,
    layout: { aisles: Number(r.aisles), aisleLengthM: Number(r.aisleLengthM), aisleSpacingM: Number(r.aisleSpacingM), ...(crossAislesAtM.length > 0 ? { crossAislesAtM } : {}), depot: { aisle: Number(r.depotAisle), yM: Number(r.depotYM) } },
    generator: r.generator === null ? null : JSON.parse(r.generator),
    managedAt: r.managedAt,
  };
}

/** The shop's locations by name, and whether each is managed by the warehouse module. */
export async function locationsWithManaged(q: Queryable, shopId: string): Promise<{ id: string; externalId: string; name: string; managed: boolean }[]> {
  const rows = await q.all<{ id: string; externalId: string; name: string; managed: number | boolean }>(
    `SELECT l."id", l."externalId", l."name", CASE WHEN w."id" IS NULL THEN 0 ELSE 1 END AS "managed" FROM "Location" l LEFT JOIN "Warehouse" w ON w."locationId" = l."id" AND w."shopId" = l."shopId"
     WHERE l."shopId" = ? ORDER BY l."name", l."id"`,
    shopId,
  );
  return rows.map((r) => ({ id: r.id, externalId: r.externalId, name: r.name, managed: Number(r.managed) === 1 }));
}

/** Stores the layout; true when the location became managed by this call. */
export async function saveWarehouse(tx: Tx, shopId: string, locationId: string, layout: WarehouseLayout, generator: unknown, at = sqlTime()): Promise<boolean> {
  const existed = (await tx.get(`SELECT 1 AS "x" FROM "Warehouse" WHERE "shopId" = ? AND "locationId" = ?`, shopId, locationId)) !== undefined;
  await tx.run(
    `INSERT INTO "Warehouse" ("id","shopId","locationId","aisles","aisleLengthM","aisleSpacingM","crossAisles","depotAisle","depotYM","generator","managedAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
     ON CONFLICT ("shopId","locationId") DO UPDATE SET "aisles" = excluded."aisles", "aisleLengthM" = excluded."aisleLengthM", "aisleSpacingM" = excluded."aisleSpacingM",
       "crossAisles" = excluded."crossAisles", "depotAisle" = excluded."depotAisle", "depotYM" = excluded."depotYM", "generator" = excluded."generator", "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, locationId, layout.aisles, layout.aisleLengthM, layout.aisleSpacingM, JSON.stringify(layout.crossAislesAtM ?? []), layout.depot.aisle, layout.depot.yM,
    generator === null ? null : JSON.stringify(generator), at, at,
  );
  return !existed;
}

export interface BinRow {
  id: string;
  code: string;
  kind: "storage" | "receiving" | "staging";
  zone: string;
  aisle: number;
  bay: number;
  level: number;
  side: string;
  yM: number;
  capacity: number | null;
  /** Units in the bin, all SKUs and lots. */
  used: number;
}

/** Every bin of the location with what it holds in total, receiving bin first, then by code. */
export async function binsOf(q: Queryable, shopId: string, locationId: string): Promise<BinRow[]> {
  const rows = await q.all<BinRow>(
    `SELECT "id","code","kind","zone","aisle","bay","level","side","yM","capacity" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ?
     ORDER BY CASE WHEN "kind" = 'receiving' THEN 0 ELSE 1 END, "code"`,
    shopId, locationId,
  );
  const used = await usedByBin(q, shopId, locationId);
  return rows.map((r) => ({ ...r, aisle: Number(r.aisle), bay: Number(r.bay), level: Number(r.level), yM: Number(r.yM), capacity: r.capacity === null ? null : Number(r.capacity), used: used.get(r.id) ?? 0 }));
}

/** Units per bin of the location (bins holding nothing are absent). */
async function usedByBin(q: Queryable, shopId: string, locationId: string, code?: string): Promise<Map<string, number>> {
  const rows = await q.all<{ binId: string; used: number }>(
    `SELECT s."binId", SUM(s."quantity") AS "used" FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" AND b."shopId" = s."shopId"
     WHERE s."shopId" = ? AND b."locationId" = ?${code === undefined ? "" : ` AND b."code" = ?`} GROUP BY s."binId"`,
    shopId, locationId, ...(code === undefined ? [] : [code]),
  );
  return new Map(rows.map((r) => [r.binId, Number(r.used)]));
}

/** One bin of the location by code, with what it holds in total. */
export async function binByCode(q: Queryable, shopId: string, locationId: string, code: string): Promise<BinRow | undefined> {
  const r = await q.get<BinRow>(`SELECT "id","code","kind","zone","aisle","bay","level","side","yM","capacity" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND "code" = ?`, shopId, locationId, code);
  if (!r) return undefined;
  const used = await usedByBin(q, shopId, locationId, code);
  return { ...r, aisle: Number(r.aisle), bay: Number(r.bay), level: Number(r.level), yM: Number(r.yM), capacity: r.capacity === null ? null : Number(r.capacity), used: used.get(r.id) ?? 0 };
}

/** The bins with these codes at the location (any not found is absent from the map). */
export async function binsByCode(q: Queryable, shopId: string, locationId: string, codes: string[]): Promise<Map<string, { id: string; aisle: number; yM: number; kind: string }>> {
  const found = new Map<string, { id: string; aisle: number; yM: number; kind: string }>();
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    const rows = await q.all<{ id: string; code: string; aisle: number; yM: number; kind: string }>(
      `SELECT "id","code","aisle","yM","kind" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND "code" IN (${marks(chunk.length)})`,
      shopId, locationId, ...chunk,
    );
    for (const r of rows) found.set(r.code, { id: r.id, aisle: Number(r.aisle), yM: Number(r.yM), kind: r.kind });
  }
  return found;
}

/** Adds the bins, or updates zone, position and capacity of those already there (by code). */
export async function upsertBins(tx: Tx, shopId: string, locationId: string, bins: readonly BinSpec[], at = sqlTime()): Promise<void> {
  for (const b of bins) {
    await tx.run(
      `INSERT INTO "WarehouseBin" ("id","shopId","locationId","code","kind","zone","aisle","bay","level","side","yM","capacity","createdAt") VALUES (?,?,?,?,'storage',?,?,?,?,?,?,?,?)
       ON CONFLICT ("shopId","locationId","code") DO UPDATE SET "zone" = excluded."zone", "aisle" = excluded."aisle", "bay" = excluded."bay", "level" = excluded."level",
         "side" = excluded."side", "yM" = excluded."yM", "capacity" = excluded."capacity"`,
      newId(), shopId, locationId, b.code, b.zone, b.aisle, b.bay, b.level, b.side, b.yM, b.capacity, at,
    );
  }
}

/** Removes the location's storage bins whose codes are not kept (the caller checked they are empty). */
export async function deleteStorageBinsExcept(tx: Tx, shopId: string, locationId: string, keep: ReadonlySet<string>): Promise<number> {
  const existing = await tx.all<{ id: string; code: string }>(`SELECT "id","code" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND "kind" = 'storage'`, shopId, locationId);
  let removed = 0;
  for (const b of existing) {
    if (keep.has(b.code)) continue;
    removed += (await tx.run(`DELETE FROM "WarehouseBin" WHERE "shopId" = ? AND "id" = ?`, shopId, b.id)).changes;
  }
  return removed;
}

/** The location's receiving bin (made at the depot when missing); its id. */
export async function ensureReceivingBin(tx: Tx, shopId: string, locationId: string, depot: { aisle: number; yM: number }): Promise<string> {
  await tx.run(
    `INSERT INTO "WarehouseBin" ("id","shopId","locationId","code","kind","zone","aisle","bay","level","side","yM","capacity","createdAt") VALUES (?,?,?,?,'receiving','RECEIVING',?,0,0,'',?,NULL,?)
     ON CONFLICT ("shopId","locationId","code") DO UPDATE SET "aisle" = excluded."aisle", "yM" = excluded."yM"`,
    newId(), shopId, locationId, "RECEIVING", depot.aisle, depot.yM, sqlTime(),
  );
  return (await tx.get<{ id: string }>(`SELECT "id" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND "code" = 'RECEIVING'`, shopId, locationId))!.id;
}

export interface BinMovement {
  locationId: string;
  binId: string;
  variantId: string;
  lot: string;
  expiresAt?: string | null;
  /** Positive: into the bin; negative: out of it. */
  delta: number;
  reason: string;
  idempotencyKey: string;
  ref?: { type: string; id: string };
}

const LOCK_BIN = perDialect((d) => `SELECT "code","capacity" FROM "WarehouseBin" WHERE "shopId" = ? AND "id" = ?${d.forUpdate}`);

/**
 * One bin movement: a ledger row keyed by its effect, then the bin's stock. False when the key was used already
 * (nothing happens twice). Refused (AppError, the transaction rolls back): taking more than the bin holds of
 * that SKU and lot, or putting in more than the bin has room for.
 */
export async function moveBinStock(tx: Tx, shopId: string, m: BinMovement, at = sqlTime()): Promise<boolean> {
  if (!Number.isInteger(m.delta) || m.delta === 0) throw new AppError("invalid_data", "BIN.BAD_QUANTITY", `A bin movement needs a whole quantity other than 0, got ${m.delta}`);
  const bin = await tx.get<{ code: string; capacity: number | null }>(LOCK_BIN[tx.dialect], shopId, m.binId);
  if (!bin) throw new AppError("not_found", "BIN.NOT_FOUND", `No bin ${m.binId} in this shop`);
  const { changes } = await tx.run(
    `INSERT INTO "BinLedgerEntry" ("shopId","locationId","binId","variantId","lot","delta","reason","idempotencyKey","refType","refId","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)
     ON CONFLICT ("shopId","idempotencyKey") DO NOTHING`,
    shopId, m.locationId, m.binId, m.variantId, m.lot, m.delta, m.reason, m.idempotencyKey, m.ref?.type ?? null, m.ref?.id ?? null, at,
  );
  if (changes !== 1) return false;
  if (m.delta < 0) {
    const taken = await tx.run(`UPDATE "BinStock" SET "quantity" = "quantity" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "binId" = ? AND "variantId" = ? AND "lot" = ? AND "quantity" + ? >= 0`, m.delta, at, shopId, m.binId, m.variantId, m.lot, m.delta);
    if (taken.changes !== 1) throw new AppError("conflict", "BIN.INSUFFICIENT", `Bin ${bin.code} does not hold ${-m.delta} units of that SKU${m.lot ? ` (lot ${m.lot})` : ""}; nothing was moved`);
    await tx.run(`DELETE FROM "BinStock" WHERE "shopId" = ? AND "binId" = ? AND "variantId" = ? AND "lot" = ? AND "quantity" = 0`, shopId, m.binId, m.variantId, m.lot);
    return true;
  }
  if (bin.capacity !== null) {
    const used = Number((await tx.get<{ used: number }>(`SELECT COALESCE(SUM("quantity"), 0) AS "used" FROM "BinStock" WHERE "shopId" = ? AND "binId" = ?`, shopId, m.binId))!.used);
    if (used + m.delta > Number(bin.capacity)) throw new AppError("conflict", "BIN.OVER_CAPACITY", `Bin ${bin.code} holds ${used} of ${bin.capacity} units: no room for ${m.delta} more; nothing was moved`);
  }
  await tx.run(
    `INSERT INTO "BinStock" ("id","shopId","binId","variantId","lot","expiresAt","quantity","updatedAt") VALUES (?,?,?,?,?,?,?,?)
     ON CONFLICT ("binId","variantId","lot") DO UPDATE SET "quantity" = "BinStock"."quantity" + excluded."quantity", "expiresAt" = COALESCE(excluded."expiresAt", "BinStock"."expiresAt"), "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, m.binId, m.variantId, m.lot, m.expiresAt ?? null, m.delta, at,
  );
  return true;
}

export interface BinStockRow {
  binId: string;
  code: string;
  variantId: string;
  sku: string;
  lot: string;
  expiresAt: string | null;
  quantity: number;
}

/** What every bin of the location holds, by bin code, SKU and lot. */
export async function binStockAt(q: Queryable, shopId: string, locationId: string): Promise<BinStockRow[]> {
  const rows = await q.all<BinStockRow>(
    `SELECT s."binId", b."code", s."variantId", v."sku", s."lot", s."expiresAt", s."quantity"
     FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" AND b."shopId" = s."shopId" JOIN "Variant" v ON v."id" = s."variantId" AND v."shopId" = s."shopId"
     WHERE s."shopId" = ? AND b."locationId" = ? AND s."quantity" <> 0 ORDER BY b."code", v."sku", s."lot"`,
    shopId, locationId,
  );
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/** Per variant at the location: on hand, and the sum of its bins (they agree while every change goes through bins). */
export async function onHandAgainstBins(q: Queryable, shopId: string, locationId: string): Promise<{ variantId: string; sku: string; onHand: number; inBins: number }[]> {
  const rows = await q.all<{ variantId: string; sku: string; onHand: number; inBins: number }>(
    `SELECT v."id" AS "variantId", v."sku", COALESCE(l."onHand", 0) AS "onHand",
       (SELECT COALESCE(SUM(s."quantity"), 0) FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" WHERE s."shopId" = v."shopId" AND s."variantId" = v."id" AND b."locationId" = ?) AS "inBins"
     FROM "Variant" v LEFT JOIN "InventoryLevel" l ON l."variantId" = v."id" AND l."locationId" = ? AND l."shopId" = v."shopId"
     WHERE v."shopId" = ? AND (l."onHand" <> 0 OR EXISTS (SELECT 1 FROM "BinStock" s2 JOIN "WarehouseBin" b2 ON b2."id" = s2."binId" WHERE s2."shopId" = v."shopId" AND s2."variantId" = v."id" AND b2."locationId" = ?))
     ORDER BY v."sku"`,
    locationId, locationId, shopId, locationId,
  );
  return rows.map((r) => ({ ...r, onHand: Number(r.onHand), inBins: Number(r.inBins) }));
}

/** The location's levels with stock (on hand ≠ 0), for moving them into the receiving bin. */
export async function levelsWithStock(tx: Tx, shopId: string, locationId: string): Promise<{ variantId: string; sku: string; onHand: number }[]> {
  const rows = await tx.all<{ variantId: string; sku: string; onHand: number }>(
    `SELECT l."variantId", v."sku", l."onHand" FROM "InventoryLevel" l JOIN "Variant" v ON v."id" = l."variantId" AND v."shopId" = l."shopId" WHERE l."shopId" = ? AND l."locationId" = ? AND l."onHand" <> 0 ORDER BY l."variantId"`,
    shopId, locationId,
  );
  return rows.map((r) => ({ ...r, onHand: Number(r.onHand) }));
}

/** Units sold per variant on orders placed since `since` (any location): the velocity ABC slotting reads. */
export async function unitsSoldSince(q: Queryable, shopId: string, since: string): Promise<Map<string, number>> {
  const rows = await q.all<{ variantId: string; units: number }>(
    `SELECT ol."variantId", SUM(ol."quantity") AS "units" FROM "OrderLine" ol JOIN "Order" o ON o."id" = ol."orderId" AND o."shopId" = ol."shopId"
     WHERE ol."shopId" = ? AND o."placedAt" >= ? AND o."cancelledAt" IS NULL AND ol."variantId" IS NOT NULL GROUP BY ol."variantId"`,
    shopId, since,
  );
  return new Map(rows.map((r) => [r.variantId, Number(r.units)]));
}

/** Whether the location is managed (cheap: the arrival paths ask it for every receipt line). */
export async function isManaged(q: Queryable, shopId: string, locationId: string): Promise<boolean> {
  return (await q.get(`SELECT 1 AS "x" FROM "Warehouse" WHERE "shopId" = ? AND "locationId" = ?`, shopId, locationId)) !== undefined;
}
