import type { OpenPush } from "~/domain/inventory/on-hand-push";
import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// The outbox of the app's own on-hand changes for Shopify (StockPush, ADR 0008). Every statement is scoped by
// shop; the sweep across shops says so in its name.

export interface NewStockPush {
  variantId: string;
  locationId: string;
  /** The ledger entry's natural key (one push per entry). */
  idempotencyKey: string;
  delta: number;
  /** Shopify's reason code for the change. */
  reason: string;
  referenceUri: string | null;
}

/** Record pushes in the transaction that wrote their ledger entries; a key seen before adds nothing. */
export async function insertStockPushes(tx: Tx, shopId: string, pushes: NewStockPush[], at = sqlTime()): Promise<void> {
  for (const p of pushes) {
    await tx.run(
      `INSERT INTO "StockPush" ("id","shopId","variantId","locationId","idempotencyKey","delta","reason","referenceUri","status","attempts","createdAt") VALUES (?,?,?,?,?,?,?,?,'pending',0,?)
       ON CONFLICT ("shopId","idempotencyKey") DO NOTHING`,
      newId(), shopId, p.variantId, p.locationId, p.idempotencyKey, p.delta, p.reason, p.referenceUri, at,
    );
  }
}

export type OpenPushRow = OpenPush;

/** A level's pushes not confirmed yet, oldest first. */
export async function openPushes(q: Queryable, shopId: string, variantId: string, locationId: string): Promise<OpenPushRow[]> {
  return q.all<OpenPushRow>(
    `SELECT "id","idempotencyKey","delta","status","attempts","batchKey","changeFrom","quantityTo","reason","referenceUri" FROM "StockPush"
     WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "status" <> 'sent' ORDER BY "createdAt", "id"`,
    shopId, variantId, locationId,
  );
}

/** Whether a push of this level was confirmed at or after `since` (a reading of Shopify taken before may predate it). */
export async function pushConfirmedSince(q: Queryable, shopId: string, variantId: string, locationId: string, since: Date): Promise<boolean> {
  return (await q.get(`SELECT 1 AS "hit" FROM "StockPush" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "sentAt" >= ? LIMIT 1`, shopId, variantId, locationId, sqlTime(since))) !== undefined;
}

/** Record a batch on its rows before it is sent: a retry finds it and sends exactly it again. */
export async function claimBatch(tx: Tx, shopId: string, pushIds: string[], batch: { key: string; changeFrom: number; quantity: number }): Promise<number> {
  return (
    await tx.run(
      `UPDATE "StockPush" SET "status" = 'sending', "batchKey" = ?, "changeFrom" = ?, "quantityTo" = ?, "attempts" = "attempts" + 1 WHERE "shopId" = ? AND "status" = 'pending' AND "id" IN (${marks(pushIds.length)})`,
      batch.key, batch.changeFrom, batch.quantity, shopId, ...pushIds,
    )
  ).changes;
}

/** Shopify applied the batch (or its pushes cancelled out): done. */
export async function markPushesSent(tx: Tx, shopId: string, pushIds: string[], at = sqlTime()): Promise<void> {
  await tx.run(`UPDATE "StockPush" SET "status" = 'sent', "sentAt" = ?, "lastError" = NULL WHERE "shopId" = ? AND "status" IN ('pending','sending') AND "id" IN (${marks(pushIds.length)})`, at, shopId, ...pushIds);
}

/** Nothing in Shopify to write to (the variant has no inventory item there): closed with the reason, never sent. */
export async function markPushesSkipped(tx: Tx, shopId: string, pushIds: string[], why: string): Promise<void> {
  await tx.run(`UPDATE "StockPush" SET "status" = 'skipped', "lastError" = ? WHERE "shopId" = ? AND "status" IN ('pending','sending') AND "id" IN (${marks(pushIds.length)})`, why, shopId, ...pushIds);
}

/** Shopify refused the batch (its figure was not the one we started from): the pushes wait for a new batch. */
export async function releaseBatch(tx: Tx, shopId: string, batchKey: string, error: string): Promise<void> {
  await tx.run(`UPDATE "StockPush" SET "status" = 'pending', "batchKey" = NULL, "changeFrom" = NULL, "quantityTo" = NULL, "lastError" = ? WHERE "shopId" = ? AND "batchKey" = ? AND "status" = 'sending'`, error, shopId, batchKey);
}

export async function recordPushError(tx: Tx, shopId: string, pushIds: string[], error: string): Promise<void> {
  await tx.run(`UPDATE "StockPush" SET "lastError" = ? WHERE "shopId" = ? AND "id" IN (${marks(pushIds.length)})`, error, shopId, ...pushIds);
}

export interface PushLevel {
  shopId: string;
  shopDomain: string;
  variantId: string;
  locationId: string;
  inventoryItemExternalId: string | null;
  locationExternalId: string;
}

const LEVEL_SELECT = `SELECT DISTINCT p."shopId", s."domain" AS "shopDomain", p."variantId", p."locationId", v."inventoryItemExternalId", l."externalId" AS "locationExternalId"
  FROM "StockPush" p JOIN "Shop" s ON s."id" = p."shopId" JOIN "Variant" v ON v."id" = p."variantId" JOIN "Location" l ON l."id" = p."locationId"`;

/** The Shopify ids a level's push needs. */
export async function pushLevel(q: Queryable, shopId: string, variantId: string, locationId: string): Promise<PushLevel | undefined> {
  return q.get<PushLevel>(`${LEVEL_SELECT} WHERE p."shopId" = ? AND p."variantId" = ? AND p."locationId" = ? LIMIT 1`, shopId, variantId, locationId);
}

/** Levels with pushes still open after `olderThan` (a crash between commit and enqueue, a failed job): the sweep, across shops. */
export async function levelsWithOpenPushesAcrossShops(q: Queryable, olderThan: Date, limit: number): Promise<PushLevel[]> {
  return q.all<PushLevel>(`${LEVEL_SELECT} WHERE p."status" IN ('pending','sending') AND p."createdAt" < ? LIMIT ?`, sqlTime(olderThan), limit);
}
