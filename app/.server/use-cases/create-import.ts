import { createHash, webcrypto } from "node:crypto";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { IMPORT_MODES, type ImportMode } from "~/domain/imports/import-file";
import { intakeChannel, type IntakeChannel } from "../channels/intake-channel";
import { database } from "../db/database";
import type { Tx } from "../db/engine/types";
import { ERASED_FILE_ENCODING, findImport, importFile, insertImport, saveImportFile, unfinishedImportOf } from "../db/imports-sql";
import { listChannels } from "../db/shops";
import { listTradingPartners, tradingPartnerByChannel, tradingPartnerByCode, tradingPartnerById } from "../db/trading-partners-sql";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { AppError } from "../errors";
import { importFormat } from "../imports/formats";
import type { ImportFormat } from "../imports/import-format";
import { enqueueImport } from "../jobs/queue";

// Imports as records (ADR 0016): a file handed in (uploaded on the Imports page, POSTed to /api/v1/imports) is
// kept byte for byte, once per shop and document, and an Import records the attempt to take it in; the `import`
// job runs it (run-import.ts). Handing in the same document again while its import is still queued or running
// answers that import; once it has finished, a new import runs and changes nothing (orders are idempotent on
// channel + document key). A re-import runs a kept file again, in the mode the merchant now chooses.

/** The largest file taken: a year of a busy seller's order report is well under this. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
export const FILE_ENCODING = "gzip+base64";

export interface NewImportInput {
  format: string;
  bytes: Uint8Array;
  filename?: string | null;
  /** The channel to import into; default the shop's only active channel of the format's kind. */
  channelId?: string | null;
  /** For a wholesale format: the trading partner (id or code); its channel is the import's (ADR 0018). */
  partner?: string | null;
  mode?: string | null;
  source: "upload" | "api" | "drop-folder";
  /** Where the file came from, for its source (the drop folder: the file's name there). */
  sourceRef?: string | null;
  /** The text encoding the sender declared (Content-Type charset), if any. */
  charset?: string | null;
}

export interface CreatedImport {
  importId: string;
  /** An import of the same document was still queued or running: that one is answered. */
  existing: boolean;
}

export function importModeOf(mode: string | null | undefined): ImportMode {
  if (mode === undefined || mode === null || mode === "") return "all-or-nothing";
  if ((IMPORT_MODES as readonly string[]).includes(mode)) return mode as ImportMode;
  throw new AppError("invalid_data", "IMPORT.UNKNOWN_MODE", `Unknown import mode "${mode.slice(0, 40)}": use ${IMPORT_MODES.join(" or ")}.`);
}

/** The channel an import of this format goes into: the one named (of the format's kind), or the shop's only one. */
export async function importChannel(shopId: string, format: ImportFormat, channelId?: string | null): Promise<IntakeChannel> {
  const db = database();
  if (channelId) {
    const channel = await intakeChannel(db, shopId, channelId);
    if (channel.kind !== format.channelKind) throw new AppError("invalid_data", "IMPORT.WRONG_CHANNEL", `Channel ${channelId} is a ${channel.kind} channel: ${format.id} imports into an ${format.channelKind} channel.`);
    return channel;
  }
  const candidates = (await listChannels(db, shopId)).filter((c) => c.kind === format.channelKind && c.active);
  if (candidates.length === 0) throw new AppError("invalid_data", "IMPORT.NO_CHANNEL", `This shop has no active ${format.channelKind} channel to import ${format.id} into: add one on the Channels page.`);
  if (candidates.length > 1) throw new AppError("invalid_data", "IMPORT.CHANNEL_REQUIRED", `This shop has ${candidates.length} ${format.channelKind} channels: name one with channel=<id> (${candidates.map((c) => c.id).join(", ")}).`);
  return intakeChannel(db, shopId, candidates[0].id);
}

export interface ImportTarget {
  /** Null only for a format that finds its partner in each document, when none was named. */
  channel: IntakeChannel | null;
  partner: TradingPartner | null;
}

/**
 * Where an import goes (ADR 0018). A format for no partner: its channel (importChannel). A partner format: the
 * partner named (id or code) or the one whose channel is named, else the shop's only partner when the format
 * requires one; its channel is the import's. Anything ambiguous or unknown is refused saying what to name.
 */
export async function importTarget(shopId: string, format: ImportFormat, ref: { channelId?: string | null; partner?: string | null }): Promise<ImportTarget> {
  if (!format.partner) {
    if (ref.partner) throw new AppError("invalid_data", "IMPORT.PARTNER_NOT_TAKEN", `${format.id} imports are not a trading partner's: leave partner out.`);
    return { channel: await importChannel(shopId, format, ref.channelId), partner: null };
  }
  const partner = await importPartner(shopId, format, ref);
  if (!partner) return { channel: null, partner: null };
  if (ref.channelId && ref.channelId !== partner.channelId) throw new AppError("invalid_data", "IMPORT.WRONG_CHANNEL", `Channel ${ref.channelId.slice(0, 64)} is not trading partner ${partner.code}'s: leave channel out, the partner's channel is the import's.`);
  return { channel: await intakeChannel(database(), shopId, partner.channelId), partner };
}

async function importPartner(shopId: string, format: ImportFormat, ref: { channelId?: string | null; partner?: string | null }): Promise<TradingPartner | null> {
  const db = database();
  const partners = () => listTradingPartners(db, shopId);
  const codes = async () => (await partners()).map((p) => p.code).join(", ");
  if (ref.partner) {
    const found = (await tradingPartnerById(db, shopId, ref.partner)) ?? (await tradingPartnerByCode(db, shopId, ref.partner));
    if (!found) throw new AppError("invalid_data", "IMPORT.UNKNOWN_PARTNER", `No trading partner ${ref.partner.slice(0, 64)} in this shop: name one by its id or code (${(await codes()) || "none yet: add one on the Channels page"}).`);
    return found;
  }
  if (ref.channelId) {
    const owner = await tradingPartnerByChannel(db, shopId, ref.channelId);
    if (!owner) throw new AppError("invalid_data", "IMPORT.NOT_PARTNER_CHANNEL", `Channel ${ref.channelId.slice(0, 64)} is no trading partner's: name the partner with partner=<code>.`);
    return owner;
  }
  if (format.partner === "from-document") return null;
  const all = await partners();
  if (all.length === 1) return all[0];
  if (all.length === 0) throw new AppError("invalid_data", "IMPORT.NO_PARTNER", `This shop has no wholesale trading partner to import ${format.id} for: add one on the Channels page.`);
  throw new AppError("invalid_data", "IMPORT.PARTNER_REQUIRED", `This shop has ${all.length} trading partners: name one with partner=<code> (${all.map((p) => p.code).join(", ")}).`);
}

export function documentHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A file ready to be kept: its SHA-256 and its gzip, made on libuv's thread pool, not the event loop. */
export interface PackedImportFile {
  documentHash: string;
  byteSize: number;
  /** gzip, base64. */
  content: string;
}

export async function packImportFile(bytes: Uint8Array): Promise<PackedImportFile> {
  const [digest, zipped] = await Promise.all([webcrypto.subtle.digest("SHA-256", bytes), gzipInParts(bytes)]);
  return { documentHash: Buffer.from(digest).toString("hex"), byteSize: bytes.byteLength, content: zipped.toString("base64") };
}

/** Below this a file is one gzip member: splitting it would save nothing worth a member's header. */
const GZIP_PART_BYTES = 4 * 1024 * 1024;

/**
 * gzip of a large file as consecutive members, one per core, compressed at once on the thread pool. A gzip
 * stream may hold several members; gunzip (and `gzip -d`) reads them back as the one file. A 27 MB report: one
 * member ≈ 0.32 s, two ≈ 0.19 s on 2 cores, the same 3.64 MB (ADR 0039).
 */
export async function gzipInParts(bytes: Uint8Array): Promise<Buffer> {
  const parts = Math.max(1, Math.min(availableParallelism(), Math.floor(bytes.byteLength / GZIP_PART_BYTES)));
  if (parts === 1) return gzipAsync(bytes);
  const size = Math.ceil(bytes.byteLength / parts);
  return Buffer.concat(await Promise.all(Array.from({ length: parts }, (_, i) => gzipAsync(bytes.subarray(i * size, (i + 1) * size)))));
}

/** Keep a packed file (once per shop and document) in the transaction; its id and hash. */
export async function keepImportFile(tx: Tx, shopId: string, file: PackedImportFile): Promise<{ fileId: string; documentHash: string }> {
  const fileId = await saveImportFile(tx, shopId, { documentHash: file.documentHash, byteSize: file.byteSize, encoding: FILE_ENCODING, content: file.content });
  return { fileId, documentHash: file.documentHash };
}

/** A kept file's bytes, exactly as they were handed in. */
export async function importFileBytes(shopId: string, fileId: string): Promise<Buffer> {
  const file = await importFile(database(), shopId, fileId);
  if (!file) throw new AppError("not_found", "IMPORT.FILE_NOT_FOUND", `The file of this import is not kept (${fileId}).`);
  if (file.encoding === ERASED_FILE_ENCODING) throw new AppError("not_allowed", "IMPORT.FILE_ERASED", "This import's file was erased when a customer named in it asked to be forgotten (customers/redact); its results stay, the file cannot be read again.");
  if (file.encoding !== FILE_ENCODING) throw new AppError("unexpected_state", "IMPORT.FILE_ENCODING", `Kept file ${fileId} is stored as ${file.encoding}, which this version cannot read.`);
  return gunzipAsync(Buffer.from(file.content, "base64"));
}

/** Record a file handed in and queue its import (`queue: false`: the caller runs it at once). */
/** A file handed in, refused before anything is read when its format, mode or size is wrong. */
export function acceptedImport(input: Pick<NewImportInput, "format" | "mode" | "bytes">): { format: ImportFormat; mode: ImportMode } {
  const format = importFormat(input.format);
  const mode = importModeOf(input.mode);
  if (input.bytes.byteLength === 0) throw new AppError("invalid_data", "IMPORT.EMPTY_FILE", "The file is empty.");
  if (input.bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError("invalid_data", "IMPORT.TOO_LARGE", `The file is larger than the limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  return { format, mode };
}

export async function createImport(shopId: string, input: NewImportInput, opts: { queue?: boolean } = {}): Promise<CreatedImport> {
  const { format, mode } = acceptedImport(input);
  const { channel } = await importTarget(shopId, format, input);
  const channelId = channel?.channelId ?? null;
  const packed = await packImportFile(input.bytes);
  const running = await unfinishedImportOf(database(), shopId, { channelId, format: format.id, documentHash: packed.documentHash, mode });
  if (running) {
    if (opts.queue !== false) await enqueueImport(shopId, running.id); // a job lost with an in-process queue is queued again (same job id: never twice)
    return { importId: running.id, existing: true };
  }
  const filename = input.filename ? input.filename.slice(0, 200) : null;
  const charset = input.charset ? input.charset.slice(0, 40) : null;
  const importId = await database().transaction(async (tx) => {
    const file = await keepImportFile(tx, shopId, packed);
    return insertImport(tx, shopId, { channelId, fileId: file.fileId, format: format.id, source: input.source, sourceRef: input.sourceRef ?? null, filename, charset, mode, documentHash: file.documentHash });
  });
  if (opts.queue !== false) await enqueueImport(shopId, importId);
  return { importId, existing: false };
}

/** Run a finished import's kept file again as a new import (in `mode`, default the one it ran in). */
export async function reimport(shopId: string, importId: string, mode?: string | null): Promise<CreatedImport> {
  const previous = await findImport(database(), shopId, importId);
  if (!previous) throw new AppError("not_found", "IMPORT.NOT_FOUND", `No import ${importId} in this shop.`);
  if (!previous.fileId || !previous.documentHash) throw new AppError("conflict", "IMPORT.NO_FILE", `Import ${importId} has no file yet: it is still being fetched.`);
  if (previous.status === "queued" || previous.status === "running") return { importId, existing: true };
  const id = await database().transaction((tx) =>
    insertImport(tx, shopId, {
      channelId: previous.channelId, fileId: previous.fileId, format: previous.format, source: "reimport", sourceRef: previous.id,
      filename: previous.filename, charset: previous.charset, mode: mode ? importModeOf(mode) : previous.mode, documentHash: previous.documentHash,
    }),
  );
  await enqueueImport(shopId, id);
  return { importId: id, existing: false };
}

/**
 * Queue an unfinished import's job again: a job lost with the in-process queue (a restart) is run; one still queued
 * or running is not doubled (the import's id is the job id).
 */
export async function resumeImport(shopId: string, importId: string): Promise<boolean> {
  const imp = await findImport(database(), shopId, importId);
  if (!imp) throw new AppError("not_found", "IMPORT.NOT_FOUND", `No import ${importId} in this shop.`);
  if (imp.status !== "queued" && imp.status !== "running") return false;
  await enqueueImport(shopId, importId);
  return true;
}
