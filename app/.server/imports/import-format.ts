import type { ChannelKind } from "~/domain/orders/channel-order";
import type { ImportDocument, ImportLineResult, ParsedImportFile } from "~/domain/imports/import-file";
import type { IntakeChannel } from "../channels/intake-channel";

// The import format port (ADR 0016): what one file format brings to the import machinery, which does the rest
// (keeping the file, the record, the job, progress, all-or-nothing or line by line, line results, the API and
// the Imports page). A format reads bytes into documents and line results (a pure domain parser), applies one
// document to its channel idempotently on the document's key, and may answer the sender (X12: a 997).

export type DocumentOutcome = "created" | "updated" | "unchanged" | "cancelled";

export interface AppliedDocument {
  outcome: DocumentOutcome;
  /** Our order, when the document is (or became) one. */
  orderId: string | null;
  /** What became of it, for each of its lines' results ("order 113-…: created; business order, PO 45"). */
  message: string;
}

export interface ImportFormat<T = unknown> {
  /** As the API names it: `?format=<id>`. */
  id: string;
  label: string;
  /** The kind of channel the documents go into: the import names one, or the shop's only one of that kind is taken. */
  channelKind: ChannelKind;
  /** Accepted file name endings and media types, for the upload form. */
  accept: string;
  parse(bytes: Uint8Array, opts: { charset: string | null }): ParsedImportFile<T>;
  /** One document whose lines are all ok, into its channel: idempotent on its key (applying it again changes nothing). */
  apply(channel: IntakeChannel, document: ImportDocument<T>, actor: string): Promise<AppliedDocument>;
  /** What the sender is answered with once every line has its result (X12: the 997); null when nothing. */
  acknowledge?(parsed: ParsedImportFile<T>, lines: readonly ImportLineResult[]): string | null;
}
