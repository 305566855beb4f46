import { describe, expect, it } from "vitest";
import { route } from "../routing/route";
import type { FulfillmentLocation, RoutingInput } from "../routing/types";
import { defaultRateTable, defaultRules } from "../routing-policy/policy";
import type { SaleLine } from "./demand-forecast";
import { planStockPrices, stockPricesFresh, STOCK_PRICES_STALE_AFTER_MS } from "./stock-price-plan";

// Seattle holds a few units of A and is the only cheap source for Seattle's customers; Dallas holds
// plenty. Boise is a little cheaper to serve from Seattle than from Dallas — so without prices Boise
// takes the units Seattle's own customers will want.
const SEATTLE = { latitude: 47.61, longitude: -122.33 };
const BOISE = { latitude: 43.62, longitude: -116.2 };
const DALLAS = { latitude: 32.78, longitude: -96.8 };

function location(id: string, at: { latitude: number; longitude: number }, stock: Record<string, number>): FulfillmentLocation {
  return { id, name: id, ...at, stock, remainingCapacity: 100, cutoffHourUtc: 22, handlingCostMinor: 300 };
}

const locations = [location("seattle", SEATTLE, { A: 10, B: 50 }), location("dallas", DALLAS, { A: 500, B: 500 })];
const asOf = "2026-03-10T00:00:00Z";
const history: SaleLine[] = Array.from({ length: 7 * 8 }, (_, i) => ({
  sku: "A",
  units: 1,
  weightGrams: 500,
  ...SEATTLE,
  placedAt: new Date(Date.parse("2026-03-03T00:00:00Z") + i * 3 * 3_600_000).toISOString(), // 8 a day for a week
}));

const boiseOrder = (sku: string): RoutingInput => ({
  order: { id: "o-1", lines: [{ lineId: "l-1", sku, quantity: 1, weightGrams: 500 }], destination: BOISE, placedAt: "2026-03-10T15:00:00Z", promisedBy: null },
  locations,
  rateTable: defaultRateTable(),
  rules: defaultRules(),
});

describe("planStockPrices", () => {
  const plan = planStockPrices({ sales: history, orders: history.length, locations, rateTable: defaultRateTable(), asOf, horizonDays: 7 });

  it("prices stock that the forecast needs more than the network holds cheaply, and only that", () => {
    expect(plan.prices.seattle.A).toBeGreaterThan(0); // ~56 units of Seattle demand, 10 units in Seattle
    expect(plan.prices.dallas).toBeUndefined(); // plenty: worth nothing extra
    expect(plan.prices.seattle.B).toBeUndefined(); // nobody is forecast to buy B
    expect(plan.stats).toMatchObject({ salesLines: 56, skusForecast: 1, regions: 1, pricedEntries: 1, horizonDays: 7 });
    expect(plan.stats.forecastUnits).toBeCloseTo(56, 0);
  });

  it("keeps the scarce cheap stock for the region that needs it: Boise ships from Dallas instead", () => {
    expect(route(boiseOrder("A")).shipments.map((s) => s.locationId)).toEqual(["seattle"]);
    const priced = route({ ...boiseOrder("A"), stockShadowPriceMinor: plan.prices });
    expect(priced.shipments.map((s) => s.locationId)).toEqual(["dallas"]);
    expect(priced.explanation.stockValue).toMatchObject({ changedChoice: true, chosenMinor: 0 });
    // Stock nobody is short of is untouched.
    expect(route({ ...boiseOrder("B"), stockShadowPriceMinor: plan.prices }).shipments.map((s) => s.locationId)).toEqual(["seattle"]);
  });

  it("prices nothing without history", () => {
    expect(planStockPrices({ sales: [], orders: 0, locations, rateTable: defaultRateTable(), asOf }).prices).toEqual({});
  });
});

describe("stockPricesFresh", () => {
  it("uses prices up to two days old, not older", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    expect(stockPricesFresh("2026-03-09T12:00:00Z", now)).toBe(true);
    expect(stockPricesFresh(new Date(now.getTime() - STOCK_PRICES_STALE_AFTER_MS), now)).toBe(true);
    expect(stockPricesFresh(new Date(now.getTime() - STOCK_PRICES_STALE_AFTER_MS - 1), now)).toBe(false);
    expect(stockPricesFresh("not a date", now)).toBe(false);
  });
});
