import { connectedAmazonChannelIds } from "../db/amazon-sql";
import { database } from "../db/database";
import { listChannels } from "../db/shops";
import { listTradingPartners } from "../db/trading-partners-sql";
import { importFormats } from "../imports/formats";
import { findImport, importLinesPage, importOrders, listImportRows, type ImportLineRow, type ImportRow } from "../db/imports-sql";
import { AppError } from "../errors";
import type { ImportSummary } from "./run-import";

// Imports as the API and the Imports page show them (ADR 0016): status, progress, what became of each order and
// each line (paged by line number), and every line's result as CSV.

export const MAX_LINES_PAGE = 5_000;
const MAX_ORDERS_SHOWN = 10_000;

export interface ImportListItem {
  id: string;
  format: string;
  source: string;
  channelId: string | null;
  filename: string | null;
  status: ImportRow["status"];
  mode: ImportRow["mode"];
  documentHash: string | null;
  progress: { processedLines: number; totalLines: number; percent: number };
  okLines: number;
  failedLines: number;
  summary: ImportSummary | null;
  error: string | null;
  reimportOf: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function percent(row: ImportRow): number {
  if (row.status === "done" || row.status === "failed") return 100;
  return row.totalLines > 0 ? Math.min(99, Math.floor((row.processedLines / row.totalLines) * 100)) : 0;
}

function listItem(row: ImportRow): ImportListItem {
  return {
    id: row.id,
    format: row.format,
    source: row.source,
    channelId: row.channelId,
    filename: row.filename,
    status: row.status,
    mode: row.mode,
    documentHash: row.documentHash,
    progress: { processedLines: Number(row.processedLines), totalLines: Number(row.totalLines), percent: percent(row) },
    okLines: Number(row.okLines),
    failedLines: Number(row.failedLines),
    summary: row.summary ? (JSON.parse(row.summary) as ImportSummary) : null,
    error: row.error,
    reimportOf: row.source === "reimport" ? row.sourceRef : null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** The shop's imports, newest first; `cursor` is the last id of the previous page. */
export async function listImports(shopId: string, opts: { limit?: number; cursor?: string } = {}): Promise<{ imports: ImportListItem[]; nextCursor: string | null }> {
  const db = database();
  const limit = Math.min(Math.max(opts.limit ?? 25, 1), 100);
  const before = opts.cursor ? await findImport(db, shopId, opts.cursor) : undefined;
  const rows = await listImportRows(db, shopId, { limit: limit + 1, before: before ? { createdAt: before.createdAt, id: before.id } : undefined });
  return { imports: rows.slice(0, limit).map(listItem), nextCursor: rows.length > limit ? rows[limit - 1].id : null };
}

export interface ImportView extends ImportListItem {
  orders: { externalId: string; id: string }[];
  ordersTruncated: boolean;
  lines: { line: number; ok: boolean; message: string | null; orderExternalId: string | null; orderId: string | null }[];
  /** Give as `after` for the next page of lines; null on the last page. */
  nextAfter: number | null;
  /** What the sender is answered with (X12: the 997 text); null for Amazon reports. */
  acknowledgement: string | null;
}

const lineOf = (l: ImportLineRow) => ({ line: Number(l.lineNumber), ok: l.ok, message: l.message, orderExternalId: l.orderExternalId, orderId: l.orderId });

/** One import with its orders and a page of line results (after line `after`; `failedOnly`: the refused ones). */
export async function readImport(shopId: string, importId: string, opts: { after?: number; limit?: number; failedOnly?: boolean } = {}): Promise<ImportView> {
  const db = database();
  const row = await findImport(db, shopId, importId);
  if (!row) throw new AppError("not_found", "IMPORT.NOT_FOUND", `No import ${importId} in this shop.`);
  const limit = Math.min(Math.max(opts.limit ?? 1_000, 1), MAX_LINES_PAGE);
  const [orders, lines] = await Promise.all([
    importOrders(db, shopId, importId, MAX_ORDERS_SHOWN + 1),
    importLinesPage(db, shopId, importId, { after: opts.after ?? 0, limit: limit + 1, failedOnly: opts.failedOnly }),
  ]);
  const page = lines.slice(0, limit);
  return {
    ...listItem(row),
    orders: orders.slice(0, MAX_ORDERS_SHOWN),
    ordersTruncated: orders.length > MAX_ORDERS_SHOWN,
    lines: page.map(lineOf),
    nextAfter: lines.length > limit ? Number(page[page.length - 1].lineNumber) : null,
    acknowledgement: row.acknowledgement,
  };
}

function csvField(value: string | number | boolean | null): string {
  const text = value === null ? "" : String(value);
  // Quote what needs it, and neutralise spreadsheet formulas (a message may quote the file's own text).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every line's result as CSV (RFC 4180), streamed a page at a time. */
export async function importLinesCsv(shopId: string, importId: string, opts: { failedOnly?: boolean } = {}): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  const db = database();
  const row = await findImport(db, shopId, importId);
  if (!row) throw new AppError("not_found", "IMPORT.NOT_FOUND", `No import ${importId} in this shop.`);
  const encoder = new TextEncoder();
  let after = 0;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("line,ok,message,order_external_id,order_id\r\n"));
      }
      const page = await importLinesPage(db, shopId, importId, { after, limit: MAX_LINES_PAGE, failedOnly: opts.failedOnly });
      if (page.length === 0) return controller.close();
      after = Number(page[page.length - 1].lineNumber);
      controller.enqueue(encoder.encode(page.map((l) => [l.lineNumber, l.ok, l.message, l.orderExternalId, l.orderId].map(csvField).join(",") + "\r\n").join("")));
    },
  });
  return { filename: `import-${importId}-lines${opts.failedOnly ? "-refused" : ""}.csv`, stream };
}

/**
 * The Imports page: the imports (newest first), the formats a file can be in, the channels to import into (for
 * formats that are no trading partner's) and the trading partners (for wholesale formats: their channel is the import's).
 */
export async function importsPage(shopId: string, opts: { cursor?: string } = {}) {
  const db = database();
  const formats = importFormats();
  const kinds = new Set<string>(formats.filter((f) => !f.partner).map((f) => f.channelKind));
  const [list, channels, connected, partners] = await Promise.all([listImports(shopId, { cursor: opts.cursor, limit: 25 }), listChannels(db, shopId), connectedAmazonChannelIds(db, shopId), listTradingPartners(db, shopId)]);
  return {
    ...list,
    formats: formats.map((f) => ({ id: f.id, label: f.label, accept: f.accept, channelKind: f.channelKind as string, partner: f.partner ?? null, template: Boolean(f.template) })),
    channels: channels.filter((c) => kinds.has(c.kind) && c.active).map((c) => ({ id: c.id, name: c.name, kind: c.kind, connected: connected.has(c.id) })),
    partners: partners.map((p) => ({ id: p.id, code: p.code, name: p.name, channelId: p.channelId })),
  };
}
