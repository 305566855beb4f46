import { describe, expect, it } from "vitest";
import { legacyIdFromGid, parseJsonKeepingBigInts } from "./safe-json";

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
