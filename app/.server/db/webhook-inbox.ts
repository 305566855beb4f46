import { standingOf, webhookIntake, type ShopStanding } from "~/domain/shops/shop-lifecycle";
import { trimmedPayload, type InboxFailure, type TrimReason } from "~/domain/webhooks/inbox-policy";
import { database } from "./database";
import type { Queryable, Tx } from "./engine/types";
import { fromSqlTime, newId, sqlTime } from "./ids";

// The durable idempotency guard for webhooks: one row per (shop, X-Shopify-Event-Id).

export interface InboxEntry {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  payload: string | Buffer; // the raw body, byte-exact (bytes are stored as UTF-8 text without decoding in JS)
}

/**
 * new: stored as `received` (to process), `held` (a domain not installed yet) or `ignored` (a shop not
 * installed: the row without its body). dropped: a redacted shop's webhook, stored nowhere.
 */
export type RecordOutcome =
  | { kind: "new"; id: string; status: "received" | "held" | "ignored" }
  | { kind: "duplicate"; id: string; status: string; failure: InboxFailure | null }
  | { kind: "dropped"; id: null };

const INSERT = `INSERT INTO "WebhookInbox" ("id","shopDomain","topic","eventId","webhookId","apiVersion","triggeredAt","payload","status","attempts","receivedAt","payloadTrimmedAt")
  VALUES (?,?,?,?,?,?,?,CAST(? AS TEXT),?,0,?,?) ON CONFLICT ("shopDomain","eventId") DO NOTHING`;
const EXISTING = `SELECT "id","status","failure" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`;
const SHOP_STATUS = `SELECT "status" FROM "Shop" WHERE "domain" = ?`;

/** Where the shop of a domain stands (no row: unknown). */
export async function shopStanding(q: Queryable, shopDomain: string): Promise<ShopStanding> {
  return standingOf((await q.get<{ status: string }>(SHOP_STATUS, shopDomain))?.status);
}

/**
 * One read of the shop's standing and one insert on the hot path; a duplicate costs the failed insert and
 * one indexed read. What is stored follows the shop's lifecycle (app/domain/shops/shop-lifecycle.ts).
 * SQLite: deliveries that arrive in the same tick share one commit (group commit), ahead of background work;
 * PostgreSQL: the statements run on their own, without BEGIN…COMMIT around them (two round trips fewer), the
 * insert committing by itself. Either way the caller resolves only once its row is durable, so the 200 still
 * means "stored". The read and the insert need not be atomic: a shop whose standing changes in between is
 * settled again by the job, which reads the standing afresh (processWebhook).
 */
export function recordWebhook(entry: InboxEntry): Promise<RecordOutcome> {
  const db = database();
  if (db.dialect === "postgres") return recordIn(db, entry);
  return db.transaction((tx) => recordIn(tx, entry), { urgent: true }); // Shopify waits for the 200
}

async function recordIn(q: Queryable, entry: InboxEntry): Promise<RecordOutcome> {
  const intake = webhookIntake(await shopStanding(q, entry.shopDomain), entry.topic);
  if (intake === "drop") return { kind: "dropped", id: null };
  const status = intake === "process" ? "received" : intake === "hold" ? "held" : "ignored";
  const id = newId();
  const now = sqlTime();
  const triggered = entry.triggeredAt ? sqlTime(entry.triggeredAt) : null;
  const payload = status === "ignored" ? trimmedPayload("not_taken_in") : entry.payload;
  const { changes } = await q.run(INSERT, id, entry.shopDomain, entry.topic, entry.eventId, entry.webhookId, entry.apiVersion ?? null, triggered, payload, status, now, status === "ignored" ? now : null);
  if (changes === 1) return { kind: "new", id, status };
  const existing = (await q.get<{ id: string; status: string; failure: InboxFailure | null }>(EXISTING, entry.shopDomain, entry.eventId))!;
  return { kind: "duplicate", id: existing.id, status: existing.status, failure: existing.failure };
}

export interface InboxRow {
  id: string;
  shopDomain: string;
  topic: string;
  eventId: string;
  status: string;
  payload: string;
  triggeredAt: Date | null;
  attempts: number;
  /** The shop's lifecycle status now (null: no Shop row). */
  shopStatus: string | null;
  payloadTrimmed: boolean;
}

/** By id and domain: the job carries both (a row id alone would let one shop's job read another's row). */
export async function findInboxEntry(q: Queryable, shopDomain: string, id: string): Promise<InboxRow | null> {
  const row = await q.get<Omit<InboxRow, "triggeredAt" | "payloadTrimmed"> & { triggeredAt: string | null; payloadTrimmedAt: string | null }>(`SELECT i."id",i."shopDomain",i."topic",i."eventId",i."status",i."payload",i."triggeredAt",i."attempts",i."payloadTrimmedAt",s."status" AS "shopStatus"
    FROM "WebhookInbox" i LEFT JOIN "Shop" s ON s."domain" = i."shopDomain" WHERE i."shopDomain" = ? AND i."id" = ?`, shopDomain, id);
  if (!row) return null;
  const { payloadTrimmedAt, ...rest } = row;
  return { ...rest, triggeredAt: fromSqlTime(row.triggeredAt), payloadTrimmed: payloadTrimmedAt !== null };
}

/** Done. `trim`: the body is not kept past processing (a compliance request, a redacted customer's order). No-op when the row is gone. */
export async function markInbox(shopDomain: string, id: string, status: "processed", opts: { trim?: TrimReason } = {}): Promise<void> {
  const now = sqlTime();
  await database().transaction(async (tx) => {
    await tx.run(`UPDATE "WebhookInbox" SET "status" = ?, "error" = NULL, "failure" = NULL, "nextAttemptAt" = NULL, "attempts" = "attempts" + 1, "processedAt" = ? WHERE "shopDomain" = ? AND "id" = ?`, status, now, shopDomain, id);
    if (opts.trim) await trimPayload(tx, shopDomain, id, opts.trim, now);
  });
}

/**
 * Done, inside the handler's own transaction: the work and the mark commit together (one commit instead of
 * two, and a crash can no longer leave the work done and the row unmarked). No-op when the row is gone.
 */
export async function markInboxProcessedInTx(tx: Tx, shopDomain: string, id: string, trim?: TrimReason): Promise<void> {
  const now = sqlTime();
  await tx.run(`UPDATE "WebhookInbox" SET "status" = 'processed', "error" = NULL, "failure" = NULL, "nextAttemptAt" = NULL, "attempts" = "attempts" + 1, "processedAt" = ? WHERE "shopDomain" = ? AND "id" = ?`, now, shopDomain, id);
  if (trim) await trimPayload(tx, shopDomain, id, trim, now);
}

/** A failed run: terminal failures are never retried; transient ones are retried by the sweep from `retryAt`. */
export async function markInboxFailed(shopDomain: string, id: string, error: string, failure: InboxFailure, retryAt: Date | null): Promise<void> {
  await database().run(
    `UPDATE "WebhookInbox" SET "status" = 'failed', "error" = ?, "failure" = ?, "nextAttemptAt" = ?, "attempts" = "attempts" + 1, "processedAt" = NULL WHERE "shopDomain" = ? AND "id" = ?`,
    error,
    failure,
    failure === "transient" && retryAt ? sqlTime(retryAt) : null,
    shopDomain,
    id,
  );
}

/**
 * A webhook whose shop does not take it in (any more): `hold` keeps it for an install, `ignore` keeps the
 * row without its body, `drop` deletes it (a redacted shop).
 */
export async function settleNotTakenIn(shopDomain: string, id: string, intake: "hold" | "ignore" | "drop"): Promise<void> {
  await database().transaction(async (tx) => {
    if (intake === "drop") await tx.run(`DELETE FROM "WebhookInbox" WHERE "shopDomain" = ? AND "id" = ?`, shopDomain, id);
    else if (intake === "hold") await tx.run(`UPDATE "WebhookInbox" SET "status" = 'held' WHERE "shopDomain" = ? AND "id" = ?`, shopDomain, id);
    else {
      await tx.run(`UPDATE "WebhookInbox" SET "status" = 'ignored' WHERE "shopDomain" = ? AND "id" = ?`, shopDomain, id);
      await trimPayload(tx, shopDomain, id, "not_taken_in", sqlTime());
    }
  });
}

async function trimPayload(tx: Tx, shopDomain: string, id: string, reason: TrimReason, now: string): Promise<void> {
  await tx.run(`UPDATE "WebhookInbox" SET "payload" = ?, "payloadTrimmedAt" = ? WHERE "shopDomain" = ? AND "id" = ?`, trimmedPayload(reason), now, shopDomain, id);
}

/** On install: the domain's held webhooks become ordinary received ones; returns them for enqueueing. */
export async function releaseHeldWebhooks(tx: Tx, shopDomain: string): Promise<{ id: string; eventId: string }[]> {
  const held = await tx.all<{ id: string; eventId: string }>(`SELECT "id","eventId" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'held' ORDER BY "receivedAt"`, shopDomain);
  await tx.run(`UPDATE "WebhookInbox" SET "status" = 'received' WHERE "shopDomain" = ? AND "status" = 'held'`, shopDomain);
  return held;
}

/** app/uninstalled before the merchant ever opened the app: what was held for the install goes. */
export async function deleteHeldWebhooks(q: Queryable, shopDomain: string): Promise<number> {
  return (await q.run(`DELETE FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'held'`, shopDomain)).changes;
}

// The worker's sweep and the retention rule. Maintenance across shops (like the reconciliation tick's list
// of shops): each statement is bounded by a LIMIT and read through an index.

export interface SweepRow {
  id: string;
  shopDomain: string;
  eventId: string;
}

/** Recorded but never processed (a crash between inbox and queue, a lost in-process queue, a job failed without running). */
export async function stuckWebhooksAcrossShops(q: Queryable, olderThan: Date, limit: number): Promise<SweepRow[]> {
  return q.all<SweepRow>(`SELECT "id","shopDomain","eventId" FROM "WebhookInbox" WHERE "status" = 'received' AND "receivedAt" < ? ORDER BY "receivedAt" LIMIT ?`, sqlTime(olderThan), limit);
}

/**
 * Webhooks held for a domain that is installed by now (its install released them but the process died
 * before enqueueing, or the shop was created by another path): released, returned for enqueueing.
 */
export async function heldForInstalledShopsAcrossShops(tx: Tx, limit: number): Promise<SweepRow[]> {
  const rows = await tx.all<SweepRow>(`SELECT i."id",i."shopDomain",i."eventId" FROM "WebhookInbox" i JOIN "Shop" s ON s."domain" = i."shopDomain" WHERE i."status" = 'held' AND s."status" = 'installed' LIMIT ?`, limit);
  for (const row of rows) await tx.run(`UPDATE "WebhookInbox" SET "status" = 'received' WHERE "shopDomain" = ? AND "id" = ? AND "status" = 'held'`, row.shopDomain, row.id);
  return rows;
}

/** Transient failures whose next attempt is due and that have runs left. */
export async function dueRetriesAcrossShops(q: Queryable, now: Date, maxAttempts: number, limit: number): Promise<SweepRow[]> {
  return q.all<SweepRow>(`SELECT "id","shopDomain","eventId" FROM "WebhookInbox" WHERE "status" = 'failed' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ?) AND "failure" = 'transient' AND "attempts" < ? ORDER BY "nextAttemptAt" LIMIT ?`, sqlTime(now), maxAttempts, limit);
}

export interface RetentionResult {
  trimmed: number;
  heldDeleted: number;
  rowsDeleted: number;
}

/**
 * Bodies past retention are replaced by a marker (the row stays for idempotency on its event id), except
 * rows still to process; webhooks held for a domain that never installed are deleted; trimmed rows past the
 * row retention are deleted.
 */
export async function applyInboxRetentionAcrossShops(now: Date, policy: { payloadRetentionMs: number; heldRetentionMs: number; rowRetentionMs: number }, limit: number): Promise<RetentionResult> {
  const at = (ms: number) => sqlTime(new Date(now.getTime() - ms));
  const marker = trimmedPayload("retention");
  return database().transaction(async (tx) => {
    const trimmed = (await tx.run(`UPDATE "WebhookInbox" SET "payload" = ?, "payloadTrimmedAt" = ? WHERE "id" IN (
      SELECT "id" FROM "WebhookInbox" WHERE "payloadTrimmedAt" IS NULL AND "receivedAt" < ? AND "status" NOT IN ('received','held') LIMIT ?)`, marker, sqlTime(now), at(policy.payloadRetentionMs), limit)).changes;
    const heldDeleted = (await tx.run(`DELETE FROM "WebhookInbox" WHERE "id" IN (SELECT "id" FROM "WebhookInbox" WHERE "status" = 'held' AND "receivedAt" < ? LIMIT ?)`, at(policy.heldRetentionMs), limit)).changes;
    // Trimmed at least (row − payload retention) ago: a bounded range of the index; then exactly by receipt.
    const rowsDeleted = (await tx.run(`DELETE FROM "WebhookInbox" WHERE "id" IN (
      SELECT "id" FROM "WebhookInbox" WHERE "payloadTrimmedAt" < ? AND "receivedAt" < ? LIMIT ?)`, at(Math.max(0, policy.rowRetentionMs - policy.payloadRetentionMs)), at(policy.rowRetentionMs), limit)).changes;
    return { trimmed, heldDeleted, rowsDeleted };
  });
}

/** Seconds the oldest unprocessed webhook of a shop has waited (0 when the inbox is drained). */
export async function inboxLagSeconds(q: Queryable, shopDomain: string, now = new Date()): Promise<number> {
  const oldest = await q.get<{ at: string | null }>(`SELECT MIN("receivedAt") AS "at" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'received'`, shopDomain);
  return oldest?.at ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest.at)) / 1000)) : 0;
}
