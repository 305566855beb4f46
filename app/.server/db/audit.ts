import type { Queryable } from "./engine/types";
import { newId, sqlTime } from "./ids";

// The audit trail: who did what to which record. Never holds personal data.

export interface AuditRow {
  id: string;
  actor: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: string;
  createdAt: string;
}

export async function audit(q: Queryable, shopId: string, actor: string, action: string, subject?: { type: string; id: string } | null, data: object = {}): Promise<void> {
  await q.run(`INSERT INTO "AuditEvent" ("id","shopId","actor","action","subjectType","subjectId","data","createdAt") VALUES (?,?,?,?,?,?,?,?)`, newId(), shopId, actor, action, subject?.type ?? null, subject?.id ?? null, JSON.stringify(data), sqlTime());
}

export async function recentAudit(q: Queryable, shopId: string, take = 20): Promise<AuditRow[]> {
  return q.all<AuditRow>(`SELECT "id","actor","action","subjectType","subjectId","data","createdAt" FROM "AuditEvent" WHERE "shopId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`, shopId, take);
}

/** An order's timeline (the Order page). */
export async function auditOfSubject(q: Queryable, shopId: string, subjectType: string, subjectId: string): Promise<AuditRow[]> {
  return q.all<AuditRow>(`SELECT "id","actor","action","subjectType","subjectId","data","createdAt" FROM "AuditEvent" WHERE "shopId" = ? AND "subjectType" = ? AND "subjectId" = ? ORDER BY "createdAt", "id"`, shopId, subjectType, subjectId);
}
