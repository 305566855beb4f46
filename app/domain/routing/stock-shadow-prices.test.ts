import { describe, expect, it } from "vitest";
import { route } from "./route";
import { DEFAULT_SHADOW_PRICE_SCALE, stockShadowPrices, supplyDuals } from "./stock-shadow-prices";
import { makeInput, makeLocation, places, smallRateTable } from "./test-instances";

describe("supplyDuals", () => {
  it("prices a saturated cheap supply at what its next-best replacement costs more, spare supply at 0", () => {
    // One region wants 8 units: A (100 each) has 5, B (300 each) has plenty.
    expect(supplyDuals([5, 100], [8], [[100], [300]], 5000)).toEqual([200, 0]);
    // Plenty at A: nothing is scarce.
    expect(supplyDuals([10, 100], [8], [[100], [300]], 5000)).toEqual([0, 0]);
  });

  it("values stock at the unserved cost when the network cannot cover the forecast", () => {
    expect(supplyDuals([3], [5], [[100]], 1000)).toEqual([900]);
  });

  it("values a unit at what the plan loses without it: the region that needs it most", () => {
    // Two regions, 1 unit each; A (1 unit) is cheap for both, B much dearer for region 1 only.
    // The plan sends A's unit to region 1; consuming it now makes region 1 pay B's 500 instead of 100.
    expect(supplyDuals([1, 10], [1, 1], [[100, 100], [500, 150]], 5000)).toEqual([400, 0]);
  });
});

describe("stockShadowPrices → route", () => {
  const locations = [
    makeLocation("newark", places.newark, { A: 2 }),
    makeLocation("chicago", places.chicago, { A: 50 }),
  ];
  const newYork = { latitude: places.newYork.latitude, longitude: places.newYork.longitude };

  it("prices only scarce stock", () => {
    const prices = stockShadowPrices({
      locations,
      rateTable: smallRateTable,
      forecast: [{ sku: "A", weightGrams: 500, destination: newYork, units: 10 }],
      unitsPerShipment: 1,
      unservedCostMinor: 5000,
    });
    expect(prices.newark.A).toBeGreaterThan(0);
    expect(prices.chicago.A).toBeUndefined();
  });

  it("scales the duals by priceScale (default DEFAULT_SHADOW_PRICE_SCALE)", () => {
    const base = { locations, rateTable: smallRateTable, forecast: [{ sku: "A", weightGrams: 500, destination: newYork, units: 10 }], unitsPerShipment: 1, unservedCostMinor: 5000 };
    const plain = stockShadowPrices({ ...base, priceScale: 1 }).newark.A;
    expect(stockShadowPrices({ ...base, priceScale: 2 }).newark.A).toBe(Math.round(2 * plain));
    expect(stockShadowPrices(base).newark.A).toBe(Math.round(DEFAULT_SHADOW_PRICE_SCALE * plain));
  });

  it("lets route() leave scarce stock for later, ranking with the price but reporting the real cost", () => {
    const input = makeInput([["A", 1]], locations);
    const plain = route(input);
    expect(plain.shipments.map((s) => s.locationId)).toEqual(["newark"]);
    const priced = route({ ...input, stockShadowPriceMinor: { newark: { A: 5000 } } });
    expect(priced.shipments.map((s) => s.locationId)).toEqual(["chicago"]);
    expect(priced.totals.totalMinor).toBeGreaterThan(plain.totals.totalMinor);
    expect(priced.explanation.candidates[0].totalMinor).toBe(priced.totals.totalMinor);
    const newarkPlan = priced.explanation.candidates.find((c) => c.locationIds.join() === "newark")!;
    expect(newarkPlan.scores.lowest_landed_cost).toBe(newarkPlan.totalMinor + 5000);
  });

  it("says in the explanation when the stock value changed the choice, and what it passed over", () => {
    const input = makeInput([["A", 1]], locations);
    expect(route(input).explanation.stockValue).toBeUndefined();
    const priced = route({ ...input, stockShadowPriceMinor: { newark: { A: 5000 } } });
    expect(priced.explanation.stockValue).toMatchObject({ chosenMinor: 0, changedChoice: true, passedOver: { locationIds: ["newark"], stockValueMinor: 5000 } });
    expect(priced.explanation.summary).toMatch(/scarce stock kept for forecast demand/);
    expect(priced.explanation.candidates.find((c) => c.locationIds.join() === "newark")!.stockValueMinor).toBe(5000);
    // A price too small to matter is reported, but did not change anything.
    const cheap = route({ ...input, stockShadowPriceMinor: { newark: { A: 1 } } });
    expect(cheap.explanation.stockValue).toEqual({ chosenMinor: 1, changedChoice: false });
  });
});
