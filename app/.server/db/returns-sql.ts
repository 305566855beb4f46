import { defaultReturnPolicy, returnPolicySchema, type Disposition, type ReturnPolicy } from "~/domain/returns/policy";
import type { ReturnStatus } from "~/domain/returns/status";
import type { Queryable, Tx } from "./engine/types";
import { marks } from "./engine/sql-dialect";
import { newId, sqlTime } from "./ids";

// Returns (ADR 0027): the policy with its RMA counter, RMAs and their lines. Every statement takes the shop.

export async function readReturnPolicy(q: Queryable, shopId: string): Promise<ReturnPolicy> {
  const row = await q.get<{ policy: string }>(`SELECT "policy" FROM "ReturnPolicy" WHERE "shopId" = ?`, shopId);
  if (!row) return defaultReturnPolicy();
  const parsed = returnPolicySchema.safeParse({ ...defaultReturnPolicy(), ...(JSON.parse(row.policy) as object) });
  return parsed.success ? parsed.data : defaultReturnPolicy();
}

export async function saveReturnPolicy(tx: Tx, shopId: string, policy: ReturnPolicy): Promise<void> {
  await tx.run(
    `INSERT INTO "ReturnPolicy" ("shopId","policy","updatedAt") VALUES (?,?,?) ON CONFLICT ("shopId") DO UPDATE SET "policy" = excluded."policy", "updatedAt" = excluded."updatedAt"`,
    shopId, JSON.stringify(policy), sqlTime(),
  );
}

/** The next RMA sequence of the shop (1001, 1002, …), taken from its counter row inside the caller's transaction. */
export async function takeRmaSequence(tx: Tx, shopId: string): Promise<number> {
  await tx.run(`INSERT INTO "ReturnPolicy" ("shopId","policy","updatedAt") VALUES (?,?,?) ON CONFLICT ("shopId") DO NOTHING`, shopId, JSON.stringify(defaultReturnPolicy()), sqlTime());
  const row = await tx.get<{ nextNumber: number }>(`UPDATE "ReturnPolicy" SET "nextNumber" = "nextNumber" + 1 WHERE "shopId" = ? RETURNING "nextNumber"`, shopId);
  return Number(row!.nextNumber) - 1;
}

export interface ReturnOrderRow {
  id: string;
  channelId: string;
  channelKind: string;
  externalId: string;
  name: string;
  status: string;
  currency: string;
  email: string | null;
  customerName: string | null;
  shipAddress1: string | null;
  shipCity: string | null;
  shipProvince: string | null;
  shipCountryCode: string | null;
  shipZip: string | null;
  shipLatitude: number | null;
  shipLongitude: number | null;
  placedAt: string;
  cancelledAt: string | null;
  shippedAt: string | null;
}

export async function returnOrder(q: Queryable, shopId: string, orderId: string): Promise<ReturnOrderRow | undefined> {
  return q.get<ReturnOrderRow>(
    `SELECT o."id", o."channelId", c."kind" AS "channelKind", o."externalId", o."name", o."status", o."currency", o."email", o."customerName", o."shipAddress1", o."shipCity", o."shipProvince",
       o."shipCountryCode", o."shipZip", o."shipLatitude", o."shipLongitude", o."placedAt", o."cancelledAt",
       (SELECT MAX(t."at") FROM (
          SELECT s."shippedAt" AS "at" FROM "Shipment" s WHERE s."shopId" = o."shopId" AND s."orderId" = o."id"
          UNION ALL SELECT ft."shippedAt" FROM "FulfillmentTracking" ft WHERE ft."shopId" = o."shopId" AND ft."orderId" = o."id"
          UNION ALL SELECT fl."createdAt" FROM "FulfillmentLine" fl WHERE fl."shopId" = o."shopId" AND fl."orderId" = o."id" AND fl."status" = 'consumed'
       ) t) AS "shippedAt"
     FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" WHERE o."shopId" = ? AND o."id" = ?`,
    shopId, orderId,
  );
}

export interface ReturnOrderLineRow {
  id: string;
  externalId: string;
  variantId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  weightGrams: number;
  tags: string;
  /** Units shipped and not returned. */
  fulfilled: number;
  /** Where the shipped units went out from (one of them). */
  shippedFromId: string | null;
  /** Units on RMAs whose goods have not arrived (requested, approved, in transit). */
  requested: number;
}

export async function returnOrderLines(q: Queryable, shopId: string, orderId: string): Promise<ReturnOrderLineRow[]> {
  const rows = await q.all<ReturnOrderLineRow>(
    `SELECT l."id", l."externalId", l."variantId", l."sku", l."title", l."quantity", COALESCE(v."weightGrams", 0) AS "weightGrams", COALESCE(p."tags", '[]') AS "tags",
       COALESCE((SELECT SUM(a."quantity") FROM "Allocation" a WHERE a."shopId" = l."shopId" AND a."orderLineId" = l."id" AND a."status" = 'fulfilled'), 0) AS "fulfilled",
       (SELECT MIN(a."locationId") FROM "Allocation" a WHERE a."shopId" = l."shopId" AND a."orderLineId" = l."id" AND a."status" IN ('fulfilled','returned')) AS "shippedFromId",
       COALESCE((SELECT SUM(rl."quantity") FROM "ReturnLine" rl JOIN "ReturnRequest" r ON r."id" = rl."returnId"
         WHERE rl."shopId" = l."shopId" AND rl."orderLineId" = l."id" AND r."status" IN ('requested','approved','in_transit')), 0) AS "requested"
     FROM "OrderLine" l LEFT JOIN "Variant" v ON v."id" = l."variantId" LEFT JOIN "Product" p ON p."id" = v."productId"
     WHERE l."shopId" = ? AND l."orderId" = ? ORDER BY l."createdAt", l."id"`,
    shopId, orderId,
  );
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity), weightGrams: Number(r.weightGrams), fulfilled: Number(r.fulfilled), requested: Number(r.requested) }));
}

export interface ReturnRow {
  id: string;
  orderId: string;
  number: string;
  requestKey: string;
  status: ReturnStatus;
  source: string;
  note: string | null;
  locationId: string | null;
  locationReason: string | null;
  labelCarrier: string | null;
  labelTracking: string | null;
  labelIssuedAt: string | null;
  replacementOrderId: string | null;
  exchangeExpiresAt: string | null;
  shopifyReturnId: string | null;
  shopifySync: string;
  shopifyError: string | null;
  createdAt: string;
  updatedAt: string;
}

const RETURN_COLUMNS = `"id","orderId","number","requestKey","status","source","note","locationId","locationReason","labelCarrier","labelTracking","labelIssuedAt","replacementOrderId","exchangeExpiresAt","shopifyReturnId","shopifySync","shopifyError","createdAt","updatedAt"`;

export async function returnByKey(q: Queryable, shopId: string, requestKey: string): Promise<ReturnRow | undefined> {
  return q.get<ReturnRow>(`SELECT ${RETURN_COLUMNS} FROM "ReturnRequest" WHERE "shopId" = ? AND "requestKey" = ?`, shopId, requestKey);
}

export async function returnByNumber(q: Queryable, shopId: string, number: string): Promise<ReturnRow | undefined> {
  return q.get<ReturnRow>(`SELECT ${RETURN_COLUMNS} FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, shopId, number);
}

export async function returnsOfOrder(q: Queryable, shopId: string, orderId: string): Promise<ReturnRow[]> {
  return q.all<ReturnRow>(`SELECT ${RETURN_COLUMNS} FROM "ReturnRequest" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "createdAt", "id"`, shopId, orderId);
}

/** Newest first; `locationId`: the RMAs a location is to receive (its receiving queue with statuses approved, in_transit). */
export async function listReturnRows(q: Queryable, shopId: string, opts: { statuses?: string[]; locationId?: string; limit: number }): Promise<ReturnRow[]> {
  const statuses = opts.statuses ?? [];
  const where = (statuses.length > 0 ? ` AND "status" IN (${marks(statuses.length)})` : "") + (opts.locationId ? ` AND "locationId" = ?` : "");
  return q.all<ReturnRow>(`SELECT ${RETURN_COLUMNS} FROM "ReturnRequest" WHERE "shopId" = ?${where} ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`, shopId, ...statuses, ...(opts.locationId ? [opts.locationId] : []), opts.limit);
}

export interface NewReturn {
  orderId: string;
  number: string;
  requestKey: string;
  source: string;
  note: string | null;
  locationId: string | null;
  locationReason: string | null;
  shopifySync: "none" | "pending";
}

/** The RMA, or null when one with the same request key was written meanwhile (the caller reads that one). */
export async function insertReturn(tx: Tx, shopId: string, r: NewReturn, at: string): Promise<string | null> {
  const id = newId();
  const done = await tx.run(
    `INSERT INTO "ReturnRequest" ("id","shopId","orderId","number","requestKey","status","source","note","locationId","locationReason","shopifySync","createdAt","updatedAt")
     VALUES (?,?,?,?,?,'requested',?,?,?,?,?,?,?) ON CONFLICT ("shopId","requestKey") DO NOTHING`,
    id, shopId, r.orderId, r.number, r.requestKey, r.source, r.note, r.locationId, r.locationReason, r.shopifySync, at, at,
  );
  return done.changes === 1 ? id : null;
}

export interface ReturnLineRow {
  id: string;
  returnId: string;
  orderLineId: string;
  variantId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  reason: string;
  condition: string;
  replacementVariantId: string | null;
  receivedQuantity: number;
  disposition: Disposition | null;
  heldQuantity: number;
  restockedQuantity: number;
}

export async function insertReturnLine(tx: Tx, shopId: string, returnId: string, l: Omit<ReturnLineRow, "id" | "returnId" | "receivedQuantity" | "disposition" | "heldQuantity" | "restockedQuantity">, at: string): Promise<void> {
  await tx.run(
    `INSERT INTO "ReturnLine" ("id","shopId","returnId","orderLineId","variantId","sku","title","quantity","reason","condition","replacementVariantId","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    newId(), shopId, returnId, l.orderLineId, l.variantId, l.sku, l.title, l.quantity, l.reason, l.condition, l.replacementVariantId, at,
  );
}

export async function returnLines(q: Queryable, shopId: string, returnId: string): Promise<ReturnLineRow[]> {
  const rows = await q.all<ReturnLineRow>(
    `SELECT "id","returnId","orderLineId","variantId","sku","title","quantity","reason","condition","replacementVariantId","receivedQuantity","disposition","heldQuantity","restockedQuantity"
     FROM "ReturnLine" WHERE "shopId" = ? AND "returnId" = ? ORDER BY "createdAt", "id"`,
    shopId, returnId,
  );
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity), receivedQuantity: Number(r.receivedQuantity), heldQuantity: Number(r.heldQuantity), restockedQuantity: Number(r.restockedQuantity) }));
}

/** Moves the RMA from `from` to `to`; false when it is no longer in `from` (a concurrent change: nothing applied). */
export async function setReturnStatus(tx: Tx, shopId: string, returnId: string, from: ReturnStatus, to: ReturnStatus, at: string, extra: Partial<Pick<ReturnRow, "exchangeExpiresAt" | "replacementOrderId">> = {}): Promise<boolean> {
  const sets = Object.keys(extra).map((k) => `, "${k}" = ?`).join("");
  const done = await tx.run(`UPDATE "ReturnRequest" SET "status" = ?, "updatedAt" = ?${sets} WHERE "shopId" = ? AND "id" = ? AND "status" = ?`, to, at, ...Object.values(extra), shopId, returnId, from);
  return done.changes === 1;
}

export async function recordLineReceipt(tx: Tx, shopId: string, lineId: string, received: number, disposition: Disposition, held: number, restocked: number): Promise<void> {
  await tx.run(`UPDATE "ReturnLine" SET "receivedQuantity" = ?, "disposition" = ?, "heldQuantity" = ?, "restockedQuantity" = ? WHERE "shopId" = ? AND "id" = ?`, received, disposition, held, restocked, shopId, lineId);
}

export async function releaseLineHold(tx: Tx, shopId: string, lineId: string, quantity: number, restocked: number): Promise<void> {
  await tx.run(`UPDATE "ReturnLine" SET "heldQuantity" = "heldQuantity" - ?, "restockedQuantity" = "restockedQuantity" + ? WHERE "shopId" = ? AND "id" = ?`, quantity, restocked, shopId, lineId);
}

export async function storeLabel(tx: Tx, shopId: string, returnId: string, label: { carrier: string; trackingNumber: string; pdfBase64: string }, at: string): Promise<void> {
  await tx.run(`UPDATE "ReturnRequest" SET "labelCarrier" = ?, "labelTracking" = ?, "labelPdf" = ?, "labelIssuedAt" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, label.carrier, label.trackingNumber, label.pdfBase64, at, at, shopId, returnId);
}

export async function labelPdf(q: Queryable, shopId: string, number: string): Promise<string | null> {
  return (await q.get<{ labelPdf: string | null }>(`SELECT "labelPdf" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, shopId, number))?.labelPdf ?? null;
}

/** Approved exchanges whose return has not arrived by their hold's end, across shops (the sweep). */
export async function expiredExchangesAcrossShops(q: Queryable, now: Date, limit: number): Promise<{ shopId: string; id: string; number: string }[]> {
  return q.all(`SELECT "shopId","id","number" FROM "ReturnRequest" WHERE "exchangeExpiresAt" IS NOT NULL AND "exchangeExpiresAt" <= ? AND "status" IN ('approved','in_transit') ORDER BY "exchangeExpiresAt" LIMIT ?`, sqlTime(now), limit);
}

export async function clearExchangeHold(tx: Tx, shopId: string, returnId: string): Promise<void> {
  await tx.run(`UPDATE "ReturnRequest" SET "exchangeExpiresAt" = NULL WHERE "shopId" = ? AND "id" = ?`, shopId, returnId);
}

export async function setShopifyMirror(q: Queryable, shopId: string, returnId: string, m: { sync: "none" | "pending" | "synced" | "failed"; shopifyReturnId?: string | null; error?: string | null }): Promise<void> {
  await q.run(`UPDATE "ReturnRequest" SET "shopifySync" = ?, "shopifyReturnId" = COALESCE(?, "shopifyReturnId"), "shopifyError" = ? WHERE "shopId" = ? AND "id" = ?`, m.sync, m.shopifyReturnId ?? null, m.error ?? null, shopId, returnId);
}

export async function setProductTags(tx: Tx, shopId: string, productId: string, tags: string[]): Promise<void> {
  await tx.run(`UPDATE "Product" SET "tags" = ? WHERE "shopId" = ? AND "id" = ?`, JSON.stringify(tags), shopId, productId);
}

export async function receivingLocations(q: Queryable, shopId: string, ids: string[]): Promise<{ id: string; name: string; latitude: number | null; longitude: number | null; handlingCostMinor: number }[]> {
  const only = ids.length > 0 ? ` AND "id" IN (${marks(ids.length)})` : "";
  return q.all(`SELECT "id","name","latitude","longitude","handlingCostMinor" FROM "Location" WHERE "shopId" = ? AND "active" = TRUE${only} ORDER BY "id"`, shopId, ...ids);
}

/** A redacted customer's returns keep their lines and statuses; their note and label (name, address) go. */
export async function eraseReturnsOfOrders(tx: Tx, shopId: string, orderIds: string[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const done = await tx.run(`UPDATE "ReturnRequest" SET "note" = NULL, "labelPdf" = NULL WHERE "shopId" = ? AND "orderId" IN (${marks(orderIds.length)}) AND ("note" IS NOT NULL OR "labelPdf" IS NOT NULL)`, shopId, ...orderIds);
  return done.changes;
}
