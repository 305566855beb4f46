import { describe, expect, it } from "vitest";
import { generateNetwork, generateOrders } from "../../../bench/routing/generate-network";
import { closestWithStockPerLine, fewestSplitsThenClosest, myopicGreedyPerLine } from "./baselines";
import { decodeDecision, encodeDecision } from "./decision-codec";
import { route } from "./route";
import { makeInput, makeLocation, places, randomSmallInstance } from "./test-instances";
import type { RoutingDecision, RoutingInput } from "./types";

/** What the plain JSON stored before: the decision as JSON sees it. */
const asStored = (d: RoutingDecision) => JSON.parse(JSON.stringify(d)) as RoutingDecision;

function expectRoundTrip(d: RoutingDecision) {
  expect(decodeDecision(encodeDecision(d))).toStrictEqual(asStored(d));
}

/** Shadow prices on some locations and SKUs, so candidates carry stock values and explanations say what they did. */
function priced(input: RoutingInput, seed: number): RoutingInput {
  const prices: Record<string, Record<string, number>> = {};
  input.locations.forEach((l, i) => {
    if ((seed + i) % 2 === 0) prices[l.id] = Object.fromEntries(Object.keys(l.stock).map((sku, k) => [sku, ((seed * 37 + k * 101) % 900) + 1]));
  });
  return { ...input, stockShadowPriceMinor: prices };
}

describe("stored routing decisions", () => {
  it("read back equal to what was routed, over thousands of random instances (exact, priced, baselines)", () => {
    let withStockValue = 0;
    let withExclusions = 0;
    let withUnallocated = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const input = randomSmallInstance(seed, 5, 5, 4);
      const decisions = [route(input), route(priced(input, seed))];
      if (seed % 10 === 0) decisions.push(closestWithStockPerLine(input), fewestSplitsThenClosest(input), myopicGreedyPerLine(input));
      for (const d of decisions) {
        expectRoundTrip(d);
        if (d.explanation.stockValue) withStockValue += 1;
        if (d.explanation.excludedLocations.length > 0) withExclusions += 1;
        if (d.unallocated.length > 0) withUnallocated += 1;
      }
    }
    // The instances reach every optional part of the format.
    expect(withStockValue).toBeGreaterThan(100);
    expect(withExclusions).toBeGreaterThan(100);
    expect(withUnallocated).toBeGreaterThan(100);
  });

  it("read back equal for heuristic decisions on mid-size orders (13–25 locations, up to 40 lines)", () => {
    for (let i = 0; i < 40; i++) {
      const network = generateNetwork(700 + i, { locationCount: 13 + (i % 13), skuCount: 80, expectedUnits: 400 + 150 * (i % 7), stockCover: 0.6 + (i % 5) * 0.4 });
      const [order] = generateOrders(network, 1, 1_100 + i, { lines: 8 + ((i * 7) % 33) });
      const d = route({ order, locations: network.locations, rateTable: network.rateTable, rules: network.rules, options: { maxExactLocations: 0 } });
      expect(d.method).toBe("heuristic");
      expectRoundTrip(d);
    }
  });

  it("keeps a passed-over plan and a candidate's stock value", () => {
    const locations = [makeLocation("newark", places.newark, { A: 1 }), makeLocation("chicago", places.chicago, { A: 50 })];
    const d = route({ ...makeInput([["A", 1]], locations), stockShadowPriceMinor: { newark: { A: 5000 } } });
    expect(d.explanation.stockValue?.passedOver?.locationIds).toEqual(["newark"]);
    const back = decodeDecision(encodeDecision(d));
    expect(back.explanation.stockValue).toEqual(d.explanation.stockValue);
    expect(back.explanation.candidates.find((c) => c.locationIds.join() === "newark")!.stockValueMinor).toBe(5000);
  });

  it("is well under half the size of the plain JSON for an ordinary order", () => {
    const network = generateNetwork(42, { locationCount: 10, skuCount: 200, expectedUnits: 1_000, stockCover: 3 });
    for (const order of generateOrders(network, 50, 43, { lines: 3 })) {
      const d = route({ order, locations: network.locations, rateTable: network.rateTable, rules: network.rules });
      expect(encodeDecision(d).length).toBeLessThan(JSON.stringify(d).length / 2);
    }
  });

  it("still reads the plain JSON that earlier versions stored", () => {
    const d = route(makeInput([["A", 3], ["B", 1]], [makeLocation("newark", places.newark, { A: 2, B: 1 }), makeLocation("philly", places.philadelphia, { A: 5 })]));
    expect(decodeDecision(JSON.stringify(d))).toStrictEqual(asStored(d));
  });

  it("refuses text that is not a stored decision, saying why", () => {
    expect(() => decodeDecision("not json")).toThrow();
    expect(() => decodeDecision(`{"hello":"world"}`)).toThrow(/Not a stored routing decision/);
    expect(() => decodeDecision(`[9]`)).toThrow(/Unknown routing decision format 9/);
    const text = encodeDecision(route(makeInput([["A", 1]], [makeLocation("newark", places.newark, { A: 2 })])));
    const broken = JSON.parse(text) as unknown[];
    broken[4] = []; // the location table is gone
    expect(() => decodeDecision(JSON.stringify(broken))).toThrow(/names location #0, which it does not list/);
  });
});
