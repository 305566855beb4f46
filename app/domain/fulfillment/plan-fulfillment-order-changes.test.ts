import { describe, expect, it } from "vitest";
import { BACKORDER_HOLD_HANDLE } from "./fulfillment-order-types";
import { at, desiredAsPlacement, fo, normalise, placementOf, planAndApply } from "./fulfillment-order-test-kit";
import { planFulfillmentOrderChanges } from "./plan-fulfillment-order-changes";

const hold = { kind: "hold", reason: "INVENTORY_OUT_OF_STOCK", handle: BACKORDER_HOLD_HANDLE } as const;

/** Plans and checks the plan reaches the placement and that a second plan is empty. */
function reach(current: Parameters<typeof planAndApply>[0], desired: Parameters<typeof planAndApply>[1]) {
  const checked = planAndApply(current, desired);
  expect(normalise(placementOf(checked.after))).toEqual(desiredAsPlacement(desired));
  expect(checked.replan.operations).toEqual([]);
  return checked.plan;
}

describe("planFulfillmentOrderChanges: one fulfillment order", () => {
  it("does nothing when the FO already sits where the placement wants it", () => {
    expect(planFulfillmentOrderChanges([fo("F1", "L1", { A: 3, B: 2 })], [at("L1", { A: 3, B: 2 })])).toEqual({ operations: [], skipped: [] });
  });

  it("moves the whole FO in one mutation when every line goes to one other location", () => {
    const plan = reach([fo("F1", "L1", { A: 3, B: 2 })], [at("L2", { A: 3, B: 2 })]);
    expect(plan.operations).toEqual([{ kind: "move", fulfillmentOrder: "F1", newLocationId: "L2" }]);
  });

  it("splits across two locations with one partial move, naming the new FO by a handle", () => {
    const plan = reach([fo("F1", "L1", { A: 3, B: 2 })], [at("L1", { A: 1, B: 2 }), at("L2", { A: 2 })]);
    expect(plan.operations).toEqual([
      { kind: "move", fulfillmentOrder: "F1", newLocationId: "L2", lineItems: [{ lineItemId: "A", quantity: 2 }], movedAs: "@1" },
    ]);
  });

  it("sends lines to two other locations: a partial move, then the rest moves whole", () => {
    const plan = reach([fo("F1", "L1", { A: 3, B: 2 })], [at("L2", { A: 3 }), at("L3", { B: 2 })]);
    expect(plan.operations).toEqual([
      { kind: "move", fulfillmentOrder: "F1", newLocationId: "L2", lineItems: [{ lineItemId: "A", quantity: 3 }], movedAs: "@1" },
      { kind: "move", fulfillmentOrder: "F1", newLocationId: "L3" },
    ]);
  });

  it("holds only the backordered units when the rest stays open here", () => {
    const plan = reach([fo("F1", "L1", { A: 3, B: 2 })], [at("L1", { A: 1, B: 2 }), at(null, { A: 2 })]);
    expect(plan.operations).toEqual([
      { ...hold, fulfillmentOrder: "F1", notes: expect.any(String), lineItems: [{ lineItemId: "A", quantity: 2 }], remainingAs: "@1" },
    ]);
  });

  it("holds the whole FO when all of it is backordered", () => {
    const plan = reach([fo("F1", "L1", { A: 3 })], [at(null, { A: 3 })]);
    expect(plan.operations).toEqual([{ ...hold, fulfillmentOrder: "F1", notes: expect.stringMatching(/Backordered/) }]);
  });

  it("moves the allocated part away, then holds what is left", () => {
    const plan = reach([fo("F1", "L1", { A: 3, B: 2 })], [at("L2", { B: 2 }), at(null, { A: 3 })]);
    expect(plan.operations.map((o) => [o.kind, "lineItems" in o ? o.lineItems : undefined])).toEqual([
      ["move", [{ lineItemId: "B", quantity: 2 }]],
      ["hold", undefined],
    ]);
  });

  it("releases and moves a held FO whose units are now allocated elsewhere", () => {
    const plan = reach([fo("F1", "L1", { A: 2 }, "ON_HOLD")], [at("L2", { A: 2 })]);
    expect(plan.operations).toEqual([
      { kind: "releaseHold", fulfillmentOrder: "F1" },
      { kind: "move", fulfillmentOrder: "F1", newLocationId: "L2" },
    ]);
  });

  it("only releases a held FO whose units are now allocated where it already is", () => {
    const plan = reach([fo("F1", "L1", { A: 2 }, "ON_HOLD")], [at("L1", { A: 2 })]);
    expect(plan.operations).toEqual([{ kind: "releaseHold", fulfillmentOrder: "F1" }]);
  });

  it("leaves a held FO alone while its units are still backordered", () => {
    expect(planFulfillmentOrderChanges([fo("F1", "L1", { A: 2 }, "ON_HOLD")], [at(null, { A: 2 })]).operations).toEqual([]);
  });

  it("releases a partly filled backorder, moves the filled part and holds the rest again", () => {
    const plan = reach([fo("F1", "L1", { A: 3 }, "ON_HOLD")], [at("L2", { A: 1 }), at(null, { A: 2 })]);
    expect(plan.operations.map((o) => o.kind)).toEqual(["releaseHold", "move", "hold"]);
    expect(plan.operations[1]).toMatchObject({ lineItems: [{ lineItemId: "A", quantity: 1 }] });
    expect(plan.operations[2]).not.toHaveProperty("lineItems");
  });

  it("ignores FO lines with nothing left to fulfil and placement lines of zero", () => {
    const plan = reach([fo("F1", "L1", { A: 0, B: 2 })], [at("L2", { B: 2, C: 0 })]);
    expect(plan.operations).toEqual([{ kind: "move", fulfillmentOrder: "F1", newLocationId: "L2" }]);
  });
});

describe("planFulfillmentOrderChanges: FOs it must not touch", () => {
  it("skips IN_PROGRESS, CLOSED and CANCELLED FOs with the reason, counting in-progress units where they are", () => {
    const current = [
      fo("F1", "L1", { A: 1 }, "IN_PROGRESS"), fo("F2", "L1", { A: 0 }, "CLOSED"), fo("F3", "L2", { B: 4 }, "CANCELLED"), fo("F4", "L1", { A: 2 }),
    ];
    const plan = planFulfillmentOrderChanges(current, [at("L1", { A: 1 }), at("L3", { A: 2 })]);
    expect(plan.operations).toEqual([{ kind: "move", fulfillmentOrder: "F4", newLocationId: "L3" }]);
    expect(plan.skipped.map((s) => [s.code, s.fulfillmentOrderId, s.status])).toEqual([
      ["FULFILLMENT_ORDER_LOCKED", "F1", "IN_PROGRESS"], ["FULFILLMENT_ORDER_LOCKED", "F2", "CLOSED"], ["FULFILLMENT_ORDER_LOCKED", "F3", "CANCELLED"],
    ]);
    expect(plan.skipped[0].reason).toMatch(/IN_PROGRESS/);
  });

  it("reports in-progress units the placement wants elsewhere, and the demand it cannot meet", () => {
    const plan = planFulfillmentOrderChanges([fo("F1", "L1", { A: 2 }, "IN_PROGRESS")], [at("L2", { A: 2 })]);
    expect(plan.operations).toEqual([]);
    expect(plan.skipped.map((s) => [s.code, s.lineItemId ?? null, s.locationId ?? null, s.quantity ?? null])).toEqual([
      ["FULFILLMENT_ORDER_LOCKED", null, null, null], ["UNITS_NOT_IN_PLACEMENT", "A", "L1", 2], ["UNITS_UNAVAILABLE", "A", "L2", 2],
    ]);
  });

  it("never releases a hold someone else placed", () => {
    const merchantHold = [{ handle: null, reason: "HIGH_RISK_OF_FRAUD" }];
    const plan = planFulfillmentOrderChanges([fo("F1", "L1", { A: 1 }, "ON_HOLD", merchantHold)], [at("L2", { A: 1 })]);
    expect(plan.operations).toEqual([]);
    expect(plan.skipped[0]).toMatchObject({ code: "HELD_BY_OTHERS", fulfillmentOrderId: "F1", reason: expect.stringMatching(/HIGH_RISK_OF_FRAUD/) });
  });

  it("leaves units the placement does not mention where they are, and reports units nobody holds", () => {
    const plan = planFulfillmentOrderChanges([fo("F1", "L1", { A: 2, B: 1 })], [at("L2", { A: 3 })]);
    expect(plan.operations).toEqual([
      { kind: "move", fulfillmentOrder: "F1", newLocationId: "L2", lineItems: [{ lineItemId: "A", quantity: 2 }], movedAs: "@1" },
    ]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ code: "UNITS_NOT_IN_PLACEMENT", fulfillmentOrderId: "F1", lineItemId: "B", quantity: 1, locationId: "L1" }),
      expect.objectContaining({ code: "UNITS_UNAVAILABLE", lineItemId: "A", quantity: 1, locationId: "L2" }),
    ]);
  });

  it("refuses a placement with a negative or fractional quantity", () => {
    expect(() => planFulfillmentOrderChanges([], [at("L1", { A: -1 })])).toThrow(RangeError);
    expect(() => planFulfillmentOrderChanges([], [at("L1", { A: 1.5 })])).toThrow(/Invalid quantity/);
  });
});

describe("planFulfillmentOrderChanges: several fulfillment orders", () => {
  it("moves the one FO that fits whole rather than carving pieces out of two", () => {
    const plan = reach([fo("F1", "L1", { A: 2, B: 1 }), fo("F2", "L1", { A: 2 })], [at("L1", { A: 2 }), at("L2", { A: 2, B: 1 })]);
    expect(plan.operations).toEqual([{ kind: "move", fulfillmentOrder: "F1", newLocationId: "L2" }]);
  });

  it("prefers one move to swapping a release and a hold", () => {
    const plan = reach([fo("F1", "L2", { A: 1 }), fo("F2", "L1", { A: 1 }, "ON_HOLD")], [at("L1", { A: 1 }), at(null, { A: 1 })]);
    expect(plan.operations).toEqual([{ kind: "move", fulfillmentOrder: "F1", newLocationId: "L1" }]);
  });

  it("gathers two FOs at one location with two whole moves (Shopify has no merge here)", () => {
    const plan = reach([fo("F1", "L1", { A: 1 }), fo("F2", "L2", { B: 1 })], [at("L3", { A: 1, B: 1 })]);
    expect(plan.operations).toEqual([
      { kind: "move", fulfillmentOrder: "F1", newLocationId: "L3" },
      { kind: "move", fulfillmentOrder: "F2", newLocationId: "L3" },
    ]);
  });

  it("sums a location listed twice and numbers handles across FOs", () => {
    const plan = reach(
      [fo("F1", "L1", { A: 2 }), fo("F2", "L2", { B: 2 })],
      [at("L3", { A: 1 }), at("L3", { B: 1 }), at("L1", { A: 1 }), at("L2", { B: 1 })],
    );
    expect(plan.operations.map((o) => (o.kind === "move" ? o.movedAs : null))).toEqual(["@1", "@2"]);
  });

  it("keeps an unchanged FO untouched while fixing its sibling", () => {
    const plan = reach([fo("F1", "L1", { A: 1 }), fo("F2", "L2", { B: 2 }, "ON_HOLD")], [at("L1", { A: 1 }), at("L3", { B: 2 })]);
    expect(plan.operations.map((o) => o.fulfillmentOrder)).toEqual(["F2", "F2"]);
  });
});
