import { configuredMailer } from "../notifications/smtp-mailer";
import { sendDueNotifications, type SendOutcome } from "./send-notifications";
import { sweepNotifications, type SweepOutcome } from "./sweep-notifications";

/** The notify-customers job (ADR 0024): new notices from the audit trail into the outbox, then what is due sent (when SMTP_URL is set). */
export async function notifyCustomers(shopId: string): Promise<{ swept: SweepOutcome; sent: SendOutcome | null }> {
  const swept = await sweepNotifications(shopId);
  const mailer = configuredMailer();
  const sent = mailer ? await sendDueNotifications(shopId, { mailer }) : null;
  return { swept, sent };
}
