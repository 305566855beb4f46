import { describe, expect, it } from "vitest";
import { cutoffHourUtc, defaultPolicy, parsePolicy } from "./policy";

describe("routing policy", () => {
  it("the default policy validates", () => {
    const parsed = parsePolicy(defaultPolicy());
    expect(parsed.ok).toBe(true);
  });

  it("rejects a policy without a ranking rule, or with zones out of order, naming the problem", () => {
    const noRanking = parsePolicy({ ...defaultPolicy(), rules: [{ type: "capacity" }] });
    expect(noRanking).toMatchObject({ ok: false, error: expect.stringMatching(/ranking rule/) });
    const policy = defaultPolicy();
    const zones = [...policy.rateTable.zones].reverse();
    expect(parsePolicy({ ...policy, rateTable: { ...policy.rateTable, zones } })).toMatchObject({ ok: false, error: expect.stringMatching(/ascending/) });
    expect(parsePolicy({ ...policy, rules: [{ type: "max_splits", max: 0 }, { type: "closest" }] }).ok).toBe(false);
  });

  it("converts a local carrier cut-off to a UTC hour, daylight saving included", () => {
    expect(cutoffHourUtc("16:00", "America/New_York", new Date("2026-01-15T12:00:00Z"))).toBe(21);
    expect(cutoffHourUtc("16:00", "America/New_York", new Date("2026-07-15T12:00:00Z"))).toBe(20);
    expect(cutoffHourUtc("17:30", "America/Los_Angeles", new Date("2026-01-15T12:00:00Z"))).toBe(1.5);
    expect(cutoffHourUtc("15:00", "UTC", new Date())).toBe(15);
    expect(cutoffHourUtc("15:00", "Not/AZone", new Date())).toBe(15);
  });
});
