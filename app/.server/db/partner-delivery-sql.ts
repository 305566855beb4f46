import type { DeliveryState } from "~/domain/wholesale/partner-delivery";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Where a trading partner's documents are sent, and what became of each (ADR 0023). Every statement takes the shop,
// but the worker's lookup of settings across shops (named so).

export interface PartnerDeliveryRow {
  id: string;
  shopId: string;
  partnerId: string;
  kind: "sftp";
  host: string;
  port: number;
  username: string;
  authKind: "password" | "key";
  /** Encrypted (app/.server/secrets.ts). */
  secret: string;
  directory: string;
  hostKeySha256: string;
  startsAt: string;
  lastRunAt: string | null;
  lastError: string | null;
}

const COLUMNS = `"id","shopId","partnerId","kind","host","port","username","authKind","secret","directory","hostKeySha256","startsAt","lastRunAt","lastError"`;

export async function partnerDeliveryOf(q: Queryable, shopId: string, partnerId: string): Promise<PartnerDeliveryRow | undefined> {
  return q.get<PartnerDeliveryRow>(`SELECT ${COLUMNS} FROM "PartnerDelivery" WHERE "shopId" = ? AND "partnerId" = ?`, shopId, partnerId);
}

/** Sets the partner's delivery; a new one sends documents kept from `startsAt` on, a changed one keeps its start. */
export async function upsertPartnerDelivery(
  tx: Tx, shopId: string, partnerId: string,
  d: Pick<PartnerDeliveryRow, "host" | "port" | "username" | "authKind" | "secret" | "directory" | "hostKeySha256">, startsAt: Date,
): Promise<void> {
  const at = sqlTime();
  await tx.run(
    `INSERT INTO "PartnerDelivery" ("id","shopId","partnerId","kind","host","port","username","authKind","secret","directory","hostKeySha256","startsAt","createdAt","updatedAt")
     VALUES (?,?,?,'sftp',?,?,?,?,?,?,?,?,?,?)
     ON CONFLICT ("partnerId") DO UPDATE SET "host" = excluded."host", "port" = excluded."port", "username" = excluded."username", "authKind" = excluded."authKind",
       "secret" = excluded."secret", "directory" = excluded."directory", "hostKeySha256" = excluded."hostKeySha256", "lastError" = NULL, "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, partnerId, d.host, d.port, d.username, d.authKind, d.secret, d.directory, d.hostKeySha256, sqlTime(startsAt), at, at,
  );
}

export async function deletePartnerDelivery(tx: Tx, shopId: string, partnerId: string): Promise<boolean> {
  return (await tx.run(`DELETE FROM "PartnerDelivery" WHERE "shopId" = ? AND "partnerId" = ?`, shopId, partnerId)).changes > 0;
}

/** Every partner that has its documents sent, with its shop's domain and its code: the worker's round. */
export async function partnerDeliveriesAcrossShops(q: Queryable): Promise<(PartnerDeliveryRow & { partnerCode: string })[]> {
  return q.all(`SELECT ${COLUMNS.split(",").map((c) => `d.${c}`).join(",")}, p."code" AS "partnerCode" FROM "PartnerDelivery" d
    JOIN "TradingPartner" p ON p."id" = d."partnerId" AND p."shopId" = d."shopId" JOIN "Shop" s ON s."id" = d."shopId" WHERE s."status" = 'installed' ORDER BY d."shopId", d."partnerId"`);
}

export async function recordDeliveryRun(tx: Tx, shopId: string, partnerId: string, error: string | null, at = new Date()): Promise<void> {
  await tx.run(`UPDATE "PartnerDelivery" SET "lastRunAt" = ?, "lastError" = ? WHERE "shopId" = ? AND "partnerId" = ?`, sqlTime(at), error, shopId, partnerId);
}

export interface DueDocument {
  id: string;
  type: string;
  documentKey: string;
  interchangeControl: number | null;
  content: string;
  state: DeliveryState | null;
}

/** The partner's outgoing documents kept since `since` that are not sent and have attempts left (with their state, if tried), oldest first. */
export async function undeliveredDocuments(q: Queryable, shopId: string, partnerId: string, since: string, maxAttempts: number, limit: number): Promise<DueDocument[]> {
  const rows = await q.all<{ id: string; type: string; documentKey: string; interchangeControl: number | string | null; content: string; status: "sent" | "failed" | null; attempts: number | null }>(
    `SELECT e."id", e."type", e."documentKey", e."interchangeControl", e."content", x."status", x."attempts" FROM "EdiDocument" e
     LEFT JOIN "EdiDelivery" x ON x."documentId" = e."id" AND x."shopId" = e."shopId"
     WHERE e."shopId" = ? AND e."partnerId" = ? AND e."direction" = 'out' AND e."createdAt" >= ? AND e."content" <> '' AND (x."status" IS NULL OR (x."status" = 'failed' AND x."attempts" < ?))
     ORDER BY e."createdAt", e."id" LIMIT ?`,
    shopId, partnerId, since, maxAttempts, limit,
  );
  return rows.map((r) => ({
    id: r.id, type: r.type, documentKey: r.documentKey, interchangeControl: r.interchangeControl === null ? null : Number(r.interchangeControl), content: r.content,
    state: r.status === null ? null : { status: r.status, attempts: Number(r.attempts ?? 0) },
  }));
}

export async function recordDocumentDelivery(tx: Tx, shopId: string, documentId: string, remoteName: string, state: DeliveryState, error: string | null, at = new Date()): Promise<void> {
  const when = sqlTime(at);
  await tx.run(
    `INSERT INTO "EdiDelivery" ("id","shopId","documentId","status","attempts","remoteName","lastError","sentAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?)
     ON CONFLICT ("documentId") DO UPDATE SET "status" = excluded."status", "attempts" = excluded."attempts", "remoteName" = excluded."remoteName",
       "lastError" = excluded."lastError", "sentAt" = excluded."sentAt", "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, documentId, state.status, state.attempts, remoteName, error, state.status === "sent" ? when : null, when,
  );
}

export interface DeliveryCounts {
  sent: number;
  failed: number;
  /** Failed with no attempts left. */
  givenUp: number;
}

export async function deliveryCounts(q: Queryable, shopId: string, partnerId: string, maxAttempts: number): Promise<DeliveryCounts> {
  const row = await q.get<{ sent: number | string | null; failed: number | string | null; givenUp: number | string | null }>(
    `SELECT SUM(CASE WHEN x."status" = 'sent' THEN 1 ELSE 0 END) AS "sent", SUM(CASE WHEN x."status" = 'failed' THEN 1 ELSE 0 END) AS "failed",
       SUM(CASE WHEN x."status" = 'failed' AND x."attempts" >= ? THEN 1 ELSE 0 END) AS "givenUp"
     FROM "EdiDelivery" x JOIN "EdiDocument" e ON e."id" = x."documentId" AND e."shopId" = x."shopId" WHERE x."shopId" = ? AND e."partnerId" = ?`,
    maxAttempts, shopId, partnerId,
  );
  return { sent: Number(row?.sent ?? 0), failed: Number(row?.failed ?? 0), givenUp: Number(row?.givenUp ?? 0) };
}

/** Documents whose attempts ran out get a fresh set (the merchant fixed the server). */
export async function retryGivenUpDeliveries(tx: Tx, shopId: string, partnerId: string): Promise<number> {
  return (await tx.run(
    `UPDATE "EdiDelivery" SET "attempts" = 0, "updatedAt" = ? WHERE "shopId" = ? AND "status" = 'failed' AND "documentId" IN (SELECT "id" FROM "EdiDocument" WHERE "shopId" = ? AND "partnerId" = ?)`,
    sqlTime(), shopId, shopId, partnerId,
  )).changes;
}
