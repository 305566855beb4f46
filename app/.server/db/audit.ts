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

export interface AuditEntry {
  actor: string;
  action: string;
  subject?: { type: string; id: string } | null;
  data?: object;
}

/** An audit row with its id and time fixed now (when it happened), to be written later with others (`auditAll`). */
export function auditRow(entry: AuditEntry): Omit<AuditRow, "subjectType" | "subjectId"> & { subject: AuditEntry["subject"] } {
  return { id: newId(), actor: entry.actor, action: entry.action, subject: entry.subject ?? null, data: JSON.stringify(entry.data ?? {}), createdAt: sqlTime() };
}

export type PendingAudit = ReturnType<typeof auditRow>;

export async function audit(q: Queryable, shopId: string, actor: string, action: string, subject?: { type: string; id: string } | null, data: object = {}): Promise<void> {
  await auditAll(q, shopId, [auditRow({ actor, action, subject, data })]);
}

const INSERT_AUDIT: string[] = [];

/** Several audit rows in one statement (one round trip on PostgreSQL), in the order given. */
export async function auditAll(q: Queryable, shopId: string, rows: PendingAudit[]): Promise<void> {
  if (rows.length === 0) return;
  const text = (INSERT_AUDIT[rows.length] ??= `INSERT INTO "AuditEvent" ("id","shopId","actor","action","subjectType","subjectId","data","createdAt") VALUES ${Array.from({ length: rows.length }, () => "(?,@shop,?,?,?,?,?,?)").join(",")}`);
  const values: unknown[] = [{ shop: shopId }];
  for (const r of rows) values.push(r.id, r.actor, r.action, r.subject?.type ?? null, r.subject?.id ?? null, r.data, r.createdAt);
  await q.run(text, ...values);
}

export async function recentAudit(q: Queryable, shopId: string, take = 20): Promise<AuditRow[]> {
  return q.all<AuditRow>(`SELECT "id","actor","action","subjectType","subjectId","data","createdAt" FROM "AuditEvent" WHERE "shopId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`, shopId, take);
}

/** An order's timeline (the Order page). */
export async function auditOfSubject(q: Queryable, shopId: string, subjectType: string, subjectId: string): Promise<AuditRow[]> {
  return q.all<AuditRow>(`SELECT "id","actor","action","subjectType","subjectId","data","createdAt" FROM "AuditEvent" WHERE "shopId" = ? AND "subjectType" = ? AND "subjectId" = ? ORDER BY "createdAt", "id"`, shopId, subjectType, subjectId);
}
