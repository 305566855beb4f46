import { shownValue, type X12Delimiters, type X12ReadErrorCode } from "./x12-model";

// The ISA segment is fixed-width (106 characters with its terminator), which is how a reader learns the
// delimiters before it can split anything: the element separator is character 4, the component separator is
// ISA16 (character 105) and the segment terminator is character 106. This is the check node-x12 does by position
// (X12Parser reads the same three characters), made strict enough to name what is wrong: a padded field that
// lost its padding, a delimiter that is a letter, two delimiters that are the same character.

/** ISA01 … ISA16 widths. */
const WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
const NAMES = ["authorization qualifier", "authorization information", "security qualifier", "security information", "sender id qualifier", "sender id", "receiver id qualifier", "receiver id", "date", "time", "repetition separator / standards id", "version", "control number", "acknowledgment requested", "usage indicator", "component separator"];
export const ISA_LENGTH = 106;

export interface IsaHeader {
  /** ISA01 … ISA16 as sent (padding kept). */
  elements: string[];
  delimiters: X12Delimiters;
}

export type IsaCheck = { ok: true; isa: IsaHeader } | { ok: false; code: X12ReadErrorCode; error: string };

const isAlphanumeric = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isWhitespace = (c: string) => /^\s$/.test(c);

function describe(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : JSON.stringify(c);
}

/** Read the ISA starting at `at` of `text`, the `segment`-th segment of the file. */
export function readIsa(text: string, at: number, segment: number): IsaCheck {
  const where = `segment ${segment} (ISA)`;
  const fail = (error: string, code: X12ReadErrorCode = "X12.BAD_ISA"): IsaCheck => ({ ok: false, code, error: `${where}: ${error}` });
  const available = text.length - at;
  const element = text.charAt(at + 3);
  if (available < 4) return fail(`truncated interchange: the ISA segment is ${ISA_LENGTH} characters, the file ends after ${available}`, "X12.TRUNCATED");
  if (isAlphanumeric(element) || isWhitespace(element)) return fail(`the element separator (the character after "ISA") is ${describe(element)}; it must be a character that is neither a letter, a digit nor white space`);
  let pos = at + 3;
  const elements: string[] = [];
  for (let k = 0; k < WIDTHS.length; k += 1) {
    const start = pos + 1;
    const name = `ISA${String(k + 1).padStart(2, "0")}`;
    if (k === WIDTHS.length - 1) {
      if (text.length < start + 2) return fail(`truncated interchange: the ISA segment is ${ISA_LENGTH} characters, the file ends after ${available}`, "X12.TRUNCATED");
      elements.push(text.charAt(start));
      break;
    }
    const end = start + WIDTHS[k];
    if (end >= text.length || text.charAt(end) !== element) {
      const next = text.indexOf(element, start);
      const found = next < 0 || next - start > 40 ? text.slice(start, start + 40) : text.slice(start, next);
      if (text.length <= end && next < 0) return fail(`truncated interchange: the ISA segment is ${ISA_LENGTH} characters, the file ends after ${available}`, "X12.TRUNCATED");
      return fail(`the ISA is fixed-width: ${name} (${NAMES[k]}) must be exactly ${WIDTHS[k]} characters, padded with spaces, followed by the element separator ${describe(element)}; found ${shownValue(found)}`);
    }
    elements.push(text.slice(start, end));
    pos = end;
  }
  const component = elements[15];
  const terminator = text.charAt(at + ISA_LENGTH - 1);
  if (isAlphanumeric(component) || isWhitespace(component)) return fail(`the component separator (ISA16) is ${describe(component)}; it must be a character that is neither a letter, a digit nor white space`);
  if (isAlphanumeric(terminator) || terminator === " " || terminator === "\t") return fail(`the segment terminator (the character after ISA16) is ${describe(terminator)}; it must not be a letter, a digit, a space or a tab`);
  if (component === element || terminator === element || terminator === component) {
    return fail(`the element separator ${describe(element)}, component separator ${describe(component)} and segment terminator ${describe(terminator)} must be three different characters`);
  }
  const version = elements[11];
  const isa11 = elements[10];
  let repetition: string | null = null;
  if (version >= "00402" && !isAlphanumeric(isa11) && !isWhitespace(isa11)) {
    if (isa11 === element || isa11 === component || isa11 === terminator) return fail(`the repetition separator (ISA11) ${describe(isa11)} is also used as another delimiter`);
    repetition = isa11;
  }
  if (!/^\d{9}$/.test(elements[12])) return fail(`ISA13 (control number) must be 9 digits; found ${shownValue(elements[12])}`);
  if (elements[14] !== "P" && elements[14] !== "T") return fail(`ISA15 (usage indicator) must be P (production) or T (test); found ${shownValue(elements[14])}`);
  if (elements[13] !== "0" && elements[13] !== "1") return fail(`ISA14 (acknowledgment requested) must be 0 or 1; found ${shownValue(elements[13])}`);
  if (!elements[5].trim()) return fail("ISA06 (sender id) is empty");
  if (!elements[7].trim()) return fail("ISA08 (receiver id) is empty");
  return { ok: true, isa: { elements, delimiters: { element, component, segment: terminator, repetition } } };
}
