import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTIVE_GAP_CAP_MS, activeCredits, labourReport, type LabourEvent, type LabourKind } from "./labour";

const T0 = Date.parse("2026-06-01T08:00:00.000Z");
const ev = (worker: string, kind: LabourKind, minutes: number, extra: Partial<LabourEvent> = {}): LabourEvent => ({ worker, kind, lines: 1, units: 1, durationMs: null, at: new Date(T0 + minutes * 60_000).toISOString(), ...extra });

describe("labour figures", () => {
  it("active time is the sum of a worker's gaps, each capped at 10 minutes, going to the kind of the event that ends it", () => {
    const events = [ev("ann", "pick", 0, { units: 2 }), ev("ann", "pick", 2, { units: 3 }), ev("ann", "pick", 4, { units: 1 }), ev("ann", "pick", 64, { units: 4 }), ev("ann", "receive", 66, { units: 12 })];
    expect(activeCredits(events)).toEqual([0, 120_000, 120_000, ACTIVE_GAP_CAP_MS, 120_000]);
    const r = labourReport(events);
    const row = r.rows[0]!;
    expect(row.worker).toBe("ann");
    expect(row.day).toBe("2026-06-01");
    expect(row.activeHours).toBeCloseTo(16 / 60);
    // Picking: 14 minutes for 10 units and 4 lines (the first pick's lead-in is not counted).
    expect(row.picks).toBe(10);
    expect(row.picksPerHour).toBeCloseTo(10 / (14 / 60));
    expect(row.linesPerHour).toBeCloseTo(4 / (14 / 60));
    expect(row.receivedUnits).toBe(12);
    expect(row.receivedUnitsPerHour).toBeCloseTo(12 / (2 / 60));
  });

  it("workers and days are apart: one worker's gap is not another's, a new day starts with no credit", () => {
    const events = [ev("ann", "pick", 0), ev("bob", "pick", 1), ev("ann", "pick", 3), ev("bob", "pick", 5), ev("ann", "pick", 24 * 60 + 1), ev("ann", "pick", 24 * 60 + 2)];
    const r = labourReport(events);
    expect(r.rows.map((x) => [x.day, x.worker, Math.round(x.activeHours * 60)])).toEqual([["2026-06-01", "ann", 3], ["2026-06-01", "bob", 4], ["2026-06-02", "ann", 1]]);
    expect(r.workers.map((w) => [w.worker, Math.round(w.activeHours * 60)])).toEqual([["ann", 4], ["bob", 4]]);
    expect(r.days.map((d) => [d.day, d.pickLines])).toEqual([["2026-06-01", 4], ["2026-06-02", 2]]);
    expect(Math.round(r.total.activeHours * 60)).toBe(8);
  });

  it("mean pack time over the pack events that carry a duration; a lone event gives no rate", () => {
    const r = labourReport([ev("cat", "pack", 0, { durationMs: 60_000 }), ev("cat", "pack", 3, { durationMs: 120_000 }), ev("cat", "pack", 5)]);
    expect(r.total.meanPackMs).toBe(90_000);
    expect(r.total.packs).toBe(3);
    const lone = labourReport([ev("dan", "pick", 0)]);
    expect(lone.total.picksPerHour).toBeNull();
    expect(lone.total.meanPackMs).toBeNull();
    expect(labourReport([]).rows).toEqual([]);
  });

  const arbEvents = fc.array(
    fc.record({
      worker: fc.constantFrom("ann", "bob", "cat"),
      kind: fc.constantFrom<LabourKind>("receive", "putaway", "pick", "pack", "ship", "count"),
      lines: fc.integer({ min: 1, max: 5 }),
      units: fc.integer({ min: 0, max: 20 }),
      durationMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: null }),
      minute: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    }),
    { maxLength: 60 },
  ).map((list) => list.map(({ minute, ...e }) => ({ ...e, at: new Date(T0 + minute * 60_000).toISOString() })));

  it("property: the order events arrive in changes nothing; active time ≤ cap × gaps; parts add up to the total", () => {
    fc.assert(
      fc.property(arbEvents, fc.integer(), (events, seed) => {
        const shuffled = [...events].sort((a, b) => ((a.at.length * 31 + seed) % 7) - ((b.at.length * 31 + seed) % 7) || (a.at < b.at ? 1 : -1));
        const a = labourReport(events);
        const b = labourReport(shuffled);
        expect(b.total.activeHours).toBeCloseTo(a.total.activeHours, 9);
        expect(b.rows.map((r) => [r.worker, r.day, r.picks])).toEqual(a.rows.map((r) => [r.worker, r.day, r.picks]));
        expect(a.total.activeHours * 3_600_000).toBeLessThanOrEqual(ACTIVE_GAP_CAP_MS * Math.max(0, events.length - 1) + 1e-6);
        const sum = (xs: { activeHours: number }[]) => xs.reduce((s, x) => s + x.activeHours, 0);
        expect(sum(a.rows)).toBeCloseTo(a.total.activeHours, 9);
        expect(sum(a.workers)).toBeCloseTo(a.total.activeHours, 9);
        expect(sum(a.days)).toBeCloseTo(a.total.activeHours, 9);
        expect(a.rows.reduce((s, r) => s + r.picks, 0)).toBe(events.filter((e) => e.kind === "pick").reduce((s, e) => s + e.units, 0));
        for (const r of a.rows) for (const x of [r.picksPerHour, r.linesPerHour, r.receivedUnitsPerHour]) expect(x === null || x >= 0).toBe(true);
      }),
    );
  });

  it("property: a bigger cap never lowers active time", () => {
    fc.assert(
      fc.property(arbEvents, fc.integer({ min: 1, max: 30 }), (events, capMin) => {
        expect(labourReport(events, (capMin + 1) * 60_000).total.activeHours).toBeGreaterThanOrEqual(labourReport(events, capMin * 60_000).total.activeHours - 1e-12);
      }),
    );
  });
});
