import type { Queryable } from "./engine/types";

// Figures for operators and the dashboard that belong to no one repository.

/** True when the database answers a trivial statement (a health probe). */
export async function pingDatabase(q: Queryable): Promise<boolean> {
  return (await q.get<{ ok: number }>(`SELECT 1 AS "ok"`))?.ok === 1;
}

/** Webhooks of the shop that failed for good (the dashboard's warning). */
export async function countFailedWebhooks(q: Queryable, shopDomain: string): Promise<number> {
  const row = await q.get<{ failed: number }>(`SELECT COUNT(*) AS "failed" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'failed'`, shopDomain);
  return Number(row?.failed ?? 0);
}
