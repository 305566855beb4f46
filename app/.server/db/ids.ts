import { randomBytes } from "node:crypto";
import { daysInMonth } from "~/domain/shared/calendar";

// Row ids and the text form of times, the same on SQLite and PostgreSQL.

/** Time as stored and compared (UTC ISO-8601 with milliseconds, "…Z"): sorts as text on SQLite, and is
 * what the PostgreSQL driver reads TIMESTAMPTZ back as. Formatted once per millisecond. */
export function sqlTime(date?: Date): string {
  const ms = date ? date.getTime() : Date.now();
  if (ms !== lastTime.ms) lastTime = { ms, text: new Date(ms).toISOString() };
  return lastTime.text;
}

let lastTime = { ms: NaN, text: "" };

/**
 * A time given as text, as stored: the text itself when it already is that form (what toISOString writes, a real
 * date: a channel's mapper or an earlier sqlTime made it), otherwise parsed and formatted (and refused as Date
 * refuses it). Saves a Date and a format per time on the import path, where every order's times come this way.
 */
export function sqlTimeOfText(text: string): string {
  return isStoredForm(text) ? text : sqlTime(new Date(text));
}

/** YYYY-MM-DDTHH:MM:SS.sssZ with a real date and time of day. */
function isStoredForm(t: string): boolean {
  if (t.length !== 24 || t.charCodeAt(23) !== 90 /* Z */ || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 /* T */) return false;
  if (t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 46 /* . */) return false;
  for (const at of DIGIT_AT) {
    const c = t.charCodeAt(at);
    if (c < 48 || c > 57) return false;
  }
  const n = (at: number, len: number) => {
    let v = 0;
    for (let i = at; i < at + len; i++) v = v * 10 + (t.charCodeAt(i) - 48);
    return v;
  };
  const y = n(0, 4);
  const mo = n(5, 2);
  const d = n(8, 2);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo) && n(11, 2) <= 23 && n(14, 2) <= 59 && n(17, 2) <= 59;
}

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

/** The UTC calendar day of `date` as YYYY-MM-DD (a location's daily load is counted per day). */
export function utcDay(date: Date): string {
  const day = Math.floor(date.getTime() / 86_400_000);
  if (day !== lastDay.day) lastDay = { day, text: date.toISOString().slice(0, 10) };
  return lastDay.text;
}

let lastDay = { day: NaN, text: "" };

export function fromSqlTime(value: string | null): Date | null {
  return value ? new Date(value) : null;
}

// Row ids: time-ordered, then a per-process random part and a counter (unique across processes
// without paying for fresh randomness on every row).
const PROCESS_PART = randomBytes(6).toString("hex");
const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
let counter = 0;
let idTime = { ms: NaN, prefix: "" };

export function newId(): string {
  counter = (counter + 1) % 0x1000000; // < 36^5: five base-36 digits
  const ms = Date.now();
  if (ms !== idTime.ms) idTime = { ms, prefix: `c${ms.toString(36)}${PROCESS_PART}` };
  let n = counter;
  let digits = "";
  for (let i = 0; i < 5; i++, n = Math.floor(n / 36)) digits = BASE36[n % 36] + digits;
  return idTime.prefix + digits;
}
