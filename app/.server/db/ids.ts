import { randomBytes } from "node:crypto";

// Row ids and the text form of times, the same on SQLite and PostgreSQL.

/** Time as stored and compared (UTC ISO-8601 with milliseconds, "…Z"): sorts as text on SQLite, and is
 * what the PostgreSQL driver reads TIMESTAMPTZ back as. Formatted once per millisecond. */
export function sqlTime(date?: Date): string {
  const ms = date ? date.getTime() : Date.now();
  if (ms !== lastTime.ms) lastTime = { ms, text: new Date(ms).toISOString() };
  return lastTime.text;
}

let lastTime = { ms: NaN, text: "" };

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
