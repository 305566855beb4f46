// What every import format's parser returns (ADR 0016): the file read whole into documents (orders, purchase
// orders) and one result per line, before anything is stored. Pure: the use case decides what to store, and how
// (all-or-nothing or line by line), from this alone. A parser never throws on its input: a file it cannot read at
// all is a `fileError`; a line it cannot take is a line result with its number and why.

export const IMPORT_MODES = ["all-or-nothing", "line-by-line"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const IMPORT_STATUSES = ["queued", "running", "done", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportLineResult {
  /** Line number in the file (the header is line 1), or segment number for segment formats (X12). */
  line: number;
  /** The line can be taken in (or is skipped for a stated reason); false: it is refused, `message` says why. */
  ok: boolean;
  message: string | null;
  /** The document (order, PO) the line belongs to, when that much could be read. */
  documentKey: string | null;
}

export interface ImportDocument<T> {
  /** The document's natural key within its channel: Amazon order id, PO number. Importing it again is idempotent on it. */
  key: string;
  /** The file lines it was read from. */
  lines: number[];
  payload: T;
  /** Worth telling the merchant beside the outcome (e.g. "business order, PO 4500012345"). */
  note: string | null;
  /**
   * The channel this document goes into, when the format finds it in the document itself (an X12 interchange names
   * its trading partner by ISA sender id); absent: the import's channel.
   */
  channelId?: string;
  /** A format's check found the channel already holds this document as it is: applying it changes nothing (a preview counts it so). */
  unchanged?: boolean;
  /** Applying it cancels the channel's order for its key (an X12 850 with BEG01 01): a preview counts it so. */
  cancels?: boolean;
}

export interface ParsedImportFile<T> {
  /** The file as a whole cannot be read (not text, wrong delimiter, no header): nothing in it is taken. */
  fileError: string | null;
  /** Data lines (header and blank lines excluded): what progress counts. */
  totalLines: number;
  /** One result per data line, in file order. */
  lines: ImportLineResult[];
  /** Documents whose every line is ok, in the order they first appear. */
  documents: ImportDocument<T>[];
  /** Said once for the file (its encoding, its layout). */
  notes: string[];
}

/** A file that cannot be read at all. */
export function unreadableFile<T>(error: string, notes: string[] = []): ParsedImportFile<T> {
  return { fileError: error, totalLines: 0, lines: [], documents: [], notes };
}

/** Lines refused, and documents with a refused line: what all-or-nothing stops on and line-by-line leaves out. */
export function refusedLines(parsed: ParsedImportFile<unknown>): ImportLineResult[] {
  return parsed.lines.filter((l) => !l.ok);
}
