import type { Queryable } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Small per-shop sync state (watermarks, resume points), one string value per (shop, key).

/** The stored value, or null when the key was never set for this shop. */
export async function getSyncState(q: Queryable, shopId: string, key: string): Promise<string | null> {
  const row = await q.get<{ value: string }>(`SELECT "value" FROM "SyncState" WHERE "shopId" = ? AND "key" = ?`, shopId, key);
  return row?.value ?? null;
}

export async function setSyncState(q: Queryable, shopId: string, key: string, value: string): Promise<void> {
  await q.run(
    `INSERT INTO "SyncState" ("id","shopId","key","value","updatedAt") VALUES (?,?,?,?,?)
     ON CONFLICT ("shopId","key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, key, value, sqlTime(),
  );
}

/** Forgets a key (a no-op when it is not set). */
export async function clearSyncState(q: Queryable, shopId: string, key: string): Promise<void> {
  await q.run(`DELETE FROM "SyncState" WHERE "shopId" = ? AND "key" = ?`, shopId, key);
}
