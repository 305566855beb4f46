import type { ChannelKind } from "~/domain/orders/channel-order";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import type { ImportDocument, ImportLineResult, ParsedImportFile } from "~/domain/imports/import-file";
import type { IntakeChannel } from "../channels/intake-channel";

// The import format port (ADR 0016): what one file format brings to the import machinery, which does the rest
// (keeping the file, the record, the job, progress, all-or-nothing or line by line, line results, the API and
// the Imports page). A format reads bytes into documents and line results (a pure domain parser), applies one
// document to its channel idempotently on the document's key, and may answer the sender (X12: a 997).
// A wholesale format also checks what needs the shop's data (the catalog, the trading partner's items) before
// anything is decided — for a preview and for the real run alike (ADR 0018).

export type DocumentOutcome = "created" | "updated" | "unchanged" | "cancelled";

export interface AppliedDocument {
  outcome: DocumentOutcome;
  /** Our order, when the document is (or became) one. */
  orderId: string | null;
  /** What became of it, for each of its lines' results ("order 113-…: created; business order, PO 45"). */
  message: string;
}

/**
 * Whether an import of a format is for a wholesale trading partner:
 * - "required": the import names the partner (`partner=` id or code), or the shop's only one is taken; the
 *   partner's channel is the import's channel (csv-po);
 * - "from-document": naming one is optional; the format finds the partner in each document and sets the
 *   document's `channelId` in its check (X12: by the interchange's ISA sender id).
 * Absent: imports of the format are for no partner (Amazon reports), and naming one is refused.
 */
export type PartnerRule = "required" | "from-document";

export interface ImportCheckContext {
  shopId: string;
  /** The import's channel: the partner's when one was named or found; null for "from-document" without one. */
  channelId: string | null;
  partner: TradingPartner | null;
  /** A preview stores nothing and is shown at once; an import then applies what the check let through. */
  purpose: "preview" | "import";
}

export interface ImportTemplate {
  filename: string;
  /** With its charset. */
  contentType: string;
  text: string;
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
  /** Whether its imports are a trading partner's (see PartnerRule); absent: no partner. */
  partner?: PartnerRule;
  /**
   * What needs the shop's data, after parse and before anything is decided (the run's all-or-nothing, a preview):
   * lines the catalog or the partner refuses are marked not ok with why (their document dropped), the documents
   * that stay are resolved (SKU, price). Reads only; never throws on the file's content.
   */
  check?(context: ImportCheckContext, parsed: ParsedImportFile<T>): Promise<ParsedImportFile<T>>;
  /** A file to start from (a header and example lines), made with the shop's SKUs and the partner's currency. */
  template?(example: { skus: string[]; currency: string }): ImportTemplate;
  /** One document whose lines are all ok, into its channel: idempotent on its key (applying it again changes nothing). */
  apply(channel: IntakeChannel, document: ImportDocument<T>, actor: string): Promise<AppliedDocument>;
  /**
   * Many documents of one channel at once (the batch intake, ADR 0032): what became of each that was taken in,
   * null for each left to `apply` (anything but a plain new order). Same rules and results as `apply` one by one.
   */
  applyBatch?(channel: IntakeChannel, documents: readonly ImportDocument<T>[], actor: string): Promise<(AppliedDocument | null)[]>;
  /** What a line result's number counts: file lines (the default), or segments (X12). Messages start with it. */
  lineUnit?: "line" | "segment";
  /**
   * What the sender is answered with once every line has its result (X12: the 997, kept and numbered with the
   * partner's control numbers, hence async); null when nothing. Called outside any transaction of the run.
   */
  acknowledge?(parsed: ParsedImportFile<T>, lines: readonly ImportLineResult[], context: AcknowledgeContext): string | null | Promise<string | null>;
}

export interface AcknowledgeContext {
  shopId: string;
  importId: string;
  /** Nothing of the file was taken in (all or nothing, with a refused line): no document is acknowledged as accepted. */
  nothingTaken: boolean;
}
