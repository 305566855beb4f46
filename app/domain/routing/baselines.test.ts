import { describe, expect, it } from "vitest";
import { closestWithStockPerLine, fewestSplitsThenClosest, myopicGreedyPerLine } from "./baselines";
import { route } from "./route";
import { makeInput, makeLocation, places, randomSmallInstance } from "./test-instances";
import type { RoutingDecision } from "./types";

const usedIds = (d: RoutingDecision) => d.shipments.map((s) => s.locationId);

describe("closestWithStockPerLine", () => {
  it("takes each line from the closest location holding its full quantity", () => {
    const d = closestWithStockPerLine(makeInput([["A", 1], ["B", 1]], [
      makeLocation("newark", places.newark, { A: 5 }),
      makeLocation("philly", places.philadelphia, { A: 5, B: 5 }),
    ]));
    expect(d.allocations).toEqual({ "line-1": [{ locationId: "newark", quantity: 1 }], "line-2": [{ locationId: "philly", quantity: 1 }] });
  });

  it("skips a nearer location that only holds part of the line, and splits closest-first when nobody holds it all", () => {
    const locations = [
      makeLocation("newark", places.newark, { A: 3 }),
      makeLocation("philly", places.philadelphia, { A: 1 }),
      makeLocation("chicago", places.chicago, { A: 5 }),
    ];
    expect(closestWithStockPerLine(makeInput([["A", 5]], locations)).allocations["line-1"]).toEqual([{ locationId: "chicago", quantity: 5 }]);
    expect(closestWithStockPerLine(makeInput([["A", 6]], locations)).allocations["line-1"]).toEqual([
      { locationId: "chicago", quantity: 2 },
      { locationId: "newark", quantity: 3 },
      { locationId: "philly", quantity: 1 },
    ]);
  });
});

describe("fewestSplitsThenClosest", () => {
  it("ships from the fewest locations, closest first among equals, whatever it costs", () => {
    const d = fewestSplitsThenClosest(makeInput([["A", 1], ["B", 1]], [
      makeLocation("newark", places.newark, { A: 5 }),
      makeLocation("philly", places.philadelphia, { B: 5 }),
      makeLocation("la", places.losAngeles, { A: 5, B: 5 }),
      makeLocation("chicago", places.chicago, { A: 5, B: 5 }),
    ]));
    expect(usedIds(d)).toEqual(["chicago"]);
    const pricey = [makeLocation("newark", places.newark, { A: 5 }, { handlingCostMinor: 5000 }), makeLocation("philly", places.philadelphia, { A: 5 })];
    expect(usedIds(fewestSplitsThenClosest(makeInput([["A", 1]], pricey)))).toEqual(["newark"]);
    expect(usedIds(route(makeInput([["A", 1]], pricey)))).toEqual(["philly"]);
  });

  it("picks the closest pair when no single location covers the order", () => {
    const d = fewestSplitsThenClosest(makeInput([["A", 1], ["B", 1]], [
      makeLocation("newark", places.newark, { A: 5 }),
      makeLocation("la", places.losAngeles, { A: 5 }),
      makeLocation("boston", places.boston, { B: 5 }),
      makeLocation("philly", places.philadelphia, { B: 5 }),
    ]));
    expect(usedIds(d)).toEqual(["newark", "philly"]);
  });
});

describe("myopicGreedyPerLine", () => {
  it("sends each line to its own cheapest location, paying for two packages where one would do", () => {
    const input = makeInput([["A", 1], ["B", 1]], [
      makeLocation("newark", places.newark, { A: 5 }),
      makeLocation("philly", places.philadelphia, { B: 5 }),
      makeLocation("chicago", places.chicago, { A: 5, B: 5 }),
    ]);
    const myopic = myopicGreedyPerLine(input);
    expect(usedIds(myopic)).toEqual(["newark", "philly"]);
    const engine = route(input);
    expect(usedIds(engine)).toEqual(["chicago"]);
    expect(engine.totals.totalMinor).toBeLessThan(myopic.totals.totalMinor);
  });
});

describe("all baselines", () => {
  it("honour exclusions and capacity, share the output shape, and never beat the exact engine on its own objective", () => {
    for (let seed = 1; seed <= 400; seed += 1) {
      const input = randomSmallInstance(seed, 4, 4, 3);
      // Only compare where the baselines play by the same hard rules (they ignore max_splits and the promise).
      input.rules = input.rules.filter((r) => r.type !== "max_splits" && r.type !== "promise_feasible");
      const engine = route(input);
      const blocked = new Set([
        ...input.rules.flatMap((r) => (r.type === "exclude_locations" ? r.ids : [])),
        ...(input.rules.some((r) => r.type === "capacity") ? input.locations.filter((l) => l.remainingCapacity <= 0).map((l) => l.id) : []),
      ]);
      for (const baseline of [closestWithStockPerLine, fewestSplitsThenClosest, myopicGreedyPerLine]) {
        const d = baseline(input);
        expect(d.method).toBe("baseline");
        expect(d.explanation.decidedBy).toBe(d.totals.unitsAllocated > 0 ? "baseline" : "no_candidate");
        for (const id of usedIds(d)) expect(blocked.has(id)).toBe(false);
        expect(d.totals.unitsAllocated).toBeLessThanOrEqual(engine.totals.unitsAllocated);
        const chain = input.rules.filter((r) => ["lowest_landed_cost", "fewest_splits", "closest", "prefer_locations"].includes(r.type));
        if (chain[0]?.type === "lowest_landed_cost" && d.totals.unitsAllocated === engine.totals.unitsAllocated && !chain.some((r) => "bonusMinor" in r)) {
          expect(engine.totals.totalMinor).toBeLessThanOrEqual(d.totals.totalMinor);
        }
      }
    }
  });
});
