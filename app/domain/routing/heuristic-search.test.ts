import { describe, expect, it } from "vitest";
import { generateNetwork, generateOrders } from "../../../bench/routing/generate-network";
import { closestWithStockPerLine, fewestSplitsThenClosest, myopicGreedyPerLine } from "./baselines";
import { compareScores } from "./plan";
import { route } from "./route";
import type { RoutingDecision, RoutingInput } from "./types";

const vector = (d: RoutingDecision) => {
  const top = d.explanation.candidates[0];
  return top ? d.explanation.scoreKeys.map((k) => top.scores[k]) : [Infinity];
};

/** Mid-size instances: 13–25 locations, 8–40 lines, stock from plentiful to scarce. */
function midSizeInstances(count: number): RoutingInput[] {
  return Array.from({ length: count }, (_, i) => {
    const network = generateNetwork(500 + i, { locationCount: 13 + (i % 13), skuCount: 80, expectedUnits: 400 + 150 * (i % 7), stockCover: 0.6 + (i % 5) * 0.4 });
    const [order] = generateOrders(network, 1, 900 + i, { lines: 8 + ((i * 7) % 33) });
    // Forced onto the heuristic even where few enough locations hold stock for the exact search.
    return { order, locations: network.locations, rateTable: network.rateTable, rules: network.rules, options: { maxExactLocations: 0 } };
  });
}

describe("heuristic search", () => {
  it("is never worse than the best baseline on the engine's own objective", () => {
    let strictlyBetter = 0;
    for (const input of midSizeInstances(120)) {
      const engine = route(input);
      expect(engine.method).toBe("heuristic");
      const best = [closestWithStockPerLine(input), fewestSplitsThenClosest(input), myopicGreedyPerLine(input)]
        .map(vector)
        .sort(compareScores)[0];
      const order = compareScores(vector(engine), best);
      expect(order).toBeLessThanOrEqual(0);
      if (order < 0) strictlyBetter += 1;
    }
    expect(strictlyBetter).toBeGreaterThan(15); // often the fewest-splits plan is already optimal when stock is scarce
  });

  it("finds the exact optimum on most 10-location orders (and never claims to be exact)", () => {
    const network = generateNetwork(3, { locationCount: 10, skuCount: 60, expectedUnits: 1500 });
    const orders = generateOrders(network, 300, 4, { lines: 12 });
    let same = 0;
    for (const order of orders) {
      const input: RoutingInput = { order, locations: network.locations, rateTable: network.rateTable, rules: network.rules };
      const exact = route(input);
      const heuristic = route({ ...input, options: { maxExactLocations: 0 } });
      expect(heuristic.method).toBe("heuristic");
      expect(compareScores(vector(exact), vector(heuristic))).toBeLessThanOrEqual(0);
      if (compareScores(vector(exact), vector(heuristic)) === 0) same += 1;
    }
    expect(same / orders.length).toBeGreaterThan(0.95);
  });
});
