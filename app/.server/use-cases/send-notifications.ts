import { afterFailure, DEFAULT_RETRY, type RetryPolicy } from "~/domain/notifications/retry";
import { database } from "../db/database";
import { claimNotification, dueNotifications, markNotificationAttemptFailed, markNotificationSent } from "../db/notifications-sql";
import { findShopById } from "../db/shops";
import { env } from "../env";
import type { Mailer } from "../notifications/smtp-mailer";

// Sending the shop's due notifications (ADR 0024). Each row is claimed first (compare-and-set: pending and due →
// sending, its attempt counted), then handed to the SMTP server, then marked sent; a refusal or an unreachable
// server puts it back to pending with a backoff (failed after the last attempt). Two senders never both claim a
// row. A sender that dies between claim and mark leaves the row `sending`: it is claimed again after the lease.

/** How long a claim holds before another sender may take the row (a sender that died mid-send). */
export const CLAIM_LEASE_MS = 10 * 60_000;

export interface SendOutcome {
  sent: number;
  retrying: number;
  failed: number;
}

/** Send what is due for the shop now, up to `limit` messages. */
export async function sendDueNotifications(shopId: string, opts: { mailer: Mailer; now?: () => Date; limit?: number; policy?: RetryPolicy }): Promise<SendOutcome> {
  const db = database();
  const clock = opts.now ?? (() => new Date());
  const shop = await findShopById(db, shopId);
  if (!shop) return { sent: 0, retrying: 0, failed: 0 };
  const from = env().NOTIFY_FROM ?? `${JSON.stringify(shop.name.replace(/[\r\n"\\]/g, " "))} <no-reply@${shop.domain}>`;
  const outcome: SendOutcome = { sent: 0, retrying: 0, failed: 0 };
  const started = clock();
  for (const row of await dueNotifications(db, shopId, started, new Date(started.getTime() - CLAIM_LEASE_MS), opts.limit ?? 100)) {
    const claimedAt = clock();
    const claimed = await db.transaction((tx) => claimNotification(tx, shopId, row.id, claimedAt, new Date(claimedAt.getTime() - CLAIM_LEASE_MS)));
    if (!claimed) continue; // another sender has it, or it was sent meanwhile
    try {
      await opts.mailer.send({ from, to: row.recipient, subject: row.subject, text: row.bodyText, html: row.bodyHtml, messageId: `<notification-${row.id}@${shop.domain}>` });
    } catch (error) {
      const next = afterFailure(row.attempts + 1, clock(), opts.policy ?? DEFAULT_RETRY);
      await db.transaction((tx) => markNotificationAttemptFailed(tx, shopId, row.id, claimedAt, next, (error as Error).message || String(error)));
      if (next.status === "failed") outcome.failed += 1;
      else outcome.retrying += 1;
      continue;
    }
    await db.transaction((tx) => markNotificationSent(tx, shopId, row.id, claimedAt, clock()));
    outcome.sent += 1;
  }
  return outcome;
}
