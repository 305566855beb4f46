import type { ImportDocument, ImportLineResult, ParsedImportFile } from "~/domain/imports/import-file";
import { intakeChannel, type IntakeChannel } from "../channels/intake-channel";
import { database } from "../db/database";
import { attachImportFile, finishImport, findImport, markImportRunning, setImportProgress, writeImportLines, type ImportCounts, type ImportLineRow, type ImportRow } from "../db/imports-sql";
import { AppError } from "../errors";
import { parseAndCheck } from "../imports/checked-parse";
import { importFormat } from "../imports/formats";
import type { AppliedDocument, DocumentOutcome } from "../imports/import-format";
import { importFileBytes, keepImportFile, packImportFile } from "./create-import";
import { BATCH_ORDERS } from "./ingest-order-batch";
import { deliverDropFolderResult, DROP_FOLDER_SOURCE } from "./deliver-drop-folder-result";
import { downloadAmazonOrderReport, type FetchOptions } from "./fetch-amazon-order-report";

// The `import` job (ADR 0016): read the kept file whole with its format's parser, then
//  - all-or-nothing (the default): a refused line stops everything: nothing is stored, every line's result says
//    why (the refused ones) or that it was not taken for that reason; the import fails with the count;
//  - line by line: the orders whose every line is good are taken in; the others are listed with why (an order is
//    never taken in part).
// Orders go through their format's apply (for Amazon reports the same path as the Orders API poll), several at
// once, each in its own transaction — or, for a format with a batch intake, plain new orders many per transaction
// (ADR 0032) and the rest through apply; line results and progress are written in batches. A job that stops half way
// (a crash, the database away) is retried from the start: what was taken in is unchanged by the second pass
// (idempotent on channel + document key), so the file ends up taken in whole.

/** Orders applied at once: they commit in shared groups on SQLite and on separate connections on PostgreSQL. */
const IN_FLIGHT = 8;
/** Line results and progress are written this often (lines, or milliseconds), whichever comes first. */
const FLUSH_LINES = 1_000;
const FLUSH_MS = 500;

export interface ImportSummary {
  orders: number;
  created: number;
  updated: number;
  unchanged: number;
  cancelled: number;
  /** Orders whose lines were all good but that could not be taken in (the channel refused them). */
  refusedOrders: number;
  skippedLines: number;
  notes: string[];
}

export interface RunImportOptions extends FetchOptions {
  /** Orders applied at once (default 8). */
  inFlight?: number;
  /** New orders taken in per transaction by formats with a batch intake (ADR 0032; default 500); 1: one by one. */
  batchSize?: number;
}

/** Run a queued import to its end. Returns false when it was not queued or running (done already: nothing to do). */
export async function runImport(shopId: string, importId: string, opts: RunImportOptions = {}): Promise<boolean> {
  const db = database();
  const imp = await findImport(db, shopId, importId);
  if (!imp || imp.status === "done" || imp.status === "failed") return false;
  if (!(await db.transaction((tx) => markImportRunning(tx, shopId, importId)))) return false;
  await runRunning(shopId, importId, imp, opts);
  // A file taken from the EDI drop folder: its 997 is written beside it, and an unreadable file set apart.
  if (imp.source === DROP_FOLDER_SOURCE) await deliverDropFolderResult(shopId, importId);
  return true;
}

async function runRunning(shopId: string, importId: string, taken: ImportRow, opts: RunImportOptions): Promise<void> {
  const db = database();
  let imp = taken;
  const format = importFormat(imp.format);
  const unit = format.lineUnit ?? "line";
  const acknowledge = async (parsed: ParsedImportFile<unknown>, lines: readonly ImportLineResult[], nothingTaken: boolean) => (format.acknowledge ? await format.acknowledge(parsed, lines, { shopId, importId, nothingTaken }) : null);
  const actor = `import:${importId}`;
  const empty: ImportCounts = { totalLines: 0, processedLines: 0, okLines: 0, failedLines: 0 };

  if (!imp.fileId) {
    if (imp.source !== "reports-api") throw new AppError("unexpected_state", "IMPORT.NO_FILE", `Import ${importId} has no file.`);
    const fetched = await downloadAmazonOrderReport(shopId, imp, opts);
    if (!fetched) {
      await db.transaction((tx) => finishImport(tx, shopId, importId, { ...empty, status: "done", error: null, summary: summaryOf([], 0, ["Amazon had no orders updated in the period (the report was CANCELLED)"]) }));
      return;
    }
    const packed = await packImportFile(fetched.bytes);
    await db.transaction(async (tx) => {
      const file = await keepImportFile(tx, shopId, packed);
      await attachImportFile(tx, shopId, importId, { ...file, filename: fetched.filename, charset: fetched.charset });
    });
    imp = (await findImport(db, shopId, importId))!;
  }

  const parsed = await parseAndCheck(format, await importFileBytes(shopId, imp.fileId!), { charset: imp.charset, shopId, channelId: imp.channelId, purpose: "import" });
  if (parsed.fileError) {
    const acknowledgement = await acknowledge(parsed, [], true);
    await db.transaction((tx) => finishImport(tx, shopId, importId, { ...empty, status: "failed", error: `Nothing was imported: ${parsed.fileError}.`, summary: summaryOf([], 0, parsed.notes), acknowledgement }));
    return;
  }
  const refused = parsed.lines.filter((l) => !l.ok);
  const total = parsed.totalLines;
  if (refused.length > 0 && imp.mode === "all-or-nothing") {
    const why = `not imported: ${refused.length} ${unit}${refused.length === 1 ? "" : "s"} of the file ${refused.length === 1 ? "is" : "are"} refused (all or nothing)`;
    const rows = parsed.lines.map((l) => row(l, l.ok ? (l.message ? `${l.message}; ${why}` : `${unit} ${l.line}: valid; ${why}`) : l.message));
    const acknowledgement = await acknowledge(parsed, parsed.lines, true);
    await db.transaction(async (tx) => {
      await writeImportLines(tx, shopId, importId, rows);
      await finishImport(tx, shopId, importId, {
        status: "failed", totalLines: total, processedLines: total, okLines: total - refused.length, failedLines: refused.length,
        error: `${refused.length} of ${total} ${unit}s are refused (the first: ${refused[0].message}): nothing was imported. Correct the file and import it again, or import it line by line to take in the orders whose ${unit}s are all good.`,
        summary: summaryOf([], 0, parsed.notes),
        acknowledgement,
      });
    });
    return;
  }

  // The channel as it is now: switched off or gone since the file came in, nothing is taken. A format that finds
  // the partner in each document (X12) names each document's channel; those are read as they come.
  const importChannel = imp.channelId ? await intakeChannel(db, shopId, imp.channelId) : null;
  const channels = new Map<string, Promise<IntakeChannel>>();
  const channelOf = (doc: ImportDocument<unknown>): Promise<IntakeChannel> => {
    const id = doc.channelId ?? importChannel?.channelId;
    if (!id) return Promise.reject(new AppError("invalid_data", "IMPORT.NO_CHANNEL", `no trading partner or channel was found for ${doc.key}`));
    if (id === importChannel?.channelId) return Promise.resolve(importChannel);
    if (!channels.has(id)) channels.set(id, intakeChannel(db, shopId, id));
    return channels.get(id)!;
  };
  const counts: ImportCounts = { totalLines: total, processedLines: 0, okLines: 0, failedLines: 0 };
  const pending: ImportLineRow[] = [];
  const finals: ImportLineResult[] = []; // what an acknowledgement (X12's 997) is built from
  let lastFlush = Date.now();
  let flushing: Promise<void> = Promise.resolve();
  const record = (rows: ImportLineRow[]) => {
    for (const r of rows) {
      pending.push(r);
      if (format.acknowledge) finals.push({ line: r.lineNumber, ok: r.ok, message: r.message, documentKey: r.orderExternalId });
      counts.processedLines += 1;
      if (r.ok) counts.okLines += 1;
      else counts.failedLines += 1;
    }
  };
  const flush = (force = false): Promise<void> => {
    if (!force && pending.length < FLUSH_LINES && Date.now() - lastFlush < FLUSH_MS) return flushing;
    const batch = pending.splice(0, pending.length);
    const snapshot = { ...counts };
    lastFlush = Date.now();
    flushing = flushing.then(() => db.transaction(async (tx) => {
      await writeImportLines(tx, shopId, importId, batch);
      await setImportProgress(tx, shopId, importId, snapshot);
    }));
    return flushing;
  };

  // Lines that belong to no document being taken in (refused, skipped) have their result now.
  const inDocuments = new Set(parsed.documents.flatMap((d) => d.lines));
  record(parsed.lines.filter((l) => !inDocuments.has(l.line)).map((l) => row(l, l.message)));
  await flush(true);

  const outcomes: { outcome: DocumentOutcome | "refused" }[] = [];
  const applied = (doc: ImportDocument<unknown>, result: AppliedDocument) => {
    outcomes.push({ outcome: result.outcome });
    record(doc.lines.map((n) => ({ lineNumber: n, ok: true, message: `${unit} ${n}: ${result.message}`, orderExternalId: doc.key, orderId: result.orderId })));
  };
  const applyOne = async (doc: ImportDocument<unknown>) => {
    try {
      applied(doc, await format.apply(await channelOf(doc), doc, actor));
    } catch (error) {
      // The channel refused this order (its data, not the database): its lines say why, the others go on.
      if (!(error instanceof AppError) || error.type === "unexpected_state") throw error;
      outcomes.push({ outcome: "refused" });
      record(doc.lines.map((n) => ({ lineNumber: n, ok: false, message: `${unit} ${n}: order ${doc.key} not taken in: ${error.message}`, orderExternalId: doc.key, orderId: null })));
    }
    await flush();
  };
  const applyEach = async (docs: readonly ImportDocument<unknown>[]) => {
    let next = 0;
    const work = async () => {
      while (next < docs.length) await applyOne(docs[next++]);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.inFlight ?? IN_FLIGHT, docs.length)) }, work));
  };
  const documents = parsed.documents as ImportDocument<unknown>[];
  const batchSize = opts.batchSize ?? BATCH_ORDERS;
  if (!format.applyBatch || batchSize <= 1) {
    await applyEach(documents);
  } else {
    // The batch intake (ADR 0032): plain new orders many per transaction, one channel's at a time; what a batch
    // leaves (an order held already, FBA, …) goes through apply, several at once, before the next batch.
    for (let start = 0; start < documents.length; ) {
      const channelId = documents[start].channelId ?? importChannel?.channelId;
      let end = start + 1;
      while (end < documents.length && end - start < batchSize && (documents[end].channelId ?? importChannel?.channelId) === channelId) end++;
      const docs = documents.slice(start, end);
      start = end;
      let results: (AppliedDocument | null)[];
      try {
        results = await format.applyBatch(await channelOf(docs[0]), docs, actor);
      } catch (error) {
        // The channel refused the lot (switched off, gone): each document gets its own answer below.
        if (!(error instanceof AppError) || error.type === "unexpected_state") throw error;
        results = docs.map(() => null);
      }
      docs.forEach((doc, i) => {
        const result = results[i];
        if (result) applied(doc, result);
      });
      await flush();
      await applyEach(docs.filter((_, i) => !results[i]));
    }
  }
  await flush(true);
  const summary = summaryOf(outcomes, parsed.lines.filter((l) => l.ok && l.message && !inDocuments.has(l.line)).length, parsed.notes);
  const acknowledgement = await acknowledge(parsed, finals.sort((a, b) => a.line - b.line), false);
  const problems = counts.failedLines > 0 ? `${counts.failedLines} of ${total} ${unit}s were not imported (line by line: the other orders were)` : null;
  await db.transaction((tx) => finishImport(tx, shopId, importId, { ...counts, status: "done", error: problems, summary, acknowledgement }));
}

function row(l: ImportLineResult, message: string | null): ImportLineRow {
  return { lineNumber: l.line, ok: l.ok, message, orderExternalId: l.documentKey, orderId: null };
}

function summaryOf(outcomes: { outcome: DocumentOutcome | "refused" }[], skippedLines: number, notes: string[]): ImportSummary {
  const n = (o: string) => outcomes.filter((x) => x.outcome === o).length;
  return { orders: outcomes.length, created: n("created"), updated: n("updated"), unchanged: n("unchanged"), cancelled: n("cancelled"), refusedOrders: n("refused"), skippedLines, notes };
}

/** Mark an import failed with why (its job gave up). Orders already taken in stay: they are correct on their own. */
export async function failImport(shopId: string, importId: string, reason: string): Promise<void> {
  const db = database();
  const imp = await findImport(db, shopId, importId);
  if (!imp || imp.status === "done" || imp.status === "failed") return;
  await db.transaction((tx) =>
    finishImport(tx, shopId, importId, {
      status: "failed", totalLines: imp.totalLines, processedLines: imp.processedLines, okLines: imp.okLines, failedLines: imp.failedLines,
      error: `Stopped: ${reason.slice(0, 500)}${imp.processedLines > 0 ? " Orders already taken in stay; importing the file again takes in the rest and changes nothing else." : ""}`,
      summary: imp.summary ? JSON.parse(imp.summary) : null,
    }),
  );
}
