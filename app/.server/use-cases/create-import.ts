import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { IMPORT_MODES, type ImportMode } from "~/domain/imports/import-file";
import { intakeChannel, type IntakeChannel } from "../channels/intake-channel";
import { database } from "../db/database";
import type { Tx } from "../db/engine/types";
import { findImport, importFile, insertImport, saveImportFile, unfinishedImportOf } from "../db/imports-sql";
import { listChannels } from "../db/shops";
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
  mode?: string | null;
  source: "upload" | "api";
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

export function documentHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Keep a file (once per shop and document) in the transaction; its id and hash. */
export async function keepImportFile(tx: Tx, shopId: string, bytes: Uint8Array): Promise<{ fileId: string; documentHash: string }> {
  const hash = documentHash(bytes);
  const fileId = await saveImportFile(tx, shopId, { documentHash: hash, byteSize: bytes.byteLength, encoding: FILE_ENCODING, content: gzipSync(bytes).toString("base64") });
  return { fileId, documentHash: hash };
}

/** A kept file's bytes, exactly as they were handed in. */
export async function importFileBytes(shopId: string, fileId: string): Promise<Buffer> {
  const file = await importFile(database(), shopId, fileId);
  if (!file) throw new AppError("not_found", "IMPORT.FILE_NOT_FOUND", `The file of this import is not kept (${fileId}).`);
  if (file.encoding !== FILE_ENCODING) throw new AppError("unexpected_state", "IMPORT.FILE_ENCODING", `Kept file ${fileId} is stored as ${file.encoding}, which this version cannot read.`);
  return gunzipSync(Buffer.from(file.content, "base64"));
}

/** Record a file handed in and queue its import (`queue: false`: the caller runs it at once). */
export async function createImport(shopId: string, input: NewImportInput, opts: { queue?: boolean } = {}): Promise<CreatedImport> {
  const format = importFormat(input.format);
  const mode = importModeOf(input.mode);
  if (input.bytes.byteLength === 0) throw new AppError("invalid_data", "IMPORT.EMPTY_FILE", "The file is empty.");
  if (input.bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError("invalid_data", "IMPORT.TOO_LARGE", `The file is larger than the limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  const channel = await importChannel(shopId, format, input.channelId);
  const hash = documentHash(input.bytes);
  const running = await unfinishedImportOf(database(), shopId, { channelId: channel.channelId, format: format.id, documentHash: hash, mode });
  if (running) {
    if (opts.queue !== false) await enqueueImport(shopId, running.id); // a job lost with an in-process queue is queued again (same job id: never twice)
    return { importId: running.id, existing: true };
  }
  const filename = input.filename ? input.filename.slice(0, 200) : null;
  const charset = input.charset ? input.charset.slice(0, 40) : null;
  const importId = await database().transaction(async (tx) => {
    const file = await keepImportFile(tx, shopId, input.bytes);
    return insertImport(tx, shopId, { channelId: channel.channelId, fileId: file.fileId, format: format.id, source: input.source, filename, charset, mode, documentHash: file.documentHash });
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
