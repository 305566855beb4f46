import { db } from "./client";

// Small per-shop sync state (watermarks, resume points), one string value per (shop, key).

/** The stored value, or null when the key was never set for this shop. */
export async function getSyncState(shopId: string, key: string): Promise<string | null> {
  const row = await db().syncState.findUnique({ where: { shopId_key: { shopId, key } }, select: { value: true } });
  return row?.value ?? null;
}

export async function setSyncState(shopId: string, key: string, value: string): Promise<void> {
  await db().syncState.upsert({
    where: { shopId_key: { shopId, key } },
    create: { shopId, key, value },
    update: { value },
  });
}

/** Forgets a key (a no-op when it is not set). */
export async function clearSyncState(shopId: string, key: string): Promise<void> {
  await db().syncState.deleteMany({ where: { shopId, key } });
}
