// Reading X12 data elements: dates (DT, CCYYMMDD), numbers (R, an optional sign, digits and an optional decimal
// point) and GTINs. Each returns null for what it cannot read, so the caller can say which element it was.

// The dates read last, and what they read as: a file's orders carry few distinct dates, and a document keeps the
// one string of each (not one per segment). Bounded: cleared when full.
const DATES = new Map<string, string | null>();
const DATES_KEPT = 1024;

/** CCYYMMDD → YYYY-MM-DD, or null when it is not a calendar date. */
export function x12Date(value: string | undefined | null): string | null {
  if (!value || value.length !== 8) return null;
  let date = DATES.get(value);
  if (date === undefined) {
    date = readDate(value);
    if (DATES.size >= DATES_KEPT) DATES.clear();
    DATES.set(value, date);
  }
  return date;
}

function readDate(value: string): string | null {
  if (!/^\d{8}$/.test(value)) return null;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(4, 6));
  const d = Number(value.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** An R (decimal) element: sign, whole digits, fraction digits; null when it is not one. */
export interface X12Decimal {
  negative: boolean;
  whole: string;
  fraction: string;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

export function x12Decimal(value: string | undefined | null): X12Decimal | null {
  if (!value || value.length > 30) return null;
  const m = DECIMAL.exec(value);
  if (!m || (!m[2] && !m[3])) return null;
  return { negative: m[1] === "-", whole: m[2].replace(/^0+(?=\d)/, "") || "0", fraction: m[3] ?? "" };
}

/** The decimal as a canonical string: "007.50" → "7.5", "-0" → "0". */
export function decimalText(d: X12Decimal): string {
  const fraction = d.fraction.replace(/0+$/, "");
  const body = `${d.whole}${fraction ? `.${fraction}` : ""}`;
  return d.negative && body !== "0" ? `-${body}` : body;
}

/** The decimal scaled by 10^scale, exactly, as a BigInt (digits beyond `scale` dropped). */
export function scaled(d: X12Decimal, scale: number): bigint {
  const digits = `${d.whole}${d.fraction.padEnd(scale, "0").slice(0, scale)}`;
  const n = BigInt(digits);
  return d.negative ? -n : n;
}

/** A whole quantity ("12", "12.0", "+12"): the number, or why not. */
export function x12WholeNumber(value: string | undefined | null): { ok: true; value: number } | { ok: false; why: "missing" | "not a number" | "not whole" } {
  if (!value) return { ok: false, why: "missing" };
  const d = x12Decimal(value);
  if (!d) return { ok: false, why: "not a number" };
  if (/[1-9]/.test(d.fraction)) return { ok: false, why: "not whole" };
  if (d.whole.length > 15) return { ok: false, why: "not a number" };
  const n = Number(d.whole);
  return { ok: true, value: d.negative ? -n : n };
}

/** Digits whose last is the GS1 mod-10 check digit of the others (GTINs, SSCCs). */
export function gs1CheckDigitOk(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i -= 1, weight = 4 - weight) sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** A GTIN-8/12/13/14 whose check digit is right. */
export function validGtin(value: string): boolean {
  return /^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(value) && gs1CheckDigitOk(value);
}
