// Money is integer minor units + an ISO 4217 currency. Parsing never goes through floating point.

import { MAX_MONEY_MINOR } from "./limits";

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyExponent(currency: string): number {
  if (currency === lastCurrency.code) return lastCurrency.exponent; // a file's amounts are mostly in one currency
  const code = currency.toUpperCase();
  const exponent = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  lastCurrency = { code: currency, exponent };
  return exponent;
}

let lastCurrency = { code: "", exponent: 2 };

export interface ParseMoneyOptions {
  /** The field the amount came from, for the error message (e.g. "line_items.0.price"). */
  field?: string;
  /** Prices and totals cannot be negative; adjustments can. Default: allowed. */
  allowNegative?: boolean;
  /** The largest magnitude accepted, in minor units; default MAX_MONEY_MINOR. */
  max?: number;
}

// sign, whole digits, fraction digits, exponent (a JSON number may print as "1e+21" or "1e-7").
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,6}))?$/;

/**
 * A decimal amount → integer minor units, exactly: the digits are shifted as text and read with BigInt, never
 * through a float. Digits past the currency's exponent round half up on the first dropped digit ("1.005" USD →
 * 101). Throws a RangeError naming the field when the amount is not a plain decimal, is negative where that is
 * not allowed, or is larger than the limit (MAX_MONEY_MINOR unless `max` says otherwise).
 */
export function parseMinorUnits(amount: string | number, currency: string, opts: ParseMoneyOptions = {}): number {
  const label = opts.field ? `${opts.field}: ` : "";
  const max = opts.max ?? MAX_MONEY_MINOR;
  const text = typeof amount === "number" ? (Number.isFinite(amount) ? String(amount) : "") : amount.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`${label}Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  const digits = (whole + fraction).replace(/^0+/, "");
  // Where the decimal point falls in `digits` once scaled to minor units.
  const point = digits.length - fraction.length + Number(exponent) + currencyExponent(currency);
  let minor = 0n;
  if (digits.length > 0 && point > String(max).length) minor = BigInt(max) + 1n; // over any limit; no giant strings
  else if (digits.length > 0 && point > 0) {
    const kept = point >= digits.length ? digits.padEnd(point, "0") : digits.slice(0, point);
    const roundUp = point < digits.length && digits.charCodeAt(point) >= 53; /* "5" */
    // Up to 15 digits a double holds the integer exactly (< 2^53): no BigInt needed (every amount within the limit).
    if (kept.length <= 15) return signed(Number(kept) + (roundUp ? 1 : 0), sign, amount, currency, label, max, opts);
    minor = BigInt(kept);
    if (roundUp) minor += 1n;
  } else if (digits.length > 0 && point === 0 && digits.charCodeAt(0) >= 53) minor = 1n;
  if (minor > BigInt(max)) return signed(Infinity, sign, amount, currency, label, max, opts);
  return signed(Number(minor), sign, amount, currency, label, max, opts);
}

/** The magnitude with its sign, refused when negative where that is not allowed or over the limit. */
function signed(minor: number, sign: string | undefined, amount: string | number, currency: string, label: string, max: number, opts: ParseMoneyOptions): number {
  const negative = sign === "-" && minor !== 0;
  if (negative && !(opts.allowNegative ?? true)) throw new RangeError(`${label}${JSON.stringify(amount)} is negative; it cannot be`);
  if (minor > max) throw new RangeError(`${label}${JSON.stringify(amount)} ${currency} is over the limit of ${max} minor units`);
  return negative ? -minor : minor;
}

/** "12.34" USD → 1234; "1500" JPY → 1500. Rejects anything that is not a plain decimal or is over MAX_MONEY_MINOR. */
export function toMinorUnits(amount: string | number, currency: string): number {
  return parseMinorUnits(amount, currency);
}

/** 1234 USD → "12.34"; -5 JPY → "-5": the exact decimal text of integer minor units (the inverse of parseMinorUnits). */
export function formatDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Not a whole number of minor units: ${minor}`);
  const exp = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exp + 1, "0");
  const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return minor < 0 ? `-${text}` : text;
}

export function formatMinorUnits(minor: number, currency: string, locale = "en-US"): string {
  const exp = currencyExponent(currency);
  const format = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: exp, maximumFractionDigits: exp });
  // Whole minor units print from their exact decimal text (Intl reads numeric strings exactly); anything else
  // (a cost estimate with a fraction of a cent) is divided as before.
  return Number.isSafeInteger(minor) ? format.format(formatDecimal(minor, currency) as unknown as number) : format.format(minor / 10 ** exp);
}
