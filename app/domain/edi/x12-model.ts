// The X12 interchange as the rest of the app sees it: plain data, read by x12-read.ts (with node-x12 building the
// envelope and checking its counts and control numbers) and written by x12-write.ts. Every segment carries its
// number in the file (1 = the first ISA), which is what every message about it names, and its position in its
// transaction set (ST = 1), which is what a 997 names (AK302).

/** The separators an ISA declares: element (ISA char 4), component (ISA16), segment terminator (after ISA16). */
export interface X12Delimiters {
  element: string;
  component: string;
  segment: string;
  /** ISA11 when the version (00402 and later) makes it a repetition separator; null before that. */
  repetition: string | null;
}

export const DEFAULT_DELIMITERS: X12Delimiters = { element: "*", component: ">", segment: "~", repetition: null };

/** An interchange id: qualifier (ISA05/ISA07) and id (ISA06/ISA08, trimmed of the wire's padding). */
export interface X12InterchangeId {
  qualifier: string;
  id: string;
}

export interface X12SegmentData {
  tag: string;
  /** elements[0] is element 01 (BEG01), as the standard numbers them; composites stay joined by the component separator. */
  elements: string[];
  /** Number of the segment in the file, 1 = the first ISA. */
  number: number;
  /** Position in its transaction set, ST = 1 (0 for ISA, GS, GE, IEA). */
  position: number;
}

export interface X12TransactionSet {
  /** ST01: 850, 855, 856, 810, 997 … */
  id: string;
  /** ST02. */
  controlNumber: string;
  /** ST03 (005010 and later), else null. */
  implementationReference: string | null;
  /** Number of the ST segment in the file. */
  segmentNumber: number;
  /** ST … SE, inclusive: segments[i].position === i + 1. */
  segments: X12SegmentData[];
}

export interface X12FunctionalGroup {
  /** GS01: PO (850), PR (855), SH (856), IN (810), FA (997) … */
  functionalId: string;
  /** GS02, the sender's application id. */
  senderAppId: string;
  /** GS03, the receiver's application id. */
  receiverAppId: string;
  /** GS04 (CCYYMMDD) and GS05 (HHMM[SS[dd]]), as sent. */
  date: string;
  time: string;
  /** GS06. */
  controlNumber: string;
  /** GS08: 004010, 004010VICS, 005010 … */
  version: string;
  segmentNumber: number;
  transactionSets: X12TransactionSet[];
}

export interface X12Interchange {
  sender: X12InterchangeId;
  receiver: X12InterchangeId;
  /** ISA09 (YYMMDD) and ISA10 (HHMM), as sent. */
  date: string;
  time: string;
  /** ISA12: 00401, 00501 … */
  controlVersion: string;
  /** ISA13, nine digits as sent. */
  controlNumber: string;
  /** ISA14: the sender asks for a TA1. */
  ackRequested: boolean;
  /** ISA15: production or test data. */
  usage: "P" | "T";
  delimiters: X12Delimiters;
  /** How the bytes were read: UTF-8, or Latin-1 when they are not valid UTF-8. */
  encoding: "utf-8" | "latin1";
  segmentNumber: number;
  groups: X12FunctionalGroup[];
}

/** An interchange's envelope as its ISA says it: everything but its groups. */
export type X12InterchangeHeader = Omit<X12Interchange, "groups">;

/** Why an interchange cannot be read. `segment` is the segment the problem was found at, when there is one. */
export interface X12ReadError {
  ok: false;
  code: X12ReadErrorCode;
  error: string;
  segment?: number;
  /** The tag of that segment, when the problem is in one the reader could cut (IEA for IEA01/IEA02). */
  tag?: string;
  /** The interchange the problem is in, when its ISA was read: who sent it, its ISA13 (what a TA1 answers). */
  interchange?: X12InterchangeHeader;
}

export type X12ReadErrorCode =
  | "X12.NOT_X12"
  | "X12.BAD_ISA"
  | "X12.BAD_SEGMENT"
  | "X12.OUT_OF_ORDER"
  | "X12.TRUNCATED"
  | "X12.COUNT_MISMATCH"
  | "X12.CONTROL_MISMATCH"
  | "X12.MULTIPLE_INTERCHANGES"
  /** A fault of this reader, not of the input: never expected (the fuzz tests look for it). */
  | "X12.INTERNAL";

/**
 * Something wrong with one segment of a transaction set. `error` rejects the set (997 AK5 R); `warning` is noted
 * (AK5 E when it has an `ack`, else only for the merchant). `ack` says how a 997 reports it (AK3/AK4 codes).
 */
export interface X12Problem {
  severity: "error" | "warning";
  /** Stable code, e.g. X12.850.PO_NUMBER_MISSING. */
  code: string;
  /** "segment 15 (PO1): …": always starts with the segment it is about. */
  message: string;
  segment: number;
  position: number;
  tag: string;
  ack?: X12AckNote;
}

/** How a 997 reports a problem: AK304 segment syntax error code and, for an element, AK401/AK402/AK403. */
export interface X12AckNote {
  /** AK304: 1 unrecognized segment, 3 mandatory segment missing, 4 loop over maximum, 8 segment has data element errors … */
  segmentError: "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8";
  element?: {
    /** AK401: position of the element in the segment (1-based). */
    position: number;
    /** AK402: the data element's reference number (e.g. 330 for PO102), when known. */
    reference?: string;
    /** AK403: 1 mandatory missing, 2 conditional required missing, 6 invalid character, 7 invalid code value, 8 invalid date … */
    error: "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10";
  };
}

/** A value shown in a message: quoted, control characters escaped, cut at `max` characters. */
export function shownValue(value: string, max = 40): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

/**
 * `items` in an array of exactly its length. An array grown by push keeps room for 16 more (V8): for the small
 * arrays a document keeps by the thousand — one product id, two dates — that room is most of their memory, which
 * the garbage collector copies with them.
 */
export function exactArray<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}

