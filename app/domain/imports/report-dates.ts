import { daysInMonth } from "../shared/calendar";
// Dates as flat-file reports write them → UTC ISO. Amazon's order reports write ISO 8601 with an offset
// ("2022-07-18T18:52:47+00:00", "2024-01-15T10:20:30-08:00"); files saved from Seller Central or a spreadsheet
// come back with the forms below. Every form is read exactly (no Date.parse guessing): a value that matches none,
// or whose day and month could be either way round, is refused with what was expected.

export type DateReading = { ok: true; iso: string } | { ok: false; error: string };

/** Zone abbreviations Amazon and Seller Central write, in minutes east of UTC (IST is left out: India or Ireland). */
const ZONES: Record<string, number> = {
  Z: 0, UTC: 0, GMT: 0, WET: 0, BST: 60, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180,
  PST: -480, PDT: -420, MST: -420, MDT: -360, CST: -360, CDT: -300, EST: -300, EDT: -240, AKST: -540, AKDT: -480, HST: -600,
  JST: 540, KST: 540, AEST: 600, AEDT: 660, AWST: 480, NZST: 720, NZDT: 780, SGT: 480, BRT: -180,
};
const US_ZONES = new Set(["PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT", "AKST", "AKDT", "HST"]);
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12 };

const EXPECTED = "expected e.g. 2024-01-15T10:20:30+00:00";
const MAX_SHOWN = 40;

/** A value for a message: quoted, cut at 40 characters. */
export function shown(value: string): string {
  return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
}

// Each pattern is anchored and has no nested repetition: linear on any input (a 1 MB field included).
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/;
const SLASHED_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/;
const NAMED_MDY = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/;
const NAMED_DMY = /^(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/;

function zoneMinutes(zone: string | undefined): number | null | "unknown" {
  if (!zone) return null;
  // "+00:00", "-08:00": what Amazon writes on every line, read without a regex or a lookup.
  if (zone.length === 6 && zone.charCodeAt(3) === 58 /* : */) {
    const sign = zone.charCodeAt(0);
    const h = twoDigits(zone, 1);
    const m = twoDigits(zone, 4);
    if ((sign === 43 /* + */ || sign === 45) /* - */ && h >= 0 && m >= 0) {
      if (h > 14 || m > 59) return "unknown";
      return sign === 45 ? -(h * 60 + m) : h * 60 + m;
    }
  }
  const z = zone.toUpperCase();
  if (z in ZONES) return ZONES[z];
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (!m) return "unknown";
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (Number(m[2]) > 14 || Number(m[3] ?? 0) > 59) return "unknown";
  return m[1] === "-" ? -minutes : minutes;
}

/** The number in two decimal digits at `at`, or -1 when they are not both digits. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, fraction: string | undefined, zone: string | undefined, raw: string): DateReading {
  const offset = zoneMinutes(zone);
  if (offset === "unknown") return { ok: false, error: `${shown(raw)}: time zone ${shown(zone!)} is not one we know (write an offset such as +01:00)` };
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return { ok: false, error: `${shown(raw)} is not a real date and time` };
  if (d > daysInMonth(y, mo)) return { ok: false, error: `${shown(raw)} is not a real date (day ${d} of month ${mo})` };
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  const local = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
  return { ok: true, iso: new Date(local - (offset ?? 0) * 60_000).toISOString() };
}

function hour12(h: number, ampm: string | undefined): number | null {
  if (!ampm) return h;
  if (h < 1 || h > 12) return null;
  const pm = ampm.toLowerCase() === "pm";
  return (h % 12) + (pm ? 12 : 0);
}

/**
 * A report's date → UTC ISO with milliseconds. Without a zone a time is taken as UTC. Reads ISO 8601 (with `T` or a
 * space, offset or zone abbreviation), `15.01.2024 10:20:30` (day first), `2024/01/15 10:20:30 JST`,
 * `01/15/2024 10:20:30 AM PST` (month first with a US zone; otherwise day/month only when one of them is over 12),
 * `Jan 15, 2024 10:20:30 AM PST` and `15 Jan 2024 10:20:30 GMT`.
 */
export function parseReportDate(value: string): DateReading {
  // The lines of one order repeat its dates (purchase, last update, promise): the last few readings are kept
  // (readings are never changed by their readers).
  for (let i = 0; i < RECENT; i++) if (recentValues[i] === value) return recentReadings[i];
  const reading = readDate(value);
  recentValues[nextSlot] = value;
  recentReadings[nextSlot] = reading;
  nextSlot = (nextSlot + 1) % RECENT;
  return reading;
}

const RECENT = 4;
const recentValues: (string | null)[] = Array.from({ length: RECENT }, () => null);
const recentReadings: DateReading[] = Array.from({ length: RECENT }, () => ({ ok: false, error: "" }));
let nextSlot = 0;

function readDate(value: string): DateReading {
  const raw = value.trim();
  if (raw === "") return { ok: false, error: "is empty" };
  if (raw.length > 64) return { ok: false, error: `${shown(raw)} is not a date (${EXPECTED})` };
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(raw))) return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7], m[8], raw);
  if ((m = DOTTED.exec(raw))) return build(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), undefined, m[7], raw);
  if ((m = SLASHED_YMD.exec(raw))) return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), undefined, m[7], raw);
  if ((m = SLASHED.exec(raw))) {
    const [a, b, zone] = [+m[1], +m[2], m[8]];
    let month: number;
    let day: number;
    if (zone && US_ZONES.has(zone.toUpperCase())) [month, day] = [a, b];
    else if (a > 12 && b <= 12) [day, month] = [a, b];
    else if (b > 12 && a <= 12) [month, day] = [a, b];
    else if (a === b) [month, day] = [a, b];
    else return { ok: false, error: `${shown(raw)}: day and month could be either way round (${EXPECTED})` };
    const h = hour12(+(m[4] ?? 0), m[7]);
    if (h === null) return { ok: false, error: `${shown(raw)} is not a real time` };
    return build(+m[3], month, day, h, +(m[5] ?? 0), +(m[6] ?? 0), undefined, zone, raw);
  }
  const mdy = NAMED_MDY.exec(raw);
  const dmy = mdy ? null : NAMED_DMY.exec(raw);
  m = mdy ?? dmy;
  const named = mdy ? { mon: mdy[1], day: mdy[2] } : dmy ? { mon: dmy[2], day: dmy[1] } : null;
  if (m && named) {
    const month = MONTHS[named.mon.toLowerCase().slice(0, named.mon.length === 4 ? 4 : 3)];
    if (!month || (named.mon.length > 3 && !/^(january|february|march|april|may|june|july|august|september|october|november|december|sept)$/i.test(named.mon))) return { ok: false, error: `${shown(raw)}: ${shown(named.mon)} is not a month` };
    const h = hour12(+(m[4] ?? 0), m[7]);
    if (h === null) return { ok: false, error: `${shown(raw)} is not a real time` };
    return build(+m[3], month, +named.day, h, +(m[5] ?? 0), +(m[6] ?? 0), undefined, m[8], raw);
  }
  return { ok: false, error: `${shown(raw)} is not a date we can read (${EXPECTED})` };
}
