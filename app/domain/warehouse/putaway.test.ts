import { describe, expect, it } from "vitest";
import { abcClasses, chooseBin, rankStorageBins, suggestPutaway, type BinState } from "./putaway";

describe("ABC velocity classes", () => {
  it("A while the units before a SKU are under 80 % of the total, B under 95 %, C the rest and the unsold", () => {
    const classes = abcClasses(new Map([["slow", 5], ["top", 70], ["mid", 15], ["next", 10], ["none", 0]]));
    // cumulative before: top 0 %, mid 70 %, next 85 %, slow 95 %
    expect(Object.fromEntries(classes)).toEqual({ top: "A", mid: "A", next: "B", slow: "C", none: "C" });
  });
  it("with no sales at all, everything is C", () => {
    expect([...abcClasses(new Map([["x", 0], ["y", 0]])).values()]).toEqual(["C", "C"]);
  });
});

// One aisle pair, depot at the front of aisle 0: distance = aisle × 4 + yM (front cross aisle).
const layout = { aisles: 3, aisleLengthM: 20, aisleSpacingM: 4, depot: { aisle: 0, yM: 0 } };
const bin = (code: string, aisle: number, yM: number, over: Partial<BinState> = {}): BinState => ({ id: code, code, aisle, yM, capacity: 10, kind: "storage", used: 0, sameLot: 0, ...over });
const bins = [
  bin("A01-01-1-L", 0, 1), // 1 m
  bin("A01-05-1-L", 0, 9), // 9 m
  bin("A02-01-1-L", 1, 1), // 5 m
  bin("A02-05-1-L", 1, 9), // 13 m
  bin("A03-01-1-L", 2, 1), // 9 m
  bin("A03-05-1-L", 2, 9), // 17 m
  { ...bin("RECEIVING", 0, 0), kind: "receiving" as const, capacity: null },
];

describe("putaway suggestion", () => {
  it("takes a bin already holding the same lot when it has room, nearest first", () => {
    const withLot = bins.map((b) => (b.code === "A03-05-1-L" ? { ...b, used: 4, sameLot: 4 } : b.code === "A02-05-1-L" ? { ...b, used: 8, sameLot: 8 } : b));
    expect(suggestPutaway(layout, withLot, 5, "A")).toMatchObject({ ok: true, code: "A03-05-1-L", why: "same_lot" });
    // no room for 7 anywhere holding the lot: an empty bin instead
    expect(suggestPutaway(layout, withLot, 7, "A")).toMatchObject({ ok: true, code: "A01-01-1-L", why: "empty_bin" });
  });

  it("puts fast movers nearest the depot and slow movers farthest, by walking distance", () => {
    expect(suggestPutaway(layout, bins, 3, "A")).toMatchObject({ ok: true, code: "A01-01-1-L", band: "A", distanceM: 1 });
    expect(suggestPutaway(layout, bins, 3, "B")).toMatchObject({ ok: true, code: "A01-05-1-L", band: "B" }); // 9 m, ties by code
    expect(suggestPutaway(layout, bins, 3, "C")).toMatchObject({ ok: true, code: "A02-05-1-L", band: "C", distanceM: 13 });
  });

  it("falls back to the next band, skips full or too small bins, and never suggests the receiving bin", () => {
    const taken = bins.map((b) => (b.aisle === 0 || b.code === "A02-01-1-L" ? { ...b, used: 1 } : b));
    expect(suggestPutaway(layout, taken, 3, "A")).toMatchObject({ ok: true, code: "A03-01-1-L" });
    expect(suggestPutaway(layout, bins, 11, "A")).toEqual({ ok: false, reason: "no bin holding this lot has room for 11 units, and no empty bin holds 11" });
    expect(suggestPutaway(layout, bins, 0, "A").ok).toBe(false);
  });

  it("ranked once, chooses with the current state of each bin (units already suggested to a bin count as taken)", () => {
    const ranked = rankStorageBins(layout, bins);
    expect(ranked.map((r) => [r.bin.code, r.band])).toEqual([["A01-01-1-L", "A"], ["A02-01-1-L", "A"], ["A01-05-1-L", "B"], ["A03-01-1-L", "B"], ["A02-05-1-L", "C"], ["A03-05-1-L", "C"]]);
    const reserved = new Map([["A01-01-1-L", 3]]);
    expect(chooseBin(ranked, 3, "A", (b) => ({ used: b.used + (reserved.get(b.id) ?? 0), sameLot: 0 }))).toMatchObject({ ok: true, code: "A02-01-1-L" });
  });
});
