import { describe, expect, it } from "vitest";
import { forecastDemand, type SaleLine } from "./demand-forecast";

const NEW_YORK = { latitude: 40.71, longitude: -74.0 };
const SEATTLE = { latitude: 47.61, longitude: -122.33 };
const DAY = 86_400_000;
const START = Date.parse("2026-03-02T00:00:00Z");

/** `perDay` units of `sku` to `place`, spread evenly over `days` days from START (one unit per sale). */
function steady(sku: string, place: { latitude: number; longitude: number }, perDay: number, days: number, fromDay = 0): SaleLine[] {
  return Array.from({ length: perDay * days }, (_, i) => ({
    sku,
    units: 1,
    weightGrams: 400,
    ...place,
    placedAt: new Date(START + fromDay * DAY + ((i + 0.5) / perDay) * DAY).toISOString(),
  }));
}

const total = (f: { units: number }[]) => f.reduce((s, x) => s + x.units, 0);
const asOf = (day: number) => new Date(START + day * DAY).toISOString();

describe("forecastDemand", () => {
  it("a steady seller: its daily rate times the days until replenishment, where it sells", () => {
    const { forecast } = forecastDemand(steady("A", NEW_YORK, 10, 4), { asOf: asOf(4), horizonDays: 7, regionPriorUnits: 0 });
    expect(total(forecast)).toBeCloseTo(70, 0);
    expect(forecast).toHaveLength(1);
    expect(forecast[0]).toMatchObject({ sku: "A", weightGrams: 400 });
    expect(forecast[0].destination.latitude).toBeCloseTo(NEW_YORK.latitude, 6);
  });

  it("follows a change of pace faster with a shorter half-life, never past the new rate", () => {
    const sales = [...steady("A", NEW_YORK, 10, 7), ...steady("A", NEW_YORK, 30, 3, 7)]; // 10/day, then 30/day
    const slow = total(forecastDemand(sales, { asOf: asOf(10), horizonDays: 1, halfLifeDays: 30 }).forecast);
    const fast = total(forecastDemand(sales, { asOf: asOf(10), horizonDays: 1, halfLifeDays: 1 }).forecast);
    expect(slow).toBeGreaterThan(10);
    expect(fast).toBeGreaterThan(slow);
    expect(fast).toBeLessThan(30);
  });

  it("splits a SKU's demand over the regions it sells to, each at the centroid of its sales", () => {
    const sales = [...steady("A", NEW_YORK, 30, 2), ...steady("A", SEATTLE, 10, 2)];
    const { forecast, regions } = forecastDemand(sales, { asOf: asOf(2), horizonDays: 2, regionPriorUnits: 0 });
    expect(regions).toBe(2);
    const ny = forecast.find((f) => f.destination.longitude > -80)!;
    const sea = forecast.find((f) => f.destination.longitude < -100)!;
    expect(ny.units).toBeCloseTo(60, 0);
    expect(sea.units).toBeCloseTo(20, 0);
    expect(sea.destination.latitude).toBeCloseTo(SEATTLE.latitude, 9);
    expect(sea.destination.longitude).toBeCloseTo(SEATTLE.longitude, 9);
  });

  it("pulls a rarely seen SKU's regional mix toward the shop's (one sale in Seattle does not mean only Seattle)", () => {
    const sales = [...steady("A", NEW_YORK, 50, 2), ...steady("B", SEATTLE, 1, 1)];
    const own = forecastDemand(sales, { asOf: asOf(2), horizonDays: 2, regionPriorUnits: 0 }).forecast.filter((f) => f.sku === "B");
    const pooled = forecastDemand(sales, { asOf: asOf(2), horizonDays: 2, regionPriorUnits: 20 }).forecast.filter((f) => f.sku === "B");
    expect(own).toHaveLength(1);
    expect(pooled).toHaveLength(2);
    expect(total(pooled)).toBeCloseTo(total(own), 6); // the mix moves, the SKU's total does not
    // Regions are shared objects: one Destination per region for every SKU (the pricer caches by it).
    const a = forecastDemand(sales, { asOf: asOf(2), horizonDays: 2 }).forecast;
    const nyA = a.find((f) => f.sku === "A" && f.destination.longitude > -80)!;
    const nyB = a.find((f) => f.sku === "B" && f.destination.longitude > -80)!;
    expect(nyA.destination).toBe(nyB.destination);
  });

  it("extrapolates from the window actually observed, and ignores sales at or after the forecast time", () => {
    // 5 units in the 6 hours since the shop started selling: 20 a day.
    const sales = steady("A", NEW_YORK, 20, 1).slice(0, 5);
    const from = new Date(START).toISOString();
    const at = new Date(START + DAY / 4).toISOString();
    expect(total(forecastDemand(sales, { asOf: at, horizonDays: 1, observedFrom: from, halfLifeDays: 1000 }).forecast)).toBeCloseTo(20, 0);
    const future = [...sales, { ...sales[0], placedAt: new Date(START + DAY / 2).toISOString(), units: 100 }];
    expect(forecastDemand(future, { asOf: at, horizonDays: 1, observedFrom: from, halfLifeDays: 1000 }).forecast).toEqual(
      forecastDemand(sales, { asOf: at, horizonDays: 1, observedFrom: from, halfLifeDays: 1000 }).forecast,
    );
  });

  it("has nothing to say without history, and reports units per order", () => {
    expect(forecastDemand([], { asOf: asOf(1), horizonDays: 7 })).toMatchObject({ forecast: [], skus: 0 });
    const result = forecastDemand(steady("A", NEW_YORK, 10, 1), { asOf: asOf(1), horizonDays: 7 }, 4);
    expect(result.unitsPerOrder).toBe(2.5);
    expect(result.skus).toBe(1);
  });
});

describe("forecastDemand at a large shop's scale", () => {
  it("reads 300,000 sale lines (more than a spread call takes) in a few seconds at most", () => {
    const skus = Array.from({ length: 2_000 }, (_, i) => `S${i}`);
    const sales: SaleLine[] = Array.from({ length: 300_000 }, (_, i) => ({
      sku: skus[(i * 7919) % skus.length],
      units: 1 + (i % 3),
      weightGrams: 500,
      latitude: 26 + ((i * 13) % 22),
      longitude: -122 + ((i * 29) % 50),
      placedAt: new Date(START + (i / 300_000) * 28 * DAY).toISOString(),
    }));
    const t0 = performance.now();
    const result = forecastDemand(sales, { asOf: asOf(28), horizonDays: 7 });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(result.skus).toBe(2_000);
    expect(total(result.forecast)).toBeCloseTo(result.unitsPerDay * 7, 0);
  });
});
