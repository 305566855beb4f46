import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Channel stock sync (ADR 0010): the ledger read past a per-shop cursor, each channel's dirty marks, what each
// channel was last sent, the lag of each accepted figure, and the Shopify hold per level. Every statement takes
// the shop; the sweep's reads across shops say so in their names.

export interface LedgerChange {
  id: number;
  variantId: string;
  /** on_hand | reserved | incoming | safety */
  bucket: string;
  createdAt: string;
}

/** Ledger entries past `afterId`, oldest first. */
export async function ledgerChangesSince(q: Queryable, shopId: string, afterId: number, limit: number): Promise<LedgerChange[]> {
  return q.all<LedgerChange>(`SELECT "id","variantId","bucket","createdAt" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "id" > ? ORDER BY "id" LIMIT ?`, shopId, afterId, limit);
}

export async function syncCursor(q: Queryable, shopId: string): Promise<number> {
  return (await q.get<{ ledgerId: number }>(`SELECT "ledgerId" FROM "StockSyncCursor" WHERE "shopId" = ?`, shopId))?.ledgerId ?? 0;
}

export async function saveSyncCursor(tx: Tx, shopId: string, ledgerId: number, at = sqlTime()): Promise<void> {
  await tx.run(
    `INSERT INTO "StockSyncCursor" ("shopId","ledgerId","updatedAt") VALUES (?,?,?)
     ON CONFLICT ("shopId") DO UPDATE SET "ledgerId" = CASE WHEN excluded."ledgerId" > "StockSyncCursor"."ledgerId" THEN excluded."ledgerId" ELSE "StockSyncCursor"."ledgerId" END, "updatedAt" = excluded."updatedAt"`,
    shopId, ledgerId, at,
  );
}

/** How far each (channel, variant) has been marked: the last ledger entry that marked it. */
export async function markedThrough(q: Queryable, shopId: string, channelIds: string[], variantIds: string[]): Promise<Map<string, number>> {
  const through = new Map<string, number>();
  if (channelIds.length === 0 || variantIds.length === 0) return through;
  const rows = await q.all<{ channelId: string; variantId: string; markedThrough: number }>(
    `SELECT "channelId","variantId","markedThrough" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" IN (${marks(channelIds.length)}) AND "variantId" IN (${marks(variantIds.length)})`,
    shopId, ...channelIds, ...variantIds,
  );
  for (const r of rows) through.set(`${r.channelId}:${r.variantId}`, r.markedThrough);
  return through;
}

export interface DirtyMark {
  channelId: string;
  variantId: string;
  /** The earliest change not marked before. */
  since: string;
  /** The last ledger entry behind the mark. */
  through: number;
}

/** Mark (channel, variant) pairs dirty; an entry marked before (a re-read) neither re-marks nor moves `dirtyAt`. */
export async function markDirty(tx: Tx, shopId: string, dirty: DirtyMark[]): Promise<void> {
  for (const d of dirty) {
    await tx.run(
      `INSERT INTO "ChannelStock" ("id","shopId","channelId","variantId","dirtyAt","markedThrough","attempts") VALUES (?,?,?,?,?,?,0)
       ON CONFLICT ("channelId","variantId") DO UPDATE SET
         "dirtyAt" = CASE WHEN excluded."markedThrough" > "ChannelStock"."markedThrough" THEN COALESCE("ChannelStock"."dirtyAt", excluded."dirtyAt") ELSE "ChannelStock"."dirtyAt" END,
         "markedThrough" = CASE WHEN excluded."markedThrough" > "ChannelStock"."markedThrough" THEN excluded."markedThrough" ELSE "ChannelStock"."markedThrough" END
       WHERE "ChannelStock"."shopId" = excluded."shopId"`,
      newId(), shopId, d.channelId, d.variantId, d.since, d.through,
    );
  }
}

/** Every variant of the shop dirty for one channel (its settings changed: every figure may have). */
export async function markChannelDirty(tx: Tx, shopId: string, channelId: string, at = sqlTime()): Promise<void> {
  await tx.run(
    `INSERT INTO "ChannelStock" ("id","shopId","channelId","variantId","dirtyAt","markedThrough","attempts")
     SELECT ? || v."id", v."shopId", ?, v."id", ?, 0, 0 FROM "Variant" v WHERE v."shopId" = ?
     ON CONFLICT ("channelId","variantId") DO UPDATE SET "dirtyAt" = COALESCE("ChannelStock"."dirtyAt", excluded."dirtyAt")`,
    `${channelId}:`, channelId, at, shopId,
  );
}

export interface DirtyRow {
  variantId: string;
  dirtyAt: string;
  markedThrough: number;
  pushedQuantity: number | null;
  attempts: number;
}

/** A channel's dirty SKUs due now, the longest waiting first. */
export async function dueDirty(q: Queryable, shopId: string, channelId: string, now: Date, limit: number): Promise<DirtyRow[]> {
  return q.all<DirtyRow>(
    `SELECT "variantId","dirtyAt","markedThrough","pushedQuantity","attempts" FROM "ChannelStock"
     WHERE "shopId" = ? AND "channelId" = ? AND "dirtyAt" IS NOT NULL AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ?)
     ORDER BY "dirtyAt" LIMIT ?`,
    shopId, channelId, sqlTime(now), limit,
  );
}

/** The longest lag a ChannelPush row holds (PostgreSQL INTEGER). */
const MAX_LAG_MS = 2_147_483_647;

/**
 * The channel accepted `quantity` for the variant: recorded, with its lag; the mark is cleared only if no entry
 * marked it after the push read the stock (`through`), else it stays for the next round.
 */
export async function markPushed(tx: Tx, shopId: string, channelId: string, pushed: { variantId: string; quantity: number; through: number; lagMs: number | null }[], at = sqlTime()): Promise<void> {
  for (const p of pushed) {
    await tx.run(
      `UPDATE "ChannelStock" SET "pushedQuantity" = ?, "pushedAt" = ?, "attempts" = 0, "nextAttemptAt" = NULL, "lastError" = NULL,
         "dirtyAt" = CASE WHEN "markedThrough" <= ? THEN NULL ELSE "dirtyAt" END
       WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ?`,
      p.quantity, at, p.through, shopId, channelId, p.variantId,
    );
    // "lagMs" is a 32-bit integer on PostgreSQL: a figure that waited longer than its ~24.8 days (a SKU refused for
    // weeks, then fixed) would fail the whole batch's write there, every time. Such a lag is recorded at that cap.
    if (p.lagMs !== null) await tx.run(`INSERT INTO "ChannelPush" ("id","shopId","channelId","variantId","quantity","lagMs","pushedAt") VALUES (?,?,?,?,?,?,?)`, newId(), shopId, channelId, p.variantId, p.quantity, Math.min(MAX_LAG_MS, Math.max(0, Math.round(p.lagMs))), at);
  }
}

/** A push that did not go through: kept dirty, tried again after `retryAt`. */
export async function markPushFailed(tx: Tx, shopId: string, channelId: string, variantIds: string[], error: string, retryAt: Date): Promise<void> {
  if (variantIds.length === 0) return;
  await tx.run(
    `UPDATE "ChannelStock" SET "attempts" = "attempts" + 1, "lastError" = ?, "nextAttemptAt" = ? WHERE "shopId" = ? AND "channelId" = ? AND "variantId" IN (${marks(variantIds.length)})`,
    error.slice(0, 1_000), sqlTime(retryAt), shopId, channelId, ...variantIds,
  );
}

/** The channel no longer receives figures (disconnected): its marks and what it was sent go. */
export async function forgetChannelStock(tx: Tx, shopId: string, channelId: string): Promise<void> {
  await tx.run(`DELETE FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channelId);
}

/** Figures sent but not settled yet (an Amazon feed in flight): not due again before `until`, still dirty. */
export async function deferDirty(tx: Tx, shopId: string, channelId: string, variantIds: string[], until: Date): Promise<void> {
  for (let i = 0; i < variantIds.length; i += 500) {
    const chunk = variantIds.slice(i, i + 500);
    await tx.run(`UPDATE "ChannelStock" SET "nextAttemptAt" = ? WHERE "shopId" = ? AND "channelId" = ? AND "variantId" IN (${marks(chunk.length)})`, sqlTime(until), shopId, channelId, ...chunk);
  }
}

/** Recent accepted figures' lags for a channel, newest first. */
export async function recentChannelLags(q: Queryable, shopId: string, channelId: string, limit: number): Promise<number[]> {
  return (await q.all<{ lagMs: number }>(`SELECT "lagMs" FROM "ChannelPush" WHERE "shopId" = ? AND "channelId" = ? ORDER BY "pushedAt" DESC LIMIT ?`, shopId, channelId, limit)).map((r) => r.lagMs);
}

export interface HoldLevelRow {
  variantId: string;
  locationId: string;
  locationExternalId: string;
  inventoryItemExternalId: string | null;
  onHand: number;
  reserved: number;
  safety: number;
  incoming: number;
  heldInShopify: number;
}

/** The variants' levels at active locations, with the Shopify ids a move needs and what is held there now. */
export async function holdLevels(q: Queryable, shopId: string, variantIds: string[]): Promise<HoldLevelRow[]> {
  if (variantIds.length === 0) return [];
  return q.all<HoldLevelRow>(
    `SELECT i."variantId", i."locationId", l."externalId" AS "locationExternalId", v."inventoryItemExternalId", i."onHand", i."reserved", i."safety", i."incoming", i."heldInShopify"
     FROM "InventoryLevel" i JOIN "Location" l ON l."id" = i."locationId" JOIN "Variant" v ON v."id" = i."variantId"
     WHERE i."shopId" = ? AND i."variantId" IN (${marks(variantIds.length)}) AND l."shopId" = ? AND l."active" = ?
     ORDER BY i."variantId", i."locationId"`,
    shopId, ...variantIds, shopId, true,
  );
}

/** Units reserved by orders of channels other than Shopify, per (variant, location). */
export async function reservedElsewhere(q: Queryable, shopId: string, variantIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (variantIds.length === 0) return out;
  const rows = await q.all<{ variantId: string; locationId: string; units: number }>(
    `SELECT ol."variantId", a."locationId", SUM(a."quantity") AS "units"
     FROM "OrderLine" ol JOIN "Allocation" a ON a."orderLineId" = ol."id" JOIN "Order" o ON o."id" = ol."orderId" JOIN "Channel" c ON c."id" = o."channelId"
     WHERE ol."shopId" = ? AND ol."variantId" IN (${marks(variantIds.length)}) AND a."status" = 'reserved' AND c."kind" <> 'shopify' AND o."shopId" = ?
     GROUP BY ol."variantId", a."locationId"`,
    shopId, ...variantIds, shopId,
  );
  for (const r of rows) out.set(`${r.variantId}:${r.locationId}`, Number(r.units));
  return out;
}

/** Shopify accepted the moves: what its safety_stock now holds at each level. */
export async function setHeldInShopify(tx: Tx, shopId: string, held: { variantId: string; locationId: string; units: number }[]): Promise<void> {
  for (const h of held) await tx.run(`UPDATE "InventoryLevel" SET "heldInShopify" = ? WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, h.units, shopId, h.variantId, h.locationId);
}

/** Shops whose ledger has entries past their cursor, dirty marks due or an Amazon feed in flight (the sweep's safety net), across shops. */
export async function shopsWithChannelWorkAcrossShops(q: Queryable, now: Date, limit: number): Promise<string[]> {
  const rows = await q.all<{ shopId: string }>(
    `SELECT s."id" AS "shopId" FROM "Shop" s
     WHERE EXISTS (SELECT 1 FROM "InventoryLedgerEntry" e WHERE e."shopId" = s."id" AND e."id" > COALESCE((SELECT c."ledgerId" FROM "StockSyncCursor" c WHERE c."shopId" = s."id"), 0))
        OR EXISTS (SELECT 1 FROM "ChannelStock" cs WHERE cs."shopId" = s."id" AND cs."dirtyAt" IS NOT NULL AND (cs."nextAttemptAt" IS NULL OR cs."nextAttemptAt" <= ?))
        OR EXISTS (SELECT 1 FROM "AmazonFeed" f WHERE f."shopId" = s."id" AND f."status" = 'submitted')
     LIMIT ?`,
    sqlTime(now), limit,
  );
  return rows.map((r) => r.shopId);
}

/** Accepted-figure rows older than `before` go (the lag statistics read the recent ones only), across shops. */
export async function pruneChannelPushesAcrossShops(tx: Tx, before: Date): Promise<number> {
  return (await tx.run(`DELETE FROM "ChannelPush" WHERE "pushedAt" < ?`, sqlTime(before))).changes;
}
