import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactTour } from "./exact-route";
import { heuristicTour } from "./heuristic-route";
import { geometryOf, tourLengthM, travelM, type WarehouseLayout, type WarehouseLocation } from "./layout";
import { pickRoute } from "./pick-route";
import { tourStateSpace } from "./tour-states";

// The exact DP against brute force: every visiting order of the picks, legs measured by Floyd–Warshall on the
// explicit aisle graph built here (not the closed-form travelM the code uses).

function floydDistances(layout: WarehouseLayout, points: WarehouseLocation[]): number[][] {
  const ys = [0, ...(layout.crossAislesAtM ?? []), layout.aisleLengthM];
  const nodes: WarehouseLocation[] = [];
  const index = new Map<string, number>();
  const add = (l: WarehouseLocation) => {
    const key = `${l.aisle}:${l.yM}`;
    if (!index.has(key)) {
      index.set(key, nodes.length);
      nodes.push(l);
    }
    return index.get(key)!;
  };
  for (let a = 0; a < layout.aisles; a++) for (const y of ys) add({ aisle: a, yM: y });
  points.forEach(add);
  const n = nodes.length;
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  const link = (i: number, j: number, w: number) => {
    d[i][j] = Math.min(d[i][j], w);
    d[j][i] = Math.min(d[j][i], w);
  };
  for (let a = 0; a < layout.aisles; a++) {
    const onAisle = nodes.map((l, i) => ({ l, i })).filter((x) => x.l.aisle === a).sort((x, y) => x.l.yM - y.l.yM);
    for (let k = 0; k + 1 < onAisle.length; k++) link(onAisle[k].i, onAisle[k + 1].i, onAisle[k + 1].l.yM - onAisle[k].l.yM);
    if (a > 0) for (const y of ys) link(index.get(`${a - 1}:${y}`)!, index.get(`${a}:${y}`)!, layout.aisleSpacingM);
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (d[i][k] + d[k][j] < d[i][j]) d[i][j] = d[i][k] + d[k][j];
  return points.map((p) => points.map((q) => d[index.get(`${p.aisle}:${p.yM}`)!][index.get(`${q.aisle}:${q.yM}`)!]));
}

/** Shortest tour over every visiting order (points[0] is the depot). */
function bruteForce(d: number[][]): number {
  const n = d.length;
  let best = Infinity;
  const rest = Array.from({ length: n - 1 }, (_, i) => i + 1);
  const permute = (k: number, at: number, sofar: number) => {
    if (sofar >= best) return;
    if (k === rest.length) {
      best = Math.min(best, sofar + d[at][0]);
      return;
    }
    for (let i = k; i < rest.length; i++) {
      [rest[k], rest[i]] = [rest[i], rest[k]];
      permute(k + 1, rest[k], sofar + d[at][rest[k]]);
      [rest[k], rest[i]] = [rest[i], rest[k]];
    }
  };
  permute(0, 0, 0);
  return n === 1 ? 0 : best;
}

// Coarse coordinates so picks often share an aisle, a location, or sit on a cross aisle or the aisle ends.
const instance = (blocks: 1 | 2 | 3) =>
  fc
    .record({
      aisles: fc.integer({ min: 2, max: 6 }),
      spacing: fc.constantFrom(1, 2.5, 5),
      cross: fc.uniqueArray(fc.integer({ min: 1, max: 19 }), { minLength: blocks - 1, maxLength: blocks - 1 }),
      depot: fc.record({ aisle: fc.nat(), y: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })) }),
      picks: fc.array(fc.record({ aisle: fc.nat(), y: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })) }), { minLength: 2, maxLength: 7 }),
    })
    .map(({ aisles, spacing, cross, depot, picks }) => ({
      layout: { aisles, aisleLengthM: 20, aisleSpacingM: spacing, crossAislesAtM: [...cross].sort((a, b) => a - b), depot: { aisle: depot.aisle % aisles, yM: depot.y } } as WarehouseLayout,
      picks: picks.map((p) => ({ aisle: p.aisle % aisles, yM: p.y })),
    }));

function checkExact({ layout, picks }: { layout: WarehouseLayout; picks: WarehouseLocation[] }) {
  const route = pickRoute(layout, picks, "optimal");
  const optimum = bruteForce(floydDistances(layout, [layout.depot, ...picks]));
  expect(route.exact).toBe(true);
  expect(Math.abs(route.lengthM - optimum)).toBeLessThan(1e-9);
  // The sequence is every pick once, and walking it with shortest legs is exactly that long.
  expect(route.sequence.map((s) => s.index).sort((a, b) => a - b)).toEqual(picks.map((_, i) => i));
  expect(Math.abs(tourLengthM(geometryOf(layout), layout.depot, route.sequence) - optimum)).toBeLessThan(1e-9);
  for (const method of ["s_shape", "largest_gap"] as const) expect(pickRoute(layout, picks, method).lengthM).toBeGreaterThanOrEqual(optimum - 1e-9);
}

describe("exact pick routes (DP) equal brute force", () => {
  it("one block (Ratliff & Rosenthal): thousands of random small instances", () => {
    fc.assert(fc.property(instance(1), checkExact), { numRuns: 2000 });
  });

  it("two blocks (Roodbergen & de Koster): thousands of random small instances", () => {
    fc.assert(fc.property(instance(2), checkExact), { numRuns: 2000 });
  });

  it("the heuristic (three blocks, and on one and two) is never shorter than the optimum, and its sequence is as long as it says", () => {
    fc.assert(
      fc.property(fc.constantFrom(1 as const, 2 as const, 3 as const).chain(instance), ({ layout, picks }) => {
        const optimum = bruteForce(floydDistances(layout, [layout.depot, ...picks]));
        const distinct = [...new Map(picks.map((p) => [`${p.aisle}:${p.yM}`, p])).values()].filter((p) => p.aisle !== layout.depot.aisle || p.yM !== layout.depot.yM);
        const tour = heuristicTour(geometryOf(layout), layout.depot, distinct);
        expect(tour.lengthM).toBeGreaterThanOrEqual(optimum - 1e-9);
        expect(Math.abs(tourLengthM(geometryOf(layout), layout.depot, tour.order) - tour.lengthM)).toBeLessThan(1e-9);
        expect(tour.order).toHaveLength(distinct.length);
        if ((layout.crossAislesAtM ?? []).length === 2) {
          // Three blocks: "optimal" is the heuristic, and says it is not exact.
          expect(pickRoute(layout, picks, "optimal")).toMatchObject({ exact: false, algorithm: "nearest_neighbour_2opt_oropt", lengthM: tour.lengthM });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("travel distances match Floyd–Warshall on the aisle graph", () => {
    fc.assert(
      fc.property(fc.constantFrom(1 as const, 2 as const, 3 as const).chain(instance), ({ layout, picks }) => {
        const d = floydDistances(layout, picks);
        picks.forEach((p, i) => picks.forEach((q, j) => expect(Math.abs(travelM(geometryOf(layout), p, q) - d[i][j])).toBeLessThan(1e-9)));
      }),
      { numRuns: 300 },
    );
  });

  it("generates exactly Ratliff & Rosenthal's seven equivalence classes for one block", () => {
    const layout: WarehouseLayout = { aisles: 6, aisleLengthM: 10, aisleSpacingM: 2, depot: { aisle: 0, yM: 0 } };
    const picks = [1, 2, 3, 4, 5].flatMap((aisle) => [{ aisle, yM: 3 }, { aisle, yM: 7 }]);
    exactTour(geometryOf(layout), layout.depot, picks);
    const space = tourStateSpace(2);
    const classes = Array.from({ length: space.size }, (_, id) => space.describe(id)).sort();
    expect(classes).toEqual(["00|0C", "0E|1C", "E0|1C", "EE|1C", "EE|2C:0,1", "UU|1C", "closed"]);
  });

  it("generates Roodbergen & de Koster's 25 classes for two blocks", () => {
    expect(tourStateSpace(3).size).toBe(25);
  });

  it("depot and picks inside one block of one aisle: out and back along it, nothing else", () => {
    const layout: WarehouseLayout = { aisles: 3, aisleLengthM: 20, aisleSpacingM: 3, crossAislesAtM: [10], depot: { aisle: 1, yM: 14 } };
    const route = pickRoute(layout, [{ aisle: 1, yM: 18 }, { aisle: 1, yM: 11 }, { aisle: 1, yM: 12 }]);
    expect(route).toMatchObject({ lengthM: 14, exact: true });
    expect(route.sequence.map((s) => s.index)).toEqual([2, 1, 0]);
  });

  it("a hand-checked tour: picks deep in two far aisles are cheaper through the back", () => {
    // Depot at aisle 0 front; picks at y 9 in aisles 0 and 2 (length 10, spacing 3): up aisle 0, across the back,
    // down aisle 2, back along the front = 10 + 6 + 10 + 6 = 32 (in-and-out of each would be 18 + 18 + 6 + 6).
    const route = pickRoute({ aisles: 3, aisleLengthM: 10, aisleSpacingM: 3, depot: { aisle: 0, yM: 0 } }, [{ aisle: 2, yM: 9 }, { aisle: 0, yM: 9 }]);
    expect(route).toMatchObject({ lengthM: 32, exact: true, algorithm: "ratliff_rosenthal_dp" });
    expect(route.sequence.map((s) => s.index)).toEqual([1, 0]);
  });

  it("no picks, or picks only at the depot: a tour of length 0", () => {
    const layout: WarehouseLayout = { aisles: 3, aisleLengthM: 10, aisleSpacingM: 3, depot: { aisle: 1, yM: 0 } };
    expect(pickRoute(layout, [])).toMatchObject({ lengthM: 0, sequence: [] });
    expect(pickRoute(layout, [{ aisle: 1, yM: 0 }, { aisle: 1, yM: 0 }])).toMatchObject({ lengthM: 0, sequence: [{ index: 0 }, { index: 1 }] });
  });
});
