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

  it("follows a daylight-saving switch to the minute, however often it is asked", () => {
    // New York springs forward at 07:00 UTC on 2026-03-08 (02:00 EST → 03:00 EDT).
    for (let i = 0; i < 3; i++) {
      expect(cutoffHourUtc("16:00", "America/New_York", new Date("2026-03-08T06:59:00Z"))).toBe(21);
      expect(cutoffHourUtc("16:00", "America/New_York", new Date("2026-03-08T07:00:00Z"))).toBe(20);
      expect(cutoffHourUtc("16:00", "America/New_York", new Date("2026-03-08T07:14:59Z"))).toBe(20);
    }
    // Lord Howe shifts by half an hour (UTC+10:30 → +11 on 2026-10-03 at 15:30 UTC).
    expect(cutoffHourUtc("16:00", "Australia/Lord_Howe", new Date("2026-10-03T15:29:00Z"))).toBe(5.5);
    expect(cutoffHourUtc("16:00", "Australia/Lord_Howe", new Date("2026-10-03T15:30:00Z"))).toBe(5);
  });
});
