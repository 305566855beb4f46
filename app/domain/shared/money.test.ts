import { describe, expect, it } from "vitest";
import { formatMinorUnits, toMinorUnits } from "./money";

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
