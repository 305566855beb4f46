import type { PurchaseOrderStatus, ReceiptCount, StoredIncoming, ValidPurchaseOrder } from "~/domain/inventory/purchase-orders";
import { marks, perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Purchase orders, their lines, what receipts counted against them, and the incoming they put on levels
// (migration 0007). Every statement takes the shop.

export interface PurchaseOrderRow {
  id: string;
  number: string;
  supplier: string;
  locationId: string;
  status: PurchaseOrderStatus;
  expectedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface PurchaseOrderLineRow {
  id: string;
  purchaseOrderId: string;
  lineNumber: number;
  variantId: string;
  sku: string;
  ordered: number;
  received: number;
}

const ORDER_COLUMNS = `"id","number","supplier","locationId","status","expectedAt","createdAt","updatedAt"`;
const FIND_ORDER = perDialect((d) => `SELECT ${ORDER_COLUMNS} FROM "PurchaseOrder" WHERE "shopId" = ? AND "number" = ?${d.forUpdate}`);

/** The order with this number, locked for the transaction on PostgreSQL (its status and lines are about to move). */
export async function findPurchaseOrder(q: Queryable, shopId: string, number: string): Promise<PurchaseOrderRow | undefined> {
  return q.get<PurchaseOrderRow>(FIND_ORDER[q.dialect], shopId, number);
}

/** The lines of these orders, in line order, with their SKUs. */
export async function purchaseOrderLines(q: Queryable, shopId: string, purchaseOrderIds: string[]): Promise<PurchaseOrderLineRow[]> {
  if (purchaseOrderIds.length === 0) return [];
  return q.all<PurchaseOrderLineRow>(
    `SELECT l."id", l."purchaseOrderId", l."lineNumber", l."variantId", v."sku", l."ordered", l."received"
     FROM "PurchaseOrderLine" l JOIN "Variant" v ON v."id" = l."variantId" AND v."shopId" = l."shopId"
     WHERE l."shopId" = ? AND l."purchaseOrderId" IN (${marks(purchaseOrderIds.length)}) ORDER BY l."purchaseOrderId", l."lineNumber"`,
    shopId, ...purchaseOrderIds,
  );
}

/** Records a new order and its lines; undefined when the number is already taken (the caller reads that one). */
export async function insertPurchaseOrder(tx: Tx, shopId: string, order: ValidPurchaseOrder, at = sqlTime()): Promise<string | undefined> {
  const id = newId();
  const { changes } = await tx.run(
    `INSERT INTO "PurchaseOrder" ("id","shopId","number","supplier","locationId","status","expectedAt","openedAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?)
     ON CONFLICT ("shopId","number") DO NOTHING`,
    id, shopId, order.number, order.supplier, order.locationId, order.status, order.expectedAt, order.status === "open" ? at : null, at, at,
  );
  if (changes !== 1) return undefined;
  for (const line of order.lines) {
    await tx.run(
      `INSERT INTO "PurchaseOrderLine" ("id","shopId","purchaseOrderId","lineNumber","variantId","ordered","received","createdAt","updatedAt") VALUES (?,?,?,?,?,?,0,?,?)`,
      newId(), shopId, id, line.lineNumber, line.variantId, line.ordered, at, at,
    );
  }
  return id;
}

const STATUS_TIME: Partial<Record<PurchaseOrderStatus, string>> = { open: "openedAt", received: "receivedAt", cancelled: "cancelledAt" };

/** Moves the order from `from` to `to` (guarded: false when it was not in `from`), stamping when. */
export async function setPurchaseOrderStatus(tx: Tx, shopId: string, id: string, from: PurchaseOrderStatus, to: PurchaseOrderStatus, at = sqlTime()): Promise<boolean> {
  const stamp = STATUS_TIME[to];
  const { changes } = await tx.run(
    `UPDATE "PurchaseOrder" SET "status" = ?, "updatedAt" = ?${stamp ? `, "${stamp}" = ?` : ""} WHERE "shopId" = ? AND "id" = ? AND "status" = ?`,
    to, at, ...(stamp ? [at] : []), shopId, id, from,
  );
  return changes === 1;
}

/**
 * What a receipt's lines counted against the order, keyed by (shop, receipt reference, receipt line): returns
 * the counts that are new. Only those move a line's received (a receipt seen before counts nothing again).
 */
export async function insertReceiptCounts(tx: Tx, shopId: string, purchaseOrderId: string, reference: string, counts: ReceiptCount[], at = sqlTime()): Promise<ReceiptCount[]> {
  const fresh: ReceiptCount[] = [];
  for (const c of counts) {
    const { changes } = await tx.run(
      `INSERT INTO "PurchaseOrderReceipt" ("id","shopId","purchaseOrderId","purchaseOrderLineId","receiptReference","receiptLine","quantity","overReceived","createdAt") VALUES (?,?,?,?,?,?,?,?,?)
       ON CONFLICT ("shopId","receiptReference","receiptLine") DO NOTHING`,
      newId(), shopId, purchaseOrderId, c.purchaseOrderLineId, reference, c.receiptLine, c.quantity, c.overReceived, at,
    );
    if (changes === 1) fresh.push(c);
  }
  return fresh;
}

/** Adds received units to an order line. */
export async function addLineReceived(tx: Tx, shopId: string, lineId: string, units: number, at = sqlTime()): Promise<void> {
  await tx.run(`UPDATE "PurchaseOrderLine" SET "received" = "received" + ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, units, at, shopId, lineId);
}

export interface PurchaseOrderListRow extends PurchaseOrderRow {
  locationName: string;
}

/** A page of the shop's orders, newest first (by id: ids are time-ordered), optionally of one status or number. */
export async function listPurchaseOrders(q: Queryable, shopId: string, opts: { status?: PurchaseOrderStatus; number?: string; before?: string; limit: number }): Promise<PurchaseOrderListRow[]> {
  const filters: [string, unknown][] = [];
  if (opts.status) filters.push([`p."status" = ?`, opts.status]);
  if (opts.number) filters.push([`p."number" = ?`, opts.number]);
  if (opts.before) filters.push([`p."id" < ?`, opts.before]);
  return q.all<PurchaseOrderListRow>(
    `SELECT p."id", p."number", p."supplier", p."locationId", l."name" AS "locationName", p."status", p."expectedAt", p."createdAt", p."updatedAt"
     FROM "PurchaseOrder" p JOIN "Location" l ON l."id" = p."locationId" AND l."shopId" = p."shopId"
     WHERE p."shopId" = ?${filters.map(([w]) => ` AND ${w}`).join("")} ORDER BY p."id" DESC LIMIT ?`,
    shopId, ...filters.map(([, v]) => v), opts.limit,
  );
}

/** The shop's variants of these SKUs, by SKU. */
export async function variantIdsBySku(q: Queryable, shopId: string, skus: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(skus)];
  if (unique.length === 0) return new Map();
  const rows = await q.all<{ id: string; sku: string }>(`SELECT "id","sku" FROM "Variant" WHERE "shopId" = ? AND "sku" IN (${marks(unique.length)})`, shopId, ...unique);
  return new Map(rows.map((r) => [r.sku, r.id]));
}

/**
 * A location named by our id, its Shopify id (legacy numeric or gid://shopify/Location/…) or its name when
 * exactly one location of the shop has it.
 */
export async function findLocationByReference(q: Queryable, shopId: string, reference: string): Promise<string | undefined> {
  const external = /^gid:\/\/shopify\/Location\/(\d+)$/.exec(reference)?.[1] ?? reference;
  const byId = await q.get<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND ("id" = ? OR "externalId" = ?) ORDER BY "id" LIMIT 1`, shopId, reference, external);
  if (byId) return byId.id;
  const byName = await q.all<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND "name" = ? LIMIT 2`, shopId, reference);
  return byName.length === 1 ? byName[0].id : undefined;
}

// ---- incoming on levels -------------------------------------------------------------------------------------

const LEVEL_INCOMING = perDialect((d) => `SELECT "incoming", "incomingExpectedAt" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?${d.forUpdate}`);

/**
 * The levels' stored incoming, each level created if missing and locked on PostgreSQL, in one order (variant,
 * location) so two transactions never wait on each other in a cycle. Read after the locks, what open orders
 * hold at these levels includes every order committed before.
 */
export async function lockIncoming(tx: Tx, shopId: string, levels: { variantId: string; locationId: string }[], at = sqlTime()): Promise<StoredIncoming[]> {
  const unique = new Map(levels.map((l) => [`${l.variantId}|${l.locationId}`, l]));
  const ordered = [...unique.values()].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0));
  const out: StoredIncoming[] = [];
  for (const l of ordered) {
    await tx.run(
      `INSERT INTO "InventoryLevel" ("id","shopId","variantId","locationId","onHand","reserved","incoming","safety","updatedAt") VALUES (?,?,?,?,0,0,0,0,?)
       ON CONFLICT ("variantId","locationId") DO NOTHING`,
      newId(), shopId, l.variantId, l.locationId, at,
    );
    const row = await tx.get<{ incoming: number; incomingExpectedAt: string | null }>(LEVEL_INCOMING[tx.dialect], shopId, l.variantId, l.locationId);
    out.push({ variantId: l.variantId, locationId: l.locationId, incoming: Number(row?.incoming ?? 0), incomingExpectedAt: row?.incomingExpectedAt ?? null });
  }
  return out;
}

/** Every open order's lines for these variants at these locations (each row one line of one order). */
export async function openOrderLinesAt(q: Queryable, shopId: string, variantIds: string[], locationIds: string[]): Promise<{ status: PurchaseOrderStatus; locationId: string; expectedAt: string; variantId: string; ordered: number; received: number }[]> {
  const variants = [...new Set(variantIds)];
  const locations = [...new Set(locationIds)];
  if (variants.length === 0 || locations.length === 0) return [];
  return q.all(
    `SELECT p."status", p."locationId", p."expectedAt", l."variantId", l."ordered", l."received"
     FROM "PurchaseOrderLine" l JOIN "PurchaseOrder" p ON p."id" = l."purchaseOrderId" AND p."shopId" = l."shopId"
     WHERE l."shopId" = ? AND l."variantId" IN (${marks(variants.length)}) AND p."status" = 'open' AND p."locationId" IN (${marks(locations.length)})`,
    shopId, ...variants, ...locations,
  );
}

/** Stores a level's recomputed incoming and the earliest date it is expected. */
export async function setIncoming(tx: Tx, shopId: string, change: { variantId: string; locationId: string; to: number; expectedAt: string | null }, at = sqlTime()): Promise<void> {
  await tx.run(
    `UPDATE "InventoryLevel" SET "incoming" = ?, "incomingExpectedAt" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`,
    change.to, change.expectedAt, at, shopId, change.variantId, change.locationId,
  );
}
