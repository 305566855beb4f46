import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeDrift, type DriftInput } from "./channel-drift";

const now = new Date("2026-12-05T12:00:00Z");
const base: DriftInput = { expected: 10, shown: 10, soleWriter: false, lowerSince: null, now, confirmAfterMs: 15 * 60_000 };

describe("judging what a channel shows against what the app set", () => {
  it("the same figure is in sync", () => {
    expect(judgeDrift(base)).toEqual({ kind: "in-sync" });
  });

  it("more than the app set is repaired at once: the channel could oversell", () => {
    expect(judgeDrift({ ...base, shown: 12 }).kind).toBe("repair");
  });

  it("less than the app set is watched first (the channel's own sale may be on its way), repaired once it stands", () => {
    expect(judgeDrift({ ...base, shown: 9 }).kind).toBe("watch");
    expect(judgeDrift({ ...base, shown: 9, lowerSince: new Date(now.getTime() - 5 * 60_000) }).kind).toBe("watch");
    expect(judgeDrift({ ...base, shown: 9, lowerSince: new Date(now.getTime() - 15 * 60_000) }).kind).toBe("repair");
  });

  it("a figure only the app writes is repaired whichever way it moved", () => {
    expect(judgeDrift({ ...base, shown: 3, soleWriter: true }).kind).toBe("repair");
    expect(judgeDrift({ ...base, shown: 30, soleWriter: true }).kind).toBe("repair");
  });

  it("never leaves a higher figure standing, never calls a difference in sync", () => {
    fc.assert(
      fc.property(fc.nat(1_000), fc.nat(1_000), fc.boolean(), fc.option(fc.nat(86_400_000)), (expected, shown, soleWriter, ago) => {
        const verdict = judgeDrift({ ...base, expected, shown, soleWriter, lowerSince: ago === null ? null : new Date(now.getTime() - ago) });
        if (shown === expected) return verdict.kind === "in-sync";
        if (shown > expected || soleWriter) return verdict.kind === "repair";
        return verdict.kind !== "in-sync";
      }),
    );
  });
});
