import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { approvalMoves, binClass, binsDueForCount, COUNT_INTERVAL_DAYS, countVariance, dailyCountCap, varianceSummary, type ScheduleBin } from "./cycle-counts";

const today = new Date("2026-06-30T06:00:00.000Z");
const daysAgo = (d: number) => new Date(today.getTime() - d * 86_400_000).toISOString();
const bin = (code: string, classes: ScheduleBin["classes"], last: number | null): ScheduleBin => ({ id: `id-${code}`, code, classes, lastCountedAt: last === null ? null : daysAgo(last) });

describe("ABC cycle-count schedule", () => {
  it("counts A bins every 30 days, B every 90, C every 180", () => {
    const bins = [bin("A-29", ["A"], 29), bin("A-30", ["A"], 30), bin("B-89", ["B"], 89), bin("B-90", ["B"], 90), bin("C-179", ["C"], 179), bin("C-180", ["C"], 180)];
    expect(binsDueForCount(bins, today, 100).map((b) => b.code).sort()).toEqual(["A-30", "B-90", "C-180"]);
  });

  it("the bin's class is the best of its SKUs; an empty bin is never scheduled", () => {
    expect(binClass(["C", "A", "B"])).toBe("A");
    expect(binClass([])).toBeUndefined();
    const due = binsDueForCount([bin("MIX", ["C", "A"], 45), bin("EMPTY", [], null)], today, 10);
    expect(due).toEqual([{ id: "id-MIX", code: "MIX", cls: "A", overdue: 1.5 }]);
  });

  it("never counted first, then the most overdue, then A before C; at most the cap", () => {
    const bins = [bin("C-OLD", ["C"], 360), bin("A-NEW", ["A"], null), bin("A-OLD", ["A"], 60), bin("B-X", ["B"], 180), bin("A-DUE", ["A"], 30)];
    expect(binsDueForCount(bins, today, 10).map((b) => b.code)).toEqual(["A-NEW", "A-OLD", "B-X", "C-OLD", "A-DUE"]);
    expect(binsDueForCount(bins, today, 2).map((b) => b.code)).toEqual(["A-NEW", "A-OLD"]);
    expect(binsDueForCount(bins, today, 0)).toEqual([]);
  });

  it("leaves out bins with a pending count and refuses a bad cap", () => {
    expect(binsDueForCount([bin("X", ["A"], null), bin("Y", ["A"], null)], today, 5, { skip: new Set(["id-X"]) }).map((b) => b.code)).toEqual(["Y"]);
    expect(() => binsDueForCount([], today, -1)).toThrow(RangeError);
    expect(() => binsDueForCount([], today, 1.5)).toThrow(RangeError);
  });

  it("the daily cap is the long-run load with headroom: 300 A bins → 13 a day", () => {
    expect(dailyCountCap(Array.from({ length: 300 }, () => ({ classes: ["A" as const] })))).toBe(Math.ceil((300 / 30) * 1.25));
    expect(dailyCountCap([])).toBe(1);
  });

  it("property: under the daily cap a new warehouse is fully counted within the C interval, and no bin is counted before its interval nor more than 30 days after", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<"A" | "B" | "C">("A", "B", "C"), { minLength: 1, maxLength: 120 }), (classes) => {
        const bins = classes.map((c, i) => bin(`B${String(i).padStart(3, "0")}`, [c], null));
        const cap = dailyCountCap(bins);
        const counts = new Map<string, number[]>();
        for (let day = 0; day < 2 * COUNT_INTERVAL_DAYS.C; day++) {
          const now = new Date(today.getTime() + day * 86_400_000);
          const due = binsDueForCount(bins, now, cap);
          expect(due.length).toBeLessThanOrEqual(cap);
          for (const d of due) {
            const b = bins.find((x) => x.id === d.id)!;
            b.lastCountedAt = now.toISOString();
            counts.set(b.id, [...(counts.get(b.id) ?? []), day]);
          }
        }
        for (const b of bins) {
          const days = counts.get(b.id) ?? [];
          expect(days[0]).toBeLessThan(COUNT_INTERVAL_DAYS.C);
          for (let i = 1; i < days.length; i++) {
            expect(days[i]! - days[i - 1]!).toBeGreaterThanOrEqual(COUNT_INTERVAL_DAYS[b.classes[0]!]);
            expect(days[i]! - days[i - 1]!).toBeLessThanOrEqual(COUNT_INTERVAL_DAYS[b.classes[0]!] + 30);
          }
          if (b.classes[0] === "A") expect(days.length).toBeGreaterThanOrEqual(6);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("blind count variance", () => {
  const v = (variantId: string, quantity: number, lot = "") => ({ variantId, lot, quantity });

  it("counted − expected per SKU and lot; scanned twice adds up; not scanned counts 0; found extra is over", () => {
    const lines = countVariance([v("a", 10), v("b", 4, "L1"), v("c", 3)], [v("a", 6), v("a", 2), v("b", 5, "L1"), v("d", 1)]);
    expect(lines).toEqual([
      { variantId: "a", lot: "", expected: 10, counted: 8, variance: -2 },
      { variantId: "b", lot: "L1", expected: 4, counted: 5, variance: 1 },
      { variantId: "c", lot: "", expected: 3, counted: 0, variance: -3 },
      { variantId: "d", lot: "", expected: 0, counted: 1, variance: 1 },
    ]);
    expect(approvalMoves(lines)).toEqual([{ variantId: "a", lot: "", delta: -2 }, { variantId: "b", lot: "L1", delta: 1 }, { variantId: "c", lot: "", delta: -3 }, { variantId: "d", lot: "", delta: 1 }]);
    expect(varianceSummary(lines)).toEqual({ over: 2, short: 5, linesOff: 4 });
  });

  it("a count that agrees moves nothing", () => {
    expect(approvalMoves(countVariance([v("a", 5)], [v("a", 5)]))).toEqual([]);
  });

  it("refuses negative and fractional counts", () => {
    expect(() => countVariance([v("a", 5)], [v("a", -1)])).toThrow(/whole number ≥ 0/);
    expect(() => countVariance([v("a", 5)], [v("a", 1.5)])).toThrow(RangeError);
  });

  it("property: expected + Σ moves = counted, per SKU and lot", () => {
    const entry = fc.record({ variantId: fc.constantFrom("a", "b", "c"), lot: fc.constantFrom("", "L1"), quantity: fc.nat({ max: 50 }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.array(entry, { maxLength: 8 }), (expected, counted) => {
        const total = (list: { variantId: string; lot: string; quantity: number }[]) => {
          const m = new Map<string, number>();
          for (const e of list) m.set(`${e.variantId}|${e.lot}`, (m.get(`${e.variantId}|${e.lot}`) ?? 0) + e.quantity);
          return m;
        };
        const after = total(expected);
        for (const m of approvalMoves(countVariance(expected, counted))) after.set(`${m.variantId}|${m.lot}`, (after.get(`${m.variantId}|${m.lot}`) ?? 0) + m.delta);
        const want = total(counted);
        for (const [k, q] of after) expect(q).toBe(want.get(k) ?? 0);
        for (const [k, q] of want) expect(after.get(k) ?? 0).toBe(q);
      }),
    );
  });
});
