import type { WebhookInbox } from "@prisma/client";
import { isUniqueViolation } from "../errors";
import { db } from "./client";

// The durable idempotency guard for webhooks: one row per (shop, X-Shopify-Event-Id).

export interface InboxEntry {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  payload: string; // the raw body, byte-exact
}

export type RecordOutcome = { kind: "new"; id: string } | { kind: "duplicate"; id: string; status: string };

export async function recordWebhook(entry: InboxEntry): Promise<RecordOutcome> {
  try {
    const row = await db().webhookInbox.create({ data: entry, select: { id: true } });
    return { kind: "new", id: row.id };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await db().webhookInbox.findUniqueOrThrow({
      where: { shopDomain_eventId: { shopDomain: entry.shopDomain, eventId: entry.eventId } },
      select: { id: true, status: true },
    });
    return { kind: "duplicate", id: existing.id, status: existing.status };
  }
}

export async function findInboxEntry(id: string): Promise<WebhookInbox | null> {
  return db().webhookInbox.findUnique({ where: { id } });
}

/** No-op when the row is gone (shop/redact deletes a shop's inbox). */
export async function markInbox(id: string, status: "processed" | "failed", error?: string): Promise<void> {
  await db().webhookInbox.updateMany({
    where: { id },
    data: { status, error: error ?? null, attempts: { increment: 1 }, processedAt: status === "processed" ? new Date() : null },
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

export async function deleteInboxForShop(shopDomain: string): Promise<number> {
  const { count } = await db().webhookInbox.deleteMany({ where: { shopDomain } });
  return count;
}
