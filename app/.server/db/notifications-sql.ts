import type { Language } from "~/domain/notifications/kinds";
import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Customer notifications (ADR 0024): the outbox, the shop's settings and sweep cursor, its own templates and the
// customers' opt-outs. Every statement takes the shop.

export interface NotificationSettingsRow {
  confirmationEnabled: boolean;
  language: Language;
  sinceAt: string;
  cursorAt: string;
}

type RawSettings = Omit<NotificationSettingsRow, "confirmationEnabled"> & { confirmationEnabled: boolean | number };
const settingsOf = (r: RawSettings): NotificationSettingsRow => ({ ...r, confirmationEnabled: Boolean(r.confirmationEnabled), sinceAt: iso(r.sinceAt), cursorAt: iso(r.cursorAt) });
const iso = (value: string | Date) => sqlTime(new Date(value));

export async function notificationSettings(q: Queryable, shopId: string): Promise<NotificationSettingsRow | undefined> {
  const row = await q.get<RawSettings>(`SELECT "confirmationEnabled","language","sinceAt","cursorAt" FROM "NotificationSettings" WHERE "shopId" = ?`, shopId);
  return row ? settingsOf(row) : undefined;
}

/** The shop's settings, made on first use: nothing that happened before `now` is ever notified. */
export async function ensureNotificationSettings(tx: Tx, shopId: string, now: Date): Promise<NotificationSettingsRow> {
  const at = sqlTime(now);
  await tx.run(`INSERT INTO "NotificationSettings" ("shopId","sinceAt","cursorAt","updatedAt") VALUES (?,?,?,?) ON CONFLICT ("shopId") DO NOTHING`, shopId, at, at, at);
  return (await notificationSettings(tx, shopId))!;
}

export async function saveNotificationSettings(tx: Tx, shopId: string, settings: { confirmationEnabled: boolean; language: Language }, now = new Date()): Promise<void> {
  await ensureNotificationSettings(tx, shopId, now);
  await tx.run(`UPDATE "NotificationSettings" SET "confirmationEnabled" = ?, "language" = ?, "updatedAt" = ? WHERE "shopId" = ?`, settings.confirmationEnabled, settings.language, sqlTime(now), shopId);
}

/** Moves the sweep's cursor forward (never back). */
export async function advanceNotificationCursor(tx: Tx, shopId: string, cursorAt: string): Promise<void> {
  await tx.run(`UPDATE "NotificationSettings" SET "cursorAt" = ? WHERE "shopId" = ? AND "cursorAt" < ?`, cursorAt, shopId, cursorAt);
}

export interface NotifyingEventRow {
  id: string;
  action: string;
  subjectId: string;
  data: string;
  createdAt: string;
}

/** Order events of these actions from `from` (inclusive) to `upTo` (exclusive), after `after` in (createdAt, id) order. */
export async function notifyingEvents(
  q: Queryable, shopId: string, actions: readonly string[], range: { from: string; upTo: string; after: { at: string; id: string } | null }, limit: number, subjectType: "order" | "return" = "order",
): Promise<NotifyingEventRow[]> {
  const rows = await q.all<NotifyingEventRow>(
    `SELECT "id","action","subjectId","data","createdAt" FROM "AuditEvent"
     WHERE "shopId" = ? AND "createdAt" >= ? AND "createdAt" < ? AND "subjectType" = ? AND "action" IN (${marks(actions.length)})
       ${range.after ? `AND ("createdAt" > ? OR ("createdAt" = ? AND "id" > ?))` : ""}
     ORDER BY "createdAt", "id" LIMIT ?`,
    shopId, range.from, range.upTo, subjectType, ...actions, ...(range.after ? [range.after.at, range.after.at, range.after.id] : []), limit,
  );
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

export interface OrderNoticeRow {
  id: string;
  name: string;
  email: string | null;
  customerName: string | null;
  channelKind: string;
  redactedAt: string | null;
  cancelledAt: string | null;
  status: string;
  shipFromLocations: number;
  backorderExpectedAt: string | null;
}

/** What the notices need of these orders: the customer, the channel, where they ship from, when backordered stock is due. */
export async function orderNoticeFacts(q: Queryable, shopId: string, orderIds: string[]): Promise<OrderNoticeRow[]> {
  if (orderIds.length === 0) return [];
  const rows = await q.all<Omit<OrderNoticeRow, "shipFromLocations"> & { shipFromLocations: number | string | null }>(
    `SELECT o."id", o."name", o."email", o."customerName", c."kind" AS "channelKind", o."redactedAt", o."cancelledAt", o."status",
       (SELECT COUNT(DISTINCT a."locationId") FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
         WHERE l."shopId" = o."shopId" AND l."orderId" = o."id" AND a."status" IN ('reserved','fulfilled') AND a."locationId" IS NOT NULL) AS "shipFromLocations",
       (SELECT MIN(i."incomingExpectedAt") FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
         JOIN "InventoryLevel" i ON i."shopId" = l."shopId" AND i."variantId" = l."variantId"
         WHERE l."shopId" = o."shopId" AND l."orderId" = o."id" AND a."status" = 'backordered' AND i."incoming" > 0 AND i."incomingExpectedAt" IS NOT NULL) AS "backorderExpectedAt"
     FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId"
     WHERE o."shopId" = ? AND o."id" IN (${marks(orderIds.length)})`,
    shopId, ...orderIds,
  );
  return rows.map((r) => ({ ...r, shipFromLocations: Number(r.shipFromLocations ?? 0), backorderExpectedAt: r.backorderExpectedAt ? iso(r.backorderExpectedAt) : null }));
}

export async function shipmentsForNotices(q: Queryable, shopId: string, ids: string[]): Promise<{ id: string; orderId: string; carrier: string; trackingNumber: string | null }[]> {
  if (ids.length === 0) return [];
  return q.all(`SELECT "id","orderId","carrier","trackingNumber" FROM "Shipment" WHERE "shopId" = ? AND "id" IN (${marks(ids.length)})`, shopId, ...ids);
}

export interface NewNotification {
  orderId: string;
  kind: string;
  key: string;
  recipient: string;
  language: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
}

/** Adds what is not there yet (the natural key decides); returns how many were added. */
export async function insertNotifications(tx: Tx, shopId: string, rows: NewNotification[], now: Date): Promise<number> {
  let added = 0;
  const at = sqlTime(now);
  for (const r of rows) {
    added += (await tx.run(
      `INSERT INTO "Notification" ("id","shopId","orderId","kind","key","status","recipient","language","subject","bodyText","bodyHtml","attempts","nextAttemptAt","createdAt")
       VALUES (?,?,?,?,?,'pending',?,?,?,?,?,0,?,?) ON CONFLICT ("shopId","key") DO NOTHING`,
      newId(), shopId, r.orderId, r.kind, r.key, r.recipient, r.language, r.subject, r.bodyText, r.bodyHtml, at, at,
    )).changes;
  }
  return added;
}

export async function existingNotificationKeys(q: Queryable, shopId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await q.all<{ key: string }>(`SELECT "key" FROM "Notification" WHERE "shopId" = ? AND "key" IN (${marks(keys.length)})`, shopId, ...keys);
  return new Set(rows.map((r) => r.key));
}

export interface NotificationRow {
  id: string;
  orderId: string | null;
  kind: string;
  key: string;
  status: "pending" | "sending" | "sent" | "failed";
  recipient: string;
  language: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  claimedAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

const COLUMNS = `"id","orderId","kind","key","status","recipient","language","subject","bodyText","bodyHtml","attempts","lastError","nextAttemptAt","claimedAt","sentAt","createdAt"`;
const rowOf = (r: NotificationRow): NotificationRow => ({
  ...r, attempts: Number(r.attempts), nextAttemptAt: iso(r.nextAttemptAt), claimedAt: r.claimedAt ? iso(r.claimedAt) : null, sentAt: r.sentAt ? iso(r.sentAt) : null, createdAt: iso(r.createdAt),
});

/** Rows to send now: pending and due, or claimed so long ago that the sender must have died (`staleBefore`). */
export async function dueNotifications(q: Queryable, shopId: string, now: Date, staleBefore: Date, limit: number): Promise<NotificationRow[]> {
  const rows = await q.all<NotificationRow>(
    `SELECT ${COLUMNS} FROM "Notification" WHERE "shopId" = ? AND (("status" = 'pending' AND "nextAttemptAt" <= ?) OR ("status" = 'sending' AND "claimedAt" < ?)) ORDER BY "nextAttemptAt", "id" LIMIT ?`,
    shopId, sqlTime(now), sqlTime(staleBefore), limit,
  );
  return rows.map(rowOf);
}

/** Compare-and-set: the row becomes this sender's (status sending, attempt counted) only if it is still due. */
export async function claimNotification(tx: Tx, shopId: string, id: string, now: Date, staleBefore: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "Notification" SET "status" = 'sending', "claimedAt" = ?, "attempts" = "attempts" + 1
     WHERE "shopId" = ? AND "id" = ? AND (("status" = 'pending' AND "nextAttemptAt" <= ?) OR ("status" = 'sending' AND "claimedAt" < ?))`,
    sqlTime(now), shopId, id, sqlTime(now), sqlTime(staleBefore),
  );
  return changes === 1;
}

/** The claimed row was accepted by the SMTP server. */
export async function markNotificationSent(tx: Tx, shopId: string, id: string, claimedAt: Date, now: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "Notification" SET "status" = 'sent', "sentAt" = ?, "lastError" = NULL WHERE "shopId" = ? AND "id" = ? AND "status" = 'sending' AND "claimedAt" = ?`,
    sqlTime(now), shopId, id, sqlTime(claimedAt),
  );
  return changes === 1;
}

/** The claimed row's attempt failed: back to pending at `nextAttemptAt`, or failed for good. */
export async function markNotificationAttemptFailed(tx: Tx, shopId: string, id: string, claimedAt: Date, outcome: { status: "pending"; nextAttemptAt: Date } | { status: "failed" }, error: string): Promise<void> {
  await tx.run(
    `UPDATE "Notification" SET "status" = ?, "lastError" = ?, "nextAttemptAt" = COALESCE(?, "nextAttemptAt"), "claimedAt" = NULL
     WHERE "shopId" = ? AND "id" = ? AND "status" = 'sending' AND "claimedAt" = ?`,
    outcome.status, error.slice(0, 500), outcome.status === "pending" ? sqlTime(outcome.nextAttemptAt) : null, shopId, id, sqlTime(claimedAt),
  );
}

/** A failed row sent again (the admin's Retry): pending, due now, with a fresh count of attempts. */
export async function retryFailedNotification(tx: Tx, shopId: string, id: string, now: Date): Promise<boolean> {
  const { changes } = await tx.run(`UPDATE "Notification" SET "status" = 'pending', "attempts" = 0, "nextAttemptAt" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = 'failed'`, sqlTime(now), shopId, id);
  return changes === 1;
}

export async function recentNotifications(q: Queryable, shopId: string, limit: number): Promise<NotificationRow[]> {
  return (await q.all<NotificationRow>(`SELECT ${COLUMNS} FROM "Notification" WHERE "shopId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`, shopId, limit)).map(rowOf);
}

export async function notificationCounts(q: Queryable, shopId: string): Promise<Record<string, number>> {
  const rows = await q.all<{ status: string; n: number | string }>(`SELECT "status", COUNT(*) AS "n" FROM "Notification" WHERE "shopId" = ? GROUP BY "status"`, shopId);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export interface TemplateRow {
  kind: string;
  language: string;
  subject: string;
  body: string;
}

export async function notificationTemplates(q: Queryable, shopId: string): Promise<TemplateRow[]> {
  return q.all<TemplateRow>(`SELECT "kind","language","subject","body" FROM "NotificationTemplate" WHERE "shopId" = ? ORDER BY "kind","language"`, shopId);
}

export async function saveNotificationTemplate(tx: Tx, shopId: string, t: TemplateRow, now = new Date()): Promise<void> {
  await tx.run(
    `INSERT INTO "NotificationTemplate" ("shopId","kind","language","subject","body","updatedAt") VALUES (?,?,?,?,?,?)
     ON CONFLICT ("shopId","kind","language") DO UPDATE SET "subject" = excluded."subject", "body" = excluded."body", "updatedAt" = excluded."updatedAt"`,
    shopId, t.kind, t.language, t.subject, t.body, sqlTime(now),
  );
}

export async function deleteNotificationTemplate(tx: Tx, shopId: string, kind: string, language: string): Promise<boolean> {
  return (await tx.run(`DELETE FROM "NotificationTemplate" WHERE "shopId" = ? AND "kind" = ? AND "language" = ?`, shopId, kind, language)).changes === 1;
}

export async function optedOutAmong(q: Queryable, shopId: string, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await q.all<{ email: string }>(`SELECT "email" FROM "NotificationOptOut" WHERE "shopId" = ? AND "email" IN (${marks(emails.length)})`, shopId, ...emails);
  return new Set(rows.map((r) => r.email));
}

export async function listOptOuts(q: Queryable, shopId: string, limit = 200): Promise<{ email: string; createdAt: string }[]> {
  return (await q.all<{ email: string; createdAt: string }>(`SELECT "email","createdAt" FROM "NotificationOptOut" WHERE "shopId" = ? ORDER BY "createdAt" DESC LIMIT ?`, shopId, limit)).map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

export async function addOptOut(tx: Tx, shopId: string, email: string, now = new Date()): Promise<boolean> {
  return (await tx.run(`INSERT INTO "NotificationOptOut" ("shopId","email","createdAt") VALUES (?,?,?) ON CONFLICT ("shopId","email") DO NOTHING`, shopId, email, sqlTime(now))).changes === 1;
}

export async function removeOptOut(tx: Tx, shopId: string, email: string): Promise<boolean> {
  return (await tx.run(`DELETE FROM "NotificationOptOut" WHERE "shopId" = ? AND "email" = ?`, shopId, email)).changes === 1;
}

/** customers/redact: the customer's messages (by order and by address) and opt-out go with their data. */
export async function eraseNotificationsOfCustomer(tx: Tx, shopId: string, orderIds: string[], emails: string[]): Promise<number> {
  let erased = 0;
  for (let i = 0; i < orderIds.length; i += 200) {
    const chunk = orderIds.slice(i, i + 200);
    erased += (await tx.run(`DELETE FROM "Notification" WHERE "shopId" = ? AND "orderId" IN (${marks(chunk.length)})`, shopId, ...chunk)).changes;
  }
  const lower = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  for (let i = 0; i < lower.length; i += 200) {
    const chunk = lower.slice(i, i + 200);
    erased += (await tx.run(`DELETE FROM "Notification" WHERE "shopId" = ? AND LOWER("recipient") IN (${marks(chunk.length)})`, shopId, ...chunk)).changes;
    await tx.run(`DELETE FROM "NotificationOptOut" WHERE "shopId" = ? AND "email" IN (${marks(chunk.length)})`, shopId, ...chunk);
  }
  return erased;
}

/** The RMAs return notices are about (ADR 0036). */
export async function returnsForNotices(q: Queryable, shopId: string, ids: string[]): Promise<{ id: string; orderId: string; number: string }[]> {
  if (ids.length === 0) return [];
  return q.all<{ id: string; orderId: string; number: string }>(`SELECT "id","orderId","number" FROM "ReturnRequest" WHERE "shopId" = ? AND "id" IN (${marks(ids.length)})`, shopId, ...ids);
}
