import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activeUnexplained, afterChangeApplied, claimUnexplained } from "./unexplained-change";

const NOW = new Date("2026-12-05T12:00:00Z");
const HOUR = 3_600_000;
const none = { units: 0, expiresAt: null };

describe("unexplained changes read from Shopify", () => {
  it("a change applied opens a claim for the window; a later one adds to it and extends it", () => {
    const first = afterChangeApplied(none, 2, NOW, 24 * HOUR);
    expect(first).toEqual({ units: 2, expiresAt: "2026-12-06T12:00:00.000Z" });
    const second = afterChangeApplied(first, 3, new Date(NOW.getTime() + HOUR), 24 * HOUR);
    expect(second).toEqual({ units: 5, expiresAt: "2026-12-06T13:00:00.000Z" });
    expect(afterChangeApplied(first, 0, NOW, HOUR)).toBe(first);
  });

  it("a lapsed claim counts for nothing, and is not added to", () => {
    const old = { units: 4, expiresAt: "2026-12-05T11:59:59.000Z" };
    expect(activeUnexplained(old, NOW)).toBe(0);
    expect(afterChangeApplied(old, 1, NOW, HOUR)).toEqual({ units: 1, expiresAt: "2026-12-05T13:00:00.000Z" });
    expect(claimUnexplained(old, 3, NOW)).toEqual({ claimed: 0, apply: 3, left: none });
  });

  it("an event takes what an earlier reading already applied first, and applies only the rest", () => {
    const open = { units: 2, expiresAt: "2026-12-06T12:00:00.000Z" };
    expect(claimUnexplained(open, 3, NOW)).toEqual({ claimed: 2, apply: 1, left: none });
    expect(claimUnexplained(open, 1, NOW)).toEqual({ claimed: 1, apply: 0, left: { units: 1, expiresAt: open.expiresAt } });
    expect(claimUnexplained(none, 2, NOW)).toEqual({ claimed: 0, apply: 2, left: none });
  });

  it("property: units are conserved — what an event claims plus what it applies is what it moved, and the claim never grows", () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.boolean(), (units, shipped, lapsed) => {
        const u = { units, expiresAt: new Date(NOW.getTime() + (lapsed ? -1 : 1) * HOUR).toISOString() };
        const r = claimUnexplained(u, shipped, NOW);
        expect(r.claimed + r.apply).toBe(shipped);
        expect(r.claimed).toBeLessThanOrEqual(activeUnexplained(u, NOW));
        expect(activeUnexplained(r.left, NOW)).toBe(activeUnexplained(u, NOW) - r.claimed);
      }),
    );
  });

  it("refuses amounts that are not whole units", () => {
    expect(() => afterChangeApplied(none, -1, NOW, HOUR)).toThrow(RangeError);
    expect(() => claimUnexplained(none, 1.5, NOW)).toThrow(RangeError);
  });
});
