import { read850, type PurchaseOrder850, type Read850 } from "../edi/x12-850";
import type { X12Interchange, X12InterchangeHeader, X12Problem, X12SegmentData, X12TransactionSet } from "../edi/x12-model";
import { readInterchanges } from "../edi/x12-read";
import { ta1ForReadError, type Ta1Answer } from "../edi/x12-ta1";
import { decodeX12 } from "../edi/x12-text";
import type { ApiOrderInput } from "../orders/api-order";
import type { ImportDocument, ImportLineResult, ParsedImportFile } from "../imports/import-file";

// An X12 file of purchase orders as an import reads it (ADR 0021): every interchange in the file (readInterchanges),
// every 850 transaction set read by read850, and one result per segment worth a word — the set's ST (what the PO
// is), each PO1 (what the line is) and every segment with a problem —, numbered by segment as every message says.
// Other transaction sets (a 997 the partner sends us, an 860) are skipped, saying so. Pure; never throws on its
// input. Who the partner is (ISA sender) and what its items and prices are is decided next, by x12-po-check.ts,
// which rebuilds the results with the same `setResults`.

/** One 850 as the import carries it: the document read, and what the check decided to do with it. */
export interface X12PurchaseOrder {
  po: PurchaseOrder850;
  /** place: an order is made (or found unchanged); cancel: the partner's order for the PO is cancelled. Null before the check. */
  action: "place" | "cancel" | null;
  /** The order POST /api/v1/orders takes, for a place (filled by the check). */
  order: ApiOrderInput | null;
  /** The trading partner's code, once the check found it. */
  partnerCode: string | null;
}

/** A transaction set of an inbound interchange, as its 997 needs it. */
export interface InboundSet {
  /** ST01, ST02. */
  id: string;
  controlNumber: string;
  /** Segment numbers of its ST and SE. */
  start: number;
  end: number;
  /** What was found in it: read850's problems and then the check's (for the 997's AK3/AK4 and AK5). */
  problems: X12Problem[];
  /** The 850 read (null for other sets). */
  read: Read850 | null;
  set: X12TransactionSet;
}

/** The partner an interchange comes from, once the check found it. */
export interface InboundPartner {
  id: string;
  code: string;
  channelId: string;
}

export interface InboundInterchange {
  interchange: X12Interchange;
  sets: InboundSet[];
  /** Found by the check from ISA05/06; null before it, or when the sender is no partner of the shop. */
  partner: InboundPartner | null;
  /** Why every set of it is refused (unknown sender, not addressed to us, not the partner named); null when none. */
  refusal: string | null;
}

/** An interchange the reader refused as a whole for its envelope, whose ISA says whose it is: its TA1 rejects it. */
export interface RejectedInterchange {
  interchange: X12InterchangeHeader;
  answer: Ta1Answer;
}

export interface X12ParsedFile extends ParsedImportFile<X12PurchaseOrder> {
  x12: {
    interchanges: InboundInterchange[];
    /** When the file could not be read: the interchange it failed in, if its ISA was read (null otherwise). */
    rejected: RejectedInterchange | null;
    /** The text of the `index`-th interchange of the file, as sent (kept beside the import as the inbound document). */
    interchangeText(index: number): string;
  };
}

export function isX12ParsedFile(parsed: ParsedImportFile<unknown>): parsed is X12ParsedFile {
  return typeof (parsed as Partial<X12ParsedFile>).x12 === "object" && (parsed as Partial<X12ParsedFile>).x12 !== null;
}

/** The segment `number` of `set` (segments of a set are numbered one after the other). */
export function segmentOf(set: X12TransactionSet, number: number): X12SegmentData {
  return set.segments[number - set.segmentNumber] ?? set.segments[0];
}

/** "segment 15 (PO1): text" → "text" (problems all start with their segment). */
export function withoutSegment(message: string): string {
  const cut = /^segment \d+ \([A-Z0-9]{2,3}\): /.exec(message);
  return cut ? message.slice(cut[0].length) : message;
}

/** A problem found by the import (not by read850) about segment `number` of `set`. */
export function importProblem(set: X12TransactionSet, number: number, severity: X12Problem["severity"], code: string, text: string, ack?: X12Problem["ack"]): X12Problem {
  const s = segmentOf(set, number);
  return { severity, code: `X12.IMPORT.${code}`, message: `segment ${s.number} (${s.tag}): ${text}`, segment: s.number, position: s.position, tag: s.tag, ...(ack ? { ack } : {}) };
}

/**
 * The results of one 850: its ST says what the PO is (`header`), each PO1 what its line is (`said`), each segment
 * with a problem what the problem is. Any error refuses the PO whole: a segment without an error of its own then
 * says which segments are the reason (a PO is never taken in part).
 */
export function setResults(set: X12TransactionSet, key: string | null, problems: readonly X12Problem[], header: string, said: ReadonlyMap<number, string>): ImportLineResult[] {
  const bySegment = new Map<number, X12Problem[]>();
  for (const p of problems) bySegment.set(p.segment, [...(bySegment.get(p.segment) ?? []), p]);
  const numbers = [...new Set([set.segmentNumber, ...said.keys(), ...bySegment.keys()])].sort((a, b) => a - b);
  const bad = [...new Set(problems.filter((p) => p.severity === "error").map((p) => p.segment))].sort((a, b) => a - b);
  const reason = bad.length ? `${key ? `PO ${key}` : "the purchase order"} is not taken: ${bad.slice(0, 5).map((n) => `segment ${n} (${segmentOf(set, n).tag})`).join(", ")}${bad.length > 5 ? ` and ${bad.length - 5} more` : ""} of it ${bad.length === 1 ? "is" : "are"} refused` : null;
  return numbers.map((n) => {
    const own = bySegment.get(n) ?? [];
    const base = n === set.segmentNumber ? header : (said.get(n) ?? "");
    const errors = own.some((p) => p.severity === "error");
    const parts = [base, ...own.map((p) => withoutSegment(p.message))].filter(Boolean);
    if (reason && !errors) parts.push(reason);
    return { line: n, ok: !reason, message: `segment ${n} (${segmentOf(set, n).tag}): ${parts.join("; ")}`, documentKey: key };
  });
}

/** The result of a set that is not a purchase order: skipped, saying so (or refused with the interchange's `refusal`). */
export function skippedSet(set: X12TransactionSet, refusal: string | null): ImportLineResult {
  const what = `transaction set ${set.id} (ST02 ${set.controlNumber})`;
  return refusal
    ? { line: set.segmentNumber, ok: false, message: `segment ${set.segmentNumber} (ST): ${what} refused: ${refusal}`, documentKey: null }
    : { line: set.segmentNumber, ok: true, message: `segment ${set.segmentNumber} (ST): ${what} skipped: only purchase orders (850) are imported`, documentKey: null };
}

/** What a PO1 line says before the partner's items are known. */
function lineSaid(r: Read850): Map<number, string> {
  const said = new Map<number, string>();
  for (const l of r.document.lines) {
    const ids = [l.vendorPartNumber ? `vendor part ${l.vendorPartNumber}` : null, l.buyerPartNumber ? `buyer part ${l.buyerPartNumber}` : null, !l.vendorPartNumber && !l.buyerPartNumber && l.gtin ? `GTIN ${l.gtin}` : null].filter(Boolean).join(", ");
    said.set(l.segmentNumber, `PO ${r.document.poNumber || "?"} line ${l.lineNumber}: ${l.quantity ?? "?"} ${l.uom ?? ""} of ${ids || "no item"}${l.unitPrice ? ` at ${l.unitPrice} ${r.document.currency}` : " (no price: the agreed price)"}`.replace(/ {2,}/g, " "));
  }
  return said;
}

function text(source: Uint8Array, interchanges: X12Interchange[]): (index: number) => string {
  let cut: string[] | null = null;
  return (index) => {
    if (!cut) {
      const decoded = decodeX12(source);
      const whole = decoded.ok ? decoded.text : "";
      cut = splitInterchanges(whole, interchanges);
    }
    return cut[index] ?? "";
  };
}

/** The file's text cut at each ISA (a segment starting with ISA after a terminator); the whole text when it holds one. */
export function splitInterchanges(whole: string, interchanges: readonly X12Interchange[]): string[] {
  if (interchanges.length <= 1) return [whole.replace(/^\uFEFF/, "").trim()];
  const { element, segment } = interchanges[0].delimiters;
  const starts: number[] = [whole.indexOf("ISA")];
  let at = starts[0] + 106;
  while (starts.length < interchanges.length) {
    const end = whole.indexOf(segment, at);
    if (end < 0) break;
    let next = end + 1;
    while (next < whole.length && /\s/.test(whole[next]) && whole[next] !== element) next += 1;
    if (whole.startsWith(`ISA${element}`, next)) {
      starts.push(next);
      at = next + 106;
    } else at = end + 1;
  }
  if (starts.length !== interchanges.length) return interchanges.map(() => whole.trim());
  return starts.map((s, i) => whole.slice(s, starts[i + 1] ?? whole.length).trim());
}

/** Read an X12 file: every interchange, every 850 in it (see the file comment). */
export function readX12PurchaseOrders(bytes: Uint8Array): X12ParsedFile {
  const read = readInterchanges(bytes);
  if (!read.ok) {
    const answer = ta1ForReadError(read);
    const rejected = answer && read.interchange ? { interchange: read.interchange, answer } : null;
    return { fileError: read.error, totalLines: 0, lines: [], documents: [], notes: [], x12: { interchanges: [], rejected, interchangeText: () => "" } };
  }
  const interchanges: InboundInterchange[] = read.interchanges.map((interchange) => ({
    interchange,
    partner: null,
    refusal: null,
    sets: interchange.groups.flatMap((g) =>
      g.transactionSets.map((set) => {
        const r = set.id === "850" ? read850(set, interchange) : null;
        return { id: set.id, controlNumber: set.controlNumber, start: set.segmentNumber, end: set.segments[set.segments.length - 1].number, problems: r ? r.problems : [], read: r, set };
      }),
    ),
  }));
  const lines: ImportLineResult[] = [];
  const documents: ImportDocument<X12PurchaseOrder>[] = [];
  for (const ic of interchanges) {
    for (const s of ic.sets) {
      if (!s.read) {
        lines.push(skippedSet(s.set, null));
        continue;
      }
      const doc = s.read.document;
      const key = doc.poNumber || null;
      const results = setResults(s.set, key, s.problems, `PO ${doc.poNumber || "?"} (850 ST02 ${s.controlNumber}): ${doc.lines.length} line${doc.lines.length === 1 ? "" : "s"}`, lineSaid(s.read));
      lines.push(...results);
      if (!s.read.rejected && key) documents.push({ key, lines: results.map((r) => r.line), payload: { po: doc, action: null, order: null, partnerCode: null }, note: null });
    }
  }
  return { fileError: null, totalLines: lines.length, lines, documents, notes: [fileNote(interchanges)], x12: { interchanges, rejected: null, interchangeText: text(bytes, read.interchanges) } };
}

function fileNote(interchanges: InboundInterchange[]): string {
  const sets = interchanges.flatMap((i) => i.sets);
  const pos = sets.filter((s) => s.read).length;
  const encoding = interchanges[0]?.interchange.encoding === "latin1" ? "Latin-1 (not valid UTF-8)" : "UTF-8";
  return `X12: ${interchanges.length} interchange${interchanges.length === 1 ? "" : "s"}, ${sets.length} transaction set${sets.length === 1 ? "" : "s"} (${pos} purchase order${pos === 1 ? "" : "s"}${sets.length > pos ? `, ${sets.length - pos} skipped` : ""}), read as ${encoding}`;
}
