import type { ChangeDirection, UnexplainedChange } from "~/domain/inventory/unexplained-change";
import { AppError } from "../errors";
import { marks, perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";
import { ledger, type OrderRow } from "./pipeline-sql";

// Statements for what happens to an order after intake — fulfillments, refunds, order edits, stock
// decreases seen in a channel — composed by the use cases inside one transaction (pipeline-sql.ts holds
// intake and reservation). Every statement is scoped by shop; orders are found within their channel.

const ORDER_COLUMNS = `o."id",o."status",o."externalUpdatedAt",o."placedAt",o."promisedBy",o."shipLatitude",o."shipLongitude",o."shipCountryCode",o."shipZip",o."channelId",o."externalId"`;

/** The channel's order holding any of these line items (a channel's line ids are unique within it), locked for this transaction. */
export async function findOrderByLines(tx: Queryable, shopId: string, channelId: string, lineExternalIds: string[]): Promise<OrderRow | undefined> {
  if (lineExternalIds.length === 0) return undefined;
  const found = await tx.get<{ id: string }>(`SELECT o."id" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId"
    WHERE l."shopId" = ? AND o."channelId" = ? AND l."externalId" IN (${marks(lineExternalIds.length)}) ORDER BY o."createdAt", o."id" LIMIT 1`, shopId, channelId, ...lineExternalIds);
  return found ? tx.get<OrderRow>(LOCK_ORDER[tx.dialect], shopId, found.id) : undefined;
}

const LOCK_ORDER = perDialect((d) => `SELECT ${ORDER_COLUMNS} FROM "Order" o WHERE o."shopId" = ? AND o."id" = ?${d.forUpdate}`);

/** The level a channel names by its inventory item and location ids, in the shop of this domain. */
export async function levelByExternalIds(q: Queryable, shopDomain: string, inventoryItemExternalId: string, locationExternalId: string): Promise<{ shopId: string; shopDomain: string; variantId: string; locationId: string } | undefined> {
  return q.get(
    `SELECT s."id" AS "shopId", s."domain" AS "shopDomain", v."id" AS "variantId", l."id" AS "locationId" FROM "Shop" s JOIN "Variant" v ON v."shopId" = s."id" AND v."inventoryItemExternalId" = ? JOIN "Location" l ON l."shopId" = s."id" AND l."externalId" = ? WHERE s."domain" = ?`,
    inventoryItemExternalId, locationExternalId, shopDomain,
  );
}

export async function locationIdByExternalId(q: Queryable, shopId: string, externalId: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND "externalId" = ?`, shopId, externalId))?.id;
}

export async function setLineQuantity(tx: Tx, shopId: string, orderLineId: string, quantity: number): Promise<void> {
  await tx.run(`UPDATE "OrderLine" SET "quantity" = ? WHERE "shopId" = ? AND "id" = ?`, quantity, shopId, orderLineId);
}

// ---- the same-second tie-breaker (X-Shopify-Triggered-At) ----------------------------------------------

export async function orderTriggeredAt(q: Queryable, shopId: string, orderId: string): Promise<string | null> {
  return (await q.get<{ at: string | null }>(`SELECT "externalTriggeredAt" AS "at" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, orderId))?.at ?? null;
}

export async function setOrderTriggeredAt(tx: Tx, shopId: string, orderId: string, at: Date | null): Promise<void> {
  await tx.run(`UPDATE "Order" SET "externalTriggeredAt" = ? WHERE "shopId" = ? AND "id" = ?`, at ? sqlTime(at) : null, shopId, orderId);
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

export async function lineAllocations(q: Queryable, shopId: string, orderLineId: string, statuses: string[]): Promise<LineAllocationRow[]> {
  return q.all<LineAllocationRow>(`SELECT "id","orderLineId","locationId","quantity","status","decisionId" FROM "Allocation" WHERE "shopId" = ? AND "orderLineId" = ? AND "status" IN (${marks(statuses.length)}) ORDER BY "createdAt", "id"`, shopId, orderLineId, ...statuses);
}

/**
 * Moves `quantity` units of an allocation to `status` (at `locationId`): the whole row when it holds exactly
 * that many, else the row keeps the rest and a new row (same decision) takes the units. Returns the id of
 * the row now holding the moved units.
 */
export async function splitAllocation(tx: Tx, shopId: string, a: LineAllocationRow, quantity: number, status: string, locationId: string | null): Promise<string> {
  const now = sqlTime();
  if (quantity >= a.quantity) {
    await tx.run(`UPDATE "Allocation" SET "status" = ?, "locationId" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, status, locationId, now, shopId, a.id);
    return a.id;
  }
  await tx.run(`UPDATE "Allocation" SET "quantity" = "quantity" - ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, quantity, now, shopId, a.id);
  const id = newId();
  await tx.run(`INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?)`, id, shopId, a.orderLineId, locationId, quantity, status, a.decisionId, now, now);
  return id;
}

/** Units shipped that we held no allocation for (unknown item, or more than we knew of): recorded as shipped. */
export async function insertShippedAllocation(tx: Tx, shopId: string, orderLineId: string, locationId: string | null, quantity: number): Promise<string> {
  const id = newId();
  const now = sqlTime();
  await tx.run(`INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt") VALUES (?,?,?,?,?,'fulfilled',NULL,?,?)`, id, shopId, orderLineId, locationId, quantity, now, now);
  return id;
}

export async function setAllocationStatus(tx: Tx, shopId: string, allocationId: string, status: string, locationId: string | null): Promise<void> {
  await tx.run(`UPDATE "Allocation" SET "status" = ?, "locationId" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, status, locationId, sqlTime(), shopId, allocationId);
}

export async function allocationById(q: Queryable, shopId: string, allocationId: string): Promise<LineAllocationRow | undefined> {
  return q.get<LineAllocationRow>(`SELECT "id","orderLineId","locationId","quantity","status","decisionId" FROM "Allocation" WHERE "shopId" = ? AND "id" = ?`, shopId, allocationId);
}

/** Units per order line by allocation status (fulfilled, returned, reserved, backordered). */
export async function unitsByLine(q: Queryable, shopId: string, orderId: string): Promise<Map<string, Record<string, number>>> {
  const rows = await q.all<{ orderLineId: string; status: string; units: number }>(`SELECT a."orderLineId", a."status", SUM(a."quantity") AS "units" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
    WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered','fulfilled','returned') GROUP BY a."orderLineId", a."status"`, shopId, orderId);
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

const LEVEL_OF = perDialect((d) => `SELECT "onHand","reserved","safety" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?${d.forUpdate}`);

/** A level's buckets, locked for this transaction on PostgreSQL (what is read here is about to be moved). */
export async function levelOf(q: Queryable, shopId: string, variantId: string, locationId: string): Promise<LevelRow | undefined> {
  return q.get<LevelRow>(LEVEL_OF[q.dialect], shopId, variantId, locationId);
}

type Ref = { type: string; id: string };

/**
 * Takes up to `quantity` off on hand (never below zero: a business rule, the units we do not have cannot
 * leave) and returns the units taken; the ledger row records exactly that amount (see stockMoved).
 */
export async function takeOnHand(tx: Tx, shopId: string, variantId: string, locationId: string, quantity: number, reason: string, idempotencyKey: string, ref?: Ref): Promise<number> {
  const level = await levelOf(tx, shopId, variantId, locationId);
  const taken = Math.min(quantity, Math.max(level?.onHand ?? 0, 0));
  if (taken <= 0) return 0;
  await stockMoved(tx, shopId, variantId, locationId, "on_hand", -taken, reason, idempotencyKey, ref);
  return taken;
}

/**
 * Lowers on hand by a decrease read from Shopify, in full: below zero when Shopify's own figure is (ADR 0008). Shopify's
 * on hand goes negative when more ships than it knew it had; ours mirrors it, so the next compare-and-swap starts
 * from the figure Shopify really holds and a receipt raises both from there. Our own moves never go below zero
 * (takeOnHand); only Shopify's reading can take a level there. Returns the units taken (0 when there is no level).
 */
export async function mirrorShopifyDecrease(tx: Tx, shopId: string, variantId: string, locationId: string, quantity: number, idempotencyKey: string, ref?: Ref): Promise<number> {
  if (quantity <= 0 || !(await levelOf(tx, shopId, variantId, locationId))) return 0;
  await stockMoved(tx, shopId, variantId, locationId, "on_hand", -quantity, "external_decrease", idempotencyKey, ref, { belowZero: true });
  return quantity;
}

/** Moves the reserved bucket by `delta` (negative: consumed or released; positive: re-reserved), with its ledger row. */
export async function moveReserved(tx: Tx, shopId: string, variantId: string, locationId: string, delta: number, reason: string, idempotencyKey: string, ref?: Ref): Promise<boolean> {
  if (delta === 0) return false;
  await stockMoved(tx, shopId, variantId, locationId, "reserved", delta, reason, idempotencyKey, ref);
  return true;
}

/**
 * The one way a level's on hand or reserved moves after its creation (besides the guarded reservation and
 * addOnHand in pipeline-sql.ts, which follow the same rule): the ledger row first, then the level by exactly
 * that row's delta, guarded so the bucket never goes below zero (but for a decrease Shopify reports, which on hand
 * mirrors even below zero: mirrorShopifyDecrease). Ledger sums equal the levels by
 * construction, because nothing here clamps: a move that would take a bucket below zero (releasing more
 * than is reserved — an allocation and its level disagree) or a ledger key already used (the same change
 * applied twice) is an invariant violation, thrown as `unexpected_state` so the surrounding transaction
 * rolls back rather than recording one amount and applying another. Callers are idempotent through their
 * own tables (FulfillmentLine, RefundLine, allocation status), never through these keys.
 */
async function stockMoved(
  tx: Tx, shopId: string, variantId: string, locationId: string, bucket: "on_hand" | "reserved", delta: number, reason: string, idempotencyKey: string, ref?: Ref, opts: { belowZero?: boolean } = {},
): Promise<void> {
  if (!Number.isInteger(delta) || delta === 0) throw new AppError("unexpected_state", "INVENTORY.BAD_DELTA", `A stock move needs a non-zero whole delta, got ${delta}`);
  if (!(await ledger(tx, shopId, variantId, locationId, bucket, delta, reason, idempotencyKey, ref))) {
    throw new AppError("unexpected_state", "INVENTORY.LEDGER_KEY_REUSED", `Stock move ${idempotencyKey} was already recorded`, { variantId, locationId, bucket, delta });
  }
  const { changes } = opts.belowZero && bucket === "on_hand"
    ? await tx.run(MOVE_ON_HAND_MIRRORED, delta, sqlTime(), shopId, variantId, locationId)
    : await tx.run(bucket === "on_hand" ? MOVE_ON_HAND : MOVE_RESERVED, delta, sqlTime(), shopId, variantId, locationId, delta);
  if (changes !== 1) {
    const level = await levelOf(tx, shopId, variantId, locationId);
    const code = bucket === "on_hand" ? "INVENTORY.ON_HAND_BELOW_ZERO" : "INVENTORY.RESERVED_BELOW_ZERO";
    throw new AppError("unexpected_state", code, `${bucket} of variant ${variantId} at ${locationId} cannot move by ${delta} (level: ${level ? `${level.onHand} on hand, ${level.reserved} reserved` : "none"})`, { variantId, locationId, bucket, delta, level });
  }
}

const MOVE_ON_HAND = `UPDATE "InventoryLevel" SET "onHand" = "onHand" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "onHand" + ? >= 0`;
const MOVE_ON_HAND_MIRRORED = `UPDATE "InventoryLevel" SET "onHand" = "onHand" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`;
const MOVE_RESERVED = `UPDATE "InventoryLevel" SET "reserved" = "reserved" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "reserved" + ? >= 0`;

/** Reserved allocations of a variant at a location, newest order first: who gives way when stock shrinks. */
export async function reservationsNewestFirst(q: Queryable, shopId: string, variantId: string, locationId: string): Promise<(LineAllocationRow & { orderId: string; orderStatus: string })[]> {
  return q.all(`SELECT a."id", a."orderLineId", a."locationId", a."quantity", a."status", a."decisionId", o."id" AS "orderId", o."status" AS "orderStatus"
    FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId"
    WHERE a."shopId" = ? AND a."status" = 'reserved' AND a."locationId" = ? AND l."variantId" = ?
    ORDER BY o."placedAt" DESC, o."id" DESC, a."createdAt" DESC`, shopId, locationId, variantId);
}

/** Open units (reserved or backordered, anywhere) of a variant on one channel's orders: what a fulfillment not yet heard of could ship. */
export async function openChannelUnits(q: Queryable, shopId: string, channelId: string, variantId: string): Promise<number> {
  const row = await q.get<{ units: number }>(`SELECT COALESCE(SUM(a."quantity"), 0) AS "units" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId"
    WHERE a."shopId" = ? AND l."variantId" = ? AND a."status" IN ('reserved','backordered') AND o."channelId" = ? AND o."status" <> 'cancelled'`, shopId, variantId, channelId);
  return row?.units ?? 0;
}

// ---- changes of Shopify's on hand read before the webhook that explains them (ADR 0008) ----------------------

/** The level's columns for each direction: fixed names, never built from input. */
const UNEXPLAINED_COLUMNS = {
  decrease: { units: `"unexplainedDecrease"`, expiresAt: `"unexplainedExpiresAt"` },
  increase: { units: `"unexplainedIncrease"`, expiresAt: `"unexplainedIncreaseExpiresAt"` },
} as const satisfies Record<ChangeDirection, { units: string; expiresAt: string }>;

const UNEXPLAINED_OF = {
  decrease: perDialect((d) => `SELECT ${UNEXPLAINED_COLUMNS.decrease.units} AS "units", ${UNEXPLAINED_COLUMNS.decrease.expiresAt} AS "expiresAt" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?${d.forUpdate}`),
  increase: perDialect((d) => `SELECT ${UNEXPLAINED_COLUMNS.increase.units} AS "units", ${UNEXPLAINED_COLUMNS.increase.expiresAt} AS "expiresAt" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?${d.forUpdate}`),
};

/** The level's recent changes in one direction read from Shopify that no event has claimed (locked on PostgreSQL: about to change). */
export async function unexplainedOf(q: Queryable, shopId: string, variantId: string, locationId: string, direction: ChangeDirection): Promise<UnexplainedChange> {
  return (await q.get<UnexplainedChange>(UNEXPLAINED_OF[direction][q.dialect], shopId, variantId, locationId)) ?? { units: 0, expiresAt: null };
}

/** Shopify's ids for one of our levels (null when the variant has no inventory item in Shopify). */
export async function levelExternalIds(q: Queryable, shopId: string, variantId: string, locationId: string): Promise<{ inventoryItemExternalId: string; locationExternalId: string } | undefined> {
  const row = await q.get<{ inventoryItemExternalId: string | null; locationExternalId: string | null }>(
    `SELECT v."inventoryItemExternalId", l."externalId" AS "locationExternalId" FROM "Variant" v JOIN "Location" l ON l."shopId" = v."shopId" AND l."id" = ? WHERE v."shopId" = ? AND v."id" = ?`,
    locationId, shopId, variantId,
  );
  return row?.inventoryItemExternalId && row.locationExternalId ? { inventoryItemExternalId: row.inventoryItemExternalId, locationExternalId: row.locationExternalId } : undefined;
}

export async function setUnexplained(tx: Tx, shopId: string, variantId: string, locationId: string, direction: ChangeDirection, u: UnexplainedChange): Promise<void> {
  const columns = UNEXPLAINED_COLUMNS[direction];
  await tx.run(`UPDATE "InventoryLevel" SET ${columns.units} = ?, ${columns.expiresAt} = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`,
    u.units, u.expiresAt === null ? null : sqlTime(new Date(u.expiresAt)), shopId, variantId, locationId);
}

// ---- levels waiting for a second look at Shopify's on hand -----------------------------------------

/** Keeps the earliest pending time: repeated marks never push a recheck further away. */
export async function markLevelRecheck(tx: Tx, shopId: string, variantId: string, locationId: string, after: Date): Promise<void> {
  await tx.run(`UPDATE "InventoryLevel" SET "recheckAfter" = COALESCE("recheckAfter", ?) WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, sqlTime(after), shopId, variantId, locationId);
}

/** Look at the level again at `after`, whatever was planned before (a reading that could not be compared yet). */
export async function setLevelRecheck(tx: Tx, shopId: string, variantId: string, locationId: string, after: Date): Promise<void> {
  await tx.run(`UPDATE "InventoryLevel" SET "recheckAfter" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, sqlTime(after), shopId, variantId, locationId);
}

export async function clearLevelRecheck(tx: Tx, shopId: string, variantId: string, locationId: string): Promise<void> {
  await tx.run(`UPDATE "InventoryLevel" SET "recheckAfter" = NULL WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variantId, locationId);
}

export interface RecheckTarget {
  shopId: string;
  shopDomain: string;
  variantId: string;
  locationId: string;
  inventoryItemExternalId: string;
  locationExternalId: string;
  /** When this recheck became due: with the level, the natural key of the recheck's effect. */
  recheckAfter: string;
}

/** Cross-shop, for the worker's sweep only: levels whose recheck time has come. */
export async function levelsDueForRecheckAcrossShops(q: Queryable, now: Date, limit: number): Promise<RecheckTarget[]> {
  return q.all<RecheckTarget>(`SELECT i."shopId", s."domain" AS "shopDomain", i."variantId", i."locationId", v."inventoryItemExternalId", l."externalId" AS "locationExternalId", i."recheckAfter"
    FROM "InventoryLevel" i JOIN "Shop" s ON s."id" = i."shopId" JOIN "Variant" v ON v."id" = i."variantId" JOIN "Location" l ON l."id" = i."locationId"
    WHERE i."recheckAfter" IS NOT NULL AND i."recheckAfter" <= ? AND v."inventoryItemExternalId" IS NOT NULL ORDER BY i."recheckAfter" LIMIT ?`, sqlTime(now), limit);
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

export async function fulfillmentLine(q: Queryable, shopId: string, fulfillmentExternalId: string, lineExternalId: string): Promise<FulfillmentLineRow | undefined> {
  return q.get<FulfillmentLineRow>(`SELECT "id","orderId","lineExternalId","quantity","status","pieces" FROM "FulfillmentLine" WHERE "shopId" = ? AND "fulfillmentExternalId" = ? AND "lineExternalId" = ?`, shopId, fulfillmentExternalId, lineExternalId);
}

/** False when this (fulfillment, line) was already recorded. */
export async function insertFulfillmentLine(tx: Tx, shopId: string, orderId: string, fulfillmentExternalId: string, lineExternalId: string, quantity: number, status: "consumed" | "cancelled", pieces: ConsumedPiece[]): Promise<boolean> {
  const now = sqlTime();
  const { changes } = await tx.run(`INSERT INTO "FulfillmentLine" ("id","shopId","orderId","fulfillmentExternalId","lineExternalId","quantity","status","pieces","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT ("shopId","fulfillmentExternalId","lineExternalId") DO NOTHING`, newId(), shopId, orderId, fulfillmentExternalId, lineExternalId, quantity, status, JSON.stringify(pieces), now, now);
  return changes === 1;
}

export async function markFulfillmentLineCancelled(tx: Tx, shopId: string, id: string): Promise<void> {
  await tx.run(`UPDATE "FulfillmentLine" SET "status" = 'cancelled', "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, sqlTime(), shopId, id);
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

export async function refundLineRecorded(q: Queryable, shopId: string, refundExternalId: string, refundLineExternalId: string): Promise<boolean> {
  return (await q.get(`SELECT 1 AS "one" FROM "RefundLine" WHERE "shopId" = ? AND "refundExternalId" = ? AND "refundLineExternalId" = ?`, shopId, refundExternalId, refundLineExternalId)) !== undefined;
}

export async function insertRefundLine(tx: Tx, shopId: string, r: RefundLineInput): Promise<boolean> {
  const { changes } = await tx.run(`INSERT INTO "RefundLine" ("id","shopId","orderId","refundExternalId","refundLineExternalId","lineExternalId","quantity","restockType","locationId","effect","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT ("shopId","refundExternalId","refundLineExternalId") DO NOTHING`, newId(), shopId, r.orderId, r.refundExternalId, r.refundLineExternalId, r.lineExternalId, r.quantity, r.restockType, r.locationId, r.effect, sqlTime());
  return changes === 1;
}
