import { createHmac } from "node:crypto";
import type { ChannelOrder } from "~/domain/orders/channel-order";
import {
  customerKeys, mentionsCustomer, ORDER_COLUMNS_CLEARED, ORDER_PERSONAL_COLUMNS, personalDataPaths, scrubPersonalData, searchTerms,
  type CustomerKeys,
} from "~/domain/privacy/personal-data";
import { PENDING_STATUSES, trimmedPayload } from "~/domain/webhooks/inbox-policy";
import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
import { env } from "../env";
import { database } from "./database";
import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";
import { eraseImportFilesOfOrders } from "./imports-sql";
import { eraseNotificationsOfCustomer } from "./notifications-sql";
import { eraseReturnsOfOrders } from "./returns-sql";

// GDPR / compliance storage operations. Orders stay (accounting needs them); the person is removed from
// every place the app keeps them (app/domain/privacy/personal-data.ts lists the places): the order's
// columns, the raw webhook bodies in the inbox, and audit rows (which should never hold any).

export interface CustomerRef {
  customerExternalId: string | null;
  email: string | null;
  phone?: string | null;
  orderExternalIds: string[];
}

interface HeldOrder {
  id: string;
  externalId: string;
  [column: string]: unknown;
}

const PERSONAL_SELECT = ORDER_PERSONAL_COLUMNS.map((c) => `"${c.column}"`).join(",");

async function customerOrders(q: Queryable, shopId: string, ref: CustomerRef): Promise<HeldOrder[]> {
  const where: string[] = [];
  const params: string[] = [];
  const by = (condition: string, ...values: string[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (ref.customerExternalId) by(`"customerExternalId" = ?`, ref.customerExternalId);
  if (ref.email?.trim()) by(`LOWER("email") = ?`, ref.email.trim().toLowerCase());
  if (ref.orderExternalIds.length) by(`"externalId" IN (${marks(ref.orderExternalIds.length)})`, ...ref.orderExternalIds);
  if (where.length === 0) return [];
  return q.all<HeldOrder>(`SELECT "id","externalId","name","placedAt",${PERSONAL_SELECT} FROM "Order" WHERE "shopId" = ? AND (${where.join(" OR ")}) ORDER BY "placedAt"`, shopId, ...params);
}

function keysOf(ref: CustomerRef, orders: HeldOrder[]): CustomerKeys {
  return customerKeys({
    customerIds: [ref.customerExternalId, ...orders.map((o) => o.customerExternalId as string | null)],
    emails: [ref.email, ...orders.map((o) => o.email as string | null)],
    phones: [ref.phone ?? null, ...orders.map((o) => o.phone as string | null)],
    orderIds: [...ref.orderExternalIds, ...orders.map((o) => o.externalId)],
  });
}

const shopIdOf = async (q: Queryable, domain: string) => (await q.get<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, domain))?.id ?? null;

/** Inbox rows of the domain whose body is still kept and mentions the customer (a text prefilter, then the parsed body decides). */
async function inboxMentions(q: Queryable, shopDomain: string, keys: CustomerKeys): Promise<{ id: string; topic: string; status: string; failure: string | null; receivedAt: string; payload: string; parsed: unknown }[]> {
  const terms = searchTerms(keys).map((t) => t.toLowerCase());
  const found = new Map<string, { id: string; topic: string; status: string; failure: string | null; receivedAt: string; payload: string; parsed: unknown }>();
  for (let i = 0; i < terms.length; i += 50) {
    const chunk = terms.slice(i, i + 50);
    const rows = await q.all<{ id: string; topic: string; status: string; failure: string | null; receivedAt: string; payload: string }>(
      `SELECT "id","topic","status","failure","receivedAt","payload" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "payloadTrimmedAt" IS NULL AND (${chunk.map(() => `LOWER("payload") LIKE ?`).join(" OR ")})`,
      shopDomain, ...chunk.map((t) => `%${t}%`),
    );
    for (const row of rows) {
      if (found.has(row.id)) continue;
      let parsed: unknown;
      try {
        parsed = parseJsonKeepingBigInts(row.payload);
      } catch {
        parsed = undefined; // not JSON: it matched the text search, so it is treated as mentioning them
      }
      if (parsed === undefined || mentionsCustomer(parsed, row.topic, keys)) found.set(row.id, { ...row, parsed });
    }
  }
  return [...found.values()];
}

const isPending = (row: { status: string; failure: string | null }) => PENDING_STATUSES.includes(row.status) || (row.status === "failed" && row.failure === "transient");

/** Keyed hashes that tombstone a redacted customer: no personal data, and not reversible without the app secret. */
function tombstoneKeys(keys: { customerIds: Iterable<string>; emails: Iterable<string>; orderIds: Iterable<string> }): string[] {
  const hash = (kind: string, value: string) => createHmac("sha256", env().SHOPIFY_API_SECRET).update(`${kind}:${value}`).digest("hex");
  return [
    ...[...keys.customerIds].map((v) => hash("customer", v)),
    ...[...keys.emails].map((v) => hash("email", v.trim().toLowerCase())),
    ...[...keys.orderIds].map((v) => hash("order", v)),
  ];
}

const CLEAR_ORDER = `UPDATE "Order" SET ${ORDER_COLUMNS_CLEARED.map((c) => `"${c}" = NULL`).join(", ")}, "redactedAt" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`;

export interface RedactionResult {
  ordersRedacted: number;
  webhooksScrubbed: number;
  webhooksTrimmed: number;
  auditRowsRedacted: number;
  /** Raw import files and EDI documents that brought or told about their orders, erased. */
  filesErased: number;
  /** Customer notifications to them (sent or not) and their opt-out, erased (ADR 0024). */
  notificationsErased: number;
}

/**
 * customers/redact, in one transaction: the customer's orders lose every personal column (they stay for
 * accounting); inbox bodies that mention them are trimmed, or scrubbed in place when still to be processed;
 * audit rows that name them lose their data; and a tombstone (keyed hashes of their ids, email and orders)
 * makes later webhooks about them store the order anonymised. Works for a domain with no shop yet (held webhooks).
 */
export async function redactCustomerData(shopDomain: string, ref: CustomerRef, now = new Date()): Promise<RedactionResult> {
  return database().transaction(async (tx) => {
    const at = sqlTime(now);
    const shopId = await shopIdOf(tx, shopDomain);
    const orders = shopId ? await customerOrders(tx, shopId, ref) : [];
    const keys = keysOf(ref, orders);
    for (const o of orders) await tx.run(CLEAR_ORDER, at, at, shopId, o.id);
    for (const keyHash of tombstoneKeys(keys)) {
      await tx.run(`INSERT INTO "RedactedCustomerKey" ("shopDomain","keyHash","createdAt") VALUES (?,?,?) ON CONFLICT ("shopDomain","keyHash") DO NOTHING`, shopDomain, keyHash, at);
    }
    let webhooksScrubbed = 0;
    let webhooksTrimmed = 0;
    for (const row of await inboxMentions(tx, shopDomain, keys)) {
      if (isPending(row) && row.parsed !== undefined) {
        await tx.run(`UPDATE "WebhookInbox" SET "payload" = ? WHERE "shopDomain" = ? AND "id" = ?`, JSON.stringify(scrubPersonalData(row.parsed)), shopDomain, row.id);
        webhooksScrubbed += 1;
      } else {
        await tx.run(`UPDATE "WebhookInbox" SET "payload" = ?, "payloadTrimmedAt" = ? WHERE "shopDomain" = ? AND "id" = ?`, trimmedPayload("customer_redacted"), at, shopDomain, row.id);
        webhooksTrimmed += 1;
      }
    }
    const auditRowsRedacted = shopId ? await redactAuditRows(tx, shopId, orders, keys) : 0;
    const filesErased = shopId ? await eraseImportFilesOfOrders(tx, shopId, orders.map((o) => o.id)) : 0;
    const notificationsErased = shopId ? await eraseNotificationsOfCustomer(tx, shopId, orders.map((o) => o.id), [...keys.emails]) : 0;
    if (shopId) await eraseReturnsOfOrders(tx, shopId, orders.map((o) => o.id)); // their note and label (ADR 0027)
    return { ordersRedacted: orders.length, webhooksScrubbed, webhooksTrimmed, auditRowsRedacted, filesErased, notificationsErased };
  });
}

/** Audit rows hold no personal data by design; should one ever name the customer, its data goes. */
async function redactAuditRows(tx: Tx, shopId: string, orders: HeldOrder[], keys: CustomerKeys): Promise<number> {
  const values = [...keys.customerIds, ...keys.emails, ...keys.phones, ...orders.flatMap((o) => [o.customerName, o.shipAddress1])]
    .filter((v): v is string => typeof v === "string" && v.trim().length >= 4)
    .map((v) => v.trim().toLowerCase());
  let redacted = 0;
  for (let i = 0; i < values.length; i += 50) {
    const chunk = values.slice(i, i + 50);
    redacted += (await tx.run(`UPDATE "AuditEvent" SET "data" = ? WHERE "shopId" = ? AND (${chunk.map(() => `LOWER("data") LIKE ?`).join(" OR ")})`,
      JSON.stringify({ redacted: "customer" }), shopId, ...chunk.map((v) => `%${v}%`),
    )).changes;
  }
  return redacted;
}

/**
 * At ingestion, inside its transaction: when the order belongs to a redacted customer (their id, email or
 * the order itself is tombstoned), its personal columns are cleared again — a late webhook never brings them back.
 */
export async function forgetIfRedacted(tx: Tx, shopDomain: string, shopId: string, orderId: string, order: Pick<ChannelOrder, "customerExternalId" | "email" | "externalId">, now: Date): Promise<boolean> {
  const hashes = tombstoneKeys({ customerIds: order.customerExternalId ? [order.customerExternalId] : [], emails: order.email ? [order.email] : [], orderIds: [order.externalId] });
  const hit = await tx.get(`SELECT 1 AS "hit" FROM "RedactedCustomerKey" WHERE "shopDomain" = ? AND "keyHash" IN (${marks(hashes.length)}) LIMIT 1`, shopDomain, ...hashes);
  if (!hit) return false;
  const at = sqlTime(now);
  await tx.run(CLEAR_ORDER, at, at, shopId, orderId);
  return true;
}

/**
 * Which of these orders belong to a redacted customer (their customer, e-mail or order id is tombstoned): the
 * batch intake leaves those to the per-order path, which stores them anonymised (forgetIfRedacted). One statement per 300 orders.
 */
export async function redactedAmong(q: Queryable, shopDomain: string, orders: readonly Pick<ChannelOrder, "customerExternalId" | "email" | "externalId">[]): Promise<Set<string>> {
  const hit = new Set<string>();
  // Most shops have forgotten no one: then nothing needs hashing.
  if (orders.length === 0 || !(await q.get(`SELECT 1 AS "any" FROM "RedactedCustomerKey" WHERE "shopDomain" = ? LIMIT 1`, shopDomain))) return hit;
  for (let i = 0; i < orders.length; i += 300) {
    const byHash = new Map<string, string[]>();
    for (const order of orders.slice(i, i + 300)) {
      for (const h of tombstoneKeys({ customerIds: order.customerExternalId ? [order.customerExternalId] : [], emails: order.email ? [order.email] : [], orderIds: [order.externalId] })) byHash.set(h, [...(byHash.get(h) ?? []), order.externalId]);
    }
    const hashes = [...byHash.keys()];
    for (const row of await q.all<{ keyHash: string }>(`SELECT "keyHash" FROM "RedactedCustomerKey" WHERE "shopDomain" = ? AND "keyHash" IN (${marks(hashes.length)})`, shopDomain, ...hashes)) for (const id of byHash.get(row.keyHash) ?? []) hit.add(id);
  }
  return hit;
}

/** True when the order (of this domain's shop) has been anonymised: the webhook that concerned it keeps no body. */
export async function isOrderRedacted(q: Queryable, shopDomain: string, orderId: string): Promise<boolean> {
  const row = await q.get<{ redactedAt: string | null }>(`SELECT o."redactedAt" FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ? AND o."id" = ?`, shopDomain, orderId);
  return Boolean(row?.redactedAt);
}

/** What we hold about a customer, for customers/data_request: every personal field, per order and per webhook body kept. */
export async function customerDataSummary(shopDomain: string, ref: CustomerRef) {
  const q = database();
  const shopId = await shopIdOf(q, shopDomain);
  const orders = shopId ? await customerOrders(q, shopId, ref) : [];
  const keys = keysOf(ref, orders);
  const webhooks = (await inboxMentions(q, shopDomain, keys))
    .filter((row) => !row.topic.startsWith("customers/")) // the requests themselves
    .map((row) => ({ topic: row.topic, receivedAt: new Date(row.receivedAt).toISOString(), fieldsHeld: row.parsed === undefined ? ["(unparsed body)"] : personalDataPaths(row.parsed) }))
    .filter((w) => w.fieldsHeld.length > 0)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.topic.localeCompare(b.topic));
  return {
    orders: orders.map((o) => ({
      externalId: o.externalId,
      name: o.name as string,
      placedAt: new Date(o.placedAt as string).toISOString(),
      fieldsHeld: ORDER_PERSONAL_COLUMNS.filter((c) => o[c.column] !== null && o[c.column] !== undefined && o[c.column] !== "").map((c) => c.column),
    })),
    webhooks,
  };
}

/**
 * shop/redact: everything the shop ever sent us goes — sessions, the inbox (but the shop/redact request
 * itself, which holds only the domain), tombstones, the shop and every row it owns (cascade) — and a
 * tombstone of the domain stays (status redacted, no name or email), so no later webhook stores anything.
 */
export async function deleteAllShopData(domain: string, now = new Date()): Promise<{ shopDeleted: boolean }> {
  return database().transaction(async (tx) => {
    const at = sqlTime(now);
    await tx.run(`DELETE FROM "Session" WHERE "shop" = ?`, domain);
    await tx.run(`DELETE FROM "WebhookInbox" WHERE "shopDomain" = ? AND "topic" <> 'shop/redact'`, domain);
    await tx.run(`DELETE FROM "RedactedCustomerKey" WHERE "shopDomain" = ?`, domain);
    const { changes } = await tx.run(`DELETE FROM "Shop" WHERE "domain" = ? AND "status" <> 'redacted'`, domain); // cascades to every owned row
    await tx.run(`INSERT INTO "Shop" ("id","domain","name","email","currency","timezone","status","installedAt","uninstalledAt","redactedAt","createdAt","updatedAt")
      VALUES (?,?,?,NULL,'USD','UTC','redacted',?,?,?,?,?) ON CONFLICT ("domain") DO NOTHING`, newId(), domain, domain, at, at, at, at, at);
    return { shopDeleted: changes > 0 };
  });
}

export async function deleteSessions(domain: string): Promise<number> {
  return (await database().run(`DELETE FROM "Session" WHERE "shop" = ?`, domain)).changes;
}
