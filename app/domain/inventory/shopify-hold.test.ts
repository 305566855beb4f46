import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { available } from "./availability";
import { holdMoves, shopifyHoldTargets, type HoldLevel } from "./shopify-hold";

const level = (locationId: string, onHand: number, reserved = 0, reservedElsewhere = 0, safety = 0): HoldLevel => ({ locationId, onHand, reserved, reservedElsewhere, safety });

describe("shopifyHoldTargets", () => {
  it("holds other channels' reservations and our safety stock, so Shopify shows our available", () => {
    // 10 on hand; 3 reserved of which 2 by an Amazon order (Shopify counts its 1 as committed); safety 1.
    expect(shopifyHoldTargets([level("a", 10, 3, 2, 1)], null, 0)).toEqual([{ locationId: "a", show: 6, hold: 3 }]);
  });

  it("takes the buffer from the fullest locations first", () => {
    const targets = shopifyHoldTargets([level("a", 10), level("b", 4), level("c", 1)], null, 7);
    // a and b both stand at 4 after the first 6; the seventh unit comes from a (ties by id).
    expect(targets.map((t) => [t.locationId, t.show])).toEqual([["a", 3], ["b", 4], ["c", 1]]);
    expect(targets.map((t) => t.hold)).toEqual([7, 0, 0]);
  });

  it("holds a location that does not feed the channel whole, and shows nothing there", () => {
    expect(shopifyHoldTargets([level("a", 5, 1, 0), level("b", 7, 2, 2)], ["a"], 0)).toEqual([
      { locationId: "a", show: 4, hold: 0 },
      { locationId: "b", show: 0, hold: 7 },
    ]);
  });

  it("never shows more than available, and shows exactly max(0, Σ available − buffer) across the channel's locations", () => {
    const lvl = fc.record({ onHand: fc.nat(40), shopifyReserved: fc.nat(10), otherReserved: fc.nat(10), safety: fc.nat(5) });
    fc.assert(
      fc.property(fc.array(lvl, { minLength: 1, maxLength: 6 }), fc.nat(60), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (raw, buffer, feeds) => {
        const levels = raw.map((r, i) => level(`loc${i}`, r.onHand, r.shopifyReserved + r.otherReserved, r.otherReserved, r.safety));
        const ids = levels.filter((_, i) => feeds[i]).map((l) => l.locationId);
        const targets = shopifyHoldTargets(levels, ids, buffer);
        const sellable = levels.filter((l) => ids.includes(l.locationId)).reduce((s, l) => s + Math.max(0, available(l)), 0);
        expect(targets.reduce((s, t) => s + t.show, 0)).toBe(Math.max(0, sellable - buffer));
        for (const [i, t] of targets.entries()) {
          const l = levels[i];
          expect(t.show).toBeGreaterThanOrEqual(0);
          expect(t.show).toBeLessThanOrEqual(Math.max(0, available(l)));
          if (!ids.includes(l.locationId)) expect(t.show).toBe(0);
          expect(t.hold).toBeGreaterThanOrEqual(0);
          // What Shopify then shows: on hand − its own orders − what we hold; equal to the target whenever it can be.
          const shopifyShows = l.onHand - (l.reserved - l.reservedElsewhere) - t.hold;
          if (l.onHand - (l.reserved - l.reservedElsewhere) >= t.show) expect(shopifyShows).toBe(t.show);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("holdMoves", () => {
  it("moves only the difference from what Shopify holds now, either way", () => {
    const targets = [{ locationId: "a", show: 4, hold: 6 }, { locationId: "b", show: 3, hold: 1 }, { locationId: "c", show: 1, hold: 0 }];
    expect(holdMoves(targets, new Map([["a", 2], ["b", 3], ["c", 0]]))).toEqual([
      { locationId: "a", quantity: 4, heldBefore: 2 },
      { locationId: "b", quantity: -2, heldBefore: 3 },
    ]);
  });
});
