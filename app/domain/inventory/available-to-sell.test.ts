import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bufferFor, checkChannelConfig, DEFAULT_CHANNEL_CONFIG } from "../channels/channel-config";
import { availableToSell, bufferUnits, demandQuantile, hourlyDemand, p95, type LevelFigures } from "./available-to-sell";

const level = (locationId: string, onHand: number, reserved = 0, safety = 0, incoming = 0): LevelFigures => ({ locationId, onHand, reserved, safety, incoming });

describe("bufferUnits", () => {
  it("fixed units and a percentage of what is available (rounded up)", () => {
    expect(bufferUnits({ kind: "units", units: 3 }, 40)).toEqual({ units: 3, explanation: "fixed buffer 3" });
    expect(bufferUnits({ kind: "percent", percent: 10 }, 41)).toEqual({ units: 5, explanation: "10 % of 41 available = 5" });
  });

  it("adaptive: covers what the other channels sell during this channel's p95 lag in serviceLevel of cases, and says how", () => {
    const figure = bufferUnits({ kind: "adaptive", min: 0, max: 20, serviceLevel: 0.95, windowHours: 24 }, 50, { otherChannelsPerHour: 3.2, otherChannelsStdPerHour: 1.1, lagP95Minutes: 11 });
    // 3.2/h × 11/60 h = 0.59 expected; Poisson(0.59): P(≤1) = 0.88, P(≤2) = 0.977 → 2
    expect(figure).toEqual({ units: 2, explanation: "the other channels sell 3.2/h (σ 1.1/h, last 24 h); during this channel's p95 lag of 11 min that is 0.59 expected, at most 2 in 95 % of cases → buffer 2" });
  });

  it("adaptive: a tiny exposure holds nothing back (no rounding up of 0.01 to a whole unit)", () => {
    expect(bufferUnits({ kind: "adaptive", min: 0, max: 5, serviceLevel: 0.95, windowHours: 24 }, 50, { otherChannelsPerHour: 0.6, otherChannelsStdPerHour: 0.5, lagP95Minutes: 1 }).units).toBe(0);
  });

  it("adaptive: held between min and max, and the maximum until a lag has been measured", () => {
    const setting = { kind: "adaptive" as const, min: 1, max: 4, serviceLevel: 0.95, windowHours: 24 };
    expect(bufferUnits(setting, 50, { otherChannelsPerHour: 0, otherChannelsStdPerHour: 0, lagP95Minutes: 5 })).toMatchObject({ units: 1, explanation: expect.stringContaining("raised to the minimum 1") });
    expect(bufferUnits(setting, 50, { otherChannelsPerHour: 120, otherChannelsStdPerHour: 30, lagP95Minutes: 15 })).toMatchObject({ units: 4, explanation: expect.stringContaining("held to the maximum 4") });
    expect(bufferUnits(setting, 50, { otherChannelsPerHour: 3, otherChannelsStdPerHour: 1, lagP95Minutes: null })).toEqual({ units: 4, explanation: "no push lag measured yet for this channel: the maximum, 4" });
  });
});

describe("demandQuantile", () => {
  it("Poisson when the variance is the mean's, negative binomial when demand comes in bursts", () => {
    expect(demandQuantile(0, 0, 0.95, 10)).toBe(0);
    expect(demandQuantile(0.01, 0.01, 0.95, 10)).toBe(0); // P(0) = 0.990
    expect(demandQuantile(2, 2, 0.95, 50)).toBe(5); // Poisson(2): P(≤4) = 0.947, P(≤5) = 0.983
    expect(demandQuantile(2, 8, 0.95, 50)).toBeGreaterThan(5); // same mean, bursty: more to cover
    expect(demandQuantile(1000, 1000, 0.95, 5000)).toBe(1052); // far in the tail, no underflow (normal approx. 1052)
    expect(demandQuantile(50, 50, 0.95, 10)).toBe(10); // not reached within the cap
  });

  it("property: a higher service level never covers less, and the cover is a true quantile", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 40, noNaN: true }), fc.double({ min: 1, max: 5, noNaN: true }), fc.double({ min: 0.55, max: 0.98, noNaN: true }), (mean, spread, level) => {
        const variance = mean * spread;
        const low = demandQuantile(mean, variance, level, 10_000);
        expect(demandQuantile(mean, variance, Math.min(0.999, level + 0.01), 10_000)).toBeGreaterThanOrEqual(low);
      }),
    );
  });
});

describe("availableToSell", () => {
  const noBuffer = () => ({ units: 0, explanation: "none" });

  it("sums the channel's locations only, never counting a location below zero, less the buffer", () => {
    const levels = [level("A", 10, 2, 1), level("B", 5, 7), level("C", 100)];
    const result = availableToSell(levels, { locationIds: ["A", "B"], preorders: false }, (n) => bufferUnits({ kind: "units", units: 3 }, n));
    expect(result).toMatchObject({ available: 7, incoming: 0, ats: 4 });
    expect(result.explanation).toBe("7 available in 2 locations − buffer 3 (fixed buffer 3) = 4");
  });

  it("adds incoming stock when the channel sells pre-orders", () => {
    expect(availableToSell([level("A", 2, 0, 0, 6)], { locationIds: null, preorders: true }, noBuffer)).toMatchObject({ available: 2, incoming: 6, ats: 8 });
    expect(availableToSell([level("A", 2, 0, 0, 6)], { locationIds: null, preorders: false }, noBuffer)).toMatchObject({ ats: 2 });
  });

  it("offers as pre-orders only the incoming not already promised to backorders", () => {
    const result = availableToSell([level("A", 2, 0, 0, 6)], { locationIds: null, preorders: true, promisedIncoming: 4 }, noBuffer);
    expect(result).toMatchObject({ available: 2, incoming: 2, ats: 4 });
    expect(result.explanation).toBe("2 available in 1 location + 2 incoming (pre-orders, 4 of it already promised to backorders) − buffer 0 (none) = 4");
    expect(availableToSell([level("A", 2, 0, 0, 6)], { locationIds: null, preorders: true, promisedIncoming: 9 }, noBuffer)).toMatchObject({ incoming: 0, ats: 2 });
    expect(availableToSell([level("A", 2, 0, 0, 6)], { locationIds: null, preorders: false, promisedIncoming: 9 }, noBuffer)).toMatchObject({ incoming: 0, ats: 2 });
  });

  it("promises the earliest expected date of the incoming it counts", () => {
    const levels = [
      { ...level("A", 2, 0, 0, 6), incomingExpectedAt: "2026-12-20T00:00:00.000Z" },
      { ...level("B", 0, 0, 0, 4), incomingExpectedAt: "2026-12-12T00:00:00.000Z" },
      { ...level("C", 0, 0, 0, 0), incomingExpectedAt: "2026-12-01T00:00:00.000Z" }, // nothing incoming: no promise from it
    ];
    const result = availableToSell(levels, { locationIds: ["A", "C"], preorders: true }, noBuffer);
    expect(result).toMatchObject({ incoming: 6, incomingExpectedAt: "2026-12-20T00:00:00.000Z", ats: 8 });
    expect(result.explanation).toBe("2 available in 2 locations + 6 incoming (pre-orders, expected 2026-12-20) − buffer 0 (none) = 8");
    expect(availableToSell(levels, { locationIds: null, preorders: true }, noBuffer).incomingExpectedAt).toBe("2026-12-12T00:00:00.000Z");
    expect(availableToSell(levels, { locationIds: null, preorders: false }, noBuffer).incomingExpectedAt).toBeNull();
  });

  it("property: never below zero, never more than available (+ incoming) − buffer", () => {
    const lv = fc.record({ locationId: fc.constantFrom("A", "B", "C"), onHand: fc.nat(50), reserved: fc.nat(60), safety: fc.nat(5), incoming: fc.nat(20) });
    fc.assert(
      fc.property(fc.array(lv, { maxLength: 6 }), fc.boolean(), fc.nat(30), (levels, preorders, buffer) => {
        const r = availableToSell(levels, { locationIds: null, preorders }, () => ({ units: buffer, explanation: "" }));
        expect(r.ats).toBeGreaterThanOrEqual(0);
        expect(r.ats).toBeLessThanOrEqual(Math.max(0, r.available + r.incoming - buffer));
      }),
    );
  });
});

describe("channel configuration", () => {
  it("defaults: every location, no pre-orders, no buffer", () => {
    expect(DEFAULT_CHANNEL_CONFIG).toEqual({ locationIds: null, preorders: false, buffer: { kind: "units", units: 0 }, skuBuffers: {} });
  });

  it("a per-SKU buffer replaces the channel's own for that SKU", () => {
    const check = checkChannelConfig({ buffer: { kind: "percent", percent: 10 }, skuBuffers: { "TEE-M": { kind: "adaptive", min: 1, max: 8 } } });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(bufferFor(check.config, "TEE-M")).toEqual({ kind: "adaptive", min: 1, max: 8, serviceLevel: 0.95, windowHours: 24 });
    expect(bufferFor(check.config, "TEE-L")).toEqual({ kind: "percent", percent: 10 });
  });

  it("refuses what is not a setting, field by field", () => {
    expect(checkChannelConfig({ buffer: { kind: "adaptive", min: 9, max: 2 } })).toEqual({ ok: false, errors: ["buffer.min: min must not exceed max"] });
    expect(checkChannelConfig({ buffer: { kind: "percent", percent: 140 } })).toMatchObject({ ok: false, errors: [expect.stringMatching(/^buffer.percent:/)] });
    expect(checkChannelConfig({ colour: "red" })).toMatchObject({ ok: false, errors: [expect.stringMatching(/Unrecognized key/)] });
  });
});

describe("demand and lag measures", () => {
  it("hourly mean and deviation, and the p95 by nearest rank", () => {
    expect(hourlyDemand([0, 2, 4])).toEqual({ perHour: 2, stdPerHour: Math.sqrt(8 / 3) });
    expect(p95([])).toBeNull();
    expect(p95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
  });
});
