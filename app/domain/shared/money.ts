// Money is integer minor units + an ISO 4217 currency. Parsing never goes through floating point.

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** "12.34" USD → 1234; "1500" JPY → 1500. Rejects anything that is not a plain decimal. */
export function toMinorUnits(amount: string | number, currency: string): number {
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ""] = match;
  const exp = currencyExponent(currency);
  const kept = fraction.slice(0, exp).padEnd(exp, "0");
  const dropped = fraction.slice(exp);
  let minor = Number(whole) * 10 ** exp + (kept ? Number(kept) : 0);
  if (dropped && Number(dropped[0]) >= 5) minor += 1; // half-up on the first dropped digit
  return sign ? -minor : minor;
}

export function formatMinorUnits(minor: number, currency: string, locale = "en-US"): string {
  const exp = currencyExponent(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: exp, maximumFractionDigits: exp }).format(minor / 10 ** exp);
}
