import type { ChannelOrder } from "~/domain/orders/channel-order";
import { AppError } from "../errors";
import { MultiRowStatement, newId, repeatRow, sqlTime, stmt, type Sql } from "./sql";

// Statements of the order pipeline (intake → reservation → backorders), all synchronous so a caller can
// compose them inside one BEGIN IMMEDIATE transaction. Every statement is scoped by shop.

export interface OrderRow {
  id: string;
  status: string;
  externalUpdatedAt: string | null;
  placedAt: string;
  promisedBy: string | null;
  shipLatitude: number | null;
  shipLongitude: number | null;
  shipCountryCode: string | null;
  shipZip: string | null;
  channelId: string;
  externalId: string;
}

const ORDER_COLUMNS = `"id","status","externalUpdatedAt","placedAt","promisedBy","shipLatitude","shipLongitude","shipCountryCode","shipZip","channelId","externalId"`;

export function findOrder(db: Sql, shopId: string, channelId: string, externalId: string): OrderRow | undefined {
  return stmt(db, `SELECT ${ORDER_COLUMNS} FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" = ?`).get(shopId, channelId, externalId) as OrderRow | undefined;
}

export function getOrder(db: Sql, shopId: string, orderId: string): OrderRow | undefined {
  return stmt(db, `SELECT ${ORDER_COLUMNS} FROM "Order" WHERE "shopId" = ? AND "id" = ?`).get(shopId, orderId) as OrderRow | undefined;
}

function orderValues(order: ChannelOrder) {
  const s = order.shipTo;
  return [
    order.name, order.currency, order.totalMinor, order.financialStatus, order.email, order.phone, order.customerExternalId, order.customerName,
    s?.address1 ?? null, s?.city ?? null, s?.province ?? null, s?.countryCode ?? null, s?.zip ?? null, s?.latitude ?? null, s?.longitude ?? null,
    sqlTime(new Date(order.placedAt)), sqlTime(new Date(order.updatedAt)), order.cancelledAt ? sqlTime(new Date(order.cancelledAt)) : null,
  ];
}

const ORDER_FIELDS = `"name","currency","totalMinor","financialStatus","email","phone","customerExternalId","customerName","shipAddress1","shipCity","shipProvince","shipCountryCode","shipZip","shipLatitude","shipLongitude","placedAt","externalUpdatedAt","cancelledAt"`;

export function insertOrder(db: Sql, shopId: string, channelId: string, order: ChannelOrder, promisedBy: string | null): string {
  const id = newId();
  const now = sqlTime();
  stmt(db, `INSERT INTO "Order" ("id","shopId","channelId","externalId","status","promisedBy",${ORDER_FIELDS},"createdAt","updatedAt") VALUES (?,?,?,?,'received',?,${ORDER_FIELDS.split(",").map(() => "?").join(",")},?,?)`).run(
    id, shopId, channelId, order.externalId, promisedBy, ...orderValues(order), now, now,
  );
  return id;
}

export function updateOrder(db: Sql, shopId: string, orderId: string, order: ChannelOrder): void {
  const sets = ORDER_FIELDS.split(",").map((f) => `${f} = ?`).join(", ");
  stmt(db, `UPDATE "Order" SET ${sets}, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`).run(...orderValues(order), sqlTime(), shopId, orderId);
}

export function setOrderStatus(db: Sql, shopId: string, orderId: string, status: string): void {
  stmt(db, `UPDATE "Order" SET "status" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`).run(status, sqlTime(), shopId, orderId);
}

export interface LineRow {
  id: string;
  externalId: string;
  variantId: string | null;
  sku: string | null;
  quantity: number;
  weightGrams: number | null;
}

export function orderLines(db: Sql, shopId: string, orderId: string): LineRow[] {
  return stmt(db, `SELECT l."id", l."externalId", l."variantId", COALESCE(v."sku", l."sku") AS "sku", l."quantity", v."weightGrams" FROM "OrderLine" l LEFT JOIN "Variant" v ON v."id" = l."variantId" WHERE l."shopId" = ? AND l."orderId" = ? ORDER BY l."createdAt", l."id"`).all(shopId, orderId) as LineRow[];
}

/** The variant each channel line resolves to in this shop's catalog (by the channel's variant id, else by SKU); null when unknown. */
export function resolveLineVariants(db: Sql, shopId: string, lines: ChannelOrder["lines"]): (string | null)[] {
  const findVariant = stmt(db, `SELECT "id" FROM "Variant" WHERE "shopId" = ? AND ("externalId" = ? OR "sku" = ?) LIMIT 1`);
  return lines.map((line) => (findVariant.get(shopId, line.variantExternalId ?? "", line.sku ?? "") as { id: string } | undefined)?.id ?? null);
}

/**
 * Insert or update the order's lines (variants as resolved by resolveLineVariants); lines held but no longer
 * listed get quantity 0 (their rows stay: fulfillments and refunds name them). Release what a line holds
 * before it takes another item (planLineChanges): an open allocation is always of its line's variant.
 */
export function upsertLines(db: Sql, shopId: string, orderId: string, order: ChannelOrder, variantIds = resolveLineVariants(db, shopId, order.lines)): void {
  const upsert = stmt(db, `INSERT INTO "OrderLine" ("id","shopId","orderId","externalId","variantId","sku","title","quantity","priceMinor","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT ("orderId","externalId") DO UPDATE SET "variantId" = excluded."variantId", "sku" = excluded."sku", "title" = excluded."title", "quantity" = excluded."quantity", "priceMinor" = excluded."priceMinor"`);
  const now = sqlTime();
  order.lines.forEach((line, i) => upsert.run(newId(), shopId, orderId, line.externalId, variantIds[i], line.sku, line.title, line.quantity, line.priceMinor, now));
  const listed = new Set(order.lines.map((l) => l.externalId));
  const unlist = stmt(db, `UPDATE "OrderLine" SET "quantity" = 0 WHERE "shopId" = ? AND "id" = ?`);
  for (const held of orderLines(db, shopId, orderId)) if (!listed.has(held.externalId) && held.quantity !== 0) unlist.run(shopId, held.id);
}

// ---- network: locations, stock, capacity ---------------------------------------------------------

export interface LocationRow {
  id: string;
  externalId: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  dailyCapacity: number;
  carrierCutoff: string;
  timezone: string;
  handlingCostMinor: number;
  ordersToday: number;
}

export function activeLocations(db: Sql, shopId: string, day: string): LocationRow[] {
  return stmt(db, `SELECT l."id", l."externalId", l."name", l."latitude", l."longitude", l."dailyCapacity", l."carrierCutoff", l."timezone", l."handlingCostMinor", COALESCE(d."orders", 0) AS "ordersToday"
    FROM "Location" l LEFT JOIN "LocationLoad" d ON d."locationId" = l."id" AND d."day" = ? WHERE l."shopId" = ? AND l."active" = 1 ORDER BY l."id"`).all(day, shopId) as LocationRow[];
}

export function availableStock(db: Sql, shopId: string, variantIds: string[]): { locationId: string; variantId: string; available: number }[] {
  if (variantIds.length === 0) return [];
  const marks = variantIds.map(() => "?").join(",");
  return stmt(db, `SELECT "locationId", "variantId", "onHand" - "reserved" - "safety" AS "available" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" IN (${marks})`).all(shopId, ...variantIds) as { locationId: string; variantId: string; available: number }[];
}

/** The guarded decrement: reserves only while available stays ≥ 0. Returns whether it did. */
export function reserveStock(db: Sql, shopId: string, variantId: string, locationId: string, quantity: number, at = sqlTime()): boolean {
  const { changes } = stmt(db, `UPDATE "InventoryLevel" SET "reserved" = "reserved" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "onHand" - "reserved" - "safety" >= ?`).run(quantity, at, shopId, variantId, locationId, quantity);
  return changes === 1;
}

export interface StockClaim {
  variantId: string;
  locationId: string;
  quantity: number;
}

/**
 * The guarded decrement for many levels: either every claim fits (available stays ≥ 0 at each level) and
 * all are reserved, or this returns false at the first that does not and the caller must roll back — the
 * claims before it were updated. One single-row UPDATE per claim: for the two or three levels of an
 * ordinary order that costs less than one UPDATE … FROM VALUES, which SQLite runs as a materialised join.
 */
export function reserveStockAll(db: Sql, shopId: string, claims: StockClaim[], at = sqlTime()): boolean {
  for (const c of claims) if (!reserveStock(db, shopId, c.variantId, c.locationId, c.quantity, at)) return false;
  return true;
}

/**
 * Adds to on hand (creating the level if needed); returns false when the key was already applied. The level
 * moves only when its ledger row is new, by exactly that row's delta (the rule of stockMoved, fulfillment-sql.ts).
 */
export function addOnHand(db: Sql, shopId: string, variantId: string, locationId: string, quantity: number, reason: string, idempotencyKey: string, ref?: { type: string; id: string }): boolean {
  if (!Number.isInteger(quantity) || quantity < 0) throw new AppError("unexpected_state", "INVENTORY.BAD_DELTA", `Stock added needs a whole quantity ≥ 0, got ${quantity}`);
  if (!ledger(db, shopId, variantId, locationId, "on_hand", quantity, reason, idempotencyKey, ref)) return false;
  stmt(db, `INSERT INTO "InventoryLevel" ("id","shopId","variantId","locationId","onHand","reserved","incoming","safety","updatedAt") VALUES (?,?,?,?,?,0,0,0,?)
    ON CONFLICT ("variantId","locationId") DO UPDATE SET "onHand" = "onHand" + excluded."onHand", "updatedAt" = excluded."updatedAt"`).run(newId(), shopId, variantId, locationId, quantity, sqlTime());
  return true;
}

/** Append to the ledger; false when this idempotency key was already written (nothing happens twice). */
export function ledger(db: Sql, shopId: string, variantId: string, locationId: string, bucket: string, delta: number, reason: string, idempotencyKey: string, ref?: { type: string; id: string }): boolean {
  return appendLedger(db, shopId, [{ variantId, locationId, bucket, delta, reason, idempotencyKey, refType: ref?.type ?? null, refId: ref?.id ?? null }]) === 1;
}

export interface LedgerEntry {
  variantId: string;
  locationId: string;
  bucket: string;
  delta: number;
  reason: string;
  idempotencyKey: string;
  refType: string | null;
  refId: string | null;
}

/** Append entries in as few statements as possible; returns how many were new (a repeated key writes nothing). */
export function appendLedger(db: Sql, shopId: string, entries: LedgerEntry[], at = sqlTime()): number {
  let written = 0;
  forChunks(entries, (chunk) => {
    const values: unknown[] = [{ shop: shopId, at }];
    for (const e of chunk) values.push(e.variantId, e.locationId, e.bucket, e.delta, e.reason, e.idempotencyKey, e.refType, e.refId);
    written += APPEND_LEDGER.for(db, chunk.length).run(...values).changes;
  });
  return written;
}

// Values every row of a statement shares (shop, time, decision) are named parameters: bound once per
// statement, not once per row (binding was ~18 % of a reservation's instructions; ADR 0004).
const APPEND_LEDGER = new MultiRowStatement((rows) => `INSERT INTO "InventoryLedgerEntry" ("shopId","variantId","locationId","bucket","delta","reason","idempotencyKey","refType","refId","createdAt")
  VALUES ${repeatRow("(@shop,?,?,?,?,?,?,?,?,@at)", rows)} ON CONFLICT ("shopId","idempotencyKey") DO NOTHING`);

/** A stock reservation: the allocation row it writes and the ledger row that moves the level's reserved bucket. */
export interface Reservation {
  allocationId: string;
  orderLineId: string;
  variantId: string;
  locationId: string;
  quantity: number;
}

/**
 * A reservation's ledger rows (bucket and reason `reserved`, key `reserve:<allocation id>`, referring to
 * the order): the constant columns are written into the statement, so each row binds four values, not eight.
 */
export function appendReservedLedger(db: Sql, shopId: string, orderId: string, rows: Reservation[], at = sqlTime()): number {
  let written = 0;
  forChunks(rows, (chunk) => {
    const values: unknown[] = [{ shop: shopId, order: orderId, at }];
    for (const r of chunk) values.push(r.variantId, r.locationId, r.quantity, r.allocationId);
    written += APPEND_RESERVED_LEDGER.for(db, chunk.length).run(...values).changes;
  });
  return written;
}

const APPEND_RESERVED_LEDGER = new MultiRowStatement((rows) => `INSERT INTO "InventoryLedgerEntry" ("shopId","variantId","locationId","bucket","delta","reason","idempotencyKey","refType","refId","createdAt")
  VALUES ${repeatRow("(@shop,?,?,'reserved',?,'reserved','reserve:' || ?,'order',@order,@at)", rows)} ON CONFLICT ("shopId","idempotencyKey") DO NOTHING`);

/** Multi-row statements: one per ≤ 32 rows, so a handful of cached statement shapes cover every order. */
const CHUNK = 32;

function forChunks<T>(items: T[], fn: (chunk: T[]) => void): void {
  for (let i = 0; i < items.length; i += CHUNK) fn(items.length <= CHUNK ? items : items.slice(i, i + CHUNK));
}

/** Count an order (or take one back, `by` < 0) against a location's day; the day's row is made on its first order. */
export function bumpLocationLoad(db: Sql, shopId: string, locationId: string, day: string, by = 1): void {
  const { changes } = stmt(db, `UPDATE "LocationLoad" SET "orders" = MAX("orders" + ?, 0) WHERE "locationId" = ? AND "day" = ? AND "shopId" = ?`).run(by, locationId, day, shopId);
  if (changes === 1) return;
  stmt(db, `INSERT INTO "LocationLoad" ("id","shopId","locationId","day","orders") VALUES (?,?,?,?,MAX(?, 0))`).run(newId(), shopId, locationId, day, by);
}

// ---- allocations ---------------------------------------------------------------------------------

export interface AllocationRow {
  id: string;
  orderLineId: string;
  locationId: string | null;
  quantity: number;
  status: string;
  variantId: string | null;
}

/** A reservation's allocation rows (status `reserved`) and the lines left waiting (status `backordered`, no location). */
export function insertReservedAllocations(db: Sql, shopId: string, decisionId: string, reserved: Reservation[], backordered: { id: string; orderLineId: string; quantity: number }[], at = sqlTime()): void {
  forChunks(reserved, (chunk) => {
    const values: unknown[] = [{ shop: shopId, decision: decisionId, at }];
    for (const r of chunk) values.push(r.allocationId, r.orderLineId, r.locationId, r.quantity);
    INSERT_RESERVED.for(db, chunk.length).run(...values);
  });
  forChunks(backordered, (chunk) => {
    const values: unknown[] = [{ shop: shopId, decision: decisionId, at }];
    for (const r of chunk) values.push(r.id, r.orderLineId, r.quantity);
    INSERT_BACKORDERED.for(db, chunk.length).run(...values);
  });
}

const INSERT_RESERVED = new MultiRowStatement((rows) => `INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt")
  VALUES ${repeatRow("(?,@shop,?,?,?,'reserved',@decision,@at,@at)", rows)}`);
const INSERT_BACKORDERED = new MultiRowStatement((rows) => `INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt")
  VALUES ${repeatRow("(?,@shop,?,NULL,?,'backordered',@decision,@at,@at)", rows)}`);

export function openAllocations(db: Sql, shopId: string, orderId: string): AllocationRow[] {
  return stmt(db, `SELECT a."id", a."orderLineId", a."locationId", a."quantity", a."status", l."variantId" FROM "OrderLine" l JOIN "Allocation" a ON a."orderLineId" = l."id"
    WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered') ORDER BY a."createdAt", a."id"`).all(shopId, orderId) as AllocationRow[];
}

export function setAllocation(db: Sql, allocationId: string, status: string, quantity?: number): void {
  if (quantity === undefined) stmt(db, `UPDATE "Allocation" SET "status" = ?, "updatedAt" = ? WHERE "id" = ?`).run(status, sqlTime(), allocationId);
  else stmt(db, `UPDATE "Allocation" SET "status" = ?, "quantity" = ?, "updatedAt" = ? WHERE "id" = ?`).run(status, quantity, sqlTime(), allocationId);
}

/** Orders waiting for any of these variants, oldest first (placed time, then id): who gets stock next. */
export function backorderQueue(db: Sql, shopId: string, variantIds: string[]): { orderId: string }[] {
  if (variantIds.length === 0) return [];
  const marks = variantIds.map(() => "?").join(",");
  return stmt(db, `SELECT o."id" AS "orderId", MIN(o."placedAt") AS "placedAt" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId"
    WHERE a."shopId" = ? AND a."status" = 'backordered' AND l."variantId" IN (${marks}) AND o."status" NOT IN ('cancelled','returned')
    GROUP BY o."id" ORDER BY MIN(o."placedAt"), o."id"`).all(shopId, ...variantIds) as { orderId: string }[];
}

export function insertDecision(db: Sql, shopId: string, orderId: string, d: { ruleSetId: string | null; method: string; decidedBy: string; totalCostMinor: number; shipments: number; unitsAllocated: number; unitsBackordered: number; meetsPromise: boolean | null; explanation: string }, at = sqlTime()): string {
  const id = newId();
  stmt(db, `INSERT INTO "RoutingDecision" ("id","shopId","orderId","ruleSetId","method","decidedBy","totalCostMinor","shipments","unitsAllocated","unitsBackordered","meetsPromise","explanation","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`).run(
    id, shopId, orderId, d.ruleSetId, d.method, d.decidedBy, d.totalCostMinor, d.shipments, d.unitsAllocated, d.unitsBackordered, d.meetsPromise === null ? null : d.meetsPromise ? 1 : 0, d.explanation, at,
  );
  return id;
}

export function activeRuleSet(db: Sql, shopId: string): { id: string; rules: string; rateTable: string } | undefined {
  return stmt(db, `SELECT "id","rules","rateTable" FROM "RoutingRuleSet" WHERE "shopId" = ? AND "status" = 'active' ORDER BY "activatedAt" DESC LIMIT 1`).get(shopId) as { id: string; rules: string; rateTable: string } | undefined;
}

export function auditSql(db: Sql, shopId: string, actor: string, action: string, subject: { type: string; id: string } | null, data: object = {}): void {
  stmt(db, `INSERT INTO "AuditEvent" ("id","shopId","actor","action","subjectType","subjectId","data","createdAt") VALUES (?,?,?,?,?,?,?,?)`).run(newId(), shopId, actor, action, subject?.type ?? null, subject?.id ?? null, JSON.stringify(data), sqlTime());
}

// ---- applying a decision to the channel ------------------------------------------------------------

export function latestDecisionId(db: Sql, shopId: string, orderId: string): string | undefined {
  const row = stmt(db, `SELECT "id" FROM "RoutingDecision" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT 1`).get(shopId, orderId) as { id: string } | undefined;
  return row?.id;
}

export interface OrderChannelRow {
  id: string;
  externalId: string;
  status: string;
  channelKind: string;
  shopDomain: string;
}

export function orderWithChannel(db: Sql, shopId: string, orderId: string): OrderChannelRow | undefined {
  return stmt(db, `SELECT o."id", o."externalId", o."status", c."kind" AS "channelKind", s."domain" AS "shopDomain" FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" JOIN "Shop" s ON s."id" = o."shopId" WHERE o."shopId" = ? AND o."id" = ?`).get(shopId, orderId) as OrderChannelRow | undefined;
}

/** Open allocations with the external ids a channel understands (line item, location). */
export function openPlacements(db: Sql, shopId: string, orderId: string): { lineExternalId: string; locationExternalId: string | null; quantity: number }[] {
  return stmt(db, `SELECT l."externalId" AS "lineExternalId", loc."externalId" AS "locationExternalId", a."quantity" FROM "OrderLine" l JOIN "Allocation" a ON a."orderLineId" = l."id" LEFT JOIN "Location" loc ON loc."id" = a."locationId"
    WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered') ORDER BY l."createdAt", l."id", a."createdAt"`).all(shopId, orderId) as { lineExternalId: string; locationExternalId: string | null; quantity: number }[];
}

/** The outbox side of a decision: its apply-routing job has been enqueued. */
export function markDecisionDispatched(db: Sql, decisionId: string): void {
  stmt(db, `UPDATE "RoutingDecision" SET "dispatchedAt" = ? WHERE "id" = ?`).run(sqlTime(), decisionId);
}

/** Decisions committed but never dispatched (the process died between commit and enqueue). */
export function undispatchedDecisions(db: Sql, olderThan: Date, limit: number): { id: string; shopId: string; orderId: string }[] {
  return stmt(db, `SELECT "id","shopId","orderId" FROM "RoutingDecision" WHERE "dispatchedAt" IS NULL AND "createdAt" < ? ORDER BY "createdAt" LIMIT ?`).all(sqlTime(olderThan), limit) as { id: string; shopId: string; orderId: string }[];
}
