import { describe, expect, it } from "vitest";
import { planShortfall } from "./shortfall";

describe("planShortfall", () => {
  it("takes from the newest orders first, partly from the last one, and skips orders being picked", () => {
    const plan = planShortfall(5, [
      { allocationId: "a-new", orderId: "o3", orderStatus: "reserved", quantity: 2 },
      { allocationId: "a-pick", orderId: "o2", orderStatus: "picking", quantity: 4 },
      { allocationId: "a-mid", orderId: "o1", orderStatus: "routed", quantity: 4 },
      { allocationId: "a-old", orderId: "o0", orderStatus: "reserved", quantity: 9 },
    ]);
    expect(plan).toEqual({ giveWay: [{ allocationId: "a-new", orderId: "o3", units: 2 }, { allocationId: "a-mid", orderId: "o1", units: 3 }], unresolved: 0 });
  });

  it("says how much nothing could cover", () => {
    expect(planShortfall(4, [{ allocationId: "a", orderId: "o", orderStatus: "picking", quantity: 9 }])).toEqual({ giveWay: [], unresolved: 4 });
    expect(planShortfall(0, [{ allocationId: "a", orderId: "o", orderStatus: "reserved", quantity: 9 }])).toEqual({ giveWay: [], unresolved: 0 });
  });
});
