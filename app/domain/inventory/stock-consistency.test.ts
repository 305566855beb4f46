import { describe, expect, it } from "vitest";
import { compareStock } from "./stock-consistency";

describe("compareStock", () => {
  it("levels that match their ledger sums and open reservations: nothing to report", () => {
    expect(compareStock(
      [{ variantId: "v1", locationId: "a", onHand: 5, reserved: 2 }, { variantId: "v1", locationId: "b", onHand: 0, reserved: 0 }],
      [{ variantId: "v1", locationId: "a", onHand: 5, reserved: 2 }],
      [{ variantId: "v1", locationId: "a", units: 1 }, { variantId: "v1", locationId: "a", units: 1 }],
    )).toEqual([]);
  });

  it("reports each count that disagrees with the level; on hand below zero mirrors Shopify and is not one", () => {
    const found = compareStock(
      [{ variantId: "v1", locationId: "a", onHand: 5, reserved: 0 }, { variantId: "v2", locationId: "a", onHand: -1, reserved: 3 }],
      [{ variantId: "v1", locationId: "a", onHand: 5, reserved: -1 }, { variantId: "v2", locationId: "a", onHand: -1, reserved: 3 }],
      [{ variantId: "v2", locationId: "a", units: 2 }],
    );
    expect(found).toEqual([
      { kind: "ledger_reserved", variantId: "v1", locationId: "a", level: 0, expected: -1 },
      { kind: "allocations_reserved", variantId: "v2", locationId: "a", level: 3, expected: 2 },
    ]);
  });

  it("ledger rows or reservations where no level exists count against a level of zero", () => {
    expect(compareStock([], [{ variantId: "v3", locationId: "b", onHand: 4, reserved: 0 }], [{ variantId: "v4", locationId: "b", units: 1 }])).toEqual([
      { kind: "ledger_on_hand", variantId: "v3", locationId: "b", level: 0, expected: 4 },
      { kind: "allocations_reserved", variantId: "v4", locationId: "b", level: 0, expected: 1 },
    ]);
  });
});
