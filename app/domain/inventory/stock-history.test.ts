import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALL_LOCATIONS, dailyFigures, stockHistory, totalHistory, windowStart, type Movement } from "./stock-history";

const NOW = "2026-12-10T15:00:00.000Z";
const FROM = "2026-11-10T00:00:00.000Z";
const window = { from: FROM, now: NOW };

describe("stockHistory", () => {
  it("walks back from today's figures through the movements, newest first", () => {
    const movements: Movement[] = [
      { at: "2026-12-09T10:00:00.000Z", locationId: "a", bucket: "reserved", delta: 2 }, // an order reserved 2
      { at: "2026-12-05T09:00:00.000Z", locationId: "a", bucket: "on_hand", delta: 10 }, // a receipt of 10
      { at: "2026-12-04T08:00:00.000Z", locationId: "b", bucket: "on_hand", delta: 3 },
      { at: "2026-11-01T00:00:00.000Z", locationId: "a", bucket: "on_hand", delta: 50 }, // before the window
    ];
    const [a, b] = stockHistory([{ locationId: "a", onHand: 12, reserved: 2, safety: 1 }, { locationId: "b", onHand: 3, reserved: 0, safety: 0 }], movements, window);
    expect(a.points).toEqual([
      { at: FROM, onHand: 2, reserved: 0, safety: 1, available: 1 },
      { at: "2026-12-05T09:00:00.000Z", onHand: 12, reserved: 0, safety: 1, available: 11 },
      { at: "2026-12-09T10:00:00.000Z", onHand: 12, reserved: 2, safety: 1, available: 9 },
      { at: NOW, onHand: 12, reserved: 2, safety: 1, available: 9 },
    ]);
    expect(b.points.map((p) => [p.at, p.onHand])).toEqual([[FROM, 0], ["2026-12-04T08:00:00.000Z", 3], [NOW, 3]]);
  });

  it("a bucket it does not chart (incoming) changes nothing; a movement after now counts at now", () => {
    const [a] = stockHistory([{ locationId: "a", onHand: 5, reserved: 0, safety: 0 }], [
      { at: "2026-12-11T00:00:00.000Z", locationId: "a", bucket: "on_hand", delta: 1 },
      { at: "2026-12-01T00:00:00.000Z", locationId: "a", bucket: "incoming", delta: 7 },
    ], window);
    expect(a.points.map((p) => [p.at, p.onHand])).toEqual([[FROM, 4], ["2026-12-01T00:00:00.000Z", 4], [NOW, 5], [NOW, 5]]);
  });

  it("the total moves by every movement at a known location, and not by others", () => {
    const total = totalHistory([{ locationId: "a", onHand: 4, reserved: 1, safety: 0 }, { locationId: "b", onHand: 6, reserved: 0, safety: 2 }], [
      { at: "2026-12-02T00:00:00.000Z", locationId: "b", bucket: "on_hand", delta: -1 },
      { at: "2026-12-01T00:00:00.000Z", locationId: "gone", bucket: "on_hand", delta: 100 },
      { at: "2026-11-30T00:00:00.000Z", locationId: "a", bucket: "reserved", delta: 1 },
    ], window);
    expect(total.locationId).toBe(ALL_LOCATIONS);
    expect(total.points.map((p) => [p.onHand, p.reserved, p.available])).toEqual([[11, 0, 9], [11, 1, 8], [10, 1, 7], [10, 1, 7]]);
  });
});

// Table-free check over any figures and ledger: the series ends at today's figures, and each step from one
// point to the next is exactly the movement recorded at that time.
const BUCKETS = ["on_hand", "reserved", "safety", "incoming"] as const;
const arbMovement = fc.record({
  minute: fc.integer({ min: 0, max: 31 * 24 * 60 }),
  locationId: fc.constantFrom("a", "b"),
  bucket: fc.constantFrom(...BUCKETS),
  delta: fc.integer({ min: -20, max: 20 }),
});
const arbFigures = fc.record({ onHand: fc.integer({ min: 0, max: 500 }), reserved: fc.integer({ min: 0, max: 100 }), safety: fc.integer({ min: 0, max: 10 }) });

describe("stockHistory, for any ledger", () => {
  it("ends at today's figures, and each step equals the movement at that time", () => {
    fc.assert(
      fc.property(fc.array(arbMovement, { maxLength: 40 }), arbFigures, arbFigures, (raw, fa, fb) => {
        const start = Date.parse(FROM) - 24 * 60 * 60_000; // some movements fall before the window
        const movements: Movement[] = raw
          .map((m) => ({ at: new Date(start + m.minute * 60_000).toISOString(), locationId: m.locationId, bucket: m.bucket, delta: m.delta }))
          .filter((m) => m.at <= NOW)
          .sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0)); // newest first
        const current = [{ locationId: "a", ...fa }, { locationId: "b", ...fb }];
        const histories = stockHistory(current, movements, window);
        for (const [k, h] of histories.entries()) {
          const today = h.points[h.points.length - 1];
          const { locationId: _id, ...figures } = current[k];
          expect(today).toEqual({ at: NOW, ...figures, available: figures.onHand - figures.reserved - figures.safety });
          expect(h.points[0].at).toBe(FROM);
          const inWindow = movements.filter((m) => m.locationId === h.locationId && m.at >= FROM).reverse(); // oldest first
          expect(h.points).toHaveLength(inWindow.length + 2);
          inWindow.forEach((m, i) => {
            const [before, after] = [h.points[i], h.points[i + 1]];
            expect(after.at).toBe(m.at);
            const change = { on_hand: 0, reserved: 0, safety: 0, incoming: 0, [m.bucket]: m.delta };
            expect(after.onHand - before.onHand).toBe(change.on_hand);
            expect(after.reserved - before.reserved).toBe(change.reserved);
            expect(after.safety - before.safety).toBe(change.safety);
            expect(after.available - before.available).toBe(change.on_hand - change.reserved - change.safety);
          });
          expect(h.points[h.points.length - 2]).toMatchObject({ onHand: today.onHand, reserved: today.reserved, safety: today.safety }); // nothing moves between the last movement and now
        }
        const total = totalHistory(current, movements, window).points;
        expect(total[total.length - 1]).toMatchObject({ onHand: fa.onHand + fb.onHand, available: histories[0].points.at(-1)!.available + histories[1].points.at(-1)!.available });
        expect(total[0]).toMatchObject({ onHand: histories[0].points[0].onHand + histories[1].points[0].onHand, available: histories[0].points[0].available + histories[1].points[0].available });
      }),
    );
  });
});

describe("dailyFigures", () => {
  it("one row per UTC day from the window's start to today, each the figures at the day's end", () => {
    const now = new Date(NOW);
    const from = windowStart(now, 3);
    expect(from).toBe("2026-12-07T00:00:00.000Z");
    const [a] = stockHistory([{ locationId: "a", onHand: 10, reserved: 1, safety: 0 }], [
      { at: "2026-12-10T01:00:00.000Z", locationId: "a", bucket: "reserved", delta: 1 },
      { at: "2026-12-08T23:59:59.999Z", locationId: "a", bucket: "on_hand", delta: 4 },
      { at: "2026-12-08T05:00:00.000Z", locationId: "a", bucket: "on_hand", delta: -2 },
    ], { from, now: NOW });
    expect(dailyFigures(a.points, now)).toEqual([
      { day: "2026-12-07", onHand: 8, available: 8 },
      { day: "2026-12-08", onHand: 10, available: 10 },
      { day: "2026-12-09", onHand: 10, available: 10 },
      { day: "2026-12-10", onHand: 10, available: 9 },
    ]);
  });

  it("31 days for a 30-day window, ending at today's figures", () => {
    const now = new Date(NOW);
    const [a] = stockHistory([{ locationId: "a", onHand: 3, reserved: 0, safety: 0 }], [], { from: windowStart(now, 30), now: NOW });
    const days = dailyFigures(a.points, now);
    expect(days).toHaveLength(31);
    expect(days[0].day).toBe("2026-11-10");
    expect(days.at(-1)).toEqual({ day: "2026-12-10", onHand: 3, available: 3 });
  });
});
