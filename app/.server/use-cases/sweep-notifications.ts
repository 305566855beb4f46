import { isLanguage, type Language } from "~/domain/notifications/kinds";
import { NOTIFYING_ACTIONS, RETURN_NOTIFYING_ACTIONS, normalizeEmail, planNotifications, recipientOf, shipmentIdOfFulfillment, templateFor, type OrderFacts, type ReturnNoticeFacts, type ShipmentFacts } from "~/domain/notifications/plan";
import { DEFAULT_TEMPLATES } from "~/domain/notifications/default-templates";
import { renderTemplate } from "~/domain/notifications/render";
import { database } from "../db/database";
import { sqlTime } from "../db/ids";
import {
  advanceNotificationCursor, ensureNotificationSettings, existingNotificationKeys, insertNotifications, notificationTemplates, notifyingEvents, optedOutAmong,
  orderNoticeFacts, returnsForNotices, shipmentsForNotices, type NewNotification,
} from "../db/notifications-sql";
import { findShopById } from "../db/shops";
import { env } from "../env";
import { portalLabelPath } from "../portal/portal-tokens";

// Turning the audit trail into customer e-mails (ADR 0024), so the order pipeline does not change: the shop's
// order events since its cursor (read again from a little before it: an event written in a transaction that
// committed late is still seen), the facts of their orders, a pure plan of which notices they call for, each
// rendered with the shop's template and stored in the outbox under its natural key (a second read adds nothing).

/** How far before the cursor each sweep reads again (longer than any transaction that writes order events). */
export const SWEEP_LOOKBACK_MS = 120_000;
const PAGE = 500;

export interface SweepOutcome {
  events: number;
  added: number;
}

export async function sweepNotifications(shopId: string, opts: { now?: Date; lookbackMs?: number } = {}): Promise<SweepOutcome> {
  const db = database();
  const now = opts.now ?? new Date();
  const shop = await findShopById(db, shopId);
  if (!shop) return { events: 0, added: 0 };
  const settings = await db.transaction((tx) => ensureNotificationSettings(tx, shopId, now));
  const language: Language = isLanguage(settings.language) ? settings.language : "en";
  const lookedBack = sqlTime(new Date(new Date(settings.cursorAt).getTime() - (opts.lookbackMs ?? SWEEP_LOOKBACK_MS)));
  const from = lookedBack > settings.sinceAt ? lookedBack : settings.sinceAt;
  const upTo = sqlTime(now);
  const overrides = await notificationTemplates(db, shopId);
  const outcome: SweepOutcome = { events: 0, added: 0 };
  // Order events (subject order), then the returns core's (subject return: the order is in the event's data).
  for (const [subjectType, actions] of [["order", NOTIFYING_ACTIONS], ["return", RETURN_NOTIFYING_ACTIONS]] as const) {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const events = await notifyingEvents(db, shopId, actions, { from, upTo, after }, PAGE, subjectType);
      if (events.length === 0) break;
      outcome.events += events.length;
      after = { at: events[events.length - 1].createdAt, id: events[events.length - 1].id };
      const parsed = events.map((e) => {
        const data = parseData(e.data);
        return subjectType === "order" ? { action: e.action, orderId: e.subjectId, data } : { action: e.action, orderId: typeof data.orderId === "string" ? data.orderId : "", returnId: e.subjectId, data };
      });
      const returnIds = [...new Set(parsed.map((e) => e.returnId).filter((id): id is string => id !== undefined))];
      // The label link works through the shop's app proxy (/apps/orders) and issues the label when first opened.
      const returns = new Map<string, ReturnNoticeFacts>((await returnsForNotices(db, shopId, returnIds)).map((r) => [r.id, {
        ...r, labelUrl: `https://${shop.domain}${portalLabelPath(env().SHOPIFY_API_SECRET, shop.domain, "/apps/orders", r.number)}`,
      }]));
      const orderRows = await orderNoticeFacts(db, shopId, [...new Set(parsed.map((e) => e.orderId))]);
      const orders = new Map<string, OrderFacts>(orderRows.map((o) => [o.id, {
        id: o.id, name: o.name, email: o.email, customerName: o.customerName, channelKind: o.channelKind, redacted: o.redactedAt !== null,
        cancelled: o.cancelledAt !== null || o.status === "cancelled", shipFromLocations: o.shipFromLocations, backorderExpectedAt: o.backorderExpectedAt,
      }]));
      const shipmentIds = parsed.map((e) => shipmentIdOfFulfillment(e.data.fulfillment)).filter((id): id is string => id !== null);
      const shipments = new Map<string, ShipmentFacts>((await shipmentsForNotices(db, shopId, [...new Set(shipmentIds)])).map((s) => [s.id, s]));
      const emails = [...new Set(orderRows.map((o) => recipientOf(o.email)).filter((e): e is string => e !== null).map(normalizeEmail))];
      const optedOut = await optedOutAmong(db, shopId, emails);
      const drafts = planNotifications({ shopName: shop.name, settings: { confirmationEnabled: settings.confirmationEnabled, language }, events: parsed, orders, shipments, optedOut, returns });
      const existing = await existingNotificationKeys(db, shopId, drafts.map((d) => d.key));
      const rows: NewNotification[] = [];
      for (const d of drafts.filter((x) => !existing.has(x.key))) {
        let rendered = renderTemplate(d.kind, templateFor(d.kind, d.language, overrides), d.values);
        if (!rendered.ok) rendered = renderTemplate(d.kind, DEFAULT_TEMPLATES[d.kind][d.language], d.values); // a stored template no longer valid: the default
        if (!rendered.ok) throw new Error(`The default ${d.kind} template (${d.language}) does not render: ${rendered.problems.join("; ")}`);
        rows.push({ orderId: d.orderId, kind: d.kind, key: d.key, recipient: d.recipient, language: d.language, subject: rendered.message.subject, bodyText: rendered.message.text, bodyHtml: rendered.message.html });
      }
      if (rows.length) outcome.added += await db.transaction((tx) => insertNotifications(tx, shopId, rows, now));
      if (events.length < PAGE) break;
    }
  }
  await db.transaction((tx) => advanceNotificationCursor(tx, shopId, upTo));
  return outcome;
}

function parseData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
