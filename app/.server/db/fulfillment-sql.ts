import { ledger, type OrderRow } from "./pipeline-sql";
import { AppError } from "../errors";
import { newId, sqlTime, stmt, type Sql } from "./sql";

// Statements for what happens to an order after intake — fulfillments, refunds, order edits, stock
// decreases seen in Shopify — all synchronous so a caller composes them inside one BEGIN IMMEDIATE
// transaction (pipeline-sql.ts holds intake and reservation). Every statement is scoped by shop.

const ORDER_COLUMNS = `o."id",o."status",o."externalUpdatedAt",o."placedAt",o."promisedBy",o."shipLatitude",o."shipLongitude",o."shipCountryCode",o."shipZip",o."channelId",o."externalId"`;

export function shopIdOf(db: Sql, shopDomain: string): string | undefined {
  return (stmt(db, `SELECT "id" FROM "Shop" WHERE "domain" = ?`).get(shopDomain) as { id: string } | undefined)?.id;
}

/** A Shopify-channel order by its Shopify id. */
export function findShopifyOrder(db: Sql, shopId: string, externalId: string): OrderRow | undefined {
  return stmt(db, `SELECT ${ORDER_COLUMNS} FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" AND c."kind" = 'shopify' WHERE o."shopId" = ? AND o."externalId" = ? LIMIT 1`).get(shopId, externalId) as OrderRow | undefined;
}

/** The Shopify-channel order holding any of these line items (line item ids are unique across a shop). */
export function findShopifyOrderByLines(db: Sql, shopId: string, lineExternalIds: string[]): OrderRow | undefined {
  if (lineExternalIds.length === 0) return undefined;
  const marks = lineExternalIds.map(() => "?").join(",");
  return stmt(db, `SELECT ${ORDER_COLUMNS} FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" JOIN "Channel" c ON c."id" = o."channelId" AND c."kind" = 'shopify'
    WHERE l."shopId" = ? AND l."externalId" IN (${marks}) ORDER BY o."createdAt" LIMIT 1`).get(shopId, ...lineExternalIds) as OrderRow | undefined;
}

export function locationIdByExternalId(db: Sql, shopId: string, externalId: string): string | undefined {
  return (stmt(db, `SELECT "id" FROM "Location" WHERE "shopId" = ? AND "externalId" = ?`).get(shopId, externalId) as { id: string } | undefined)?.id;
}

export function setLineQuantity(db: Sql, shopId: string, orderLineId: string, quantity: number): void {
  stmt(db, `UPDATE "OrderLine" SET "quantity" = ? WHERE "shopId" = ? AND "id" = ?`).run(quantity, shopId, orderLineId);
}

// ---- the same-second tie-breaker (X-Shopify-Triggered-At) ----------------------------------------------

export function orderTriggeredAt(db: Sql, shopId: string, orderId: string): string | null {
  return (stmt(db, `SELECT "externalTriggeredAt" AS "at" FROM "Order" WHERE "shopId" = ? AND "id" = ?`).get(shopId, orderId) as { at: string | null } | undefined)?.at ?? null;
}

export function setOrderTriggeredAt(db: Sql, shopId: string, orderId: string, at: Date | null): void {
  stmt(db, `UPDATE "Order" SET "externalTriggeredAt" = ? WHERE "shopId" = ? AND "id" = ?`).run(at ? sqlTime(at) : null, shopId, orderId);
}

// ---- allocations of a line, in every state ---------------------------------------------------------

export interface LineAllocationRow {
  id: string;
  orderLineId: string;
  locationId: string | null;
  quantity: number;
  status: string;
  decisionId: string | null;
}

export function lineAllocations(db: Sql, shopId: string, orderLineId: string, statuses: string[]): LineAllocationRow[] {
  const marks = statuses.map(() => "?").join(",");
  return stmt(db, `SELECT "id","orderLineId","locationId","quantity","status","decisionId" FROM "Allocation" WHERE "shopId" = ? AND "orderLineId" = ? AND "status" IN (${marks}) ORDER BY "createdAt", "id"`).all(shopId, orderLineId, ...statuses) as LineAllocationRow[];
}

/**
 * Moves `quantity` units of an allocation to `status` (at `locationId`): the whole row when it holds exactly
 * that many, else the row keeps the rest and a new row (same decision) takes the units. Returns the id of
 * the row now holding the moved units.
 */
export function splitAllocation(db: Sql, shopId: string, a: LineAllocationRow, quantity: number, status: string, locationId: string | null): string {
  const now = sqlTime();
  if (quantity >= a.quantity) {
    stmt(db, `UPDATE "Allocation" SET "status" = ?, "locationId" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`).run(status, locationId, now, shopId, a.id);
    return a.id;
  }
  stmt(db, `UPDATE "Allocation" SET "quantity" = "quantity" - ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`).run(quantity, now, shopId, a.id);
  const id = newId();
  stmt(db, `INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?)`).run(
    id, shopId, a.orderLineId, locationId, quantity, status, a.decisionId, now, now,
  );
  return id;
}

/** Units shipped that we held no allocation for (unknown item, or more than we knew of): recorded as shipped. */
export function insertShippedAllocation(db: Sql, shopId: string, orderLineId: string, locationId: string | null, quantity: number): string {
  const id = newId();
  const now = sqlTime();
  stmt(db, `INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt") VALUES (?,?,?,?,?,'fulfilled',NULL,?,?)`).run(id, shopId, orderLineId, locationId, quantity, now, now);
  return id;
}

export function setAllocationStatus(db: Sql, shopId: string, allocationId: string, status: string, locationId: string | null): void {
  stmt(db, `UPDATE "Allocation" SET "status" = ?, "locationId" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`).run(status, locationId, sqlTime(), shopId, allocationId);
}

export function allocationById(db: Sql, shopId: string, allocationId: string): LineAllocationRow | undefined {
  return stmt(db, `SELECT "id","orderLineId","locationId","quantity","status","decisionId" FROM "Allocation" WHERE "shopId" = ? AND "id" = ?`).get(shopId, allocationId) as LineAllocationRow | undefined;
}

/** Units per order line by allocation status (fulfilled, returned, reserved, backordered). */
export function unitsByLine(db: Sql, shopId: string, orderId: string): Map<string, Record<string, number>> {
  const rows = stmt(db, `SELECT a."orderLineId", a."status", SUM(a."quantity") AS "units" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
    WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered','fulfilled','returned') GROUP BY a."orderLineId", a."status"`).all(shopId, orderId) as { orderLineId: string; status: string; units: number }[];
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) out.set(r.orderLineId, { ...(out.get(r.orderLineId) ?? {}), [r.status]: r.units });
  return out;
}

// ---- stock buckets -----------------------------------------------------------------------------------

export interface LevelRow {
  onHand: number;
  reserved: number;
  safety: number;
}

export function levelOf(db: Sql, shopId: string, variantId: string, locationId: string): LevelRow | undefined {
  return stmt(db, `SELECT "onHand","reserved","safety" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`).get(shopId, variantId, locationId) as LevelRow | undefined;
}

type Ref = { type: string; id: string };

/**
 * Takes up to `quantity` off on hand (never below zero: a business rule, the units we do not have cannot
 * leave) and returns the units taken; the ledger row records exactly that amount (see stockMoved).
 */
export function takeOnHand(db: Sql, shopId: string, variantId: string, locationId: string, quantity: number, reason: string, idempotencyKey: string, ref?: Ref): number {
  const level = levelOf(db, shopId, variantId, locationId);
  const taken = Math.min(quantity, Math.max(level?.onHand ?? 0, 0));
  if (taken <= 0) return 0;
  stockMoved(db, shopId, variantId, locationId, "on_hand", -taken, reason, idempotencyKey, ref);
  return taken;
}

/** Moves the reserved bucket by `delta` (negative: consumed or released; positive: re-reserved), with its ledger row. */
export function moveReserved(db: Sql, shopId: string, variantId: string, locationId: string, delta: number, reason: string, idempotencyKey: string, ref?: Ref): boolean {
  if (delta === 0) return false;
  stockMoved(db, shopId, variantId, locationId, "reserved", delta, reason, idempotencyKey, ref);
  return true;
}

/**
 * The one way a level's on hand or reserved moves after its creation (besides the guarded reservation and
 * addOnHand in pipeline-sql.ts, which follow the same rule): the ledger row first, then the level by exactly
 * that row's delta, guarded so the bucket never goes below zero. Ledger sums equal the levels by
 * construction, because nothing here clamps: a move that would take a bucket below zero (releasing more
 * than is reserved — an allocation and its level disagree) or a ledger key already used (the same change
 * applied twice) is an invariant violation, thrown as `unexpected_state` so the surrounding transaction
 * rolls back rather than recording one amount and applying another. Callers are idempotent through their
 * own tables (FulfillmentLine, RefundLine, allocation status), never through these keys.
 */
function stockMoved(db: Sql, shopId: string, variantId: string, locationId: string, bucket: "on_hand" | "reserved", delta: number, reason: string, idempotencyKey: string, ref?: Ref): void {
  if (!Number.isInteger(delta) || delta === 0) throw new AppError("unexpected_state", "INVENTORY.BAD_DELTA", `A stock move needs a non-zero whole delta, got ${delta}`);
  if (!ledger(db, shopId, variantId, locationId, bucket, delta, reason, idempotencyKey, ref)) {
    throw new AppError("unexpected_state", "INVENTORY.LEDGER_KEY_REUSED", `Stock move ${idempotencyKey} was already recorded`, { variantId, locationId, bucket, delta });
  }
  const column = bucket === "on_hand" ? `"onHand"` : `"reserved"`;
  const { changes } = stmt(db, `UPDATE "InventoryLevel" SET ${column} = ${column} + ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND ${column} + ? >= 0`).run(delta, sqlTime(), shopId, variantId, locationId, delta);
  if (changes !== 1) {
    const level = levelOf(db, shopId, variantId, locationId);
    const code = bucket === "on_hand" ? "INVENTORY.ON_HAND_BELOW_ZERO" : "INVENTORY.RESERVED_BELOW_ZERO";
    throw new AppError("unexpected_state", code, `${bucket} of variant ${variantId} at ${locationId} cannot move by ${delta} (level: ${level ? `${level.onHand} on hand, ${level.reserved} reserved` : "none"})`, { variantId, locationId, bucket, delta, level });
  }
}

/** Reserved allocations of a variant at a location, newest order first: who gives way when stock shrinks. */
export function reservationsNewestFirst(db: Sql, shopId: string, variantId: string, locationId: string): (LineAllocationRow & { orderId: string; orderStatus: string })[] {
  return stmt(db, `SELECT a."id", a."orderLineId", a."locationId", a."quantity", a."status", a."decisionId", o."id" AS "orderId", o."status" AS "orderStatus"
    FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId"
    WHERE a."shopId" = ? AND a."status" = 'reserved' AND a."locationId" = ? AND l."variantId" = ?
    ORDER BY o."placedAt" DESC, o."id" DESC, a."createdAt" DESC`).all(shopId, locationId, variantId) as (LineAllocationRow & { orderId: string; orderStatus: string })[];
}

/** Open units (reserved or backordered, anywhere) of a variant on Shopify orders: what a fulfillment not yet heard of could ship. */
export function openShopifyUnits(db: Sql, shopId: string, variantId: string): number {
  const row = stmt(db, `SELECT COALESCE(SUM(a."quantity"), 0) AS "units" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId" JOIN "Channel" c ON c."id" = o."channelId"
    WHERE a."shopId" = ? AND l."variantId" = ? AND a."status" IN ('reserved','backordered') AND c."kind" = 'shopify' AND o."status" <> 'cancelled'`).get(shopId, variantId) as { units: number };
  return row.units;
}

// ---- levels waiting for a second look at Shopify's on hand -----------------------------------------

/** Keeps the earliest pending time: repeated marks never push a recheck further away. */
export function markLevelRecheck(db: Sql, shopId: string, variantId: string, locationId: string, after: Date): void {
  stmt(db, `UPDATE "InventoryLevel" SET "recheckAfter" = COALESCE("recheckAfter", ?) WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`).run(sqlTime(after), shopId, variantId, locationId);
}

export function clearLevelRecheck(db: Sql, shopId: string, variantId: string, locationId: string): void {
  stmt(db, `UPDATE "InventoryLevel" SET "recheckAfter" = NULL WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`).run(shopId, variantId, locationId);
}

export interface RecheckTarget {
  shopId: string;
  shopDomain: string;
  variantId: string;
  locationId: string;
  inventoryItemExternalId: string;
  locationExternalId: string;
}

/** Cross-shop, for the worker's sweep only: levels whose recheck time has come. */
export function levelsDueForRecheck(db: Sql, now: Date, limit: number): RecheckTarget[] {
  return stmt(db, `SELECT i."shopId", s."domain" AS "shopDomain", i."variantId", i."locationId", v."inventoryItemExternalId", l."externalId" AS "locationExternalId"
    FROM "InventoryLevel" i JOIN "Shop" s ON s."id" = i."shopId" JOIN "Variant" v ON v."id" = i."variantId" JOIN "Location" l ON l."id" = i."locationId"
    WHERE i."recheckAfter" IS NOT NULL AND i."recheckAfter" <= ? AND v."inventoryItemExternalId" IS NOT NULL ORDER BY i."recheckAfter" LIMIT ?`).all(sqlTime(now), limit) as RecheckTarget[];
}

// ---- fulfillment and refund lines: each applied once ------------------------------------------------

/** What one allocation part of a fulfillment line did, so a cancelled fulfillment can undo exactly that. */
export interface ConsumedPiece {
  /** The allocation row now `fulfilled` (for units we held nothing for, a new one). */
  allocationId: string | null;
  from: "reserved" | "backordered" | "none";
  variantId: string | null;
  /** Where the consumed reservation was. */
  reservedAt: string | null;
  /** Where on hand went down (null: unknown or not one of ours). */
  shippedFrom: string | null;
  quantity: number;
  /** Units actually taken off on hand at shippedFrom. */
  onHand: number;
}

export interface FulfillmentLineRow {
  id: string;
  orderId: string;
  lineExternalId: string;
  quantity: number;
  status: "consumed" | "cancelled";
  pieces: string;
}

export function fulfillmentLine(db: Sql, shopId: string, fulfillmentExternalId: string, lineExternalId: string): FulfillmentLineRow | undefined {
  return stmt(db, `SELECT "id","orderId","lineExternalId","quantity","status","pieces" FROM "FulfillmentLine" WHERE "shopId" = ? AND "fulfillmentExternalId" = ? AND "lineExternalId" = ?`).get(shopId, fulfillmentExternalId, lineExternalId) as FulfillmentLineRow | undefined;
}

/** False when this (fulfillment, line) was already recorded. */
export function insertFulfillmentLine(db: Sql, shopId: string, orderId: string, fulfillmentExternalId: string, lineExternalId: string, quantity: number, status: "consumed" | "cancelled", pieces: ConsumedPiece[]): boolean {
  const now = sqlTime();
  const { changes } = stmt(db, `INSERT INTO "FulfillmentLine" ("id","shopId","orderId","fulfillmentExternalId","lineExternalId","quantity","status","pieces","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT ("shopId","fulfillmentExternalId","lineExternalId") DO NOTHING`).run(newId(), shopId, orderId, fulfillmentExternalId, lineExternalId, quantity, status, JSON.stringify(pieces), now, now);
  return changes === 1;
}

export function markFulfillmentLineCancelled(db: Sql, shopId: string, id: string): void {
  stmt(db, `UPDATE "FulfillmentLine" SET "status" = 'cancelled', "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`).run(sqlTime(), shopId, id);
}

export interface RefundLineInput {
  orderId: string;
  refundExternalId: string;
  refundLineExternalId: string;
  lineExternalId: string;
  quantity: number;
  restockType: string;
  locationId: string | null;
  effect: string;
}

export function refundLineRecorded(db: Sql, shopId: string, refundExternalId: string, refundLineExternalId: string): boolean {
  return stmt(db, `SELECT 1 FROM "RefundLine" WHERE "shopId" = ? AND "refundExternalId" = ? AND "refundLineExternalId" = ?`).get(shopId, refundExternalId, refundLineExternalId) !== undefined;
}

export function insertRefundLine(db: Sql, shopId: string, r: RefundLineInput): boolean {
  const { changes } = stmt(db, `INSERT INTO "RefundLine" ("id","shopId","orderId","refundExternalId","refundLineExternalId","lineExternalId","quantity","restockType","locationId","effect","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT ("shopId","refundExternalId","refundLineExternalId") DO NOTHING`).run(newId(), shopId, r.orderId, r.refundExternalId, r.refundLineExternalId, r.lineExternalId, r.quantity, r.restockType, r.locationId, r.effect, sqlTime());
  return changes === 1;
}
