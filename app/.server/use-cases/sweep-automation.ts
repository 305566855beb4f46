import { AUTOMATION_ACTIONS, planAutomation, planInventoryChanges, subjectsOf, type EndpointView, type OrderFacts, type PlannedDelivery, type SkuFacts } from "~/domain/integrations/events";
import {
  advanceAutomationCursor, advanceAutomationLedgerCursor, automationEvents, automationLedgerCursor, ensureAutomationCursor, insertDeliveries, lastLedgerId,
  ledgerEntriesAfter, listEndpoints, locationNames, orderAutomationFacts, skuAutomationFacts, type NewDelivery,
} from "../db/automation-sql";
import { database } from "../db/database";
import { fromSqlTime, sqlTime } from "../db/ids";
import { findShopById } from "../db/shops";
import { SWEEP_LOOKBACK_MS } from "./sweep-notifications";

// The audit trail turned into outgoing webhooks and Flow triggers (ADR 0031), the notifications' shape (ADR 0024):
// the shop's events since its cursor (read again from a little before it, so an event whose transaction committed
// late is still seen), the facts of their orders, a pure plan of the deliveries they call for, stored in the outbox
// under their natural keys — a second read, or a second sweep running at the same time, adds nothing.

const PAGE = 500;
/** Ledger entries read per page (inventory.changed). */
const LEDGER_PAGE = 1_000;
/**
 * PostgreSQL commits out of id order: a ledger entry numbered below one already read may still be in flight. The
 * ledger cursor stays this far behind the newest entries there, so they are read again (a delivery planned before
 * adds nothing: the outbox key) — the channel stock sync's rule (sync-channel-stock.ts).
 */
const PG_LEDGER_GRACE_MS = 2_000;

export interface AutomationSweepOutcome {
  events: number;
  /** Outbox rows added (inventory.changed from the stock ledger included). */
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
    const read = events.map((e) => ({ ...e, data: parseData(e.data) }));
    const { orderIds, variantIds } = subjectsOf(read);
    const orders = new Map<string, OrderFacts>((await orderAutomationFacts(db, shopId, orderIds)).map((o) => [o.id, o]));
    const skus = new Map<string, SkuFacts>((await skuAutomationFacts(db, shopId, variantIds)).map((v) => [v.variantId, v]));
    const planned = planAutomation({ shopDomain: shop.domain, events: read, orders, skus, endpoints });
    const rows: NewDelivery[] = planned.map((p) => ({ ...p, payload: JSON.stringify(p.payload) }));
    if (rows.length) outcome.added += await db.transaction((tx) => insertDeliveries(tx, shopId, rows, now));
    if (events.length < PAGE) break;
  }
  await db.transaction((tx) => advanceAutomationCursor(tx, shopId, upTo));
  outcome.added += (await sweepLedger(shopId, shop.domain, endpoints, now)).added;
  return outcome;
}

/**
 * inventory.changed: the shop's stock ledger past the sweep's ledger cursor (started at the ledger's end: nothing from
 * before is sent), one delivery per entry per subscribed endpoint. With no endpoint subscribed the cursor just moves
 * to the end — an endpoint registered later gets only entries from its registration on anyway.
 */
async function sweepLedger(shopId: string, shopDomain: string, endpoints: EndpointView[], now: Date): Promise<{ read: number; added: number }> {
  const db = database();
  const subscribed = endpoints.filter((e) => e.topics.includes("inventory.changed"));
  const stored = await automationLedgerCursor(db, shopId);
  if (stored === null || subscribed.length === 0) {
    const end = await lastLedgerId(db, shopId);
    // (A PostgreSQL entry still in flight below the end is older than any endpoint that could want it.)
    if (stored === null || end > stored) await db.transaction((tx) => advanceAutomationLedgerCursor(tx, shopId, end));
    return { read: 0, added: 0 };
  }
  let cursor: number = stored;
  const graceMs = db.dialect === "postgres" ? PG_LEDGER_GRACE_MS : 0;
  const result = { read: 0, added: 0 };
  for (;;) {
    const entries = await ledgerEntriesAfter(db, shopId, cursor, LEDGER_PAGE);
    if (entries.length === 0) break;
    result.read += entries.length;
    const variantIds = [...new Set(entries.map((e) => e.variantId))];
    const skus = new Map<string, SkuFacts>((await skuAutomationFacts(db, shopId, variantIds)).map((v) => [v.variantId, v]));
    const locations = await locationNames(db, shopId, [...new Set(entries.map((e) => e.locationId))]);
    const planned: PlannedDelivery[] = planInventoryChanges({ shopDomain, entries, skus, locations, endpoints: subscribed });
    const settled = entries.filter((e) => now.getTime() - (fromSqlTime(e.createdAt)?.getTime() ?? 0) >= graceMs);
    const next: number = settled.length > 0 ? settled[settled.length - 1].id : cursor;
    const rows: NewDelivery[] = planned.map((p) => ({ ...p, payload: JSON.stringify(p.payload) }));
    result.added += await db.transaction(async (tx) => {
      const added = rows.length ? await insertDeliveries(tx, shopId, rows, now) : 0;
      if (next > cursor) await advanceAutomationLedgerCursor(tx, shopId, next);
      return added;
    });
    if (entries.length < LEDGER_PAGE || next === cursor) break;
    cursor = next;
  }
  return result;
}

function parseData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
