// Builders shared by the EDI tests: a buyer's 850 as segments and as an interchange (written with the same
// writer our documents use, so any delimiters can be chosen), and a way to edit an interchange segment by segment.
import type { X12Delimiters } from "./x12-model";
import { writeInterchange, type OutboundEnvelope, type SegmentSpec, type X12Value } from "./x12-write";

/** The buyer (sender of the 850) and us, as each stores the other. */
export const BUYER = { isaQualifier: "12", isaId: "4405197800", gsId: "4405197800" };
export const US = { isaQualifier: "ZZ", isaId: "OPENOMS", gsId: "OPENOMS" };

export interface PoLineSpec {
  lineNumber?: string | null;
  quantity?: X12Value;
  uom?: X12Value;
  price?: X12Value;
  ids?: X12Value[];
  description?: string;
}

export interface PoSpec {
  poNumber?: X12Value;
  purpose?: string;
  date?: X12Value;
  currency?: string | null;
  shipTo?: boolean;
  lines?: PoLineSpec[];
  /** CTT01; default the number of lines; null: no CTT. */
  lineCount?: X12Value | null;
  total?: string | null;
  extra?: SegmentSpec[];
}

export const DEFAULT_LINES: PoLineSpec[] = [
  { lineNumber: "1", quantity: 120, uom: "EA", price: "9.25", ids: ["VP", "SKU-RED", "BP", "B-100", "UP", "036000291452"], description: "RED WIDGET" },
  { lineNumber: "2", quantity: 4, uom: "CA", price: "13.79", ids: ["BP", "B-200"], description: "BLUE WIDGET" },
];

/** ST … SE body of an 850 (BEG, CUR, REF, PER, DTM, N1 loops, PO1/PID lines, CTT, AMT). */
export function purchaseOrderSegments(spec: PoSpec = {}): SegmentSpec[] {
  const lines = spec.lines ?? DEFAULT_LINES;
  const segments: SegmentSpec[] = [["BEG", spec.purpose ?? "00", "SA", spec.poNumber === undefined ? "PO-1001" : spec.poNumber, null, spec.date === undefined ? "20240501" : spec.date]];
  if (spec.currency !== null) segments.push(["CUR", "BY", spec.currency ?? "USD"]);
  segments.push(["REF", "DP", "038"], ["PER", "BD", "JANE BUYER", "TE", "5551234567", "EM", "jane@example.com"], ["DTM", "002", "20240515"], ["DTM", "010", "20240510"]);
  if (spec.shipTo !== false) segments.push(["N1", "ST", "XYZ RETAIL DC 4", "92", "0004"], ["N3", "31875 SOLON RD", "DOCK 7"], ["N4", "SOLON", "OH", "44139", "US"]);
  segments.push(["N1", "BT", "XYZ RETAIL HQ", "92", "0001"]);
  for (const l of lines) {
    segments.push(["PO1", l.lineNumber ?? null, l.quantity ?? null, l.uom ?? null, l.price ?? null, null, ...(l.ids ?? [])]);
    if (l.description) segments.push(["PID", "F", null, null, null, l.description]);
  }
  if (spec.lineCount !== null) segments.push(["CTT", spec.lineCount === undefined ? lines.length : spec.lineCount]);
  if (spec.total !== null && spec.total !== undefined) segments.push(["AMT", "TT", spec.total]);
  segments.push(...(spec.extra ?? []));
  return segments;
}

export function buyerEnvelope(overrides: Partial<OutboundEnvelope> = {}): OutboundEnvelope {
  return { ours: BUYER, theirs: US, control: { interchange: 3438, group: 1421, transactionSet: 10 }, createdAt: "2024-05-01T17:19:00Z", ...overrides };
}

/** An interchange of 850s (one per spec) as the buyer would send it. */
export function write850s(specs: PoSpec[], options: { delimiters?: Partial<X12Delimiters>; lineBreaks?: boolean; version?: string; envelope?: Partial<OutboundEnvelope> } = {}): string {
  const made = writeInterchange(buyerEnvelope({ delimiters: options.delimiters, lineBreaks: options.lineBreaks ?? true, version: options.version, ...options.envelope }), "PO", specs.map((s) => ({ id: "850", segments: purchaseOrderSegments(s) })));
  if (!made.ok) throw new Error(made.error);
  return made.text;
}

export function write850(spec: PoSpec = {}, options: Parameters<typeof write850s>[1] = {}): string {
  return write850s([spec], options);
}

/** The segments of an interchange written with "*", "~" and line breaks, as lines without terminators. */
export function segmentsOf(text: string): string[] {
  return text.split("~\n").filter((s) => s.length > 0);
}

export function joinSegments(segments: string[]): string {
  return segments.map((s) => `${s}~\n`).join("");
}

/** Replace the `n`-th segment (1-based) with `replacement` (null removes it). */
export function editSegment(text: string, n: number, replacement: string | null): string {
  const segments = segmentsOf(text);
  if (replacement === null) segments.splice(n - 1, 1);
  else segments[n - 1] = replacement;
  return joinSegments(segments);
}
