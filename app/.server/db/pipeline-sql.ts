import type { ChannelOrder } from "~/domain/orders/channel-order";
import { AppError } from "../errors";
import { AVAILABLE } from "./availability-sql";
import { marks, perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime, sqlTimeOfText } from "./ids";

// Statements of the order pipeline (intake → reservation → backorders), composed by the use cases inside
// one transaction. Every statement is scoped by shop. Rows an ingest will change are read FOR UPDATE on
// PostgreSQL (SQLite's writer holds the database's write lock for the whole group already).

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

const FIND_ORDER = perDialect((d) => `SELECT ${ORDER_COLUMNS} FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" = ?${d.forUpdate}`);
const GET_ORDER = perDialect((d) => `SELECT ${ORDER_COLUMNS} FROM "Order" WHERE "shopId" = ? AND "id" = ?${d.forUpdate}`);

/** The order of a channel by the channel's id for it, locked for this transaction (it is about to change). */
export async function findOrder(tx: Queryable, shopId: string, channelId: string, externalId: string): Promise<OrderRow | undefined> {
  return tx.get<OrderRow>(FIND_ORDER[tx.dialect], shopId, channelId, externalId);
}

/** An order by our id, locked for this transaction: whoever changes an order's allocations holds its row first. */
export async function getOrder(tx: Queryable, shopId: string, orderId: string): Promise<OrderRow | undefined> {
  return tx.get<OrderRow>(GET_ORDER[tx.dialect], shopId, orderId);
}

/** The order's times as stored (sqlTime): a caller that formats them already passes them in. */
export interface OrderTimes {
  placedAt: string;
  updatedAt: string;
}

export function orderTimes(order: ChannelOrder): OrderTimes {
  return { placedAt: sqlTimeOfText(order.placedAt), updatedAt: sqlTimeOfText(order.updatedAt) };
}

/** ORDER_FIELDS' values, appended to `into` (a multi-row insert's parameters). */
export function pushOrderValues(into: unknown[], order: ChannelOrder, times: OrderTimes = orderTimes(order)): unknown[] {
  const s = order.shipTo;
  into.push(
    order.name, order.currency, order.totalMinor, order.financialStatus, order.email, order.phone, order.customerExternalId, order.customerName,
    s?.address1 ?? null, s?.city ?? null, s?.province ?? null, s?.countryCode ?? null, s?.zip ?? null, s?.latitude ?? null, s?.longitude ?? null,
    times.placedAt, times.updatedAt, order.cancelledAt ? sqlTimeOfText(order.cancelledAt) : null,
  );
  return into;
}

export function orderValues(order: ChannelOrder): unknown[] {
  return pushOrderValues([], order);
}

export const ORDER_FIELDS = `"name","currency","totalMinor","financialStatus","email","phone","customerExternalId","customerName","shipAddress1","shipCity","shipProvince","shipCountryCode","shipZip","shipLatitude","shipLongitude","placedAt","externalUpdatedAt","cancelledAt"`;
const INSERT_ORDER = `INSERT INTO "Order" ("id","shopId","channelId","externalId","status","promisedBy","externalTriggeredAt",${ORDER_FIELDS},"createdAt","updatedAt") VALUES (?,?,?,?,'received',?,?,${marks(ORDER_FIELDS.split(",").length)},?,?)`;
const UPDATE_ORDER = `UPDATE "Order" SET ${ORDER_FIELDS.split(",").map((f) => `${f} = ?`).join(", ")}, "externalTriggeredAt" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`;

/** A new order (status `received`), with the channel's X-Shopify-Triggered-At when it gave one; returns its row. */
export async function insertOrder(tx: Tx, shopId: string, channelId: string, order: ChannelOrder, promisedBy: string | null, triggeredAt: Date | null = null): Promise<OrderRow> {
  const id = newId();
  const now = sqlTime();
  const values = orderValues(order);
  await tx.run(INSERT_ORDER, id, shopId, channelId, order.externalId, promisedBy, triggeredAt ? sqlTime(triggeredAt) : null, ...values, now, now);
  const s = order.shipTo;
  return {
    id, status: "received", externalUpdatedAt: values[16] as string, placedAt: values[15] as string, promisedBy,
    shipLatitude: s?.latitude ?? null, shipLongitude: s?.longitude ?? null, shipCountryCode: s?.countryCode ?? null, shipZip: s?.zip ?? null, channelId, externalId: order.externalId,
  };
}

/** The order's fields from a newer payload of the channel (and that payload's X-Shopify-Triggered-At). */
export async function updateOrder(tx: Tx, shopId: string, orderId: string, order: ChannelOrder, triggeredAt: Date | null = null): Promise<void> {
  await tx.run(UPDATE_ORDER, ...orderValues(order), triggeredAt ? sqlTime(triggeredAt) : null, sqlTime(), shopId, orderId);
}

export async function setOrderStatus(tx: Tx, shopId: string, orderId: string, status: string): Promise<void> {
  await tx.run(`UPDATE "Order" SET "status" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, status, sqlTime(), shopId, orderId);
}

export interface LineRow {
  id: string;
  externalId: string;
  variantId: string | null;
  sku: string | null;
  quantity: number;
  weightGrams: number | null;
}

export async function orderLines(q: Queryable, shopId: string, orderId: string): Promise<LineRow[]> {
  return q.all<LineRow>(`SELECT l."id", l."externalId", l."variantId", COALESCE(v."sku", l."sku") AS "sku", l."quantity", v."weightGrams" FROM "OrderLine" l LEFT JOIN "Variant" v ON v."id" = l."variantId" WHERE l."shopId" = ? AND l."orderId" = ? ORDER BY l."createdAt", l."id"`, shopId, orderId);
}

export interface ResolvedVariant {
  id: string;
  sku: string;
  weightGrams: number;
}

/**
 * The variant each channel line resolves to in this shop's catalog — by the channel's variant id, else by
 * SKU (each unique per shop) — in one statement; null when unknown.
 */
export async function resolveLineVariants(q: Queryable, shopId: string, lines: ChannelOrder["lines"]): Promise<(ResolvedVariant | null)[]> {
  const ids = [...new Set(lines.map((l) => l.variantExternalId).filter((v): v is string => Boolean(v)))];
  const skus = [...new Set(lines.map((l) => l.sku).filter((v): v is string => Boolean(v)))];
  if (ids.length + skus.length === 0) return lines.map(() => null);
  const where = [ids.length ? `"externalId" IN (${marks(ids.length)})` : "", skus.length ? `"sku" IN (${marks(skus.length)})` : ""].filter(Boolean).join(" OR ");
  const rows = await q.all<ResolvedVariant & { externalId: string }>(`SELECT "id","externalId","sku","weightGrams" FROM "Variant" WHERE "shopId" = ? AND (${where})`, shopId, ...ids, ...skus);
  const byExternalId = new Map(rows.map((r) => [r.externalId, r]));
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  return lines.map((l) => {
    const found = (l.variantExternalId ? byExternalId.get(l.variantExternalId) : undefined) ?? (l.sku ? bySku.get(l.sku) : undefined);
    return found ? { id: found.id, sku: found.sku, weightGrams: found.weightGrams } : null;
  });
}

const UPSERT_LINES = multiRow((rows) => `INSERT INTO "OrderLine" ("id","shopId","orderId","externalId","variantId","sku","title","quantity","priceMinor","createdAt")
  VALUES ${repeatRow("(?,@shop,@order,?,?,?,?,?,?,@at)", rows)}
  ON CONFLICT ("orderId","externalId") DO UPDATE SET "variantId" = excluded."variantId", "sku" = excluded."sku", "title" = excluded."title", "quantity" = excluded."quantity", "priceMinor" = excluded."priceMinor"
  RETURNING "id","externalId","variantId","sku","quantity"`);

/**
 * Insert or update the order's lines (variants as resolved by resolveLineVariants) and return them as
 * LineRows, in the channel's order. Lines held but no longer listed get quantity 0 (their rows stay:
 * fulfillments and refunds name them); a new order has none (`isNew`). Release what a line holds before it
 * takes another item (planLineChanges): an open allocation is always of its line's variant.
 */
export async function upsertLines(tx: Tx, shopId: string, orderId: string, order: ChannelOrder, variants?: (ResolvedVariant | null)[], opts: { isNew?: boolean } = {}): Promise<LineRow[]> {
  const resolved = variants ?? (await resolveLineVariants(tx, shopId, order.lines));
  const at = sqlTime();
  const byExternalId = new Map<string, LineRow>();
  let offset = 0;
  await forChunks(order.lines, async (chunk) => {
    const values: unknown[] = [{ shop: shopId, order: orderId, at }];
    chunk.forEach((line, i) => values.push(newId(), line.externalId, resolved[offset + i]?.id ?? null, line.sku, line.title, line.quantity, line.priceMinor));
    const rows = await tx.all<Omit<LineRow, "weightGrams">>(UPSERT_LINES(chunk.length), ...values);
    for (const row of rows) {
      const variant = resolved[offset + chunk.findIndex((l) => l.externalId === row.externalId)];
      byExternalId.set(row.externalId, { ...row, sku: variant?.sku ?? row.sku, weightGrams: variant?.weightGrams ?? null });
    }
    offset += chunk.length;
  });
  if (!opts.isNew) {
    const listed = new Set(order.lines.map((l) => l.externalId));
    for (const held of await orderLines(tx, shopId, orderId)) {
      if (!listed.has(held.externalId) && held.quantity !== 0) await tx.run(`UPDATE "OrderLine" SET "quantity" = 0 WHERE "shopId" = ? AND "id" = ?`, shopId, held.id);
    }
  }
  return order.lines.map((l) => byExternalId.get(l.externalId)!);
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

export async function activeLocations(q: Queryable, shopId: string, day: string): Promise<LocationRow[]> {
  return q.all<LocationRow>(`SELECT l."id", l."externalId", l."name", l."latitude", l."longitude", l."dailyCapacity", l."carrierCutoff", l."timezone", l."handlingCostMinor",
      COALESCE((SELECT SUM(d."orders") FROM "LocationLoad" d WHERE d."locationId" = l."id" AND d."day" = ?), 0) AS "ordersToday"
    FROM "Location" l WHERE l."shopId" = ? AND l."active" = TRUE ORDER BY l."id"`, day, shopId);
}

export async function availableStock(q: Queryable, shopId: string, variantIds: string[]): Promise<{ locationId: string; variantId: string; available: number }[]> {
  if (variantIds.length === 0) return [];
  return q.all(`SELECT "locationId", "variantId", ${AVAILABLE} AS "available" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" IN (${marks(variantIds.length)})`, shopId, ...variantIds);
}

const RESERVE = `UPDATE "InventoryLevel" SET "reserved" = "reserved" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND ${AVAILABLE} >= ?`;

/** The guarded decrement: reserves only while available stays ≥ 0. Returns whether it did. */
export async function reserveStock(tx: Tx, shopId: string, variantId: string, locationId: string, quantity: number, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(RESERVE, quantity, at, shopId, variantId, locationId, quantity);
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
 * claims before it were updated. Claims go in one order (variant, then location) so that two transactions
 * locking levels on PostgreSQL take them in the same order and never deadlock over them.
 */
export async function reserveStockAll(tx: Tx, shopId: string, claims: StockClaim[], at = sqlTime()): Promise<boolean> {
  const ordered = claims.length > 1 ? [...claims].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0)) : claims;
  for (const c of ordered) if (!(await reserveStock(tx, shopId, c.variantId, c.locationId, c.quantity, at))) return false;
  return true;
}

/**
 * Adds to on hand (creating the level if needed); returns false when the key was already applied. The level
 * moves only when its ledger row is new, by exactly that row's delta (the rule of stockMoved, fulfillment-sql.ts).
 */
export async function addOnHand(tx: Tx, shopId: string, variantId: string, locationId: string, quantity: number, reason: string, idempotencyKey: string, ref?: { type: string; id: string }): Promise<boolean> {
  if (!Number.isInteger(quantity) || quantity < 0) throw new AppError("unexpected_state", "INVENTORY.BAD_DELTA", `Stock added needs a whole quantity ≥ 0, got ${quantity}`);
  if (!(await ledger(tx, shopId, variantId, locationId, "on_hand", quantity, reason, idempotencyKey, ref))) return false;
  await tx.run(
    `INSERT INTO "InventoryLevel" ("id","shopId","variantId","locationId","onHand","reserved","incoming","safety","updatedAt") VALUES (?,?,?,?,?,0,0,0,?)
     ON CONFLICT ("variantId","locationId") DO UPDATE SET "onHand" = "InventoryLevel"."onHand" + excluded."onHand", "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, variantId, locationId, quantity, sqlTime(),
  );
  return true;
}

/** Append to the ledger; false when this idempotency key was already written (nothing happens twice). */
export async function ledger(tx: Tx, shopId: string, variantId: string, locationId: string, bucket: string, delta: number, reason: string, idempotencyKey: string, ref?: { type: string; id: string }): Promise<boolean> {
  return (await appendLedger(tx, shopId, [{ variantId, locationId, bucket, delta, reason, idempotencyKey, refType: ref?.type ?? null, refId: ref?.id ?? null }])) === 1;
}

/** Whether a ledger row with this idempotency key exists: the effect it names was applied already. */
export async function ledgerKeyUsed(q: Queryable, shopId: string, idempotencyKey: string): Promise<boolean> {
  return (await q.get(`SELECT 1 AS "used" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "idempotencyKey" = ?`, shopId, idempotencyKey)) !== undefined;
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

/** `row` repeated `rows` times, comma-separated: the VALUES list of a multi-row statement. */
function repeatRow(row: string, rows: number): string {
  return Array.from({ length: rows }, () => row).join(",");
}

/** A statement whose text depends only on how many rows it carries: built once per row count. */
function multiRow(text: (rows: number) => string): (rows: number) => string {
  const built: string[] = [];
  return (rows) => (built[rows] ??= text(rows));
}

/** Multi-row statements: one per ≤ 32 rows, so a handful of statement shapes cover every order. */
const CHUNK = 32;

async function forChunks<T>(items: T[], fn: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) await fn(items.length <= CHUNK ? items : items.slice(i, i + CHUNK));
}

// Values every row of a statement shares (shop, time, decision) are named parameters: bound once per
// statement, not once per row (binding was ~18 % of a reservation's instructions; ADR 0004).
const APPEND_LEDGER = multiRow((rows) => `INSERT INTO "InventoryLedgerEntry" ("shopId","variantId","locationId","bucket","delta","reason","idempotencyKey","refType","refId","createdAt")
  VALUES ${repeatRow("(@shop,?,?,?,?,?,?,?,?,@at)", rows)} ON CONFLICT ("shopId","idempotencyKey") DO NOTHING`);

/** Append entries in as few statements as possible; returns how many were new (a repeated key writes nothing). */
export async function appendLedger(tx: Tx, shopId: string, entries: LedgerEntry[], at = sqlTime()): Promise<number> {
  let written = 0;
  await forChunks(entries, async (chunk) => {
    const values: unknown[] = [{ shop: shopId, at }];
    for (const e of chunk) values.push(e.variantId, e.locationId, e.bucket, e.delta, e.reason, e.idempotencyKey, e.refType, e.refId);
    written += (await tx.run(APPEND_LEDGER(chunk.length), ...values)).changes;
  });
  return written;
}

/** A stock reservation: the allocation row it writes and the ledger row that moves the level's reserved bucket. */
export interface Reservation {
  allocationId: string;
  orderLineId: string;
  variantId: string;
  locationId: string;
  quantity: number;
}

const APPEND_RESERVED_LEDGER = multiRow((rows) => `INSERT INTO "InventoryLedgerEntry" ("shopId","variantId","locationId","bucket","delta","reason","idempotencyKey","refType","refId","createdAt")
  VALUES ${repeatRow("(@shop,?,?,'reserved',?,'reserved','reserve:' || ?,'order',@order,@at)", rows)} ON CONFLICT ("shopId","idempotencyKey") DO NOTHING`);

/**
 * A reservation's ledger rows (bucket and reason `reserved`, key `reserve:<allocation id>`, referring to
 * the order): the constant columns are written into the statement, so each row binds four values, not eight.
 */
export async function appendReservedLedger(tx: Tx, shopId: string, orderId: string, rows: Reservation[], at = sqlTime()): Promise<number> {
  let written = 0;
  await forChunks(rows, async (chunk) => {
    const values: unknown[] = [{ shop: shopId, order: orderId, at }];
    for (const r of chunk) values.push(r.variantId, r.locationId, r.quantity, r.allocationId);
    written += (await tx.run(APPEND_RESERVED_LEDGER(chunk.length), ...values)).changes;
  });
  return written;
}

// A location's daily load: a sharded counter (migration 0003). SQLite updates first and inserts a day's row
// once (cheaper on its single writer), on shard 0; PostgreSQL upserts in one statement on one of
// LOAD_SHARDS rows picked by the caller's key, so concurrent reservations at one location seldom wait for
// each other's commit, and two counting the day's first order never collide.
const LOAD_SHARDS = 16;
const BUMP_LOAD_UPDATE = `UPDATE "LocationLoad" SET "orders" = CASE WHEN "orders" + ? > 0 THEN "orders" + ? ELSE 0 END WHERE "locationId" = ? AND "day" = ? AND "shard" = 0 AND "shopId" = ?`;
const BUMP_LOAD_INSERT = `INSERT INTO "LocationLoad" ("id","shopId","locationId","day","shard","orders") VALUES (?,?,?,?,0,?)`;
const BUMP_LOAD_UPSERT = `INSERT INTO "LocationLoad" ("id","shopId","locationId","day","shard","orders") VALUES (?,?,?,?,?,?)
  ON CONFLICT ("locationId","day","shard") DO UPDATE SET "orders" = CASE WHEN "LocationLoad"."orders" + ? > 0 THEN "LocationLoad"."orders" + ? ELSE 0 END`;

/** Count an order (or take one back, `by` < 0) against a location's day; `shardKey` (e.g. the decision id) spreads counts on PostgreSQL. */
export async function bumpLocationLoad(tx: Tx, shopId: string, locationId: string, day: string, by = 1, shardKey = ""): Promise<void> {
  if (tx.dialect === "postgres") {
    await tx.run(BUMP_LOAD_UPSERT, newId(), shopId, locationId, day, shardOf(shardKey), Math.max(by, 0), by, by);
    return;
  }
  const { changes } = await tx.run(BUMP_LOAD_UPDATE, by, by, locationId, day, shopId);
  if (changes === 0) await tx.run(BUMP_LOAD_INSERT, newId(), shopId, locationId, day, Math.max(by, 0));
}

function shardOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h) % LOAD_SHARDS;
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

const INSERT_RESERVED = multiRow((rows) => `INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt")
  VALUES ${repeatRow("(?,@shop,?,?,?,'reserved',@decision,@at,@at)", rows)}`);
const INSERT_BACKORDERED = multiRow((rows) => `INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt")
  VALUES ${repeatRow("(?,@shop,?,NULL,?,'backordered',@decision,@at,@at)", rows)}`);

/** A reservation's allocation rows (status `reserved`) and the lines left waiting (status `backordered`, no location). */
export async function insertReservedAllocations(tx: Tx, shopId: string, decisionId: string, reserved: Reservation[], backordered: { id: string; orderLineId: string; quantity: number }[], at = sqlTime()): Promise<void> {
  await forChunks(reserved, async (chunk) => {
    const values: unknown[] = [{ shop: shopId, decision: decisionId, at }];
    for (const r of chunk) values.push(r.allocationId, r.orderLineId, r.locationId, r.quantity);
    await tx.run(INSERT_RESERVED(chunk.length), ...values);
  });
  await forChunks(backordered, async (chunk) => {
    const values: unknown[] = [{ shop: shopId, decision: decisionId, at }];
    for (const r of chunk) values.push(r.id, r.orderLineId, r.quantity);
    await tx.run(INSERT_BACKORDERED(chunk.length), ...values);
  });
}

export async function openAllocations(q: Queryable, shopId: string, orderId: string): Promise<AllocationRow[]> {
  return q.all<AllocationRow>(`SELECT a."id", a."orderLineId", a."locationId", a."quantity", a."status", l."variantId" FROM "OrderLine" l JOIN "Allocation" a ON a."orderLineId" = l."id"
    WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered') ORDER BY a."createdAt", a."id"`, shopId, orderId);
}

export async function setAllocation(tx: Tx, shopId: string, allocationId: string, status: string, quantity?: number): Promise<void> {
  if (quantity === undefined) await tx.run(`UPDATE "Allocation" SET "status" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, status, sqlTime(), shopId, allocationId);
  else await tx.run(`UPDATE "Allocation" SET "status" = ?, "quantity" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, status, quantity, sqlTime(), shopId, allocationId);
}

/** Orders waiting for any of these variants, oldest first (placed time, then id): who gets stock next. */
export async function backorderQueue(q: Queryable, shopId: string, variantIds: string[]): Promise<{ orderId: string }[]> {
  if (variantIds.length === 0) return [];
  return q.all(`SELECT o."id" AS "orderId" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId"
    WHERE a."shopId" = ? AND a."status" = 'backordered' AND l."variantId" IN (${marks(variantIds.length)}) AND o."status" NOT IN ('cancelled','returned')
    GROUP BY o."id", o."placedAt" ORDER BY o."placedAt", o."id"`, shopId, ...variantIds);
}

export interface DecisionInput {
  ruleSetId: string | null;
  method: string;
  decidedBy: string;
  totalCostMinor: number;
  shipments: number;
  unitsAllocated: number;
  unitsBackordered: number;
  meetsPromise: boolean | null;
  explanation: string;
}

const INSERT_DECISION = `INSERT INTO "RoutingDecision" ("id","shopId","orderId","ruleSetId","method","decidedBy","totalCostMinor","shipments","unitsAllocated","unitsBackordered","meetsPromise","explanation","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`;

export async function insertDecision(tx: Tx, shopId: string, orderId: string, d: DecisionInput, at = sqlTime(), id = newId()): Promise<string> {
  await tx.run(INSERT_DECISION, id, shopId, orderId, d.ruleSetId, d.method, d.decidedBy, d.totalCostMinor, d.shipments, d.unitsAllocated, d.unitsBackordered, d.meetsPromise, d.explanation, at);
  return id;
}

export async function activeRuleSet(q: Queryable, shopId: string): Promise<{ id: string; rules: string; rateTable: string } | undefined> {
  return q.get(`SELECT "id","rules","rateTable" FROM "RoutingRuleSet" WHERE "shopId" = ? AND "status" = 'active' ORDER BY "activatedAt" DESC LIMIT 1`, shopId);
}

// ---- a reservation's writes, in one place ---------------------------------------------------------

export interface ReservationWrite {
  /** The decision row's id (the caller names it, so what it returns can say it before the write runs). */
  decisionId: string;
  orderId: string;
  decision: DecisionInput;
  reserved: Reservation[];
  backordered: { id: string; orderLineId: string; quantity: number }[];
  /** Per (variant, location): what the guarded decrements take. */
  claims: StockClaim[];
  /** Locations whose day this order counts against. */
  shipFrom: string[];
  day: string;
  at: string;
}

export type ReservationWritten = { ok: true; decisionId: string } | { ok: false; reason: "stock_changed" | "ledger_key_reused" };

/**
 * Everything a reservation writes: the decision row, its allocations (reserved and backordered), one ledger
 * row per reserved part (key `reserve:<allocation id>`), the guarded decrements (claims in one order), and
 * the location load. The rows other orders also change (levels, the location's day) come last: on
 * PostgreSQL their locks are held until commit. Not ok: the caller must roll back (a claim found less stock
 * than was read — another transaction took it — or a ledger key was used already).
 *
 * SQLite runs it as the statements below, one after another (each microseconds on the writer connection).
 * PostgreSQL runs it as ONE statement (data-modifying CTEs over unnest()ed arrays): every statement there is
 * a round trip through the kernel to the server process and back, which cost more than the work itself
 * (ADR 0007, addendum).
 */
export async function writeReservation(tx: Tx, shopId: string, w: ReservationWrite): Promise<ReservationWritten> {
  if (tx.dialect === "postgres") return writeReservationPostgres(tx, shopId, w);
  const decisionId = await insertDecision(tx, shopId, w.orderId, w.decision, w.at, w.decisionId);
  await insertReservedAllocations(tx, shopId, decisionId, w.reserved, w.backordered, w.at);
  if ((await appendReservedLedger(tx, shopId, w.orderId, w.reserved, w.at)) !== w.reserved.length) return { ok: false, reason: "ledger_key_reused" };
  if (w.claims.length > 0 && !(await reserveStockAll(tx, shopId, w.claims, w.at))) return { ok: false, reason: "stock_changed" };
  for (const locationId of w.shipFrom) await bumpLocationLoad(tx, shopId, locationId, w.day, 1, decisionId);
  return { ok: true, decisionId };
}

const RESERVE_PG = `WITH
  "decision" AS (
    INSERT INTO "RoutingDecision" ("id","shopId","orderId","ruleSetId","method","decidedBy","totalCostMinor","shipments","unitsAllocated","unitsBackordered","meetsPromise","explanation","createdAt")
    VALUES (@decision, @shop, @order, @ruleSet, @method, @decidedBy, @cost, @shipments, @unitsAllocated, @unitsBackordered, @meetsPromise, @explanation, @at)),
  "alloc" AS (
    INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt")
    SELECT a."id", @shop, a."line", a."loc", a."q", a."status", @decision, @at, @at
    FROM unnest(CAST(@allocIds AS text[]), CAST(@allocLines AS text[]), CAST(@allocLocations AS text[]), CAST(@allocQuantities AS integer[]), CAST(@allocStatuses AS text[])) AS a("id","line","loc","q","status")),
  "ledger" AS (
    INSERT INTO "InventoryLedgerEntry" ("shopId","variantId","locationId","bucket","delta","reason","idempotencyKey","refType","refId","createdAt")
    SELECT @shop, r."variant", r."loc", 'reserved', r."q", 'reserved', 'reserve:' || r."alloc", 'order', @order, @at
    FROM unnest(CAST(@resVariants AS text[]), CAST(@resLocations AS text[]), CAST(@resQuantities AS integer[]), CAST(@resAllocations AS text[])) AS r("variant","loc","q","alloc")
    ON CONFLICT ("shopId","idempotencyKey") DO NOTHING
    RETURNING 1),
  "locked" AS (
    SELECT lv."id", c."q" FROM "InventoryLevel" lv
    JOIN unnest(CAST(@claimVariants AS text[]), CAST(@claimLocations AS text[]), CAST(@claimQuantities AS integer[])) AS c("variant","loc","q") ON lv."variantId" = c."variant" AND lv."locationId" = c."loc"
    WHERE lv."shopId" = @shop
    ORDER BY lv."variantId", lv."locationId"
    FOR UPDATE OF lv),
  "claimed" AS (
    UPDATE "InventoryLevel" lv SET "reserved" = lv."reserved" + k."q", "updatedAt" = @at
    FROM "locked" k
    WHERE lv."id" = k."id" AND lv."onHand" - lv."reserved" - lv."safety" >= k."q"
    RETURNING 1),
  "load" AS (
    INSERT INTO "LocationLoad" ("id","shopId","locationId","day","shard","orders")
    SELECT s."id", @shop, s."loc", @day, @shard, 1 FROM unnest(CAST(@loadIds AS text[]), CAST(@loadLocations AS text[])) AS s("id","loc")
    ON CONFLICT ("locationId","day","shard") DO UPDATE SET "orders" = "LocationLoad"."orders" + 1)
SELECT (SELECT COUNT(*) FROM "ledger") AS "ledger", (SELECT COUNT(*) FROM "claimed") AS "claimed"`;

async function writeReservationPostgres(tx: Tx, shopId: string, w: ReservationWrite): Promise<ReservationWritten> {
  const decisionId = w.decisionId;
  const d = w.decision;
  const allocations = [...w.reserved.map((r) => ({ id: r.allocationId, line: r.orderLineId, loc: r.locationId as string | null, q: r.quantity, status: "reserved" })), ...w.backordered.map((b) => ({ id: b.id, line: b.orderLineId, loc: null, q: b.quantity, status: "backordered" }))];
  const row = await tx.get<{ ledger: number; claimed: number }>(RESERVE_PG, {
    decision: decisionId, shop: shopId, order: w.orderId, ruleSet: d.ruleSetId, method: d.method, decidedBy: d.decidedBy, cost: d.totalCostMinor, shipments: d.shipments,
    unitsAllocated: d.unitsAllocated, unitsBackordered: d.unitsBackordered, meetsPromise: d.meetsPromise, explanation: d.explanation, at: w.at,
    allocIds: allocations.map((a) => a.id), allocLines: allocations.map((a) => a.line), allocLocations: allocations.map((a) => a.loc), allocQuantities: allocations.map((a) => a.q), allocStatuses: allocations.map((a) => a.status),
    resVariants: w.reserved.map((r) => r.variantId), resLocations: w.reserved.map((r) => r.locationId), resQuantities: w.reserved.map((r) => r.quantity), resAllocations: w.reserved.map((r) => r.allocationId),
    claimVariants: w.claims.map((c) => c.variantId), claimLocations: w.claims.map((c) => c.locationId), claimQuantities: w.claims.map((c) => c.quantity),
    day: w.day, shard: shardOf(decisionId), loadIds: w.shipFrom.map(() => newId()), loadLocations: w.shipFrom,
  });
  if (Number(row?.ledger) !== w.reserved.length) return { ok: false, reason: "ledger_key_reused" };
  if (Number(row?.claimed) !== w.claims.length) return { ok: false, reason: "stock_changed" };
  return { ok: true, decisionId };
}

// ---- applying a decision to the channel ------------------------------------------------------------

export async function latestDecisionId(q: Queryable, shopId: string, orderId: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>(`SELECT "id" FROM "RoutingDecision" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT 1`, shopId, orderId))?.id;
}

export interface OrderChannelRow {
  id: string;
  externalId: string;
  status: string;
  channelId: string;
  channelKind: string;
  shopDomain: string;
}

export async function orderWithChannel(q: Queryable, shopId: string, orderId: string): Promise<OrderChannelRow | undefined> {
  return q.get<OrderChannelRow>(`SELECT o."id", o."externalId", o."status", o."channelId", c."kind" AS "channelKind", s."domain" AS "shopDomain" FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" JOIN "Shop" s ON s."id" = o."shopId" WHERE o."shopId" = ? AND o."id" = ?`, shopId, orderId);
}

/** Open allocations with the external ids a channel understands (line item, location). */
export async function openPlacements(q: Queryable, shopId: string, orderId: string): Promise<{ lineExternalId: string; locationExternalId: string | null; quantity: number }[]> {
  return q.all(`SELECT l."externalId" AS "lineExternalId", loc."externalId" AS "locationExternalId", a."quantity" FROM "OrderLine" l JOIN "Allocation" a ON a."orderLineId" = l."id" LEFT JOIN "Location" loc ON loc."id" = a."locationId"
    WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" IN ('reserved','backordered') ORDER BY l."createdAt", l."id", a."createdAt"`, shopId, orderId);
}

/** The outbox side of a decision: its apply-routing job has been enqueued. */
export async function markDecisionDispatched(q: Queryable, shopId: string, decisionId: string): Promise<void> {
  await markDecisionsDispatched(q, shopId, [decisionId]);
}

// Found by the key. Without statistics SQLite's planner prefers the (shopId, orderId, createdAt) index's shopId prefix to
// the key's IN list — a walk over every decision of the shop per statement (≈ 0.1 s at 60,000 decisions, so an import's
// marks cost O(n²)). `+"shopId"` keeps the condition but takes it off the index (SQLite's documented way); PostgreSQL
// has no unary + on text and plans by statistics anyway.
const MARK_DISPATCHED = perDialect((d) => `UPDATE "RoutingDecision" SET "dispatchedAt" = @at WHERE ${d.name === "sqlite" ? "+" : ""}"shopId" = @shop AND "id" IN (@@)`);
const markDispatchedText = { sqlite: multiRow((rows) => MARK_DISPATCHED.sqlite.replace("@@", marks(rows))), postgres: multiRow((rows) => MARK_DISPATCHED.postgres.replace("@@", marks(rows))) };

/** Several decisions of a shop marked dispatched, one statement per ≤ 32. */
export async function markDecisionsDispatched(q: Queryable, shopId: string, decisionIds: string[]): Promise<void> {
  const at = sqlTime();
  await forChunks(decisionIds, async (chunk) => void (await q.run(markDispatchedText[q.dialect](chunk.length), { shop: shopId, at }, ...chunk)));
}

/** Decisions committed but never dispatched (the process died between commit and enqueue): the sweep, across shops. */
export async function undispatchedDecisionsAcrossShops(q: Queryable, olderThan: Date, limit: number): Promise<{ id: string; shopId: string; orderId: string }[]> {
  return q.all(`SELECT "id","shopId","orderId" FROM "RoutingDecision" WHERE "dispatchedAt" IS NULL AND "createdAt" < ? ORDER BY "createdAt" LIMIT ?`, sqlTime(olderThan), limit);
}
