import type { LedgerEntryIn, OrderFacts, SkuFacts } from "~/domain/integrations/events";
import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Webhook-driven automation (ADR 0031): the sweep's cursor, the merchant's webhook endpoints, the outbox of webhook
// deliveries and Flow triggers, and the Flow action runs acted on. Every statement takes the shop.

const iso = (value: string | Date) => sqlTime(new Date(value));
const isoOrNull = (value: string | Date | null) => (value === null ? null : iso(value));

// ---- the sweep's cursor -------------------------------------------------------------------------------------------

/** The shop's cursor, made on first use: nothing that happened before `now` is ever sent. */
export async function ensureAutomationCursor(tx: Tx, shopId: string, now: Date): Promise<{ sinceAt: string; cursorAt: string }> {
  const at = sqlTime(now);
  await tx.run(`INSERT INTO "AutomationCursor" ("shopId","sinceAt","cursorAt","updatedAt") VALUES (?,?,?,?) ON CONFLICT ("shopId") DO NOTHING`, shopId, at, at, at);
  const row = (await tx.get<{ sinceAt: string; cursorAt: string }>(`SELECT "sinceAt","cursorAt" FROM "AutomationCursor" WHERE "shopId" = ?`, shopId))!;
  return { sinceAt: iso(row.sinceAt), cursorAt: iso(row.cursorAt) };
}

/** Moves the cursor forward (never back). */
export async function advanceAutomationCursor(tx: Tx, shopId: string, cursorAt: string): Promise<void> {
  await tx.run(`UPDATE "AutomationCursor" SET "cursorAt" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "cursorAt" < ?`, cursorAt, cursorAt, shopId, cursorAt);
}

export interface AutomationEventRow {
  id: string;
  action: string;
  subjectType: string | null;
  subjectId: string;
  data: string;
  createdAt: string;
}

/** Audit events of these actions from `from` (inclusive) to `upTo` (exclusive), after `after` in (createdAt, id) order. */
export async function automationEvents(q: Queryable, shopId: string, actions: readonly string[], range: { from: string; upTo: string; after: { at: string; id: string } | null }, limit: number): Promise<AutomationEventRow[]> {
  const rows = await q.all<AutomationEventRow>(
    `SELECT "id","action","subjectType","subjectId","data","createdAt" FROM "AuditEvent"
     WHERE "shopId" = ? AND "createdAt" >= ? AND "createdAt" < ? AND "subjectId" IS NOT NULL AND "action" IN (${marks(actions.length)})
       ${range.after ? `AND ("createdAt" > ? OR ("createdAt" = ? AND "id" > ?))` : ""}
     ORDER BY "createdAt", "id" LIMIT ?`,
    shopId, range.from, range.upTo, ...actions, ...(range.after ? [range.after.at, range.after.at, range.after.id] : []), limit,
  );
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

/** What the events' payloads say about these orders: channel, status, where they ship from, the landed cost. */
export async function orderAutomationFacts(q: Queryable, shopId: string, orderIds: string[]): Promise<OrderFacts[]> {
  if (orderIds.length === 0) return [];
  const orders = await q.all<{ id: string; name: string; channelKind: string; externalId: string; status: string; currency: string; landedCostMinor: number | string | null; unitsBackordered: number | string | null }>(
    `SELECT o."id", o."name", c."kind" AS "channelKind", o."externalId", o."status", o."currency",
       (SELECT d."totalCostMinor" FROM "RoutingDecision" d WHERE d."shopId" = o."shopId" AND d."orderId" = o."id" ORDER BY d."createdAt" DESC, d."id" DESC LIMIT 1) AS "landedCostMinor",
       (SELECT SUM(a."quantity") FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = o."shopId" AND l."orderId" = o."id" AND a."status" = 'backordered') AS "unitsBackordered"
     FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId"
     WHERE o."shopId" = ? AND o."id" IN (${marks(orderIds.length)}) AND o."redactedAt" IS NULL`,
    shopId, ...orderIds,
  );
  const places = await q.all<{ orderId: string; id: string; name: string }>(
    `SELECT DISTINCT l."orderId", loc."id", loc."name" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Location" loc ON loc."id" = a."locationId"
     WHERE l."shopId" = ? AND l."orderId" IN (${marks(orderIds.length)}) AND a."status" IN ('reserved','fulfilled')`,
    shopId, ...orderIds,
  );
  return orders.map((o) => ({
    ...o,
    landedCostMinor: o.landedCostMinor === null ? null : Number(o.landedCostMinor),
    unitsBackordered: Number(o.unitsBackordered ?? 0),
    locations: places.filter((p) => p.orderId === o.id).map((p) => ({ id: p.id, name: p.name })).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/** What SKU events' payloads say about these variants: the SKU, and the Shopify product it belongs to. */
export async function skuAutomationFacts(q: Queryable, shopId: string, variantIds: string[]): Promise<SkuFacts[]> {
  if (variantIds.length === 0) return [];
  return q.all<SkuFacts>(
    `SELECT v."id" AS "variantId", v."sku", v."title", p."externalId" AS "productExternalId", p."title" AS "productTitle"
     FROM "Variant" v JOIN "Product" p ON p."id" = v."productId" WHERE v."shopId" = ? AND v."id" IN (${marks(variantIds.length)})`,
    shopId, ...variantIds,
  );
}

// ---- the stock ledger (inventory.changed) --------------------------------------------------------------------------

/** Where the sweep has read the ledger to; null: not started. */
export async function automationLedgerCursor(q: Queryable, shopId: string): Promise<number | null> {
  const row = await q.get<{ ledgerId: number | string | null }>(`SELECT "ledgerId" FROM "AutomationCursor" WHERE "shopId" = ?`, shopId);
  return row?.ledgerId === null || row?.ledgerId === undefined ? null : Number(row.ledgerId);
}

/** Moves the ledger cursor forward (never back); from null it is set. */
export async function advanceAutomationLedgerCursor(tx: Tx, shopId: string, ledgerId: number): Promise<void> {
  await tx.run(`UPDATE "AutomationCursor" SET "ledgerId" = ? WHERE "shopId" = ? AND ("ledgerId" IS NULL OR "ledgerId" < ?)`, ledgerId, shopId, ledgerId);
}

/** The shop's newest ledger entry (0: none). */
export async function lastLedgerId(q: Queryable, shopId: string): Promise<number> {
  return Number((await q.get<{ id: number | string | null }>(`SELECT MAX("id") AS "id" FROM "InventoryLedgerEntry" WHERE "shopId" = ?`, shopId))?.id ?? 0);
}

/** Ledger entries after `afterId`, in id order. */
export async function ledgerEntriesAfter(q: Queryable, shopId: string, afterId: number, limit: number): Promise<LedgerEntryIn[]> {
  const rows = await q.all<LedgerEntryIn>(
    `SELECT "id","variantId","locationId","bucket","delta","reason","refType","refId","createdAt" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "id" > ? ORDER BY "id" LIMIT ?`,
    shopId, afterId, limit,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), delta: Number(r.delta), createdAt: iso(r.createdAt) }));
}

/** The shop's location names by id. */
export async function locationNames(q: Queryable, shopId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.all<{ id: string; name: string }>(`SELECT "id","name" FROM "Location" WHERE "shopId" = ? AND "id" IN (${marks(ids.length)})`, shopId, ...ids);
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ---- webhook endpoints --------------------------------------------------------------------------------------------

export interface EndpointRow {
  id: string;
  url: string;
  topics: string[];
  secretSealed: string;
  status: "active" | "paused";
  consecutiveFailures: number;
  failingSinceAt: string | null;
  pausedAt: string | null;
  pausedReason: string | null;
  createdAt: string;
}

type RawEndpoint = Omit<EndpointRow, "topics"> & { topics: string };
const ENDPOINT_COLUMNS = `"id","url","topics","secretSealed","status","consecutiveFailures","failingSinceAt","pausedAt","pausedReason","createdAt"`;
const endpointOf = (r: RawEndpoint): EndpointRow => ({
  ...r, topics: JSON.parse(r.topics) as string[], consecutiveFailures: Number(r.consecutiveFailures),
  failingSinceAt: isoOrNull(r.failingSinceAt), pausedAt: isoOrNull(r.pausedAt), createdAt: iso(r.createdAt),
});

export async function listEndpoints(q: Queryable, shopId: string): Promise<EndpointRow[]> {
  return (await q.all<RawEndpoint>(`SELECT ${ENDPOINT_COLUMNS} FROM "WebhookEndpoint" WHERE "shopId" = ? ORDER BY "createdAt", "id"`, shopId)).map(endpointOf);
}

export async function findEndpoint(q: Queryable, shopId: string, id: string): Promise<EndpointRow | undefined> {
  const row = await q.get<RawEndpoint>(`SELECT ${ENDPOINT_COLUMNS} FROM "WebhookEndpoint" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
  return row ? endpointOf(row) : undefined;
}

/** `id` is made by the caller (the secret is sealed for it). */
export async function insertEndpoint(tx: Tx, shopId: string, e: { id: string; url: string; topics: string[]; secretSealed: string }, now: Date): Promise<void> {
  const id = e.id;
  await tx.run(`INSERT INTO "WebhookEndpoint" ("id","shopId","url","topics","secretSealed","status","createdAt","updatedAt") VALUES (?,?,?,?,?,'active',?,?)`, id, shopId, e.url, JSON.stringify(e.topics), e.secretSealed, sqlTime(now), sqlTime(now));
}

export async function updateEndpoint(tx: Tx, shopId: string, id: string, e: { url?: string; topics?: string[] }, now: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "WebhookEndpoint" SET "url" = COALESCE(?, "url"), "topics" = COALESCE(?, "topics"), "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`,
    e.url ?? null, e.topics ? JSON.stringify(e.topics) : null, sqlTime(now), shopId, id,
  );
  return changes === 1;
}

export async function deleteEndpoint(tx: Tx, shopId: string, id: string): Promise<boolean> {
  return (await tx.run(`DELETE FROM "WebhookEndpoint" WHERE "shopId" = ? AND "id" = ?`, shopId, id)).changes === 1;
}

/** A success: the failure record starts again. */
export async function recordEndpointSuccess(tx: Tx, shopId: string, id: string): Promise<void> {
  await tx.run(`UPDATE "WebhookEndpoint" SET "consecutiveFailures" = 0, "failingSinceAt" = NULL WHERE "shopId" = ? AND "id" = ? AND ("consecutiveFailures" > 0 OR "failingSinceAt" IS NOT NULL)`, shopId, id);
}

/** A failed attempt counted; returns the record after it. */
export async function recordEndpointFailure(tx: Tx, shopId: string, id: string, now: Date): Promise<{ consecutiveFailures: number; failingSince: Date | null; status: string } | undefined> {
  await tx.run(`UPDATE "WebhookEndpoint" SET "consecutiveFailures" = "consecutiveFailures" + 1, "failingSinceAt" = COALESCE("failingSinceAt", ?) WHERE "shopId" = ? AND "id" = ?`, sqlTime(now), shopId, id);
  const row = await findEndpoint(tx, shopId, id);
  return row && { consecutiveFailures: row.consecutiveFailures, failingSince: row.failingSinceAt ? new Date(row.failingSinceAt) : null, status: row.status };
}

/** Paused (compare-and-set: true only for the call that paused it). */
export async function pauseEndpoint(tx: Tx, shopId: string, id: string, reason: string, now: Date): Promise<boolean> {
  return (await tx.run(`UPDATE "WebhookEndpoint" SET "status" = 'paused', "pausedAt" = ?, "pausedReason" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = 'active'`, sqlTime(now), reason.slice(0, 300), sqlTime(now), shopId, id)).changes === 1;
}

/** Active again, its waiting deliveries due now. */
export async function resumeEndpoint(tx: Tx, shopId: string, id: string, now: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "WebhookEndpoint" SET "status" = 'active', "pausedAt" = NULL, "pausedReason" = NULL, "consecutiveFailures" = 0, "failingSinceAt" = NULL, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = 'paused'`,
    sqlTime(now), shopId, id,
  );
  if (changes === 1) await tx.run(`UPDATE "AutomationDelivery" SET "nextAttemptAt" = ? WHERE "shopId" = ? AND "endpointId" = ? AND "status" = 'pending'`, sqlTime(now), shopId, id);
  return changes === 1;
}

// ---- the outbox ---------------------------------------------------------------------------------------------------

export interface NewDelivery {
  key: string;
  target: "webhook" | "flow";
  endpointId: string | null;
  lane: string;
  eventId: string;
  topic: string;
  resource: string;
  occurredAt: string;
  rank: number;
  payload: string;
}

/** Adds what is not there yet (the natural key decides); returns how many were added. */
export async function insertDeliveries(tx: Tx, shopId: string, rows: NewDelivery[], now: Date): Promise<number> {
  let added = 0;
  const at = sqlTime(now);
  for (const r of rows) {
    added += (await tx.run(
      `INSERT INTO "AutomationDelivery" ("id","shopId","key","target","endpointId","lane","eventId","topic","resource","occurredAt","rank","payload","status","attempts","nextAttemptAt","createdAt")
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'pending',0,?,?) ON CONFLICT ("shopId","key") DO NOTHING`,
      newId(), shopId, r.key, r.target, r.endpointId, r.lane, r.eventId, r.topic, r.resource, r.occurredAt, r.rank, r.payload, at, at,
    )).changes;
  }
  return added;
}

export interface DeliveryRow {
  id: string;
  key: string;
  target: "webhook" | "flow";
  endpointId: string | null;
  lane: string;
  eventId: string;
  topic: string;
  resource: string;
  occurredAt: string;
  rank: number;
  payload: string;
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  claimedAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

const DELIVERY_COLUMNS = `d."id",d."key",d."target",d."endpointId",d."lane",d."eventId",d."topic",d."resource",d."occurredAt",d."rank",d."payload",d."status",d."attempts",d."lastStatusCode",d."lastError",d."nextAttemptAt",d."claimedAt",d."sentAt",d."createdAt"`;
const deliveryOf = (r: DeliveryRow): DeliveryRow => ({
  ...r, rank: Number(r.rank), attempts: Number(r.attempts), lastStatusCode: r.lastStatusCode === null ? null : Number(r.lastStatusCode),
  occurredAt: iso(r.occurredAt), nextAttemptAt: iso(r.nextAttemptAt), claimedAt: isoOrNull(r.claimedAt), sentAt: isoOrNull(r.sentAt), createdAt: iso(r.createdAt),
});

// Due: pending and due (or claimed so long ago that its sender died), its endpoint (if any) active, and no earlier
// row of its lane and resource still unsent — deliveries about one order reach each receiver in order.
const DUE = `(((d."status" = 'pending' AND d."nextAttemptAt" <= ?) OR (d."status" = 'sending' AND d."claimedAt" < ?))
  AND (d."endpointId" IS NULL OR EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."shopId" = d."shopId" AND e."id" = d."endpointId" AND e."status" = 'active'))
  AND NOT EXISTS (SELECT 1 FROM "AutomationDelivery" p WHERE p."shopId" = d."shopId" AND p."lane" = d."lane" AND p."resource" = d."resource"
    AND p."status" IN ('pending','sending') AND p."id" <> d."id"
    AND (p."occurredAt" < d."occurredAt" OR (p."occurredAt" = d."occurredAt" AND (p."rank" < d."rank" OR (p."rank" = d."rank" AND p."eventId" < d."eventId"))))))`;

export async function dueDeliveries(q: Queryable, shopId: string, now: Date, staleBefore: Date, limit: number): Promise<DeliveryRow[]> {
  const rows = await q.all<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM "AutomationDelivery" d WHERE d."shopId" = ? AND ${DUE} ORDER BY d."occurredAt", d."rank", d."eventId" LIMIT ?`,
    shopId, sqlTime(now), sqlTime(staleBefore), limit,
  );
  return rows.map(deliveryOf);
}

/**
 * Compare-and-set: the row becomes this sender's (status sending, attempt counted) only if it is still due. The
 * row's own state is tested in the UPDATE's WHERE (PostgreSQL tests it again on the row as committed by a sender that
 * got there first, so two senders never both claim it); the endpoint and the earlier rows in a subquery.
 */
export async function claimDelivery(tx: Tx, shopId: string, id: string, now: Date, staleBefore: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "AutomationDelivery" SET "status" = 'sending', "claimedAt" = ?, "attempts" = "attempts" + 1
     WHERE "shopId" = ? AND "id" = ? AND (("status" = 'pending' AND "nextAttemptAt" <= ?) OR ("status" = 'sending' AND "claimedAt" < ?))
       AND "id" IN (SELECT d."id" FROM "AutomationDelivery" d WHERE d."shopId" = ? AND d."id" = ? AND ${DUE})`,
    sqlTime(now), shopId, id, sqlTime(now), sqlTime(staleBefore), shopId, id, sqlTime(now), sqlTime(staleBefore),
  );
  return changes === 1;
}

export async function markDeliverySent(tx: Tx, shopId: string, id: string, claimedAt: Date, now: Date, statusCode: number | null): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "AutomationDelivery" SET "status" = 'sent', "sentAt" = ?, "lastStatusCode" = ?, "lastError" = NULL, "claimedAt" = NULL WHERE "shopId" = ? AND "id" = ? AND "status" = 'sending' AND "claimedAt" = ?`,
    sqlTime(now), statusCode, shopId, id, sqlTime(claimedAt),
  );
  return changes === 1;
}

export async function markDeliveryFailed(tx: Tx, shopId: string, id: string, claimedAt: Date, outcome: { status: "pending"; nextAttemptAt: Date } | { status: "failed" }, statusCode: number | null, error: string): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "AutomationDelivery" SET "status" = ?, "lastStatusCode" = ?, "lastError" = ?, "nextAttemptAt" = COALESCE(?, "nextAttemptAt"), "claimedAt" = NULL
     WHERE "shopId" = ? AND "id" = ? AND "status" = 'sending' AND "claimedAt" = ?`,
    outcome.status, statusCode, error.slice(0, 500), outcome.status === "pending" ? sqlTime(outcome.nextAttemptAt) : null, shopId, id, sqlTime(claimedAt),
  );
  return changes === 1;
}

/** The merchant's Resend: a sent or failed webhook delivery goes again (same event id), due now, attempts counted afresh. */
export async function resendDelivery(tx: Tx, shopId: string, id: string, now: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "AutomationDelivery" SET "status" = 'pending', "attempts" = 0, "nextAttemptAt" = ?, "createdAt" = ?, "sentAt" = NULL WHERE "shopId" = ? AND "id" = ? AND "target" = 'webhook' AND "status" IN ('sent','failed')`,
    sqlTime(now), sqlTime(now), shopId, id,
  );
  return changes === 1;
}

export async function findDelivery(q: Queryable, shopId: string, id: string): Promise<DeliveryRow | undefined> {
  const row = await q.get<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM "AutomationDelivery" d WHERE d."shopId" = ? AND d."id" = ?`, shopId, id);
  return row ? deliveryOf(row) : undefined;
}

export async function recentDeliveries(q: Queryable, shopId: string, opts: { endpointId?: string; limit: number }): Promise<DeliveryRow[]> {
  const rows = await q.all<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM "AutomationDelivery" d WHERE d."shopId" = ? ${opts.endpointId ? `AND d."endpointId" = ?` : ""} ORDER BY d."createdAt" DESC, d."id" DESC LIMIT ?`,
    shopId, ...(opts.endpointId ? [opts.endpointId] : []), opts.limit,
  );
  return rows.map(deliveryOf);
}

// ---- Flow action runs ---------------------------------------------------------------------------------------------

export interface FlowActionRunRow {
  handle: string;
  outcome: "running" | "done" | "refused";
  result: string;
  createdAt: string;
}

export async function findFlowActionRun(q: Queryable, shopId: string, actionRunId: string): Promise<FlowActionRunRow | undefined> {
  const row = await q.get<FlowActionRunRow>(`SELECT "handle","outcome","result","createdAt" FROM "FlowActionRun" WHERE "shopId" = ? AND "actionRunId" = ?`, shopId, actionRunId);
  return row && { ...row, createdAt: iso(row.createdAt) };
}

/**
 * Claims the run for this request (compare-and-set): a new run, or one claimed before `staleBefore` by a request
 * that never finished. False when another request has it or it is finished.
 */
export async function claimFlowActionRun(tx: Tx, shopId: string, actionRunId: string, handle: string, now: Date, staleBefore: Date): Promise<boolean> {
  const inserted = await tx.run(
    `INSERT INTO "FlowActionRun" ("shopId","actionRunId","handle","outcome","result","createdAt") VALUES (?,?,?,'running','{}',?) ON CONFLICT ("shopId","actionRunId") DO NOTHING`,
    shopId, actionRunId, handle, sqlTime(now),
  );
  if (inserted.changes === 1) return true;
  const { changes } = await tx.run(
    `UPDATE "FlowActionRun" SET "createdAt" = ? WHERE "shopId" = ? AND "actionRunId" = ? AND "outcome" = 'running' AND "createdAt" < ?`,
    sqlTime(now), shopId, actionRunId, sqlTime(staleBefore),
  );
  return changes === 1;
}

export async function finishFlowActionRun(tx: Tx, shopId: string, actionRunId: string, outcome: "done" | "refused", result: string): Promise<void> {
  await tx.run(`UPDATE "FlowActionRun" SET "outcome" = ?, "result" = ? WHERE "shopId" = ? AND "actionRunId" = ?`, outcome, result, shopId, actionRunId);
}

/** A run whose action threw (a fault, not a refusal): released so Flow's retry acts again. */
export async function releaseFlowActionRun(tx: Tx, shopId: string, actionRunId: string): Promise<void> {
  await tx.run(`DELETE FROM "FlowActionRun" WHERE "shopId" = ? AND "actionRunId" = ? AND "outcome" = 'running'`, shopId, actionRunId);
}

/** Our order for Shopify's order id (numeric, or its gid) in the shop's Shopify channel. */
export async function orderIdForShopifyOrder(q: Queryable, shopId: string, shopifyOrderId: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>(
    `SELECT o."id" FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" WHERE o."shopId" = ? AND c."kind" = 'shopify' AND o."externalId" = ? ORDER BY o."createdAt" LIMIT 1`,
    shopId, shopifyOrderId,
  ))?.id;
}

/** Locations matching what a merchant typed: our id, Shopify's id (numeric or gid), or the name (case-insensitive). */
export async function locationsMatching(q: Queryable, shopId: string, text: string): Promise<{ id: string; name: string }[]> {
  const t = text.trim();
  const legacy = /^gid:\/\/shopify\/Location\/(\d+)$/.exec(t)?.[1] ?? t;
  return q.all(`SELECT "id","name" FROM "Location" WHERE "shopId" = ? AND ("id" = ? OR "externalId" = ? OR "externalId" = ? OR LOWER("name") = LOWER(?)) ORDER BY "name", "id"`, shopId, t, legacy, t, t);
}

// ---- the channel buffer watch (stock under a channel's buffer) -----------------------------------------------------

/** The variants of this channel last seen at or under its buffer (a variant with no row was never seen there). */
export async function variantsUnderBuffer(q: Queryable, shopId: string, channelId: string, variantIds: string[]): Promise<Set<string>> {
  if (variantIds.length === 0) return new Set();
  const rows = await q.all<{ variantId: string }>(
    `SELECT "variantId" FROM "ChannelBufferWatch" WHERE "shopId" = ? AND "channelId" = ? AND "below" = 1 AND "variantId" IN (${marks(variantIds.length)})`,
    shopId, channelId, ...variantIds,
  );
  return new Set(rows.map((r) => r.variantId));
}

/**
 * The SKU crossed down to its buffer (compare-and-set on the watch row: only the call that flips it gets its crossing
 * number, so a crossing is recorded once however many pushes see it). Returns the crossing's number, or null.
 */
export async function markUnderBuffer(tx: Tx, shopId: string, channelId: string, variantId: string, now: Date): Promise<number | null> {
  await tx.run(
    `INSERT INTO "ChannelBufferWatch" ("shopId","channelId","variantId","below","crossings","changedAt") VALUES (?,?,?,0,0,?) ON CONFLICT ("shopId","channelId","variantId") DO NOTHING`,
    shopId, channelId, variantId, sqlTime(now),
  );
  const { changes } = await tx.run(
    `UPDATE "ChannelBufferWatch" SET "below" = 1, "crossings" = "crossings" + 1, "changedAt" = ? WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ? AND "below" = 0`,
    sqlTime(now), shopId, channelId, variantId,
  );
  if (changes !== 1) return null;
  const row = await tx.get<{ crossings: number | string }>(`SELECT "crossings" FROM "ChannelBufferWatch" WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ?`, shopId, channelId, variantId);
  return Number(row!.crossings);
}

/** The SKU is above its buffer again: the next crossing down fires. */
export async function markAboveBuffer(tx: Tx, shopId: string, channelId: string, variantId: string, now: Date): Promise<void> {
  await tx.run(`UPDATE "ChannelBufferWatch" SET "below" = 0, "changedAt" = ? WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ? AND "below" = 1`, sqlTime(now), shopId, channelId, variantId);
}
