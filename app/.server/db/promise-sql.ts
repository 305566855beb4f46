import { stmt, type Sql } from "./sql";

// The delivery-promise part of the shop's active routing policy, read at intake (hot path: one indexed
// read; same choice of active set as `activeRuleSet` in pipeline-sql.ts, the newest activation).

export function activePromisePolicy(db: Sql, shopId: string): { id: string; promise: string } | undefined {
  return stmt(db, `SELECT "id", "promise" FROM "RoutingRuleSet" WHERE "shopId" = ? AND "status" = 'active' ORDER BY "activatedAt" DESC LIMIT 1`).get(shopId) as { id: string; promise: string } | undefined;
}
