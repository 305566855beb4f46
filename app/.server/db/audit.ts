import { db } from "./client";

// The audit trail: who did what to which record. Never holds personal data.

export async function audit(shopId: string, actor: string, action: string, subject?: { type: string; id: string }, data: object = {}): Promise<void> {
  await db().auditEvent.create({
    data: { shopId, actor, action, subjectType: subject?.type ?? null, subjectId: subject?.id ?? null, data: JSON.stringify(data) },
  });
}

export async function recentAudit(shopId: string, take = 20) {
  return db().auditEvent.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take });
}
