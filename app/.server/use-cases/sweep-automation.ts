import { AUTOMATION_ACTIONS, planAutomation, type OrderFacts } from "~/domain/integrations/events";
import { advanceAutomationCursor, automationEvents, ensureAutomationCursor, insertDeliveries, listEndpoints, orderAutomationFacts, type NewDelivery } from "../db/automation-sql";
import { database } from "../db/database";
import { sqlTime } from "../db/ids";
import { findShopById } from "../db/shops";
import { SWEEP_LOOKBACK_MS } from "./sweep-notifications";

// The audit trail turned into outgoing webhooks and Flow triggers (ADR 0031), the notifications' shape (ADR 0024):
// the shop's events since its cursor (read again from a little before it, so an event whose transaction committed
// late is still seen), the facts of their orders, a pure plan of the deliveries they call for, stored in the outbox
// under their natural keys — a second read, or a second sweep running at the same time, adds nothing.

const PAGE = 500;

export interface AutomationSweepOutcome {
  events: number;
  added: number;
}

export async function sweepAutomation(shopId: string, opts: { now?: Date; lookbackMs?: number } = {}): Promise<AutomationSweepOutcome> {
  const db = database();
  const now = opts.now ?? new Date();
  const shop = await findShopById(db, shopId);
  if (!shop) return { events: 0, added: 0 };
  const cursor = await db.transaction((tx) => ensureAutomationCursor(tx, shopId, now));
  const lookedBack = sqlTime(new Date(new Date(cursor.cursorAt).getTime() - (opts.lookbackMs ?? SWEEP_LOOKBACK_MS)));
  const from = lookedBack > cursor.sinceAt ? lookedBack : cursor.sinceAt;
  const upTo = sqlTime(now);
  const endpoints = (await listEndpoints(db, shopId)).map((e) => ({ id: e.id, topics: e.topics, since: e.createdAt }));
  const outcome: AutomationSweepOutcome = { events: 0, added: 0 };
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const events = await automationEvents(db, shopId, AUTOMATION_ACTIONS, { from, upTo, after }, PAGE);
    if (events.length === 0) break;
    outcome.events += events.length;
    after = { at: events[events.length - 1].createdAt, id: events[events.length - 1].id };
    const orders = new Map<string, OrderFacts>((await orderAutomationFacts(db, shopId, [...new Set(events.map((e) => e.subjectId))])).map((o) => [o.id, o]));
    const planned = planAutomation({ shopDomain: shop.domain, events: events.map((e) => ({ ...e, data: parseData(e.data) })), orders, endpoints });
    const rows: NewDelivery[] = planned.map((p) => ({ ...p, payload: JSON.stringify(p.payload) }));
    if (rows.length) outcome.added += await db.transaction((tx) => insertDeliveries(tx, shopId, rows, now));
    if (events.length < PAGE) break;
  }
  await db.transaction((tx) => advanceAutomationCursor(tx, shopId, upTo));
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
