import nodemailer from "nodemailer";
import { env } from "../env";

// The way customer notifications leave (ADR 0024): nodemailer over SMTP, to the server SMTP_URL names. Unset: null,
// and nothing is sent (rows wait as pending).

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the outbox row, so a receiver can tell a resend of the same message. */
  messageId: string;
  /** Extra headers (List-Unsubscribe and List-Unsubscribe-Post on a non-essential notice, ADR 0038). */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** A mailer for an smtp:// or smtps:// URL (credentials in the URL); each send opens its own connection. */
export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
  return {
    async send(mail) {
      await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId, headers: mail.headers });
    },
    close() {
      transport.close();
    },
  };
}

let cached: { url: string; mailer: Mailer } | undefined;

/** The process's mailer for SMTP_URL, or null when sending is off. */
export function configuredMailer(): Mailer | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  if (cached?.url !== url) {
    cached?.mailer.close();
    cached = { url, mailer: smtpMailer(url) };
  }
  return cached.mailer;
}
