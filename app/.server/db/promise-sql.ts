import type { Queryable } from "./engine/types";

// The delivery-promise part of the shop's active routing policy, read at intake (hot path: one indexed
// read; same choice of active set as `activeRuleSet` in pipeline-sql.ts, the newest activation).

export async function activePromisePolicy(q: Queryable, shopId: string): Promise<{ id: string; promise: string } | undefined> {
  return q.get(`SELECT "id", "promise" FROM "RoutingRuleSet" WHERE "shopId" = ? AND "status" = 'active' ORDER BY "activatedAt" DESC LIMIT 1`, shopId);
}
