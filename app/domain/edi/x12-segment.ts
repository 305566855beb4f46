import type { X12SegmentData, X12TransactionSet } from "./x12-model";

// The segments inside a transaction set as x12-read.ts keeps them, and reading one element of any segment.
//
// Most of a file is such segments, each read once by read850; what the reader keeps of them, the garbage collector
// copies (twice, young then old) for as long as the file is being read, and that — not the cutting — was most of
// the time of a parse (ADR 0021). So:
//  - A set's segments are kept as three numbers each (where the segment's elements start and end in the file's
//    text, which tag) in one typed array per file (`SegmentStore`), not as an object per segment: the collector
//    never looks inside it. `set.segments` builds the segment objects when it is first asked for (and keeps them);
//    read850 goes through `setSegments`, whose objects die with the read.
//  - `elementValue` finds an element's bounds in the text (those of the segment read last are remembered in one
//    reused typed array) and slices only the value asked for: reading a segment builds no array of its elements
//    and no string for the elements nobody reads. Values of two or three characters — qualifiers, units, codes:
//    most of what a document keeps — are one string per distinct value of the file, not one per segment.
//  - `elements` still gives the whole array to whoever asks for it, as any X12SegmentData does.

/** How many distinct short values a file keeps one string of (past it, they are sliced each time). */
const SHORT_VALUES = 4096;

/** A file's text, its element separator, and the segments inside its sets, three numbers each. */
export class SegmentStore {
  /** [from, end, tag] per segment: `from` where its first element starts (> end when it has none), `end` its terminator. */
  private data = new Int32Array(3 * 1024);
  private count = 0;
  private readonly tags: string[] = [];
  private readonly tagIds = new Map<string, number>();
  readonly short = new Map<number, string>();

  constructor(
    readonly text: string,
    readonly separator: string,
  ) {}

  /** Keep a segment; its index in the store. */
  add(tag: string, from: number, end: number): number {
    let id = this.tagIds.get(tag);
    if (id === undefined) {
      id = this.tags.length;
      this.tags.push(tag);
      this.tagIds.set(tag, id);
    }
    if (this.count * 3 === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const at = this.count * 3;
    this.data[at] = from;
    this.data[at + 1] = end;
    this.data[at + 2] = id;
    return this.count++;
  }

  /** How many segments are kept (the index the next one gets). */
  get size(): number {
    return this.count;
  }

  /** The segment at `index`, numbered `number` in the file and `position` in its set. */
  segment(index: number, number: number, position: number): BodySegment {
    const at = index * 3;
    return new BodySegment(this.tags[this.data[at + 2]], this, this.data[at], this.data[at + 1], number, position);
  }
}

/** A segment of a set: where it is in the text; its elements are cut when read. */
export class BodySegment implements X12SegmentData {
  constructor(
    readonly tag: string,
    readonly source: SegmentStore,
    /** Where its first element starts (after the tag's separator); > end when it has no elements. */
    readonly from: number,
    /** Where its segment terminator is. */
    readonly end: number,
    readonly number: number,
    readonly position: number,
  ) {}

  get elements(): string[] {
    return elementsOf(this);
  }
}

/**
 * A transaction set as the reader keeps it: its ST and SE as read, the segments between them in the file's
 * store. `segments` (ST … SE) is built when first asked for and kept.
 */
export class ReadTransactionSet implements X12TransactionSet {
  /** How many segments between ST and SE, and the store index of the first. */
  bodyCount = 0;
  se: X12SegmentData | null = null;
  private built: X12SegmentData[] | null = null;

  constructor(
    readonly id: string,
    readonly controlNumber: string,
    readonly implementationReference: string | null,
    readonly segmentNumber: number,
    readonly st: X12SegmentData,
    readonly store: SegmentStore,
    readonly bodyStart: number,
  ) {}

  get segments(): X12SegmentData[] {
    return (this.built ??= build(this));
  }

  /** Whether `segments` was built (and is kept). */
  isBuilt(): boolean {
    return this.built !== null;
  }
}

function build(set: ReadTransactionSet): X12SegmentData[] {
  const out: X12SegmentData[] = [set.st];
  for (let k = 0; k < set.bodyCount; k += 1) out.push(set.store.segment(set.bodyStart + k, set.segmentNumber + k + 1, k + 2));
  if (set.se) out.push(set.se);
  return out;
}

/** The segments of `set` (ST … SE) to read once: for a set the reader kept, built for this read and not kept. */
export function setSegments(set: X12TransactionSet): readonly X12SegmentData[] {
  return set instanceof ReadTransactionSet && !set.isBuilt() ? build(set) : set.segments;
}

// The array of the segment whose `elements` was asked for last (its readers ask element after element).
let splitOwner: BodySegment | null = null;
let splitElements: string[] = [];

function elementsOf(s: BodySegment): string[] {
  if (splitOwner !== s) {
    splitElements = s.from <= s.end ? split(s.source.text, s.from, s.end, s.source.separator) : [];
    splitOwner = s;
  }
  return splitElements;
}

// The element starts of the segment `elementValue` cut last: starts[k] is where element k + 1 begins.
let boundsOwner: BodySegment | null = null;
let starts = new Int32Array(64);
let count = 0;

function bounds(s: BodySegment): void {
  if (boundsOwner === s) return;
  const { text, separator } = s.source;
  count = 0;
  if (s.from <= s.end) {
    let start = s.from;
    for (;;) {
      if (count === starts.length) {
        const bigger = new Int32Array(starts.length * 2);
        bigger.set(starts);
        starts = bigger;
      }
      starts[count++] = start;
      const next = text.indexOf(separator, start);
      if (next < 0 || next >= s.end) break;
      start = next + 1;
    }
  }
  boundsOwner = s;
}

const cut: string[] = [];

/**
 * text[from, end) split at `separator`, without the intermediate copy of String.split on a slice, in an array of
 * exactly its length (the reader keeps the envelope's: see exactArray).
 */
export function split(text: string, from: number, end: number, separator: string): string[] {
  cut.length = 0;
  let start = from;
  for (;;) {
    const next = text.indexOf(separator, start);
    if (next < 0 || next >= end) {
      cut.push(text.slice(start, end));
      const out = cut.slice();
      cut.length = 0;
      return out;
    }
    cut.push(text.slice(start, next));
    start = next + 1;
  }
}

/** text[from, to) (2 or 3 characters below U+0100) as the file's one string of that value. */
function shortValue(store: SegmentStore, from: number, to: number): string {
  const { text, short } = store;
  const a = text.charCodeAt(from);
  const b = text.charCodeAt(from + 1);
  const c = to - from === 3 ? text.charCodeAt(from + 2) : 0;
  if (a > 0xff || b > 0xff || c > 0xff) return text.slice(from, to);
  const key = (to - from) * 0x1000000 + a * 0x10000 + b * 0x100 + c;
  let value = short.get(key);
  if (value === undefined) {
    value = text.slice(from, to);
    if (short.size < SHORT_VALUES) short.set(key, value);
  }
  return value;
}

/** Could trim() remove this character? (Every JS white space and line terminator is ≤ U+0020 or ≥ U+007F.) */
const mayTrim = (c: number) => c <= 0x20 || c >= 0x7f;

/** Element `n` of `s` (1 = the first, as the standard numbers them), trimmed; null when absent or blank. */
export function elementValue(s: X12SegmentData, n: number): string | null {
  if (!(s instanceof BodySegment)) {
    const v = s.elements[n - 1]?.trim();
    return v ? v : null;
  }
  bounds(s);
  const k = n - 1;
  if (k < 0 || k >= count) return null;
  const from = starts[k];
  const to = k + 1 < count ? starts[k + 1] - 1 : s.end;
  if (from >= to) return null;
  const text = s.source.text;
  if (mayTrim(text.charCodeAt(from)) || mayTrim(text.charCodeAt(to - 1))) {
    const v = text.slice(from, to).trim();
    return v ? v : null;
  }
  const length = to - from;
  return length === 2 || length === 3 ? shortValue(s.source, from, to) : text.slice(from, to);
}

/** How many elements `s` has (its last element's number). */
export function elementCount(s: X12SegmentData): number {
  if (!(s instanceof BodySegment)) return s.elements.length;
  bounds(s);
  return count;
}
