import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_MONEY_MINOR } from "./limits";
import { currencyExponent, formatDecimal, formatMinorUnits, parseMinorUnits, toMinorUnits } from "./money";

describe("toMinorUnits", () => {
  it("parses decimal strings without floating point error", () => {
    expect(toMinorUnits("12.34", "USD")).toBe(1234);
    expect(toMinorUnits("0.1", "EUR")).toBe(10);
    expect(toMinorUnits("1.005", "USD")).toBe(101);
    expect(toMinorUnits("19.99", "USD")).toBe(1999);
    expect(toMinorUnits("1500", "JPY")).toBe(1500);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234);
    expect(toMinorUnits("-5.50", "USD")).toBe(-550);
  });

  it("rejects what is not an amount", () => {
    expect(() => toMinorUnits("12,34", "USD")).toThrow(/Not a decimal amount/);
    expect(() => toMinorUnits("", "USD")).toThrow();
  });

  it("formats for display", () => {
    expect(formatMinorUnits(1234, "USD")).toBe("$12.34");
    expect(formatMinorUnits(1500, "JPY")).toBe("¥1,500");
  });
});

describe("parseMinorUnits: exact, bounded", () => {
  const CURRENCIES = ["USD", "JPY", "KWD"];

  it("names the field and the limit when an amount is too large, and never stores a rounded float", () => {
    expect(() => parseMinorUnits("1000000000000.01", "USD", { field: "total_price" })).toThrow(/total_price: "1000000000000\.01" USD is over the limit of 100000000000000 minor units/);
    expect(() => toMinorUnits("12345678901234567890.99", "USD")).toThrow(RangeError);
    expect(() => toMinorUnits(1e21, "USD")).toThrow(/over the limit/);
    expect(parseMinorUnits("999999999999.99", "USD")).toBe(99_999_999_999_999);
    expect(parseMinorUnits("1000000000000.00", "USD")).toBe(MAX_MONEY_MINOR);
  });

  it("refuses a negative amount where one cannot be, and reads exponents exactly", () => {
    expect(() => parseMinorUnits("-0.01", "USD", { field: "line_items.0.price", allowNegative: false })).toThrow(/line_items\.0\.price: "-0\.01" is negative/);
    expect(parseMinorUnits("-0.001", "USD", { allowNegative: false })).toBe(0); // rounds to nothing: not negative
    expect(parseMinorUnits(1e-7, "USD")).toBe(0);
    expect(parseMinorUnits("1.5e3", "USD")).toBe(150_000);
    expect(parseMinorUnits(19.99, "USD")).toBe(1999);
  });

  it("parse(format(x)) == x for every whole number of minor units within the limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_MONEY_MINOR, max: MAX_MONEY_MINOR }), fc.constantFrom(...CURRENCIES), (minor, currency) => {
        const text = formatDecimal(minor, currency);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(parseMinorUnits(text, currency)).toBe(minor);
      }),
      { numRuns: 2_000 },
    );
  });

  it("agrees digit for digit with integer arithmetic on any decimal text (no step through a float)", () => {
    const MAX = BigInt(MAX_MONEY_MINOR);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.stringMatching(/^\d{0,20}$/),
        fc.constantFrom(...CURRENCIES),
        (negative, whole, fraction, currency) => {
          const text = `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
          const exp = currencyExponent(currency);
          let expected = whole * 10n ** BigInt(exp) + BigInt(fraction.slice(0, exp).padEnd(exp, "0") || "0");
          if (fraction.length > exp && fraction[exp] >= "5") expected += 1n;
          if (expected > MAX) {
            expect(() => parseMinorUnits(text, currency)).toThrow(RangeError);
            return;
          }
          const parsed = parseMinorUnits(text, currency);
          expect(Number.isSafeInteger(parsed)).toBe(true);
          expect(BigInt(parsed)).toBe(negative ? -expected : expected);
        },
      ),
      { numRuns: 3_000 },
    );
    // Amounts where multiplying a float by 100 goes wrong.
    for (const [text, minor] of [["1.005", 101], ["1.15", 115], ["4.35", 435], ["0.07", 7], ["8.675", 868], ["9007199254.74", 900719925474]] as const) {
      expect(parseMinorUnits(text, "USD")).toBe(minor);
    }
  });

  it("formats large amounts (a sum of many totals) exactly for display", () => {
    expect(formatMinorUnits(8_999_999_999_999_999, "USD")).toBe("$89,999,999,999,999.99"); // ÷ 100 as a float shows .98
    expect(formatDecimal(-5, "USD")).toBe("-0.05");
    expect(formatDecimal(1234, "KWD")).toBe("1.234");
  });
});

describe("parseMinorUnits against exact integer arithmetic", () => {
  const CURRENCIES = ["USD", "JPY", "KWD"];
  /** The amount in minor units by BigInt alone (round half up on the first dropped digit), or null past `max`. */
  function reference(sign: string, whole: string, fraction: string, exponent: number, max: bigint): bigint | null {
    const digits = whole + fraction;
    const point = whole.length + exponent;
    let value = 0n;
    if (point > 0) {
      const kept = point >= digits.length ? digits.padEnd(point, "0") : digits.slice(0, point);
      value = BigInt(kept === "" ? "0" : kept) + (point < digits.length && digits.charCodeAt(point) >= 53 ? 1n : 0n);
    } else if (point === 0 && digits.charCodeAt(0) >= 53) value = 1n;
    if (value > max) return null;
    return sign === "-" ? -value : value;
  }

  it("property: plain decimals of any length give the exact minor units, or the over-the-limit refusal", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("", "-", "+"), fc.stringMatching(/^\d{1,20}$/), fc.stringMatching(/^\d{0,6}$/), fc.constantFrom(...CURRENCIES), fc.constantFrom(undefined, 10_000, MAX_MONEY_MINOR * 10),
        (sign, whole, fraction, currency, max) => {
          const text = `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
          const limit = BigInt(max ?? MAX_MONEY_MINOR);
          const expected = reference(sign, whole, fraction, currencyExponent(currency), limit);
          if (expected === null) expect(() => parseMinorUnits(text, currency, { max })).toThrow(/over the limit/);
          else expect(parseMinorUnits(text, currency, { max })).toBe(Number(expected) === 0 ? 0 : Number(expected));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
