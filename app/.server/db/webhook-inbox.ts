import type { WebhookInbox } from "@prisma/client";
import { db } from "./client";
import { grouped } from "./group-commit";
import { fromSqlTime, newId, sql, sqlTime, stmt } from "./sql";

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

export type RecordOutcome = { kind: "new"; id: string } | { kind: "duplicate"; id: string; status: string };

const INSERT = `INSERT INTO "WebhookInbox" ("id","shopDomain","topic","eventId","webhookId","apiVersion","triggeredAt","payload","status","attempts","receivedAt")
  VALUES (?,?,?,?,?,?,?,CAST(? AS TEXT),'received',0,?) ON CONFLICT ("shopDomain","eventId") DO NOTHING`;
const EXISTING = `SELECT "id","status" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "eventId" = ?`;

/**
 * One insert on the hot path; a duplicate costs the failed insert and one indexed read. Deliveries that
 * arrive in the same tick share one commit (group commit), and each caller resolves only once its row is
 * durable — so the 200 still means "stored".
 */
export function recordWebhook(entry: InboxEntry): Promise<RecordOutcome> {
  const conn = sql();
  return grouped(conn, () => {
    const id = newId();
    const triggered = entry.triggeredAt ? sqlTime(entry.triggeredAt) : null;
    const { changes } = stmt(conn, INSERT).run(id, entry.shopDomain, entry.topic, entry.eventId, entry.webhookId, entry.apiVersion ?? null, triggered, entry.payload, sqlTime());
    if (changes === 1) return { kind: "new", id } as const;
    const existing = stmt(conn, EXISTING).get(entry.shopDomain, entry.eventId) as { id: string; status: string };
    return { kind: "duplicate", id: existing.id, status: existing.status } as const;
  });
}

export type InboxRow = Pick<WebhookInbox, "id" | "shopDomain" | "topic" | "eventId" | "status" | "payload" | "triggeredAt">;

export async function findInboxEntry(id: string): Promise<InboxRow | null> {
  const row = stmt(sql(), `SELECT "id","shopDomain","topic","eventId","status","payload","triggeredAt" FROM "WebhookInbox" WHERE "id" = ?`).get(id) as (Omit<InboxRow, "triggeredAt"> & { triggeredAt: string | null }) | undefined;
  return row ? { ...row, triggeredAt: fromSqlTime(row.triggeredAt) } : null;
}

/** No-op when the row is gone (shop/redact deletes a shop's inbox). */
export async function markInbox(id: string, status: "processed" | "failed", error?: string): Promise<void> {
  const conn = sql();
  await grouped(conn, () => stmt(conn, `UPDATE "WebhookInbox" SET "status" = ?, "error" = ?, "attempts" = "attempts" + 1, "processedAt" = ? WHERE "id" = ?`).run(
    status,
    error ?? null,
    status === "processed" ? sqlTime() : null,
    id,
  ));
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
