import { X12Element, X12Parser, X12Segment, X12SerializationOptions, X12Transaction, type X12FatInterchange, type X12Interchange as NodeX12Interchange } from "node-x12";
import { readIsa, ISA_LENGTH } from "./x12-isa";
import { shownValue, type X12Delimiters, type X12FunctionalGroup, type X12Interchange, type X12ReadError, type X12ReadErrorCode, type X12InterchangeHeader } from "./x12-model";
import { ReadTransactionSet, SegmentStore, split } from "./x12-segment";
import { decodeX12 } from "./x12-text";

// Reading an X12 file: bytes → interchanges of functional groups of transaction sets, every segment numbered.
// Pure; never throws on its input and stays linear in it (a 1 MB line, binary garbage). Who does what:
//  - x12-text.ts decodes (UTF-8, else Latin-1; a byte-order mark is dropped) and x12-isa.ts reads the fixed-width
//    ISA, which declares the delimiters — any three distinct characters that are not letters, digits or spaces,
//    with or without line breaks after terminators.
//  - Here the text is cut into segments at the declared terminator and into elements at the declared separator
//    with indexOf/slice, not with node-x12's character loop, which builds every value a character at a time and
//    reads 2–4 MB/s on these machines; the conformance and fuzz tests check that both cut every interchange alike.
//    The segments inside a transaction set (most of a file) are kept as where they are in the text, three numbers
//    each in one typed array, and cut into elements when read (x12-segment.ts): what a reader keeps of every
//    segment the garbage collector copies for as long as the file is read, which cost more than the cutting
//    (ADR 0021). The envelope order (ISA, GS, ST … SE, GE, IEA) is checked as segments come, so a missing trailer
//    is named where it is missed.
//  - node-x12's X12Parser (strict) assembles the envelope from those segments through its public
//    getInterchangeFromSegments, and checks the counts and control numbers (IEA01, IEA02 = ISA13, GE01,
//    GE02 = GS06, SE01, SE02 = ST02). It is given the envelope segments whole and, for the segments inside a set,
//    which it only counts, as many of one shared stand-in when the SE comes; one parser per interchange, and a
//    set it has checked leaves nothing of itself in it but its place in the group's count. Its ParserError is
//    translated into a message naming the segment.

export type ReadInterchanges = { ok: true; interchanges: X12Interchange[] } | X12ReadError;
export type ReadInterchange = { ok: true; interchange: X12Interchange } | X12ReadError;

const TAG = /^[A-Z][A-Z0-9]{1,2}$/;
/** ISA, GS, ST, SE, GE, IEA (a switch: cheaper than hashing every fresh tag string for a Set). */
function isEnvelope(tag: string): boolean {
  switch (tag) {
    case "ST":
    case "SE":
    case "GS":
    case "GE":
    case "ISA":
    case "IEA":
      return true;
    default:
      return false;
  }
}

class ReadFailure extends Error {
  /** The interchange being read when it failed (set by read). */
  interchange?: X12InterchangeHeader;

  constructor(
    readonly code: X12ReadErrorCode,
    message: string,
    readonly segment?: number,
    readonly tag?: string,
  ) {
    super(message);
  }
}

/** Every interchange in the file (a file may hold several, one after the other). */
export function readInterchanges(input: Uint8Array | string): ReadInterchanges {
  try {
    return { ok: true, interchanges: read(input) };
  } catch (e) {
    if (e instanceof ReadFailure) return { ok: false, code: e.code, error: e.message, ...(e.segment !== undefined ? { segment: e.segment } : {}), ...(e.tag ? { tag: e.tag } : {}), ...(e.interchange ? { interchange: e.interchange } : {}) };
    return { ok: false, code: "X12.INTERNAL", error: `the interchange could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The one interchange in the file; a file holding more is refused (read it with readInterchanges). */
export function readInterchange(input: Uint8Array | string): ReadInterchange {
  const all = readInterchanges(input);
  if (!all.ok) return all;
  if (all.interchanges.length > 1) {
    const second = all.interchanges[1].segmentNumber;
    return { ok: false, code: "X12.MULTIPLE_INTERCHANGES", error: `segment ${second} (ISA): the file holds ${all.interchanges.length} interchanges; read it with readInterchanges`, segment: second };
  }
  return { ok: true, interchange: all.interchanges[0] };
}

const isBlank = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c;

function read(input: Uint8Array | string): X12Interchange[] {
  const decoded = decodeX12(input);
  if (!decoded.ok) throw new ReadFailure("X12.NOT_X12", decoded.error);
  const { text, encoding } = decoded;
  let pos = 0;
  while (pos < text.length && isBlank(text.charCodeAt(pos))) pos += 1;
  if (!text.startsWith("ISA", pos)) {
    throw new ReadFailure("X12.NOT_X12", text.length - pos === 0 ? "not an X12 interchange: the file is empty" : `not an X12 interchange: it must start with ISA; it starts with ${shownValue(text.slice(pos, pos + 12))}`);
  }
  const first = readIsa(text, pos, 1);
  if (!first.ok) throw new ReadFailure(first.code, first.error, 1);
  const d = first.isa.delimiters;
  const envelope = new Envelope(d, encoding, new SegmentStore(text, d.element));
  try {
    return readSegments(text, pos, d, envelope);
  } catch (e) {
    // What a TA1 needs of the interchange it fails in: whose it is, its ISA13.
    if (e instanceof ReadFailure && envelope.open) {
      const { groups: _groups, ...header } = envelope.open;
      e.interchange = header;
    }
    throw e;
  }
}

function readSegments(text: string, start: number, d: X12Delimiters, envelope: Envelope): X12Interchange[] {
  let pos = start;
  const tags = new Map<number, string>();
  let number = 0;
  for (;;) {
    while (pos < text.length && isBlank(text.charCodeAt(pos))) pos += 1;
    if (pos >= text.length) break;
    number += 1;
    let elements: string[];
    let tag: string;
    if (text.startsWith("ISA", pos)) {
      const isa = readIsa(text, pos, number);
      if (!isa.ok) throw new ReadFailure(isa.code, isa.error, number);
      const other = isa.isa.delimiters;
      if (other.element !== d.element || other.component !== d.component || other.segment !== d.segment) {
        throw new ReadFailure("X12.BAD_ISA", `segment ${number} (ISA): this interchange declares other delimiters than the first one in the file; send one interchange per file`, number);
      }
      tag = "ISA";
      elements = isa.isa.elements;
      pos += ISA_LENGTH;
    } else {
      const end = text.indexOf(d.segment, pos);
      if (end < 0) {
        const open = envelope.openTrailer();
        const cut = shownValue(text.slice(pos, pos + 20));
        if (open) throw new ReadFailure("X12.TRUNCATED", `truncated interchange: no ${open}; the file ends inside segment ${number} (${cut}, no segment terminator ${JSON.stringify(d.segment)})`, number);
        throw new ReadFailure("X12.BAD_SEGMENT", `segment ${number}: text after the last IEA that is not a segment (${cut}, no segment terminator ${JSON.stringify(d.segment)})`, number);
      }
      // The tag is at most 3 characters: look no further for its separator (an unbounded indexOf would rescan
      // the rest of the file for every segment that has no elements).
      const limit = Math.min(end, pos + 4);
      let cut = pos;
      while (cut < limit && text.charAt(cut) !== d.element) cut += 1;
      const known = cut === limit && limit < end ? null : internedTag(tags, text, pos, cut);
      tag = known ?? (cut === limit && limit < end ? text.slice(pos, Math.min(end, pos + 20)) : text.slice(pos, cut));
      if (known === null && !TAG.test(tag)) {
        const what = tag.length === 0 ? (cut === end ? "is empty (two segment terminators in a row)" : "has no segment identifier") : `does not start with a segment identifier (2–3 capital letters or digits): ${shownValue(tag, 20)}`;
        throw new ReadFailure("X12.BAD_SEGMENT", `segment ${number} ${what}`, number);
      }
      pos = end + 1;
      if (envelope.inSet() && !isEnvelope(tag)) {
        // A segment of a set: cut into elements when it is read (most of a file is these).
        envelope.addBody(tag, cut + 1, end, number);
        continue;
      }
      elements = cut < end ? split(text, cut + 1, end, d.element) : [];
    }
    envelope.add(tag, elements, number);
  }
  return envelope.finish(number);
}

/**
 * The tag text[from, to) as one string per distinct tag of the file (a file of 300,000 segments has a few dozen
 * tags: one string each, not one per segment, each checked once); null when it is not a tag (2–3 capital letters
 * or digits, the first a letter).
 */
function internedTag(tags: Map<number, string>, text: string, from: number, to: number): string | null {
  const length = to - from;
  if (length < 2 || length > 3) return null;
  const a = text.charCodeAt(from);
  const b = text.charCodeAt(from + 1);
  const c = length === 3 ? text.charCodeAt(from + 2) : 0;
  if (a > 127 || b > 127 || c > 127) return null;
  const key = (a << 14) | (b << 7) | c;
  let tag = tags.get(key);
  if (tag === undefined) {
    tag = text.slice(from, to);
    if (!TAG.test(tag)) return null;
    tags.set(key, tag);
  }
  return tag;
}

/** The envelope being read: order checked here, assembly and counts by node-x12. */
class Envelope {
  private parser = new X12Parser(true);
  /** node-x12's interchange being built (what its parser returns). */
  private checked: NodeX12Interchange | X12FatInterchange | null = null;
  private readonly options: X12SerializationOptions;
  private fedOptions = false;
  readonly interchanges: X12Interchange[] = [];
  private interchange: X12Interchange | null = null;

  /** The interchange being read (its ISA read, its IEA not yet). */
  get open(): X12Interchange | null {
    return this.interchange;
  }
  private group: X12FunctionalGroup | null = null;
  private set: ReadTransactionSet | null = null;
  private setControlNumbers = new Map<string, number>();
  private lastNumber = 0;
  private lastTag = "";

  constructor(
    private readonly delimiters: X12Delimiters,
    private readonly encoding: "utf-8" | "latin1",
    private readonly store: SegmentStore,
  ) {
    this.options = new X12SerializationOptions({ elementDelimiter: delimiters.element, segmentTerminator: delimiters.segment, subElementDelimiter: delimiters.component, repetitionDelimiter: delimiters.repetition ?? undefined });
  }

  /** The trailer the envelope is waiting for, if any. */
  openTrailer(): string | null {
    return this.set ? "SE" : this.group ? "GE" : this.interchange ? "IEA" : null;
  }

  inSet(): boolean {
    return this.set !== null;
  }

  /** A segment of the set being read (not an envelope segment), its elements cut when first asked for. */
  addBody(tag: string, from: number, end: number, number: number): void {
    this.store.add(tag, from, end);
    this.set!.bodyCount += 1;
    this.lastNumber = number;
    this.lastTag = tag;
  }

  add(tag: string, elements: string[], number: number): void {
    const { interchange, group, set } = this;
    const at = `segment ${number} (${tag})`;
    const fail = (message: string) => new ReadFailure("X12.OUT_OF_ORDER", `${at}: ${message}`, number);
    switch (tag) {
      case "ISA":
        if (set) throw fail(`the transaction set begun at segment ${set.segmentNumber} (ST) has no SE`);
        if (group) throw fail(`the group begun at segment ${group.segmentNumber} (GS) has no GE`);
        if (interchange) throw fail(`the interchange begun at segment ${interchange.segmentNumber} (ISA) has no IEA`);
        this.interchange = this.newInterchange(elements, number);
        // One node-x12 parser per interchange (it checks nothing across them): what it built is dropped at the IEA.
        this.parser = new X12Parser(true);
        this.fedOptions = false;
        break;
      case "GS":
        if (!interchange) throw fail("a group outside an interchange (no ISA before it)");
        if (set) throw fail(`the transaction set begun at segment ${set.segmentNumber} (ST) has no SE`);
        if (group) throw fail(`the group begun at segment ${group.segmentNumber} (GS) has no GE`);
        if (!elements[5]) throw fail("GS06 (group control number) is empty");
        this.group = { functionalId: elements[0] ?? "", senderAppId: (elements[1] ?? "").trim(), receiverAppId: (elements[2] ?? "").trim(), date: elements[3] ?? "", time: elements[4] ?? "", controlNumber: elements[5], version: elements[7] ?? "", segmentNumber: number, transactionSets: [] };
        this.setControlNumbers = new Map();
        interchange.groups.push(this.group);
        break;
      case "ST": {
        if (!group) throw fail(interchange ? "a transaction set outside a functional group (no GS before it)" : "a transaction set outside an interchange");
        if (set) throw fail(`the transaction set begun at segment ${set.segmentNumber} (ST) has no SE`);
        const control = elements[1] ?? "";
        if (!elements[0]) throw fail("ST01 (transaction set id) is empty");
        if (!control || control.length > 9) throw fail(`ST02 (control number) must be 1 to 9 characters; found ${shownValue(control)}`);
        const before = this.setControlNumbers.get(control);
        if (before !== undefined) throw new ReadFailure("X12.CONTROL_MISMATCH", `${at}: ST02 ${shownValue(control)} repeats the control number of the transaction set at segment ${before}`, number);
        this.setControlNumbers.set(control, number);
        this.set = new ReadTransactionSet(elements[0], control, elements[2] || null, number, { tag, elements, number, position: 1 }, this.store, this.store.size);
        group.transactionSets.push(this.set);
        break;
      }
      case "SE":
      case "GE":
      case "IEA": {
        const opener = tag === "SE" ? set : tag === "GE" ? group : interchange;
        if (!opener) throw fail(`${tag} without its ${tag === "SE" ? "ST" : tag === "GE" ? "GS" : "ISA"}`);
        if (tag === "GE" && set) throw fail(`the transaction set begun at segment ${set.segmentNumber} (ST) has no SE`);
        if (tag === "IEA" && set) throw fail(`the transaction set begun at segment ${set.segmentNumber} (ST) has no SE`);
        if (tag === "IEA" && group) throw fail(`the group begun at segment ${group.segmentNumber} (GS) has no GE`);
        const count = elements[0] ?? "";
        if (!/^\d{1,10}$/.test(count)) {
          const what = tag === "SE" ? "segments in the set" : tag === "GE" ? "transaction sets in the group" : "groups in the interchange";
          throw new ReadFailure("X12.COUNT_MISMATCH", `${at}: ${tag}01 must be the number of ${what}; found ${shownValue(count)}`, number, tag);
        }
        break;
      }
      default:
        if (!set) throw fail(`a segment outside a transaction set (${group ? "no ST before it" : interchange ? "not inside a GS … GE group" : "after the IEA"})`);
    }
    const inSet = this.set;
    if (inSet && tag === "SE") inSet.se = { tag, elements, number, position: inSet.bodyCount + 2 };
    else if (inSet && tag !== "ST") throw new ReadFailure("X12.INTERNAL", `${at}: a segment inside a set was not kept`, number);
    if (inSet && tag === "SE") this.feedBody(inSet.bodyCount, number);
    this.feed(tag, elements, number);
    if (tag === "SE") {
      this.set = null;
      this.releaseCheckedSet();
    }
    else if (tag === "GE") this.group = null;
    else if (tag === "IEA") {
      this.interchanges.push(this.interchange!);
      this.interchange = null;
    }
    this.lastNumber = number;
    this.lastTag = tag;
  }

  finish(segments: number): X12Interchange[] {
    const open = this.openTrailer();
    if (open) {
      const last = this.lastNumber ? `; the file ends after segment ${this.lastNumber} (${this.lastTag})` : "";
      throw new ReadFailure("X12.TRUNCATED", `truncated interchange: no ${open}${last}`, this.lastNumber || segments);
    }
    return this.interchanges;
  }

  private newInterchange(e: string[], number: number): X12Interchange {
    return {
      sender: { qualifier: e[4], id: e[5].trim() },
      receiver: { qualifier: e[6], id: e[7].trim() },
      date: e[8],
      time: e[9],
      controlVersion: e[11],
      controlNumber: e[12],
      ackRequested: e[13] === "1",
      usage: e[14] === "T" ? "T" : "P",
      delimiters: this.delimiters,
      encoding: this.encoding,
      segmentNumber: number,
      groups: [],
    };
  }

  /**
   * Hand node-x12 the `count` segments between a set's ST and its SE (segment `number`), which it only counts
   * (SE01): as many of one shared stand-in, given together when the SE comes rather than one call per segment.
   */
  private feedBody(count: number, number: number): void {
    let left = count;
    try {
      while (left > 0) {
        const n = Math.min(left, BODY_BATCH);
        this.checked = this.parser.getInterchangeFromSegments((bodyBatches[n] ??= Array.from({ length: n }, () => BODY)));
        left -= n;
      }
    } catch (e) {
      throw translate(e, "SE", [], number, this.set?.segmentNumber);
    }
  }

  /** Hand the segment to node-x12, which places it in its interchange and checks counts and control numbers. */
  private feed(tag: string, elements: string[], number: number): void {
    const segment = new X12Segment(tag, this.options);
    for (const value of elements) segment.elements.push(new X12Element(value));
    try {
      if (this.fedOptions) this.checked = this.parser.getInterchangeFromSegments([segment]);
      else {
        this.checked = this.parser.getInterchangeFromSegments([segment], this.options);
        this.fedOptions = true;
      }
    } catch (e) {
      throw translate(e, tag, elements, number, this.opener(tag));
    }
  }

  /**
   * Once node-x12 has checked a set's SE, all it needs of the set is that it was one (GE01 counts the group's sets):
   * its place in the group is given a shared empty transaction, so the set's ST, SE and a pointer per segment are
   * not kept (and copied by the garbage collector) until the interchange ends.
   */
  private releaseCheckedSet(): void {
    const checked = this.checked;
    if (!checked || !("functionalGroups" in checked)) return;
    const group = checked.functionalGroups[checked.functionalGroups.length - 1];
    if (group && group.transactions.length > 0) group.transactions[group.transactions.length - 1] = CHECKED_SET;
  }

  private opener(tag: string): number | undefined {
    return tag === "SE" ? this.set?.segmentNumber : tag === "GE" ? this.group?.segmentNumber : tag === "IEA" ? this.interchange?.segmentNumber : undefined;
  }
}

// node-x12 only counts a set's other segments (SE01): one stand-in serves for all of them, given in arrays of up
// to BODY_BATCH of it (bodyBatches[n] holds n).
const BODY = new X12Segment("BODY");
const BODY_BATCH = 64;
const bodyBatches: X12Segment[][] = [];

/** What stands, in node-x12's group, for a set it has checked (see releaseCheckedSet). */
const CHECKED_SET = new X12Transaction();

/** node-x12's ParserError (strict) → the same fact, said about the segment. */
function translate(e: unknown, tag: string, elements: string[], number: number, opener: number | undefined): ReadFailure {
  const message = e instanceof Error ? e.message : String(e);
  const at = `segment ${number} (${tag})`;
  const count = /value in (IEA01|GE01|SE01) \((.*)\) does not match the number of \w+ (?:segments )?in the [\w ]+ \((\d+)\)/.exec(message);
  if (count) {
    const [, field, said, actual] = count;
    const noun = field === "IEA01" ? "groups" : field === "GE01" ? "transaction sets" : "segments";
    const container = field === "IEA01" ? "the interchange" : field === "GE01" ? "the group" : "the set";
    const saidText = /^\d+$/.test(said.trim()) ? `says ${Number(said)} ${noun}` : `should be the number of ${noun} (${actual}) but is ${shownValue(said)}`;
    const tail = /^\d+$/.test(said.trim()) ? `, ${container} has ${actual}` : "";
    return new ReadFailure("X12.COUNT_MISMATCH", `${at}: ${field} ${saidText}${tail}${opener ? ` (${container} begun at segment ${opener})` : ""}`, number, tag);
  }
  const control = /value in (IEA02|GE02|SE02) \((.*)\) does not match the value in (ISA13|GS06|ST02) \((.*)\)/.exec(message);
  if (control) {
    const [, field, said, other, expected] = control;
    return new ReadFailure("X12.CONTROL_MISMATCH", `${at}: ${field} ${shownValue(said)} does not match ${other} ${shownValue(expected)}${opener ? ` of segment ${opener}` : ""}`, number, tag);
  }
  const name = e instanceof Error ? e.name : "Error";
  return new ReadFailure("X12.BAD_SEGMENT", `${at}: ${name === "ParserError" ? "" : `${name}: `}${message} (${elements.length} elements)`, number);
}
