import { describe, expect, it } from "vitest";
import { decimalText, gs1CheckDigitOk, scaled, validGtin, x12Date, x12Decimal, x12WholeNumber } from "./x12-elements";

describe("X12 data elements", () => {
  it("reads CCYYMMDD dates and refuses what is not a calendar date", () => {
    expect(x12Date("20240229")).toBe("2024-02-29");
    expect([x12Date("20230229"), x12Date("2024-02-29"), x12Date("240229"), x12Date(""), x12Date(null), x12Date("18991231")]).toEqual([null, null, null, null, null, null]);
  });

  it("reads R decimals exactly", () => {
    expect(x12Decimal("007.50")).toEqual({ negative: false, whole: "7", fraction: "50" });
    expect(decimalText(x12Decimal(".5")!)).toBe("0.5");
    expect(decimalText(x12Decimal("-0")!)).toBe("0");
    expect(decimalText(x12Decimal("+12.")!)).toBe("12");
    expect(scaled(x12Decimal("13045.94")!, 3)).toBe(13045940n);
    expect(scaled(x12Decimal("-1.2")!, 2)).toBe(-120n);
    expect([x12Decimal("1e3"), x12Decimal("1,5"), x12Decimal("."), x12Decimal(""), x12Decimal("1".repeat(31))]).toEqual([null, null, null, null, null]);
  });

  it("reads whole quantities and says why not", () => {
    expect(x12WholeNumber("12.00")).toEqual({ ok: true, value: 12 });
    expect(x12WholeNumber("-3")).toEqual({ ok: true, value: -3 });
    expect(x12WholeNumber("1.5")).toEqual({ ok: false, why: "not whole" });
    expect(x12WholeNumber("abc")).toEqual({ ok: false, why: "not a number" });
    expect(x12WholeNumber("")).toEqual({ ok: false, why: "missing" });
    expect(x12WholeNumber("9".repeat(20))).toEqual({ ok: false, why: "not a number" });
  });

  it("checks GS1 check digits", () => {
    expect(validGtin("036000291452")).toBe(true);
    expect(validGtin("4006381333931")).toBe(true);
    expect(validGtin("036000291453")).toBe(false);
    expect(validGtin("03600029145")).toBe(false);
    expect(gs1CheckDigitOk("106141412345678908")).toBe(true);
  });
});
