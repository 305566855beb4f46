import type { ChannelOrder } from "~/domain/orders/channel-order";
import { AVAILABLE } from "./availability-sql";
import { marks, perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { sqlTime } from "./ids";
import { ORDER_FIELDS, pushOrderValues, type OrderTimes, type ReservationWrite } from "./pipeline-sql";

// Set-based writes of the batch intake (ADR 0032): many new orders of one channel in one transaction, each kind of
// row written in multi-row statements instead of one round of statements per order. The rows are the ones the
// per-order path (pipeline-sql.ts) writes, column for column; every statement takes the shop.

/** Rows per multi-row statement: ≤ 27 values a row keeps every statement far under both engines' parameter limits. */
const ROWS = 200;

/** Statement texts per row count: one per shape, prepared once. */
function multiRow(text: (rows: number) => string): (rows: number) => string {
  const built: string[] = [];
  return (rows) => (built[rows] ??= text(rows));
}

async function inChunks<T>(items: readonly T[], fn: (chunk: readonly T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += ROWS) await fn(items.length <= ROWS ? items : items.slice(i, i + ROWS));
}

const repeat = (row: string, n: number) => Array.from({ length: n }, () => row).join(",");

/** The orders of a channel among these external ids: external id → our id (one statement per 500). */
export async function ordersByExternalId(q: Queryable, shopId: string, channelId: string, externalIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(externalIds)];
  const found = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    for (const r of await q.all<{ id: string; externalId: string }>(`SELECT "id","externalId" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" IN (${marks(chunk.length)})`, shopId, channelId, ...chunk)) found.set(r.externalId, r.id);
  }
  return found;
}

const LEVELS_LOCKED = perDialect((d) => `SELECT "variantId","locationId",${AVAILABLE} AS "available" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" IN (@@) ORDER BY "variantId","locationId"${d.forUpdate}`);

/**
 * What is available of these variants at each location, the levels locked for this transaction on PostgreSQL in
 * (variant, location) order — the order every reservation takes them in (writeReservation), so a batch and a
 * per-order ingest wait for each other instead of deadlocking, and no one else moves them until the batch commits.
 */
export async function lockedAvailability(tx: Tx, shopId: string, variantIds: readonly string[]): Promise<{ variantId: string; locationId: string; available: number }[]> {
  if (variantIds.length === 0) return [];
  const rows: { variantId: string; locationId: string; available: number }[] = [];
  const sorted = [...new Set(variantIds)].sort();
  for (let i = 0; i < sorted.length; i += 500) {
    const chunk = sorted.slice(i, i + 500);
    rows.push(...(await tx.all<{ variantId: string; locationId: string; available: number | string }>(LEVELS_LOCKED[tx.dialect].replace("@@", marks(chunk.length)), shopId, ...chunk)).map((r) => ({ ...r, available: Number(r.available) })));
  }
  return rows;
}

export interface NewOrderRow {
  id: string;
  channelId: string;
  order: ChannelOrder;
  /** What the order settled into (the per-order path writes `received`, then this). */
  status: string;
  promisedBy: string | null;
  /** The order's times, formatted as stored. */
  times: OrderTimes;
}

const INSERT_ORDERS = multiRow((n) => `INSERT INTO "Order" ("id","shopId","channelId","externalId","status","promisedBy","externalTriggeredAt",${ORDER_FIELDS},"createdAt","updatedAt") VALUES ${repeat(`(?,@shop,?,?,?,?,NULL,${marks(ORDER_FIELDS.split(",").length)},@at,@at)`, n)} ON CONFLICT ("shopId","channelId","externalId") DO NOTHING`);

/** New orders; returns how many were written (fewer: another transaction took one of their external ids first). */
export async function insertNewOrders(tx: Tx, shopId: string, rows: readonly NewOrderRow[], at = sqlTime()): Promise<number> {
  let written = 0;
  await inChunks(rows, async (chunk) => {
    const values: unknown[] = [{ shop: shopId, at }];
    for (const r of chunk) {
      values.push(r.id, r.channelId, r.order.externalId, r.status, r.promisedBy);
      pushOrderValues(values, r.order, r.times);
    }
    written += (await tx.run(INSERT_ORDERS(chunk.length), ...values)).changes;
  });
  return written;
}

export interface NewLineRow {
  id: string;
  orderId: string;
  externalId: string;
  variantId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  priceMinor: number;
}

const INSERT_LINES = multiRow((n) => `INSERT INTO "OrderLine" ("id","shopId","orderId","externalId","variantId","sku","title","quantity","priceMinor","createdAt") VALUES ${repeat("(?,@shop,?,?,?,?,?,?,?,@at)", n)}`);

export async function insertNewLines(tx: Tx, shopId: string, rows: readonly NewLineRow[], at = sqlTime()): Promise<void> {
  await inChunks(rows, async (chunk) => {
    const values: unknown[] = [{ shop: shopId, at }];
    for (const r of chunk) values.push(r.id, r.orderId, r.externalId, r.variantId, r.sku, r.title, r.quantity, r.priceMinor);
    await tx.run(INSERT_LINES(chunk.length), ...values);
  });
}

const INSERT_DECISIONS = multiRow((n) => `INSERT INTO "RoutingDecision" ("id","shopId","orderId","ruleSetId","method","decidedBy","totalCostMinor","shipments","unitsAllocated","unitsBackordered","meetsPromise","explanation","createdAt") VALUES ${repeat("(?,@shop,?,?,?,?,?,?,?,?,?,?,?)", n)}`);
const INSERT_ALLOCATIONS = multiRow((n) => `INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status","decisionId","createdAt","updatedAt") VALUES ${repeat("(?,@shop,?,?,?,?,?,?,?)", n)}`);
const INSERT_RESERVED_LEDGER = multiRow((n) => `INSERT INTO "InventoryLedgerEntry" ("shopId","variantId","locationId","bucket","delta","reason","idempotencyKey","refType","refId","createdAt")
  VALUES ${repeat("(@shop,?,?,'reserved',?,'reserved','reserve:' || ?,'order',?,?)", n)} ON CONFLICT ("shopId","idempotencyKey") DO NOTHING`);

/**
 * The rows of many reservations (writeReservation's, without the level updates and the location load, which the
 * batch adds up and writes once per level and location): decisions, allocations (reserved and backordered) and
 * one ledger row per reserved part keyed `reserve:<allocation id>`. Returns how many ledger rows were new.
 */
export async function insertReservationRows(tx: Tx, shopId: string, writes: readonly ReservationWrite[]): Promise<number> {
  await inChunks(writes, async (chunk) => {
    const values: unknown[] = [{ shop: shopId }];
    for (const w of chunk) {
      const d = w.decision;
      values.push(w.decisionId, w.orderId, d.ruleSetId, d.method, d.decidedBy, d.totalCostMinor, d.shipments, d.unitsAllocated, d.unitsBackordered, d.meetsPromise, d.explanation, w.at);
    }
    await tx.run(INSERT_DECISIONS(chunk.length), ...values);
  });
  const allocations = writes.flatMap((w) => [
    ...w.reserved.map((r) => [r.allocationId, r.orderLineId, r.locationId, r.quantity, "reserved", w.decisionId, w.at, w.at]),
    ...w.backordered.map((b) => [b.id, b.orderLineId, null, b.quantity, "backordered", w.decisionId, w.at, w.at]),
  ]);
  await inChunks(allocations, async (chunk) => void (await tx.run(INSERT_ALLOCATIONS(chunk.length), { shop: shopId }, ...chunk.flat())));
  const ledger = writes.flatMap((w) => w.reserved.map((r) => [r.variantId, r.locationId, r.quantity, r.allocationId, w.orderId, w.at]));
  let written = 0;
  await inChunks(ledger, async (chunk) => {
    written += (await tx.run(INSERT_RESERVED_LEDGER(chunk.length), { shop: shopId }, ...chunk.flat())).changes;
  });
  return written;
}

const RESERVE_LEVEL = `UPDATE "InventoryLevel" SET "reserved" = "reserved" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND ${AVAILABLE} >= ?`;

/**
 * One guarded update per level the batch reserves at (its orders' claims added up), in (variant, location) order:
 * false at the first level that no longer has what the batch counted on (the caller rolls the batch back).
 */
export async function reserveLevels(tx: Tx, shopId: string, claims: readonly { variantId: string; locationId: string; quantity: number }[], at = sqlTime()): Promise<boolean> {
  const ordered = [...claims].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0));
  for (const c of ordered) {
    if ((await tx.run(RESERVE_LEVEL, c.quantity, at, shopId, c.variantId, c.locationId, c.quantity)).changes !== 1) return false;
  }
  return true;
}

