import { nextControlNumber, type PartnerDocument, type PartnerItem, type TradingPartner, type TradingPartnerInput } from "~/domain/wholesale/trading-partner";
import { marks } from "./engine/sql-dialect";
import { RetryableConflict, type Queryable, type Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Wholesale trading partners (ADR 0017): the partner, what it buys, and the EDI documents exchanged with it.
// Every statement takes the shop.

interface PartnerRow {
  id: string;
  channelId: string;
  code: string;
  name: string;
  currency: string;
  isaQualifier: string | null;
  isaId: string | null;
  gsId: string | null;
  ourIsaQualifier: string | null;
  ourIsaId: string | null;
  ourGsId: string | null;
  x12Version: string;
  usage: string;
  documents: string;
}

const PARTNER_COLUMNS = `"id","channelId","code","name","currency","isaQualifier","isaId","gsId","ourIsaQualifier","ourIsaId","ourGsId","x12Version","usage","documents"`;

function partner(row: PartnerRow): TradingPartner {
  const x12 =
    row.isaQualifier && row.isaId && row.gsId && row.ourIsaQualifier && row.ourIsaId && row.ourGsId
      ? {
          theirs: { isaQualifier: row.isaQualifier, isaId: row.isaId, gsId: row.gsId },
          ours: { isaQualifier: row.ourIsaQualifier, isaId: row.ourIsaId, gsId: row.ourGsId },
          version: row.x12Version === "005010" ? ("005010" as const) : ("004010" as const),
          usage: row.usage === "T" ? ("T" as const) : ("P" as const),
        }
      : null;
  return { id: row.id, channelId: row.channelId, code: row.code, name: row.name, currency: row.currency, x12, documents: JSON.parse(row.documents) as PartnerDocument[] };
}

export async function listTradingPartners(q: Queryable, shopId: string): Promise<TradingPartner[]> {
  return (await q.all<PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM "TradingPartner" WHERE "shopId" = ? ORDER BY "name", "code"`, shopId)).map(partner);
}

export async function tradingPartnerById(q: Queryable, shopId: string, id: string): Promise<TradingPartner | undefined> {
  const row = await q.get<PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM "TradingPartner" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
  return row && partner(row);
}

export async function tradingPartnerByCode(q: Queryable, shopId: string, code: string): Promise<TradingPartner | undefined> {
  const row = await q.get<PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM "TradingPartner" WHERE "shopId" = ? AND "code" = ?`, shopId, code);
  return row && partner(row);
}

export async function tradingPartnerByChannel(q: Queryable, shopId: string, channelId: string): Promise<TradingPartner | undefined> {
  const row = await q.get<PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM "TradingPartner" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channelId);
  return row && partner(row);
}

/** The partner an interchange comes from, by its sender id (ISA05/06); ids compare trimmed, in upper case. */
export async function tradingPartnerByIsa(q: Queryable, shopId: string, qualifier: string, isaId: string): Promise<TradingPartner | undefined> {
  const row = await q.get<PartnerRow>(
    `SELECT ${PARTNER_COLUMNS} FROM "TradingPartner" WHERE "shopId" = ? AND UPPER("isaQualifier") = ? AND UPPER("isaId") = ?`,
    shopId, qualifier.trim().toUpperCase(), isaId.trim().toUpperCase(),
  );
  return row && partner(row);
}

export async function insertTradingPartner(tx: Tx, shopId: string, channelId: string, p: TradingPartnerInput, at = sqlTime()): Promise<string> {
  const id = newId();
  await tx.run(
    `INSERT INTO "TradingPartner" ("id","shopId","channelId","code","name","currency","isaQualifier","isaId","gsId","ourIsaQualifier","ourIsaId","ourGsId","x12Version","usage","documents","createdAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    id, shopId, channelId, p.code, p.name, p.currency, p.isaQualifier ?? null, p.isaId ?? null, p.gsId ?? null, p.ourIsaQualifier ?? null, p.ourIsaId ?? null, p.ourGsId ?? null, p.x12Version, p.usage, JSON.stringify(p.documents), at, at,
  );
  return id;
}

export async function updateTradingPartner(tx: Tx, shopId: string, id: string, p: TradingPartnerInput, at = sqlTime()): Promise<boolean> {
  const result = await tx.run(
    `UPDATE "TradingPartner" SET "code" = ?, "name" = ?, "currency" = ?, "isaQualifier" = ?, "isaId" = ?, "gsId" = ?, "ourIsaQualifier" = ?, "ourIsaId" = ?, "ourGsId" = ?, "x12Version" = ?, "usage" = ?, "documents" = ?, "updatedAt" = ?
     WHERE "shopId" = ? AND "id" = ?`,
    p.code, p.name, p.currency, p.isaQualifier ?? null, p.isaId ?? null, p.gsId ?? null, p.ourIsaQualifier ?? null, p.ourIsaId ?? null, p.ourGsId ?? null, p.x12Version, p.usage, JSON.stringify(p.documents), at, shopId, id,
  );
  return result.changes > 0;
}

/** Takes the next interchange and group control numbers for a document to the partner, inside the caller's transaction. */
export async function takeControlNumbers(tx: Tx, shopId: string, partnerId: string): Promise<{ interchange: number; group: number }> {
  const row = await tx.get<{ interchangeControl: number; groupControl: number }>(`SELECT "interchangeControl","groupControl" FROM "TradingPartner" WHERE "shopId" = ? AND "id" = ?`, shopId, partnerId);
  if (!row) throw new Error(`No trading partner ${partnerId} in shop ${shopId}`);
  const interchange = nextControlNumber(Number(row.interchangeControl));
  const group = nextControlNumber(Number(row.groupControl));
  // Compare-and-set: a concurrent document took these numbers first, so the caller's transaction retries.
  const result = await tx.run(
    `UPDATE "TradingPartner" SET "interchangeControl" = ?, "groupControl" = ? WHERE "shopId" = ? AND "id" = ? AND "interchangeControl" = ? AND "groupControl" = ?`,
    interchange, group, shopId, partnerId, row.interchangeControl, row.groupControl,
  );
  if (result.changes !== 1) throw new RetryableConflict(`Control numbers of trading partner ${partnerId} changed underneath`);
  return { interchange, group };
}

// --- what a partner buys -----------------------------------------------------------------------------------------

interface PartnerItemRow {
  sku: string;
  buyerPartNumber: string | null;
  unitPriceMinor: number | string | null;
}

const item = (r: PartnerItemRow): PartnerItem => ({ sku: r.sku, buyerPartNumber: r.buyerPartNumber, unitPriceMinor: r.unitPriceMinor === null ? null : Number(r.unitPriceMinor) });

export async function partnerItems(q: Queryable, shopId: string, partnerId: string): Promise<PartnerItem[]> {
  return (await q.all<PartnerItemRow>(`SELECT "sku","buyerPartNumber","unitPriceMinor" FROM "PartnerItem" WHERE "shopId" = ? AND "partnerId" = ? ORDER BY "sku"`, shopId, partnerId)).map(item);
}

/** The partner's rows for these SKUs and buyer part numbers only (a PO names a few of a long list). */
export async function partnerItemsFor(q: Queryable, shopId: string, partnerId: string, skus: string[], buyerPartNumbers: string[]): Promise<PartnerItem[]> {
  const out = new Map<string, PartnerItem>();
  for (const [column, values] of [["sku", skus], ["buyerPartNumber", buyerPartNumbers]] as const) {
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = await q.all<PartnerItemRow>(`SELECT "sku","buyerPartNumber","unitPriceMinor" FROM "PartnerItem" WHERE "shopId" = ? AND "partnerId" = ? AND "${column}" IN (${marks(chunk.length)})`, shopId, partnerId, ...chunk);
      for (const r of rows) out.set(r.sku, item(r));
    }
  }
  return [...out.values()];
}

/** Replaces the partner's whole table (a price list upload is the list). */
export async function replacePartnerItems(tx: Tx, shopId: string, partnerId: string, items: readonly PartnerItem[], at = sqlTime()): Promise<void> {
  await tx.run(`DELETE FROM "PartnerItem" WHERE "shopId" = ? AND "partnerId" = ?`, shopId, partnerId);
  for (const i of items) {
    await tx.run(`INSERT INTO "PartnerItem" ("shopId","partnerId","sku","buyerPartNumber","unitPriceMinor","updatedAt") VALUES (?,?,?,?,?,?)`, shopId, partnerId, i.sku, i.buyerPartNumber, i.unitPriceMinor, at);
  }
}

// --- EDI documents -----------------------------------------------------------------------------------------------

export interface EdiDocumentRow {
  id: string;
  partnerId: string;
  direction: "in" | "out";
  type: string;
  documentKey: string;
  orderId: string | null;
  importId: string | null;
  interchangeControl: number | null;
  createdAt: string;
}

export interface NewEdiDocument {
  partnerId: string;
  direction: "in" | "out";
  type: string;
  documentKey: string;
  orderId: string | null;
  importId: string | null;
  interchangeControl: number | null;
  content: string;
}

/** Keeps a document once per (partner, direction, type, key): true when this call stored it. */
export async function insertEdiDocument(tx: Tx, shopId: string, d: NewEdiDocument, at = sqlTime()): Promise<boolean> {
  const result = await tx.run(
    `INSERT INTO "EdiDocument" ("id","shopId","partnerId","direction","type","documentKey","orderId","importId","interchangeControl","content","createdAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT ("partnerId","direction","type","documentKey") DO NOTHING`,
    newId(), shopId, d.partnerId, d.direction, d.type, d.documentKey, d.orderId, d.importId, d.interchangeControl, d.content, at,
  );
  return result.changes > 0;
}

export async function ediDocumentExists(q: Queryable, shopId: string, partnerId: string, direction: "in" | "out", type: string, documentKey: string): Promise<boolean> {
  return !!(await q.get(`SELECT 1 AS "x" FROM "EdiDocument" WHERE "shopId" = ? AND "partnerId" = ? AND "direction" = ? AND "type" = ? AND "documentKey" = ?`, shopId, partnerId, direction, type, documentKey));
}

const EDI_COLUMNS = `"id","partnerId","direction","type","documentKey","orderId","importId","interchangeControl","createdAt"`;

export async function listEdiDocuments(q: Queryable, shopId: string, filter: { partnerId?: string; orderId?: string; take?: number } = {}): Promise<EdiDocumentRow[]> {
  const where = [`"shopId" = ?`];
  const params: unknown[] = [shopId];
  if (filter.partnerId) {
    where.push(`"partnerId" = ?`);
    params.push(filter.partnerId);
  }
  if (filter.orderId) {
    where.push(`"orderId" = ?`);
    params.push(filter.orderId);
  }
  return q.all<EdiDocumentRow>(`SELECT ${EDI_COLUMNS} FROM "EdiDocument" WHERE ${where.join(" AND ")} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${Math.min(filter.take ?? 100, 500)}`, ...params);
}

export async function ediDocumentContent(q: Queryable, shopId: string, id: string): Promise<(EdiDocumentRow & { content: string }) | undefined> {
  return q.get<EdiDocumentRow & { content: string }>(`SELECT ${EDI_COLUMNS},"content" FROM "EdiDocument" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
}
