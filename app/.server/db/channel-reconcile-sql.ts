import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Channel reconciliation and sync health (ADR 0013): which figures to read back next (the least recently
// checked first, never one still waiting for its push), what was found, and the per-channel health figures.
// Every statement takes the shop; the prune across shops says so in its name.

/** Variants the Shopify channel holds stock for, not dirty on it, the least recently checked first. */
export async function shopifyVariantsToCheck(q: Queryable, shopId: string, channelId: string, limit: number): Promise<string[]> {
  const rows = await q.all<{ variantId: string }>(
    `SELECT v."id" AS "variantId" FROM "Variant" v
     LEFT JOIN "ChannelStock" cs ON cs."shopId" = v."shopId" AND cs."channelId" = ? AND cs."variantId" = v."id"
     WHERE v."shopId" = ? AND v."inventoryItemExternalId" IS NOT NULL AND cs."dirtyAt" IS NULL
     ORDER BY (cs."checkedAt" IS NOT NULL), cs."checkedAt", v."id" LIMIT ?`,
    channelId, shopId, limit,
  );
  return rows.map((r) => r.variantId);
}

export interface SentFigureRow {
  variantId: string;
  sku: string;
  pushedQuantity: number;
}

/**
 * Figures a channel accepted before `settledBefore` and has not been sent since: first those seen lower than
 * expected since their last push (watched: looked at again each run), then the least recently checked.
 */
export async function sentFiguresToCheck(q: Queryable, shopId: string, channelId: string, settledBefore: Date, limit: number): Promise<SentFigureRow[]> {
  return q.all<SentFigureRow>(
    `SELECT cs."variantId", v."sku", cs."pushedQuantity" FROM "ChannelStock" cs JOIN "Variant" v ON v."id" = cs."variantId" AND v."shopId" = cs."shopId"
     WHERE cs."shopId" = ? AND cs."channelId" = ? AND cs."dirtyAt" IS NULL AND cs."pushedQuantity" IS NOT NULL AND cs."pushedAt" <= ?
     ORDER BY (EXISTS (SELECT 1 FROM "ChannelDrift" d WHERE d."shopId" = cs."shopId" AND d."channelId" = cs."channelId" AND d."variantId" = cs."variantId"
                 AND d."action" = 'watching' AND d."observedAt" > cs."pushedAt")) DESC,
       (cs."checkedAt" IS NOT NULL), cs."checkedAt", cs."variantId" LIMIT ?`,
    shopId, channelId, sqlTime(settledBefore), limit,
  );
}

/** When each variant's figure was first seen lower than expected since it was last sent (null: not seen lower). */
export async function lowerSince(q: Queryable, shopId: string, channelId: string, variantIds: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  if (variantIds.length === 0) return out;
  const rows = await q.all<{ variantId: string; since: string }>(
    `SELECT d."variantId", MIN(d."observedAt") AS "since" FROM "ChannelDrift" d
     JOIN "ChannelStock" cs ON cs."shopId" = d."shopId" AND cs."channelId" = d."channelId" AND cs."variantId" = d."variantId"
     WHERE d."shopId" = ? AND d."channelId" = ? AND d."action" = 'watching' AND d."variantId" IN (${marks(variantIds.length)})
       AND (cs."pushedAt" IS NULL OR d."observedAt" > cs."pushedAt")
     GROUP BY d."variantId"`,
    shopId, channelId, ...variantIds,
  );
  for (const r of rows) out.set(r.variantId, new Date(r.since));
  return out;
}

/** Record that the variants' figures were read back now (a row is made for a variant never marked). */
export async function markChecked(tx: Tx, shopId: string, channelId: string, variantIds: string[], at: Date): Promise<void> {
  for (const variantId of variantIds) {
    await tx.run(
      `INSERT INTO "ChannelStock" ("id","shopId","channelId","variantId","markedThrough","attempts","checkedAt") VALUES (?,?,?,?,0,0,?)
       ON CONFLICT ("channelId","variantId") DO UPDATE SET "checkedAt" = excluded."checkedAt" WHERE "ChannelStock"."shopId" = excluded."shopId"`,
      newId(), shopId, channelId, variantId, sqlTime(at),
    );
  }
}

/**
 * The figure must be sent again: dirty now (or since when it already was), due at once. `shown`, when given, is
 * what the channel shows, so the pusher does not take it for a figure already there.
 */
export async function markForRepair(tx: Tx, shopId: string, channelId: string, repairs: { variantId: string; shown: number | null }[], at: Date): Promise<void> {
  for (const r of repairs) {
    await tx.run(
      `INSERT INTO "ChannelStock" ("id","shopId","channelId","variantId","dirtyAt","markedThrough","attempts","pushedQuantity") VALUES (?,?,?,?,?,0,0,?)
       ON CONFLICT ("channelId","variantId") DO UPDATE SET "dirtyAt" = COALESCE("ChannelStock"."dirtyAt", excluded."dirtyAt"), "nextAttemptAt" = NULL,
         "pushedQuantity" = COALESCE(excluded."pushedQuantity", "ChannelStock"."pushedQuantity")
       WHERE "ChannelStock"."shopId" = excluded."shopId"`,
      newId(), shopId, channelId, r.variantId, sqlTime(at), r.shown,
    );
  }
}

export interface DriftRow {
  channelId: string;
  variantId: string;
  locationId: string | null;
  expected: number;
  shown: number;
  action: "repaired" | "watching";
}

export async function recordDrift(tx: Tx, shopId: string, rows: DriftRow[], at: Date): Promise<void> {
  for (const d of rows) {
    await tx.run(
      `INSERT INTO "ChannelDrift" ("id","shopId","channelId","variantId","locationId","expected","shown","action","observedAt") VALUES (?,?,?,?,?,?,?,?,?)`,
      newId(), shopId, d.channelId, d.variantId, d.locationId, d.expected, d.shown, d.action, sqlTime(at),
    );
  }
}

export interface ChannelHealthRow {
  lags: number[];
  waiting: number;
  failing: number;
  oldestDirtyAt: string | null;
  driftRepaired: number;
  lastCheckedAt: string | null;
  errors: { sku: string; error: string }[];
}

/** One channel's sync figures: lags of the figures accepted since `since`, what waits, what fails, drift repaired. */
export async function channelHealth(q: Queryable, shopId: string, channelId: string, since: Date): Promise<ChannelHealthRow> {
  const [lags, state, drift, errors] = await Promise.all([
    q.all<{ lagMs: number }>(`SELECT "lagMs" FROM "ChannelPush" WHERE "shopId" = ? AND "channelId" = ? AND "pushedAt" >= ? ORDER BY "pushedAt" DESC LIMIT 10000`, shopId, channelId, sqlTime(since)),
    q.get<{ waiting: number; failing: number; oldestDirtyAt: string | null; lastCheckedAt: string | null }>(
      `SELECT SUM(CASE WHEN "dirtyAt" IS NOT NULL THEN 1 ELSE 0 END) AS "waiting", SUM(CASE WHEN "dirtyAt" IS NOT NULL AND "attempts" > 0 THEN 1 ELSE 0 END) AS "failing",
         MIN("dirtyAt") AS "oldestDirtyAt", MAX("checkedAt") AS "lastCheckedAt"
       FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ?`,
      shopId, channelId,
    ),
    q.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "ChannelDrift" WHERE "shopId" = ? AND "channelId" = ? AND "action" = 'repaired' AND "observedAt" >= ?`, shopId, channelId, sqlTime(since)),
    q.all<{ sku: string; error: string }>(
      `SELECT v."sku", cs."lastError" AS "error" FROM "ChannelStock" cs JOIN "Variant" v ON v."id" = cs."variantId" AND v."shopId" = cs."shopId"
       WHERE cs."shopId" = ? AND cs."channelId" = ? AND cs."dirtyAt" IS NOT NULL AND cs."lastError" IS NOT NULL ORDER BY cs."dirtyAt" LIMIT 5`,
      shopId, channelId,
    ),
  ]);
  return {
    lags: lags.map((l) => Number(l.lagMs)),
    waiting: Number(state?.waiting ?? 0),
    failing: Number(state?.failing ?? 0),
    oldestDirtyAt: state?.oldestDirtyAt ? String(state.oldestDirtyAt) : null,
    driftRepaired: Number(drift?.n ?? 0),
    lastCheckedAt: state?.lastCheckedAt ? String(state.lastCheckedAt) : null,
    errors,
  };
}

/** Drift observations older than `before` go, across shops. */
export async function pruneChannelDriftAcrossShops(tx: Tx, before: Date): Promise<number> {
  return (await tx.run(`DELETE FROM "ChannelDrift" WHERE "observedAt" < ?`, sqlTime(before))).changes;
}
