import type { ImportLineResult } from "~/domain/imports/import-file";
import { parseAndCheck } from "../imports/checked-parse";
import { acceptedImport, documentHash, importTarget, type NewImportInput } from "./create-import";
import { MAX_LINES_PAGE, type ImportView } from "./read-imports";
import type { ImportSummary } from "./run-import";

// A preview (ADR 0018): the file read and checked exactly as its import would be — against the catalog and the
// trading partner's items — and every line's result shown, with nothing stored: not the file, not a record, not
// an order. The answer has an import's shape with status "preview", no id and no orders; its summary counts what
// importing the file would do. The merchant then imports it (all or nothing, or line by line) as any file.

export interface ImportPreview extends Omit<ImportView, "id" | "status"> {
  id: null;
  status: "preview";
  partner: { id: string; code: string; name: string } | null;
  /** More lines than a page: the refused ones are all shown first (up to the page), then the others in order. */
  linesTruncated: boolean;
}

/** The lines a preview shows: all when they fit a page, else every refused line (up to a page) and then the rest. */
function shownLines(lines: ImportLineResult[]): { lines: ImportLineResult[]; truncated: boolean } {
  if (lines.length <= MAX_LINES_PAGE) return { lines, truncated: false };
  const refused = lines.filter((l) => !l.ok).slice(0, MAX_LINES_PAGE);
  const room = MAX_LINES_PAGE - refused.length;
  const others = lines.filter((l) => l.ok).slice(0, room);
  return { lines: [...refused, ...others].sort((a, b) => a.line - b.line), truncated: true };
}

export async function previewImport(shopId: string, input: NewImportInput, now = new Date()): Promise<ImportPreview> {
  const { format, mode } = acceptedImport(input);
  const { channel, partner } = await importTarget(shopId, format, input);
  const parsed = await parseAndCheck(format, input.bytes, { charset: input.charset ?? null, shopId, channelId: channel?.channelId ?? null, purpose: "preview" });
  const refused = parsed.lines.filter((l) => !l.ok);
  const unchanged = parsed.documents.filter((d) => d.unchanged).length;
  const cancelled = parsed.documents.filter((d) => d.cancels && !d.unchanged).length;
  const inDocuments = new Set(parsed.documents.flatMap((d) => d.lines));
  const summary: ImportSummary = {
    orders: parsed.documents.length,
    created: parsed.documents.length - unchanged - cancelled,
    updated: 0,
    unchanged,
    cancelled,
    refusedOrders: 0,
    skippedLines: parsed.lines.filter((l) => l.ok && l.message && !inDocuments.has(l.line)).length,
    notes: ["preview: nothing was stored; the counts say what importing the file would do", ...parsed.notes],
  };
  const total = parsed.totalLines;
  const error = parsed.fileError
    ? `Nothing would be imported: ${parsed.fileError}.`
    : refused.length
      ? `${refused.length} of ${total} ${format.lineUnit ?? "line"}s are refused (the first: ${refused[0].message}): importing all or nothing would take in nothing; line by line would take in the ${parsed.documents.length} order${parsed.documents.length === 1 ? "" : "s"} whose lines are all good.`
      : null;
  const shown = shownLines(parsed.lines);
  return {
    id: null,
    status: "preview",
    format: format.id,
    source: input.source,
    channelId: channel?.channelId ?? null,
    partner: partner ? { id: partner.id, code: partner.code, name: partner.name } : null,
    filename: input.filename ? input.filename.slice(0, 200) : null,
    mode,
    documentHash: documentHash(input.bytes),
    progress: { processedLines: total, totalLines: total, percent: 100 },
    okLines: total - refused.length,
    failedLines: refused.length,
    summary,
    error,
    reimportOf: null,
    createdAt: now.toISOString(),
    startedAt: null,
    finishedAt: null,
    orders: [],
    ordersTruncated: false,
    lines: shown.lines.map((l) => ({ line: l.line, ok: l.ok, message: l.message ?? `line ${l.line}: ok`, orderExternalId: l.documentKey, orderId: null })),
    linesTruncated: shown.truncated,
    nextAfter: null,
    acknowledgement: null,
  };
}
