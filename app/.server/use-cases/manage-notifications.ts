import { z } from "zod";
import { DEFAULT_TEMPLATES } from "~/domain/notifications/default-templates";
import { isKind, isLanguage, KIND_LABELS, LANGUAGES, NOTIFICATION_KINDS, type Language } from "~/domain/notifications/kinds";
import { normalizeEmail, recipientOf } from "~/domain/notifications/plan";
import { templateProblems } from "~/domain/notifications/render";
import { database } from "../db/database";
import {
  addOptOut, deleteNotificationTemplate, listOptOuts, notificationCounts, notificationSettings, notificationTemplates, recentNotifications, removeOptOut,
  retryFailedNotification, saveNotificationSettings, saveNotificationTemplate,
} from "../db/notifications-sql";
import { env } from "../env";
import { AppError } from "../errors";

// The Notifications page (ADR 0024): what was sent, the templates, the settings and the opt-outs.

/** Everything the page shows. */
export async function readNotificationsPage(shopId: string) {
  const db = database();
  const [settings, counts, recent, overrides, optOuts] = await Promise.all([
    notificationSettings(db, shopId), notificationCounts(db, shopId), recentNotifications(db, shopId, 50), notificationTemplates(db, shopId), listOptOuts(db, shopId),
  ]);
  return {
    sendingOn: Boolean(env().SMTP_URL),
    settings: { confirmationEnabled: settings?.confirmationEnabled ?? false, language: (settings && isLanguage(settings.language) ? settings.language : "en") as Language },
    counts,
    recent: recent.map((r) => ({ id: r.id, orderId: r.orderId, kind: r.kind, status: r.status, recipient: r.recipient, subject: r.subject, attempts: r.attempts, lastError: r.lastError, createdAt: r.createdAt, sentAt: r.sentAt, nextAttemptAt: r.nextAttemptAt })),
    templates: NOTIFICATION_KINDS.flatMap((kind) => LANGUAGES.map((language) => {
      const own = overrides.find((t) => t.kind === kind && t.language === language);
      return { kind, label: KIND_LABELS[kind], language, custom: Boolean(own), subject: own?.subject ?? DEFAULT_TEMPLATES[kind][language].subject, body: own?.body ?? DEFAULT_TEMPLATES[kind][language].body };
    })),
    optOuts,
  };
}

const invalid = (message: string) => new AppError("invalid_data", "NOTIFICATIONS.INVALID", message);

const settingsForm = z.object({ confirmationEnabled: z.enum(["on", "off"]), language: z.string() });

export async function updateNotificationSettings(shopId: string, form: Record<string, unknown>): Promise<void> {
  const parsed = settingsForm.safeParse(form);
  if (!parsed.success) throw invalid("confirmationEnabled must be on or off");
  if (!isLanguage(parsed.data.language)) throw invalid(`language must be one of ${LANGUAGES.join(", ")}`);
  const language = parsed.data.language;
  await database().transaction((tx) => saveNotificationSettings(tx, shopId, { confirmationEnabled: parsed.data.confirmationEnabled === "on", language }));
}

/** The shop's own wording of a kind in a language; refused whole, with every problem, when it names unknown variables. */
export async function saveTemplate(shopId: string, form: { kind: unknown; language: unknown; subject: unknown; body: unknown }): Promise<void> {
  const { kind, language } = form;
  if (!isKind(kind)) throw invalid(`kind must be one of ${NOTIFICATION_KINDS.join(", ")}`);
  if (!isLanguage(language)) throw invalid(`language must be one of ${LANGUAGES.join(", ")}`);
  const template = { subject: String(form.subject ?? ""), body: String(form.body ?? "").replace(/\r\n?/g, "\n") };
  const problems = templateProblems(kind, template);
  if (problems.length) throw invalid(problems.join("; "));
  await database().transaction((tx) => saveNotificationTemplate(tx, shopId, { kind, language, ...template }));
}

export async function resetTemplate(shopId: string, kind: unknown, language: unknown): Promise<void> {
  if (!isKind(kind) || !isLanguage(language)) throw invalid("unknown template");
  await database().transaction((tx) => deleteNotificationTemplate(tx, shopId, kind, language));
}

function email(value: unknown): string {
  const e = recipientOf(typeof value === "string" ? value : null);
  if (!e) throw invalid("enter one e-mail address, like ana@example.com");
  return normalizeEmail(e);
}

export async function optOutCustomer(shopId: string, address: unknown): Promise<void> {
  const e = email(address);
  await database().transaction((tx) => addOptOut(tx, shopId, e));
}

export async function optInCustomer(shopId: string, address: unknown): Promise<void> {
  const e = email(address);
  await database().transaction((tx) => removeOptOut(tx, shopId, e));
}

export async function retryNotification(shopId: string, id: unknown): Promise<void> {
  if (typeof id !== "string" || id === "") throw invalid("no message named");
  const retried = await database().transaction((tx) => retryFailedNotification(tx, shopId, id, new Date()));
  if (!retried) throw new AppError("not_found", "NOTIFICATIONS.NOT_FAILED", "No failed message with this id in this shop");
}
