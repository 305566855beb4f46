import { describe, expect, it } from "vitest";
import { InvalidPickInputError, MAX_PICKS, validatePickInput, type WarehouseLayout } from "./layout";
import { pickRoute } from "./pick-route";

// S-shape and largest gap on small layouts worked out by hand, and the input checks.
const layout: WarehouseLayout = { aisles: 4, aisleLengthM: 10, aisleSpacingM: 2, depot: { aisle: 0, yM: 0 } };
const at = (aisle: number, yM: number) => ({ aisle, yM });

describe("baseline routes, hand-checked", () => {
  it("S-shape with an odd number of pick aisles: the last is entered from the front and left the same way", () => {
    const picks = [at(3, 4), at(1, 7), at(2, 5), at(1, 3)];
    // depot→aisle 1: 2, up 10, across the back 2, down aisle 2: 10, along the front 2, in to 4 and out 8, home 6.
    const route = pickRoute(layout, picks, "s_shape");
    expect(route).toMatchObject({ lengthM: 40, exact: false, algorithm: "s_shape", method: "s_shape" });
    expect(route.sequence.map((s) => s.index)).toEqual([3, 1, 2, 0]);
  });

  it("S-shape with an even number of pick aisles, and with the depot inside an aisle", () => {
    const picks = [at(1, 3), at(3, 4)];
    expect(pickRoute(layout, picks, "s_shape").lengthM).toBe(2 + 10 + 4 + 10 + 6);
    expect(pickRoute({ ...layout, depot: at(0, 5) }, picks, "s_shape").lengthM).toBe(5 + 2 + 10 + 4 + 10 + 6 + 5);
  });

  it("largest gap: through the first and last pick aisles, the ones between from both ends leaving their largest gap", () => {
    const picks = [at(1, 3), at(2, 1), at(2, 9), at(3, 4)];
    // 2 to aisle 1, up 10, back 2, aisle 2 from the back to 9 and out 2, back 2, down aisle 3: 10,
    // front to aisle 2: 2, in to 1 and out 2, home 4.
    const route = pickRoute(layout, picks, "largest_gap");
    expect(route.lengthM).toBe(2 + 10 + 2 + 2 + 2 + 10 + 2 + 2 + 4);
    expect(route.sequence.map((s) => s.index)).toEqual([0, 2, 3, 1]);
    expect(pickRoute(layout, picks, "s_shape").lengthM).toBe(40);
    const optimal = pickRoute(layout, picks, "optimal");
    expect(optimal.lengthM).toBeLessThanOrEqual(36);
    // The front gap of aisle 2 (0 → 5) is as large as the back one: the pick is taken from the back.
    expect(pickRoute(layout, [at(1, 3), at(2, 5), at(3, 4)], "largest_gap").lengthM).toBe(2 + 10 + 2 + 10 + 2 + 10 + 6);
  });

  it("one pick aisle: both baselines go in to the farthest pick and come back", () => {
    for (const method of ["s_shape", "largest_gap"] as const) expect(pickRoute(layout, [at(2, 6), at(2, 2)], method).lengthM).toBe(4 + 12 + 4);
  });

  it("in a layout with a middle cross aisle the baselines are still walks, and never beat the exact DP", () => {
    const twoBlocks = { ...layout, crossAislesAtM: [5] };
    const picks = [at(1, 2), at(2, 8), at(3, 6)];
    const optimal = pickRoute(twoBlocks, picks);
    expect(optimal).toMatchObject({ exact: true, algorithm: "roodbergen_de_koster_dp" });
    expect(pickRoute(twoBlocks, picks, "s_shape").lengthM).toBe(2 + 10 + 2 + 10 + 2 + 12 + 6);
    expect(pickRoute(twoBlocks, picks, "s_shape").lengthM).toBeGreaterThan(optimal.lengthM);
  });
});

describe("input checks", () => {
  it("reports every problem at once", () => {
    const issues = validatePickInput(
      { aisles: 3, aisleLengthM: 10, aisleSpacingM: 0, crossAislesAtM: [6, 4, 4, 10], depot: at(3, 0) },
      [at(0, 11), at(-1, 2), at(1.5, 5)],
    );
    expect(issues).toEqual([
      "layout.aisleSpacingM: must be a positive number of metres (got 0)",
      "layout.crossAislesAtM[1]: cross aisles must be sorted increasing (4 after 6)",
      "layout.crossAislesAtM[2]: duplicate cross aisle at 4",
      "layout.crossAislesAtM[3]: must lie strictly between 0 and the aisle length 10 (got 10)",
      "layout.depot.aisle: must be an aisle from 0 to 2 (got 3)",
      "picks[0].yM: must lie within the aisle, 0 to 10 (got 11)",
      "picks[1].aisle: must be an aisle from 0 to 2 (got -1)",
      "picks[2].aisle: must be an aisle from 0 to 2 (got 1.5)",
    ]);
  });

  it("refuses more than the pick limit, and pickRoute throws on what the check refuses", () => {
    const many = Array.from({ length: MAX_PICKS + 1 }, () => at(0, 1));
    expect(validatePickInput(layout, many)).toEqual([`picks: at most ${MAX_PICKS} picks per route (got ${MAX_PICKS + 1})`]);
    expect(validatePickInput(layout, many.slice(1))).toEqual([]);
    expect(() => pickRoute(layout, [at(9, 1)])).toThrow(InvalidPickInputError);
    expect(validatePickInput({ ...layout, aisles: 0 }, [])).toEqual(["layout.aisles: must be a whole number from 1 to 500 (got 0)"]);
  });
});
