import type { Queryable } from "./engine/types";
import { sqlTime } from "./ids";

// Scheduled work that must run once per period however many worker processes tick (the reconciliation
// poll per shop, the daily planning per shop, the inbox sweep): the first worker to record (name, period)
// runs it; every other finds the row and skips. Cross-shop by nature (a schedule, like the inbox sweep).

/** True when this caller claimed the period (and must run it); false when another already did. */
export async function claimScheduledRunAcrossShops(q: Queryable, name: string, period: string, runBy: string, now = new Date()): Promise<boolean> {
  const { changes } = await q.run(`INSERT INTO "ScheduledRun" ("name","period","runBy","createdAt") VALUES (?,?,?,?) ON CONFLICT ("name","period") DO NOTHING`, name, period, runBy, sqlTime(now));
  return changes === 1;
}

/** Claims older than `before` (kept a while for operators and tests), at most `limit` a call. */
export async function pruneScheduledRunsAcrossShops(q: Queryable, before: Date, limit: number): Promise<number> {
  return (await q.run(`DELETE FROM "ScheduledRun" WHERE "name" IN (SELECT "name" FROM "ScheduledRun" WHERE "createdAt" < ? LIMIT ?) AND "createdAt" < ?`, sqlTime(before), limit, sqlTime(before))).changes;
}
