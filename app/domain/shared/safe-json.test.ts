import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { legacyIdFromGid, parseJsonKeepingBigInts, quoteBigIntegers } from "./safe-json";

describe("parseJsonKeepingBigInts", () => {
  it("keeps 64-bit ids exact where JSON.parse would round them", () => {
    const raw = '{"id":820982911946154508,"n":12,"price":"1.50","ids":[9007199254740993, 5]}';
    expect(JSON.parse(raw).id).toBe(820982911946154500);
    const parsed = parseJsonKeepingBigInts<{ id: string; n: number; price: string; ids: unknown[] }>(raw);
    expect(parsed.id).toBe("820982911946154508");
    expect(parsed.n).toBe(12);
    expect(parsed.ids).toEqual(["9007199254740993", 5]);
  });

  it("does not touch digits inside strings or decimals", () => {
    const raw = '{"note":"call 12345678901234567890","w":1234567890123456.5,"e":"say \\"9999999999999999\\""}';
    const parsed = parseJsonKeepingBigInts<{ note: string; w: number; e: string }>(raw);
    expect(parsed.note).toBe("call 12345678901234567890");
    expect(parsed.w).toBe(1234567890123456.5);
    expect(parsed.e).toBe('say "9999999999999999"');
  });

  it("parses long fractions and exponents as the numbers they are (valid JSON stays valid)", () => {
    const parsed = parseJsonKeepingBigInts<{ p: number; q: number; id: string }>('{"p":0.12345678901234567890,"q":2.5e-12345678901234567,"id":-1234567890123456789}');
    expect(parsed).toEqual({ p: 0.12345678901234568, q: 0, id: "-1234567890123456789" });
  });

  it("extracts legacy ids from gids", () => {
    expect(legacyIdFromGid("gid://shopify/Order/820982911946154508")).toBe("820982911946154508");
    expect(legacyIdFromGid(42)).toBe("42");
    expect(legacyIdFromGid(null)).toBeNull();
  });
});

describe("quoteBigIntegers", () => {
  // The rule as a regular expression (the implementation before session 9): the scanner must agree with it on any JSON.
  const TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;
  const byRegex = (raw: string) => raw.replace(TOKEN, (token) => (token.startsWith('"') ? token : `"${token}"`));
  const bigInteger = fc.tuple(fc.boolean(), fc.stringMatching(/^[1-9]\d{14,20}$/)).map(([neg, digits]) => `${neg ? "-" : ""}${digits}`);
  const numberLiteral = fc.oneof(bigInteger, fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.stringMatching(/^-?[1-9]\d{15,19}(\.\d{1,20}|[eE][+-]?\d{1,18})$/));
  // JSON text with raw number literals spliced in (JSON.stringify cannot write a 64-bit integer).
  const jsonText: fc.Arbitrary<string> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, numberLiteral, fc.string().map((s) => JSON.stringify(s)), fc.constantFrom("true", "false", "null"), tie("array"), tie("object")) as fc.Arbitrary<string>,
    array: fc.array(tie("value") as fc.Arbitrary<string>, { maxLength: 5 }).map((items) => `[${items.join(", ")}]`),
    object: fc.array(fc.tuple(fc.string(), tie("value") as fc.Arbitrary<string>), { maxLength: 5 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  })).value;

  it("agrees with the regular expression on random JSON, and the result parses", () => {
    fc.assert(
      fc.property(jsonText, (raw) => {
        expect(quoteBigIntegers(raw)).toBe(byRegex(raw));
        expect(() => JSON.parse(quoteBigIntegers(raw))).not.toThrow();
      }),
      { numRuns: 2_000 },
    );
  });

  it("returns the text itself when it holds no big integer", () => {
    const raw = '{"a":"12345678901234567890","b":[1,2.5,-3e10]}';
    expect(quoteBigIntegers(raw)).toBe(raw);
  });
});
