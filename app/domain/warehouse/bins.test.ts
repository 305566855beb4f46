import { describe, expect, it } from "vitest";
import { binCode, checkBinRow, generateLayout, parseBinCode, validateLayoutSpec } from "./bins";
import { pickRoute } from "./pick-route";

describe("bin addresses", () => {
  it("print aisle (1-based), bay, level and side, and read back", () => {
    expect(binCode({ aisle: 2, bay: 12, level: 2, side: "L" })).toBe("A03-12-2-L");
    expect(parseBinCode("A03-12-2-L")).toEqual({ aisle: 2, bay: 12, level: 2, side: "L" });
    expect(parseBinCode(" a10-105-1-r ")).toEqual({ aisle: 9, bay: 105, level: 1, side: "R" });
    for (const bad of ["A00-01-1-L", "A01-00-1-L", "A01-01-0-L", "A01-01-1-X", "RECEIVING", "A1-01-1-L", ""]) expect(parseBinCode(bad)).toBeNull();
  });
});

describe("a layout generated from a few numbers", () => {
  it("places bays at their centres, cross aisles between them, and every side and level", () => {
    const { layout, bins } = generateLayout({ aisles: 3, baysPerAisle: 4, levels: 2, bayWidthM: 1, aisleSpacingM: 5, crossAisleAfterBays: [2], crossAisleWidthM: 2, capacityPerBin: 40 });
    // 1 (half front) + 4 bays + 2 (middle) + 1 (half back)
    expect(layout).toEqual({ aisles: 3, aisleLengthM: 8, aisleSpacingM: 5, crossAislesAtM: [4], depot: { aisle: 0, yM: 0 } });
    expect(bins).toHaveLength(3 * 4 * 2 * 2);
    const y = (code: string) => bins.find((b) => b.code === code)!.yM;
    expect([y("A01-01-1-L"), y("A01-02-1-R"), y("A01-03-2-L"), y("A03-04-1-R")]).toEqual([1.5, 2.5, 5.5, 6.5]);
    expect(new Set(bins.map((b) => b.code)).size).toBe(bins.length);
    expect(bins.every((b) => b.capacity === 40 && b.zone === "MAIN")).toBe(true);
    // Bins are usable pick locations for the stored layout (a route through them is computed).
    const route = pickRoute(layout, bins.filter((b) => b.level === 1 && b.side === "L").map((b) => ({ aisle: b.aisle, yM: b.yM })));
    expect(route.exact).toBe(true);
  });

  it("Henn & Wäscher numbers: 45 bays of 1 m with a metre at each end make the 47 m aisle", () => {
    const { layout } = generateLayout({ aisles: 10, baysPerAisle: 45, levels: 1, bayWidthM: 1, aisleSpacingM: 5, capacityPerBin: 10, crossAisleWidthM: 2 });
    expect(layout.aisleLengthM).toBe(47);
  });

  it("names zones over aisle ranges", () => {
    const { bins } = generateLayout({ aisles: 4, baysPerAisle: 1, levels: 1, bayWidthM: 1, aisleSpacingM: 3, capacityPerBin: 5, zones: [{ name: "FAST", fromAisle: 0, toAisle: 1 }] });
    expect(bins.map((b) => b.zone)).toEqual(["FAST", "FAST", "FAST", "FAST", "MAIN", "MAIN", "MAIN", "MAIN"]);
  });

  it("lists every problem with the numbers at once, and refuses to generate from them", () => {
    const spec = { aisles: 0, baysPerAisle: 5, levels: 10, bayWidthM: -1, aisleSpacingM: 2, capacityPerBin: 1.5, crossAisleAfterBays: [3, 2, 5] };
    expect(validateLayoutSpec(spec)).toEqual([
      "aisles: must be a whole number from 1 to 500 (got 0)",
      "levels: must be a whole number from 1 to 9 (got 10)",
      "capacityPerBin: must be a whole number from 1 to 1000000 (got 1.5)",
      "bayWidthM: must be a positive number of metres (got -1)",
      "crossAisleAfterBays[1]: must be increasing (2 after 3)",
      "crossAisleAfterBays[2]: must be a bay from 1 to 4 (got 5)",
    ]);
    expect(() => generateLayout(spec)).toThrow(RangeError);
    expect(validateLayoutSpec({ aisles: 500, baysPerAisle: 100, levels: 1, bayWidthM: 1, aisleSpacingM: 2, capacityPerBin: 1 })).toEqual(["at most 20000 bins per warehouse (these numbers make 100000)"]);
  });
});

describe("an imported bin row", () => {
  const layout = { aisles: 4, aisleLengthM: 20, aisleSpacingM: 3, depot: { aisle: 0, yM: 0 } };
  it("is taken with its address, zone, position and capacity", () => {
    expect(checkBinRow({ bin: "A02-03-1-R", zone: "COLD", yM: "4.5", capacity: "30" }, layout)).toEqual({ ok: true, bin: { aisle: 1, bay: 3, level: 1, side: "R", code: "A02-03-1-R", zone: "COLD", yM: 4.5, capacity: 30 } });
  });
  it("says everything wrong with it", () => {
    expect(checkBinRow({ bin: "A05-01-1-L", yM: "25", capacity: "0" }, layout)).toEqual({ ok: false, error: 'bin A05-01-1-L: aisle A05 is past the layout\'s 4 aisles; yM "25" must be a number from 0 to the aisle length 20; capacity "0" must be a whole number of units ≥ 1' });
    expect(checkBinRow({ bin: "shelf 3", yM: "", capacity: "x" }, layout).ok).toBe(false);
  });
});
