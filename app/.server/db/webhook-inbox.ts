import type { WebhookInbox } from "@prisma/client";
import { standingOf, webhookIntake, type ShopStanding } from "~/domain/shops/shop-lifecycle";
import { trimmedPayload, type InboxFailure, type TrimReason } from "~/domain/webhooks/inbox-policy";
import { db } from "./client";
import { grouped } from "./group-commit";
import { fromSqlTime, immediate, newId, sql, sqlTime, stmt, type Sql } from "./sql";

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
export function shopStanding(conn: Sql, shopDomain: string): ShopStanding {
  return standingOf((stmt(conn, SHOP_STATUS).get(shopDomain) as { status: string } | undefined)?.status);
}

/**
 * One read of the shop's standing and one insert on the hot path; a duplicate costs the failed insert and
 * one indexed read. What is stored follows the shop's lifecycle (app/domain/shops/shop-lifecycle.ts).
 * Deliveries that arrive in the same tick share one commit (group commit), and each caller resolves only
 * once its row is durable — so the 200 still means "stored".
 */
export function recordWebhook(entry: InboxEntry): Promise<RecordOutcome> {
  const conn = sql();
  return grouped(conn, (): RecordOutcome => {
    const intake = webhookIntake(shopStanding(conn, entry.shopDomain), entry.topic);
    if (intake === "drop") return { kind: "dropped", id: null };
    const status = intake === "process" ? "received" : intake === "hold" ? "held" : "ignored";
    const id = newId();
    const now = sqlTime();
    const triggered = entry.triggeredAt ? sqlTime(entry.triggeredAt) : null;
    const payload = status === "ignored" ? trimmedPayload("not_taken_in") : entry.payload;
    const { changes } = stmt(conn, INSERT).run(id, entry.shopDomain, entry.topic, entry.eventId, entry.webhookId, entry.apiVersion ?? null, triggered, payload, status, now, status === "ignored" ? now : null);
    if (changes === 1) return { kind: "new", id, status };
    const existing = stmt(conn, EXISTING).get(entry.shopDomain, entry.eventId) as { id: string; status: string; failure: InboxFailure | null };
    return { kind: "duplicate", id: existing.id, status: existing.status, failure: existing.failure };
  });
}

export type InboxRow = Pick<WebhookInbox, "id" | "shopDomain" | "topic" | "eventId" | "status" | "payload" | "triggeredAt" | "attempts"> & {
  /** The shop's lifecycle status now (null: no Shop row). */
  shopStatus: string | null;
  payloadTrimmed: boolean;
};

export async function findInboxEntry(id: string): Promise<InboxRow | null> {
  const row = stmt(sql(), `SELECT i."id",i."shopDomain",i."topic",i."eventId",i."status",i."payload",i."triggeredAt",i."attempts",i."payloadTrimmedAt",s."status" AS "shopStatus"
    FROM "WebhookInbox" i LEFT JOIN "Shop" s ON s."domain" = i."shopDomain" WHERE i."id" = ?`).get(id) as
    | (Omit<InboxRow, "triggeredAt" | "payloadTrimmed"> & { triggeredAt: string | null; payloadTrimmedAt: string | null })
    | undefined;
  if (!row) return null;
  const { payloadTrimmedAt, ...rest } = row;
  return { ...rest, triggeredAt: fromSqlTime(row.triggeredAt), payloadTrimmed: payloadTrimmedAt !== null };
}

/** Done. `trim`: the body is not kept past processing (a compliance request, a redacted customer's order). No-op when the row is gone. */
export async function markInbox(id: string, status: "processed", opts: { trim?: TrimReason } = {}): Promise<void> {
  const conn = sql();
  const now = sqlTime();
  await grouped(conn, () => {
    stmt(conn, `UPDATE "WebhookInbox" SET "status" = ?, "error" = NULL, "failure" = NULL, "nextAttemptAt" = NULL, "attempts" = "attempts" + 1, "processedAt" = ? WHERE "id" = ?`).run(status, now, id);
    if (opts.trim) trimPayload(conn, id, opts.trim, now);
  });
}

/** A failed run: terminal failures are never retried; transient ones are retried by the sweep from `retryAt`. */
export async function markInboxFailed(id: string, error: string, failure: InboxFailure, retryAt: Date | null): Promise<void> {
  const conn = sql();
  await grouped(conn, () => stmt(conn, `UPDATE "WebhookInbox" SET "status" = 'failed', "error" = ?, "failure" = ?, "nextAttemptAt" = ?, "attempts" = "attempts" + 1, "processedAt" = NULL WHERE "id" = ?`).run(
    error,
    failure,
    failure === "transient" && retryAt ? sqlTime(retryAt) : null,
    id,
  ));
}

/**
 * A webhook whose shop does not take it in (any more): `hold` keeps it for an install, `ignore` keeps the
 * row without its body, `drop` deletes it (a redacted shop).
 */
export async function settleNotTakenIn(id: string, intake: "hold" | "ignore" | "drop"): Promise<void> {
  const conn = sql();
  await grouped(conn, () => {
    if (intake === "drop") stmt(conn, `DELETE FROM "WebhookInbox" WHERE "id" = ?`).run(id);
    else if (intake === "hold") stmt(conn, `UPDATE "WebhookInbox" SET "status" = 'held' WHERE "id" = ?`).run(id);
    else {
      stmt(conn, `UPDATE "WebhookInbox" SET "status" = 'ignored' WHERE "id" = ?`).run(id);
      trimPayload(conn, id, "not_taken_in", sqlTime());
    }
  });
}

function trimPayload(conn: Sql, id: string, reason: TrimReason, now: string): void {
  stmt(conn, `UPDATE "WebhookInbox" SET "payload" = ?, "payloadTrimmedAt" = ? WHERE "id" = ?`).run(trimmedPayload(reason), now, id);
}

/** On install: the domain's held webhooks become ordinary received ones; returns them for enqueueing. */
export function releaseHeldWebhooks(conn: Sql, shopDomain: string): { id: string; eventId: string }[] {
  const held = stmt(conn, `SELECT "id","eventId" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'held' ORDER BY "receivedAt"`).all(shopDomain) as { id: string; eventId: string }[];
  stmt(conn, `UPDATE "WebhookInbox" SET "status" = 'received' WHERE "shopDomain" = ? AND "status" = 'held'`).run(shopDomain);
  return held;
}

/** app/uninstalled before the merchant ever opened the app: what was held for the install goes. */
export function deleteHeldWebhooks(conn: Sql, shopDomain: string): number {
  return stmt(conn, `DELETE FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" = 'held'`).run(shopDomain).changes;
}

// The worker's sweep and the retention rule. Maintenance across shops (like the reconciliation tick's list
// of shops): each statement is bounded by a LIMIT and read through an index.

export interface SweepRow {
  id: string;
  shopDomain: string;
  eventId: string;
}

/** Recorded but never processed (a crash between inbox and queue, a lost in-process queue, a job failed without running). */
export function stuckWebhooks(conn: Sql, olderThan: Date, limit: number): SweepRow[] {
  return stmt(conn, `SELECT "id","shopDomain","eventId" FROM "WebhookInbox" WHERE "status" = 'received' AND "receivedAt" < ? ORDER BY "receivedAt" LIMIT ?`).all(sqlTime(olderThan), limit) as SweepRow[];
}

/**
 * Webhooks held for a domain that is installed by now (its install released them but the process died
 * before enqueueing, or the shop was created by another path): released, returned for enqueueing.
 */
export function heldForInstalledShops(conn: Sql, limit: number): SweepRow[] {
  const rows = stmt(conn, `SELECT i."id",i."shopDomain",i."eventId" FROM "WebhookInbox" i JOIN "Shop" s ON s."domain" = i."shopDomain" WHERE i."status" = 'held' AND s."status" = 'installed' LIMIT ?`).all(limit) as SweepRow[];
  for (const row of rows) stmt(conn, `UPDATE "WebhookInbox" SET "status" = 'received' WHERE "shopDomain" = ? AND "id" = ? AND "status" = 'held'`).run(row.shopDomain, row.id);
  return rows;
}

/** Transient failures whose next attempt is due and that have runs left. */
export function dueRetries(conn: Sql, now: Date, maxAttempts: number, limit: number): SweepRow[] {
  return stmt(conn, `SELECT "id","shopDomain","eventId" FROM "WebhookInbox" WHERE "status" = 'failed' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ?) AND "failure" = 'transient' AND "attempts" < ? ORDER BY "nextAttemptAt" LIMIT ?`).all(sqlTime(now), maxAttempts, limit) as SweepRow[];
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
export function applyInboxRetention(conn: Sql, now: Date, policy: { payloadRetentionMs: number; heldRetentionMs: number; rowRetentionMs: number }, limit: number): Promise<RetentionResult> {
  const at = (ms: number) => sqlTime(new Date(now.getTime() - ms));
  const marker = trimmedPayload("retention");
  return immediate(conn, () => {
    const trimmed = stmt(conn, `UPDATE "WebhookInbox" SET "payload" = ?, "payloadTrimmedAt" = ? WHERE "id" IN (
      SELECT "id" FROM "WebhookInbox" WHERE "payloadTrimmedAt" IS NULL AND "receivedAt" < ? AND "status" NOT IN ('received','held') LIMIT ?)`).run(marker, sqlTime(now), at(policy.payloadRetentionMs), limit).changes;
    const heldDeleted = stmt(conn, `DELETE FROM "WebhookInbox" WHERE "id" IN (SELECT "id" FROM "WebhookInbox" WHERE "status" = 'held' AND "receivedAt" < ? LIMIT ?)`).run(at(policy.heldRetentionMs), limit).changes;
    // Trimmed at least (row − payload retention) ago: a bounded range of the index; then exactly by receipt.
    const rowsDeleted = stmt(conn, `DELETE FROM "WebhookInbox" WHERE "id" IN (
      SELECT "id" FROM "WebhookInbox" WHERE "payloadTrimmedAt" < ? AND "receivedAt" < ? LIMIT ?)`).run(at(Math.max(0, policy.rowRetentionMs - policy.payloadRetentionMs)), at(policy.rowRetentionMs), limit).changes;
    return { trimmed, heldDeleted, rowsDeleted };
  });
}

/** Seconds the oldest unprocessed webhook of a shop has waited (0 when the inbox is drained). */
export async function inboxLagSeconds(shopDomain: string, now = new Date()): Promise<number> {
  const oldest = await db().webhookInbox.findFirst({
    where: { shopDomain, status: "received" },
    orderBy: { receivedAt: "asc" },
    select: { receivedAt: true },
  });
  return oldest ? Math.max(0, Math.round((now.getTime() - oldest.receivedAt.getTime()) / 1000)) : 0;
}
