import { marks } from "./engine/sql-dialect";
import type { ImportMode, ImportStatus } from "~/domain/imports/import-file";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Imports, their kept files and their line results (migration 0012, ADR 0016). Every statement takes the shop.

export interface ImportRow {
  id: string;
  channelId: string | null;
  fileId: string | null;
  format: string;
  source: string;
  sourceRef: string | null;
  filename: string | null;
  charset: string | null;
  status: ImportStatus;
  mode: ImportMode;
  documentHash: string | null;
  totalLines: number;
  processedLines: number;
  okLines: number;
  failedLines: number;
  summary: string | null;
  acknowledgement: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const IMPORT_COLUMNS = `"id","channelId","fileId","format","source","sourceRef","filename","charset","status","mode","documentHash","totalLines","processedLines","okLines","failedLines","summary","acknowledgement","error","createdAt","startedAt","finishedAt"`;

/** How a kept file reads once a customer named in it was forgotten (customers/redact): nothing is left of it. */
export const ERASED_FILE_ENCODING = "erased";

/**
 * customers/redact: the raw files that brought these orders in (a report, a PO) hold the customer's name and
 * address as they were sent, so they are erased; each import's line results (no personal data) stay.
 */
export async function eraseImportFilesOfOrders(tx: Tx, shopId: string, orderIds: string[]): Promise<number> {
  let erased = 0;
  for (let i = 0; i < orderIds.length; i += 500) {
    const chunk = orderIds.slice(i, i + 500);
    erased += (
      await tx.run(
        `UPDATE "ImportFile" SET "encoding" = ?, "content" = '' WHERE "shopId" = ? AND "encoding" <> ? AND "id" IN (
           SELECT i."fileId" FROM "Import" i JOIN "ImportLine" l ON l."importId" = i."id" WHERE i."shopId" = ? AND l."shopId" = ? AND l."orderId" IN (${marks(chunk.length)}))`,
        ERASED_FILE_ENCODING, shopId, ERASED_FILE_ENCODING, shopId, shopId, ...chunk,
      )
    ).changes;
    // EDI documents exchanged about these orders (the 850 in, the 855/856/810 out) name the same people.
    erased += (await tx.run(`UPDATE "EdiDocument" SET "content" = '' WHERE "shopId" = ? AND "content" <> '' AND "orderId" IN (${marks(chunk.length)})`, shopId, ...chunk)).changes;
  }
  return erased;
}

/** Keep a file's bytes (stored as `encoding` says) once per shop and document; the id of the one kept. */
export async function saveImportFile(tx: Tx, shopId: string, file: { documentHash: string; byteSize: number; encoding: string; content: string }, at = sqlTime()): Promise<string> {
  await tx.run(
    `INSERT INTO "ImportFile" ("id","shopId","documentHash","byteSize","encoding","content","createdAt") VALUES (?,?,?,?,?,?,?) ON CONFLICT ("shopId","documentHash") DO NOTHING`,
    newId(), shopId, file.documentHash, file.byteSize, file.encoding, file.content, at,
  );
  return (await tx.get<{ id: string }>(`SELECT "id" FROM "ImportFile" WHERE "shopId" = ? AND "documentHash" = ?`, shopId, file.documentHash))!.id;
}

export async function importFile(q: Queryable, shopId: string, fileId: string): Promise<{ encoding: string; content: string; byteSize: number; documentHash: string } | undefined> {
  return q.get(`SELECT "encoding","content","byteSize","documentHash" FROM "ImportFile" WHERE "shopId" = ? AND "id" = ?`, shopId, fileId);
}

export interface NewImport {
  channelId: string | null;
  fileId: string | null;
  format: string;
  source: string;
  sourceRef?: string | null;
  filename: string | null;
  charset?: string | null;
  mode: ImportMode;
  documentHash: string | null;
}

export async function insertImport(tx: Tx, shopId: string, i: NewImport, at = sqlTime()): Promise<string> {
  const id = newId();
  await tx.run(
    `INSERT INTO "Import" ("id","shopId","channelId","fileId","format","source","sourceRef","filename","charset","status","mode","documentHash","createdAt") VALUES (?,?,?,?,?,?,?,?,?,'queued',?,?,?)`,
    id, shopId, i.channelId, i.fileId, i.format, i.source, i.sourceRef ?? null, i.filename, i.charset ?? null, i.mode, i.documentHash, at,
  );
  return id;
}

export async function findImport(q: Queryable, shopId: string, importId: string): Promise<ImportRow | undefined> {
  return q.get<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM "Import" WHERE "shopId" = ? AND "id" = ?`, shopId, importId);
}

/** An import of the same document into the same channel and format that has not finished yet. */
export async function unfinishedImportOf(q: Queryable, shopId: string, d: { channelId: string | null; format: string; documentHash: string; mode: ImportMode }): Promise<ImportRow | undefined> {
  const where = `"shopId" = ? AND "documentHash" = ? AND "format" = ? AND "mode" = ? AND "status" IN ('queued','running')`;
  if (d.channelId === null) return q.get<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM "Import" WHERE ${where} AND "channelId" IS NULL ORDER BY "createdAt" DESC LIMIT 1`, shopId, d.documentHash, d.format, d.mode);
  return q.get<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM "Import" WHERE ${where} AND "channelId" = ? ORDER BY "createdAt" DESC LIMIT 1`, shopId, d.documentHash, d.format, d.mode, d.channelId);
}

/** The shop's imports, newest first; `before`: the id of the last one of the previous page. */
export async function listImportRows(q: Queryable, shopId: string, opts: { limit: number; before?: { createdAt: string; id: string } }): Promise<ImportRow[]> {
  if (opts.before) {
    return q.all<ImportRow>(
      `SELECT ${IMPORT_COLUMNS} FROM "Import" WHERE "shopId" = ? AND ("createdAt" < ? OR ("createdAt" = ? AND "id" < ?)) ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`,
      shopId, opts.before.createdAt, opts.before.createdAt, opts.before.id, opts.limit,
    );
  }
  return q.all<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM "Import" WHERE "shopId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`, shopId, opts.limit);
}

export async function attachImportFile(tx: Tx, shopId: string, importId: string, f: { fileId: string; documentHash: string; filename: string | null; charset: string | null }): Promise<void> {
  await tx.run(`UPDATE "Import" SET "fileId" = ?, "documentHash" = ?, "filename" = COALESCE(?, "filename"), "charset" = COALESCE(?, "charset") WHERE "shopId" = ? AND "id" = ?`, f.fileId, f.documentHash, f.filename, f.charset, shopId, importId);
}

export async function setImportSourceRef(tx: Tx, shopId: string, importId: string, ref: string): Promise<void> {
  await tx.run(`UPDATE "Import" SET "sourceRef" = ? WHERE "shopId" = ? AND "id" = ?`, ref, shopId, importId);
}

/** Running from the start (a retried job starts over: its lines are written again, its orders are idempotent). */
export async function markImportRunning(tx: Tx, shopId: string, importId: string, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "Import" SET "status" = 'running', "startedAt" = ?, "processedLines" = 0, "okLines" = 0, "failedLines" = 0, "error" = NULL WHERE "shopId" = ? AND "id" = ? AND "status" IN ('queued','running')`,
    at, shopId, importId,
  );
  return changes === 1;
}

export interface ImportCounts {
  totalLines: number;
  processedLines: number;
  okLines: number;
  failedLines: number;
}

export async function setImportProgress(tx: Tx, shopId: string, importId: string, c: ImportCounts): Promise<void> {
  await tx.run(`UPDATE "Import" SET "totalLines" = ?, "processedLines" = ?, "okLines" = ?, "failedLines" = ? WHERE "shopId" = ? AND "id" = ?`, c.totalLines, c.processedLines, c.okLines, c.failedLines, shopId, importId);
}

export async function finishImport(
  tx: Tx, shopId: string, importId: string,
  f: ImportCounts & { status: "done" | "failed"; error: string | null; summary: object | null; acknowledgement?: string | null }, at = sqlTime(),
): Promise<void> {
  await tx.run(
    `UPDATE "Import" SET "status" = ?, "error" = ?, "summary" = ?, "acknowledgement" = ?, "totalLines" = ?, "processedLines" = ?, "okLines" = ?, "failedLines" = ?, "finishedAt" = ? WHERE "shopId" = ? AND "id" = ?`,
    f.status, f.error, f.summary ? JSON.stringify(f.summary) : null, f.acknowledgement ?? null, f.totalLines, f.processedLines, f.okLines, f.failedLines, at, shopId, importId,
  );
}

export interface ImportLineRow {
  lineNumber: number;
  ok: boolean;
  message: string | null;
  orderExternalId: string | null;
  orderId: string | null;
}

const lineStatements = new Map<number, string>();
function writeLinesText(rows: number): string {
  let text = lineStatements.get(rows);
  if (!text) {
    text = `INSERT INTO "ImportLine" ("shopId","importId","lineNumber","ok","message","orderExternalId","orderId") VALUES ${Array.from({ length: rows }, () => "(@shop,@import,?,?,?,?,?)").join(",")}
      ON CONFLICT ("importId","lineNumber") DO UPDATE SET "ok" = excluded."ok", "message" = excluded."message", "orderExternalId" = excluded."orderExternalId", "orderId" = excluded."orderId"`;
    lineStatements.set(rows, text);
  }
  return text;
}

/** Write (or rewrite) line results: 256 a statement, the rest in powers of two (few statement shapes to prepare). */
export async function writeImportLines(tx: Tx, shopId: string, importId: string, lines: ImportLineRow[]): Promise<void> {
  let i = 0;
  while (i < lines.length) {
    const left = lines.length - i;
    const size = left >= 256 ? 256 : 2 ** Math.floor(Math.log2(left));
    const values: unknown[] = [{ shop: shopId, import: importId }];
    for (const l of lines.slice(i, i + size)) values.push(l.lineNumber, l.ok, l.message, l.orderExternalId, l.orderId);
    await tx.run(writeLinesText(size), ...values);
    i += size;
  }
}

const normalise = (r: ImportLineRow): ImportLineRow => ({ ...r, ok: Boolean(r.ok) });

/** Line results after line `after`, in line order; `failedOnly`: the refused ones. */
export async function importLinesPage(q: Queryable, shopId: string, importId: string, opts: { after: number; limit: number; failedOnly?: boolean }): Promise<ImportLineRow[]> {
  const rows = await q.all<ImportLineRow>(
    `SELECT "lineNumber","ok","message","orderExternalId","orderId" FROM "ImportLine" WHERE "shopId" = ? AND "importId" = ? AND "lineNumber" > ?${opts.failedOnly ? ` AND "ok" = ?` : ""} ORDER BY "lineNumber" LIMIT ?`,
    ...(opts.failedOnly ? [shopId, importId, opts.after, false, opts.limit] : [shopId, importId, opts.after, opts.limit]),
  );
  return rows.map(normalise);
}

/** The orders an import stored (external id → ours), in the order of their first line. */
export async function importOrders(q: Queryable, shopId: string, importId: string, limit: number): Promise<{ externalId: string; id: string }[]> {
  return q.all<{ externalId: string; id: string }>(
    `SELECT "orderExternalId" AS "externalId", "orderId" AS "id" FROM "ImportLine" WHERE "shopId" = ? AND "importId" = ? AND "orderId" IS NOT NULL GROUP BY "orderExternalId", "orderId" ORDER BY MIN("lineNumber") LIMIT ?`,
    shopId, importId, limit,
  );
}
