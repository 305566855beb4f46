import { X12Interchange as NodeX12Interchange, X12Segment, X12SerializationOptions } from "node-x12";
import { DEFAULT_DELIMITERS, type X12Delimiters } from "./x12-model";

// Writing an X12 interchange (855, 856, 810, 997 …) with node-x12's object model: X12Interchange → functional
// group → transaction sets, which pads the ISA to its fixed width and computes SE01, GE01 and IEA01 itself.
// What node-x12 leaves to its caller is done here: control numbers and dates in the shapes the ISA/GS/ST want,
// delimiters chosen by the caller and checked, trailing empty elements dropped, and no value that carries a
// delimiter (a "~" in a product title would end the segment early): identifiers with one are refused, naming the
// field; free text has them replaced by spaces (X12Values.text). Bad input is returned as { ok: false }, never thrown.

/** Our identity and the partner's, as the trading partner stores them (ISA05/06 or 07/08, GS02 or GS03). */
export interface X12Identity {
  isaQualifier: string;
  isaId: string;
  gsId: string;
}

export interface OutboundEnvelope {
  /** The sender (us for 855/856/810/997). */
  ours: X12Identity;
  /** The receiver (the partner). */
  theirs: X12Identity;
  /** GS08: 004010 (default), 005010, 004010VICS …; ISA12 is its first five digits. */
  version?: string;
  /** ISA15: P (default) or T. */
  usage?: "P" | "T";
  /** ISA13, GS06 and the first ST02 (the next sets take the next numbers): the caller keeps them per partner. */
  control: { interchange: number; group: number; transactionSet: number };
  /** When the document is made (ISO 8601, UTC unless it says otherwise): ISA09/10, GS04/05. */
  createdAt: string;
  /** Default *, > and ~ (and ^ as the repetition separator from version 00402 on). */
  delimiters?: Partial<X12Delimiters>;
  /** A line break after every segment terminator (default false). */
  lineBreaks?: boolean;
  /** ISA14: ask the receiver for a TA1 (default false). */
  ackRequested?: boolean;
}

/** One element: a value, empty (null/undefined/""), or a composite's components. */
export type X12Value = string | number | null | undefined | readonly (string | null | undefined)[];
export type SegmentSpec = readonly [tag: string, ...elements: X12Value[]];

export interface OutboundSet {
  /** ST01. */
  id: string;
  /** The segments between ST and SE. */
  segments: readonly SegmentSpec[];
}

export type X12Build =
  | { ok: true; text: string; controlNumbers: { interchange: string; group: string; transactionSets: string[] }; segmentCounts: number[] }
  | { ok: false; error: string };

/** A fault in what the caller gave; caught by `build` and returned as { ok: false }. */
export class BuildFailure extends Error {}

/** Run a builder, turning a BuildFailure (or node-x12's GeneratorError) into { ok: false, error }. */
export function build(make: () => X12Build): X12Build {
  try {
    return make();
  } catch (e) {
    if (e instanceof BuildFailure) return { ok: false, error: e.message };
    if (e instanceof Error && e.name === "GeneratorError") return { ok: false, error: `the envelope was refused by the X12 writer: ${e.message}` };
    return { ok: false, error: `the document could not be written: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const describe = (c: string) => (/^[\x21-\x7e]$/.test(c) ? JSON.stringify(c) : `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);

/** The caller's delimiters, completed with the defaults and checked. */
export function outboundDelimiters(version: string, given: Partial<X12Delimiters> = {}): X12Delimiters {
  const element = given.element ?? DEFAULT_DELIMITERS.element;
  const component = given.component ?? DEFAULT_DELIMITERS.component;
  const segment = given.segment ?? DEFAULT_DELIMITERS.segment;
  const repeats = version.slice(0, 5) >= "00402";
  const repetition = repeats ? (given.repetition ?? "^") : null;
  const named: [string, string | null][] = [["element separator", element], ["component separator", component], ["segment terminator", segment], ["repetition separator", repetition]];
  for (const [name, c] of named) {
    if (c === null) continue;
    if (c.length !== 1) throw new BuildFailure(`the ${name} must be one character; got ${JSON.stringify(c)}`);
    if (/[A-Za-z0-9 .]/.test(c)) throw new BuildFailure(`the ${name} cannot be ${describe(c)}: letters, digits, spaces and decimal points occur in data`);
    if (name !== "segment terminator" && /\s/.test(c)) throw new BuildFailure(`the ${name} cannot be white space (${describe(c)})`);
  }
  const used = named.map(([, c]) => c).filter((c): c is string => c !== null);
  if (new Set(used).size !== used.length) throw new BuildFailure(`the delimiters must all differ; got ${used.map(describe).join(", ")}`);
  return { element, component, segment, repetition };
}

interface Moment {
  /** CCYYMMDD */
  date: string;
  /** HHMM */
  time: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or timestamp → CCYYMMDD and HHMM (a timestamp in UTC; a bare date at 00:00). */
export function x12Moment(iso: string, field: string): Moment {
  const m = typeof iso === "string" ? ISO.exec(iso.trim()) : null;
  if (!m) throw new BuildFailure(`${field}: ${JSON.stringify(iso)} is not an ISO 8601 date (2024-05-01 or 2024-05-01T14:30:00Z)`);
  const [, y, mo, d, h] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) throw new BuildFailure(`${field}: ${JSON.stringify(iso)} is not a calendar date`);
  if (h === undefined) return { date: `${y}${mo}${d}`, time: "0000" };
  const at = new Date(m[7] ? iso.trim().replace(" ", "T") : `${iso.trim().replace(" ", "T")}Z`);
  if (Number.isNaN(at.getTime())) throw new BuildFailure(`${field}: ${JSON.stringify(iso)} is not a valid time`);
  const iso2 = at.toISOString();
  return { date: iso2.slice(0, 10).replace(/-/g, ""), time: iso2.slice(11, 16).replace(":", "") };
}

/** Values checked against the delimiters in force: identifiers refused when they hold one, text cleaned. */
export class X12Values {
  private readonly forbidden: RegExp;
  constructor(readonly delimiters: X12Delimiters) {
    const chars = [delimiters.element, delimiters.component, delimiters.segment, delimiters.repetition].filter((c): c is string => !!c);
    const escaped = chars.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    this.forbidden = new RegExp(`[${escaped}\\u0000-\\u001f\\u007f]`, "g");
  }

  /** An identifier (PO number, SKU, tracking number): refused when empty, too long or holding a delimiter. */
  id(value: string, field: string, max: number): string {
    const v = typeof value === "string" ? value.trim() : "";
    if (!v) throw new BuildFailure(`${field} is empty`);
    if (v.length > max) throw new BuildFailure(`${field} ${JSON.stringify(v.slice(0, 60))} is longer than the ${max} characters X12 allows`);
    this.forbidden.lastIndex = 0;
    const bad = this.forbidden.exec(v);
    if (bad) throw new BuildFailure(`${field} ${JSON.stringify(v.slice(0, 60))} contains ${describe(bad[0])}, which is a delimiter or control character in this interchange`);
    return v;
  }

  /** Last check of a finished element (a composite may hold the component separator, nothing else may). */
  guard(value: string, field: string): void {
    for (const c of [this.delimiters.element, this.delimiters.segment, this.delimiters.repetition]) {
      if (c && value.includes(c)) throw new BuildFailure(`${field} ${JSON.stringify(value.slice(0, 60))} contains the delimiter ${describe(c)}`);
    }
    for (let i = 0; i < value.length; i += 1) {
      const code = value.charCodeAt(i);
      if ((code < 0x20 || code === 0x7f) && value[i] !== this.delimiters.component) throw new BuildFailure(`${field} ${JSON.stringify(value.slice(0, 60))} contains a control character`);
    }
  }

  /** An identifier that may be absent. */
  optionalId(value: string | null | undefined, field: string, max: number): string | null {
    return value === null || value === undefined || value.trim() === "" ? null : this.id(value, field, max);
  }

  /** Free text (names, descriptions, addresses): delimiters and control characters become spaces; cut to `max`. */
  text(value: string | null | undefined, max: number): string | null {
    if (value === null || value === undefined) return null;
    this.forbidden.lastIndex = 0;
    const v = String(value).replace(this.forbidden, " ").replace(/\s+/g, " ").trim().slice(0, max).trim();
    return v || null;
  }
}

/** A whole number of units, within [min, max]. */
export function wholeNumber(value: number, field: string, min: number, max: number): string {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new BuildFailure(`${field} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}`);
  return String(value);
}

/** Minor units → a decimal amount as X12 R elements carry it ("9.25", "10", "-3.5"). */
export function decimalFromMinor(minor: number, exponent: number, field: string): string {
  if (!Number.isSafeInteger(minor)) throw new BuildFailure(`${field} must be a whole number of minor units; got ${JSON.stringify(minor)}`);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent).replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

function controlNumber(n: number, field: string): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > 999_999_999) throw new BuildFailure(`${field} must be a whole number from 1 to 999999999; got ${JSON.stringify(n)}`);
  return n;
}

function element(value: X12Value, d: X12Delimiters): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  const parts = value.map((p) => p ?? "");
  while (parts.length && parts[parts.length - 1] === "") parts.pop();
  return parts.join(d.component);
}

/** What every interchange we write begins with: its ISA (as node-x12 pads it) in the checked delimiters. */
interface Header {
  d: X12Delimiters;
  values: X12Values;
  version: string;
  at: Moment;
  options: X12SerializationOptions;
  interchange: NodeX12Interchange;
  isa13: number;
  lineBreaks: boolean;
}

function header(envelope: OutboundEnvelope): Header {
  const version = envelope.version ?? "004010";
  if (!/^\d{6}[A-Z0-9]{0,6}$/.test(version)) throw new BuildFailure(`version ${JSON.stringify(version)} is not a GS08 version (004010, 005010, 004010VICS …)`);
  const d = outboundDelimiters(version, envelope.delimiters);
  const values = new X12Values(d);
  const { ours, theirs } = envelope;
  if (!ours || !theirs) throw new BuildFailure("the envelope needs our X12 identity and the partner's (ISA qualifier, ISA id, GS id)");
  const qualifier = (q: string, field: string) => {
    if (typeof q !== "string" || !/^[0-9A-Z]{2}$/.test(q.trim())) throw new BuildFailure(`${field} must be a two-character qualifier (01, 12, ZZ …); got ${JSON.stringify(q)}`);
    return q.trim();
  };
  const sender = [qualifier(ours.isaQualifier, "our ISA qualifier"), values.id(ours.isaId, "our ISA id", 15)];
  const receiver = [qualifier(theirs.isaQualifier, "the partner's ISA qualifier"), values.id(theirs.isaId, "the partner's ISA id", 15)];
  const isa13 = controlNumber(envelope.control?.interchange, "the interchange control number (ISA13)");
  const at = x12Moment(envelope.createdAt, "createdAt");
  const usage = envelope.usage ?? "P";
  if (usage !== "P" && usage !== "T") throw new BuildFailure(`usage must be P or T; got ${JSON.stringify(usage)}`);
  const lineBreaks = Boolean(envelope.lineBreaks) && !/\s/.test(d.segment);
  const options = new X12SerializationOptions({ elementDelimiter: d.element, segmentTerminator: d.segment, subElementDelimiter: d.component, repetitionDelimiter: d.repetition ?? "^", endOfLine: "\n", format: lineBreaks });
  const interchange = new NodeX12Interchange(options);
  interchange.setHeader(["00", "", "00", "", sender[0], sender[1], receiver[0], receiver[1], at.date.slice(2), at.time, d.repetition ?? "U", version.slice(0, 5), String(isa13), envelope.ackRequested ? "1" : "0", usage, d.component]);
  return { d, values, version, at, options, interchange, isa13, lineBreaks };
}

/** A segment's elements as written: each element's text, trailing empty ones dropped, checked against the delimiters. */
function segmentTexts(tag: string, elements: readonly X12Value[], h: Header, where: string): string[] {
  const texts = elements.map((e) => element(e, h.d));
  while (texts.length && texts[texts.length - 1] === "") texts.pop();
  if (texts.length === 0) throw new BuildFailure(`${where}${tag}: a segment with no data`);
  texts.forEach((t, k) => {
    h.values.guard(t, `${where}${tag}${String(k + 1).padStart(2, "0")}`);
  });
  return texts;
}

/** The interchange: one functional group (`functionalId`: PR, SH, IN, FA …) holding `sets`. */
export function writeInterchange(envelope: OutboundEnvelope, functionalId: string, sets: readonly OutboundSet[]): X12Build {
  return build(() => {
    const h = header(envelope);
    const { values, version, at, isa13 } = h;
    const senderApp = values.id(envelope.ours.gsId, "our GS id", 15);
    const receiverApp = values.id(envelope.theirs.gsId, "the partner's GS id", 15);
    if (senderApp.length < 2 || receiverApp.length < 2) throw new BuildFailure("GS application ids must be 2 to 15 characters");
    const gs06 = controlNumber(envelope.control?.group, "the group control number (GS06)");
    const st02 = controlNumber(envelope.control?.transactionSet, "the transaction set control number (ST02)");
    if (st02 + sets.length - 1 > 999_999_999) throw new BuildFailure("the transaction set control numbers run past 999999999");
    if (sets.length === 0) throw new BuildFailure("an interchange needs at least one transaction set");

    const interchange = h.interchange;
    const group = interchange.addFunctionalGroup();
    group.setHeader([functionalId, senderApp, receiverApp, at.date, at.time, String(gs06), "X", version]);
    const controlNumbers: string[] = [];
    const segmentCounts: number[] = [];
    sets.forEach((set, i) => {
      const control = String(st02 + i).padStart(4, "0");
      const tx = group.addTransaction();
      tx.setHeader([set.id, control]);
      for (const [tag, ...elements] of set.segments) tx.addSegment(tag, segmentTexts(tag, elements, h, `${set.id} `));
      controlNumbers.push(control);
      segmentCounts.push(set.segments.length + 2);
    });
    const text = interchange.toString() + (h.lineBreaks ? "\n" : "");
    return { ok: true, text, controlNumbers: { interchange: String(isa13).padStart(9, "0"), group: String(gs06), transactionSets: controlNumbers }, segmentCounts };
  });
}

/**
 * An interchange of interchange-level segments and no functional group (IEA01 0): a TA1 is sent so. The envelope's
 * GS ids and its group and transaction set control numbers are not used.
 */
export function writeControlInterchange(envelope: OutboundEnvelope, segments: readonly SegmentSpec[]): X12Build {
  return build(() => {
    const h = header(envelope);
    if (segments.length === 0) throw new BuildFailure("an interchange without a group needs at least one segment");
    const eol = h.lineBreaks ? "\n" : "";
    const parts = [h.interchange.header.toString(h.options)];
    for (const [tag, ...elements] of segments) {
      if (!/^[A-Z][A-Z0-9]{1,2}$/.test(tag)) throw new BuildFailure(`${JSON.stringify(tag)} is not a segment identifier`);
      const segment = new X12Segment(tag, h.options);
      segment.setElements(segmentTexts(tag, elements, h, ""));
      parts.push(segment.toString(h.options));
    }
    parts.push(h.interchange.trailer.toString(h.options));
    return { ok: true, text: parts.join(eol) + eol, controlNumbers: { interchange: String(h.isa13).padStart(9, "0"), group: "", transactionSets: [] }, segmentCounts: [] };
  });
}
