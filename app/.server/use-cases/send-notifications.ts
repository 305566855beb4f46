import { isKind, isLanguage } from "~/domain/notifications/kinds";
import { normalizeEmail } from "~/domain/notifications/plan";
import { afterFailure, DEFAULT_RETRY, type RetryPolicy } from "~/domain/notifications/retry";
import { offersUnsubscribe, withUnsubscribe } from "~/domain/notifications/unsubscribe";
import { database } from "../db/database";
import { claimNotification, dueNotifications, markNotificationAttemptFailed, markNotificationSent, optedOutAmong } from "../db/notifications-sql";
import { findShopById } from "../db/shops";
import { env } from "../env";
import type { Mailer } from "../notifications/smtp-mailer";
import { unsubscribeLinks } from "../notifications/unsubscribe-token";

// Sending the shop's due notifications (ADR 0024). Each row is claimed first (compare-and-set: pending and due →
// sending, its attempt counted), then handed to the SMTP server, then marked sent; a refusal or an unreachable
// server puts it back to pending with a backoff (failed after the last attempt). Two senders never both claim a
// row. A sender that dies between claim and mark leaves the row `sending`: it is claimed again after the lease.
// A non-essential notice (ADR 0038) leaves with an unsubscribe footer and RFC 8058's List-Unsubscribe headers; one
// whose recipient unsubscribed after it was queued is not sent (failed, saying why).

/** The lastError of a non-essential notice not sent because its recipient unsubscribed meanwhile. */
export const UNSUBSCRIBED_ERROR = "Not sent: the customer unsubscribed from non-essential e-mails";

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
    const kind = isKind(row.kind) ? row.kind : null;
    const courtesy = kind !== null && offersUnsubscribe(kind);
    if (courtesy && (await optedOutAmong(db, shopId, [normalizeEmail(row.recipient)])).size > 0) {
      await db.transaction((tx) => markNotificationAttemptFailed(tx, shopId, row.id, claimedAt, { status: "failed" }, UNSUBSCRIBED_ERROR));
      outcome.failed += 1;
      continue;
    }
    const parts = kind === null
      ? { text: row.bodyText, html: row.bodyHtml, headers: {} }
      : withUnsubscribe(kind, isLanguage(row.language) ? row.language : "en", { text: row.bodyText, html: row.bodyHtml },
        courtesy ? unsubscribeLinks(env().SHOPIFY_API_SECRET, env().SHOPIFY_APP_URL, shop.domain, normalizeEmail(row.recipient)) : null);
    try {
      await opts.mailer.send({ from, to: row.recipient, subject: row.subject, text: parts.text, html: parts.html, headers: parts.headers, messageId: `<notification-${row.id}@${shop.domain}>` });
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
