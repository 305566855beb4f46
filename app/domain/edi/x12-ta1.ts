import type { X12Delimiters, X12InterchangeHeader, X12ReadError } from "./x12-model";
import { writeControlInterchange, type X12Build } from "./x12-write";

// The TA1 interchange acknowledgment (X12 004010 / 005010): what we say of a partner's interchange envelope (its
// ISA and IEA), in an interchange of its own with no functional group, sender and receiver swapped:
//   TA1*<TA101 the received ISA13>*<TA102 its ISA09>*<TA103 its ISA10>*<TA104 A|E|R>*<TA105 note code>~
// TA102/TA103 are the date and time of the interchange acknowledged (as the standard defines them), not ours.
// Sent when the partner asks for it (ISA14 = 1), and when an interchange is rejected as a whole for its envelope
// (the reader refused it: no 997 can be built) and its ISA still says whose it is: R with the note code of what
// the reader found. Pure.

export type Ta1Code = "A" | "E" | "R";

/** TA105, the interchange note codes (X12 data element I18) the app uses. */
export const TA1_NOTES = {
  "000": "no error",
  "001": "the interchange control number in the header and trailer do not match",
  "021": "invalid number of included groups value",
  "022": "invalid control structure",
  "023": "improper (premature) end-of-file (transmission)",
  "024": "invalid interchange content (e.g. an invalid GS segment)",
} as const;
export type Ta1Note = keyof typeof TA1_NOTES;

export interface Ta1Answer {
  /** TA104: A accepted, E accepted with errors noted, R rejected. */
  code: Ta1Code;
  /** TA105. */
  note: Ta1Note;
}

export interface Ta1Envelope {
  /** ISA13 of the TA1's own interchange (the caller keeps the partner's numbers). */
  control: { interchange: number };
  /** ISO 8601: ISA09/ISA10 of the TA1's interchange. */
  createdAt: string;
  /** Default: the received interchange's own. */
  delimiters?: Partial<X12Delimiters>;
  lineBreaks?: boolean;
}

/** The interchange's envelope was read whole: accepted, no error. */
export const TA1_ACCEPTED: Ta1Answer = { code: "A", note: "000" };

/**
 * What a TA1 says of an interchange the reader refused, or null when the failure is in no interchange whose ISA
 * was read (its ISA is unreadable, or the text after the last IEA is not X12): R and the note code of the failure.
 */
export function ta1ForReadError(error: X12ReadError): Ta1Answer | null {
  if (!error.interchange) return null;
  switch (error.code) {
    case "X12.CONTROL_MISMATCH":
      // IEA02 ≠ ISA13 is the interchange's; GE02 ≠ GS06, SE02 ≠ ST02 and a repeated ST02 are its content's.
      return { code: "R", note: error.tag === "IEA" ? "001" : "024" };
    case "X12.COUNT_MISMATCH":
      return { code: "R", note: error.tag === "IEA" ? "021" : "024" };
    case "X12.TRUNCATED":
      return { code: "R", note: "023" };
    case "X12.OUT_OF_ORDER":
      return { code: "R", note: "022" };
    default:
      return { code: "R", note: "024" };
  }
}

const VERSION = /^\d{5}$/;

/** The TA1 interchange answering `received` (the partner's interchange, as readInterchanges read its ISA). */
export function buildTa1(received: X12InterchangeHeader, answer: Ta1Answer, envelope: Ta1Envelope): X12Build {
  if (!/^\d{9}$/.test(received.controlNumber)) return { ok: false, error: `TA101: the interchange's ISA13 ${JSON.stringify(received.controlNumber)} is not 9 digits` };
  if (!/^\d{6}$/.test(received.date)) return { ok: false, error: `TA102: the interchange's ISA09 ${JSON.stringify(received.date)} is not a date (YYMMDD)` };
  if (!/^\d{4}$/.test(received.time)) return { ok: false, error: `TA103: the interchange's ISA10 ${JSON.stringify(received.time)} is not a time (HHMM)` };
  if (!(answer.note in TA1_NOTES)) return { ok: false, error: `TA105: ${JSON.stringify(answer.note)} is not a note code the app sends` };
  const { delimiters } = received;
  return writeControlInterchange(
    {
      ours: { isaQualifier: received.receiver.qualifier, isaId: received.receiver.id, gsId: received.receiver.id },
      theirs: { isaQualifier: received.sender.qualifier, isaId: received.sender.id, gsId: received.sender.id },
      // ISA12 as the partner's (the writer takes a GS08 version and writes its first five digits).
      version: VERSION.test(received.controlVersion) ? `${received.controlVersion}0` : "004010",
      usage: received.usage,
      control: { interchange: envelope.control.interchange, group: 1, transactionSet: 1 },
      createdAt: envelope.createdAt,
      delimiters: envelope.delimiters ?? { element: delimiters.element, component: delimiters.component, segment: delimiters.segment, ...(delimiters.repetition ? { repetition: delimiters.repetition } : {}) },
      lineBreaks: envelope.lineBreaks,
    },
    [["TA1", received.controlNumber, received.date, received.time, answer.code, answer.note]],
  );
}
