// Random small routing instances for property tests: stock shortages, zero capacity, exclusions,
// max_splits, promise dates, shared SKUs across lines and random rule chains — all from one seed.
import { createRng, type Rng } from "./seeded-random";
import type { FulfillmentLocation, RankingRule, RateTable, RoutingInput, RoutingRule } from "./types";

export const smallRateTable: RateTable = {
  zones: [
    { zone: 1, maxKm: 400, perPackageMinor: 600, perUnitMinor: 40, perKgPer100KmMinor: 3 },
    { zone: 2, maxKm: 1500, perPackageMinor: 800, perUnitMinor: 60, perKgPer100KmMinor: 2.5 },
    { zone: 3, maxKm: 6000, perPackageMinor: 1100, perUnitMinor: 80, perKgPer100KmMinor: 2 },
  ],
  services: [
    { code: "ground", name: "Ground", transitDays: { 1: 2, 2: 3, 3: 5 }, costMultiplier: 1 },
    { code: "express", name: "Express", transitDays: { 1: 1, 2: 2, 3: 2 }, costMultiplier: 1.8 },
  ],
};

function randomLocation(rng: Rng, id: string, skus: string[]): FulfillmentLocation {
  const stock: Record<string, number> = {};
  for (const sku of skus) if (rng.chance(0.8)) stock[sku] = rng.int(0, 6);
  return {
    id,
    name: `Location ${id}`,
    latitude: 28 + rng.next() * 20,
    longitude: -120 + rng.next() * 45,
    stock,
    remainingCapacity: rng.chance(0.12) ? 0 : rng.int(1, 50),
    cutoffHourUtc: 12 + rng.next() * 10,
    handlingCostMinor: rng.int(50, 600),
    handlingPerUnitMinor: rng.chance(0.5) ? rng.int(0, 60) : undefined,
  };
}

function randomRules(rng: Rng, ids: string[]): RoutingRule[] {
  const rules: RoutingRule[] = [];
  if (rng.chance(0.3)) rules.push({ type: "exclude_locations", ids: [rng.pick(ids)] });
  if (rng.chance(0.5)) rules.push({ type: "capacity" });
  if (rng.chance(0.35)) rules.push({ type: "max_splits", max: rng.int(1, 3) });
  if (rng.chance(0.5)) rules.push({ type: "promise_feasible" });
  const ranking: RankingRule[] = [{ type: "lowest_landed_cost" }];
  if (rng.chance(0.3)) ranking.push({ type: "fewest_splits" });
  if (rng.chance(0.3)) ranking.push({ type: "closest" });
  if (rng.chance(0.2)) ranking.push({ type: "prefer_locations", ids: [rng.pick(ids)] });
  if (rng.chance(0.15)) ranking.push({ type: "prefer_locations", ids: [rng.pick(ids)], bonusMinor: rng.int(10, 300) });
  // Shuffle the ranking chain; with probability 0.6 keep landed cost first (the common configuration).
  for (let i = ranking.length - 1; i > 0; i -= 1) {
    const k = rng.int(0, i);
    [ranking[i], ranking[k]] = [ranking[k], ranking[i]];
  }
  if (rng.chance(0.6)) ranking.sort((a, b) => Number(b.type === "lowest_landed_cost") - Number(a.type === "lowest_landed_cost"));
  return [...rules, ...ranking];
}

/** A random instance with at most `maxLocations` locations and `maxLines` lines of at most `maxQty` units. */
export function randomSmallInstance(seed: number, maxLocations = 4, maxLines = 4, maxQty = 3): RoutingInput {
  const rng = createRng(seed);
  const skus = ["A", "B", "C", "D"].slice(0, rng.int(2, 4));
  const ids = Array.from({ length: rng.int(Math.min(2, maxLocations), maxLocations) }, (_, i) => `loc-${String.fromCharCode(97 + i)}`);
  const day = 20_089 + rng.int(0, 60); // early 2025
  const placedMs = day * 86_400_000 + rng.int(0, 86_399) * 1000;
  const promiseDays = rng.int(0, 6);
  return {
    order: {
      id: `order-${seed}`,
      lines: Array.from({ length: rng.int(1, maxLines) }, (_, i) => ({
        lineId: `line-${i + 1}`,
        sku: rng.pick(skus),
        quantity: rng.int(1, maxQty),
        weightGrams: rng.int(50, 4000),
      })),
      destination: { latitude: 28 + rng.next() * 20, longitude: -120 + rng.next() * 45, countryCode: "US" },
      placedAt: new Date(placedMs).toISOString(),
      promisedBy: rng.chance(0.4) ? null : new Date((day + promiseDays) * 86_400_000).toISOString().slice(0, 10),
    },
    locations: ids.map((id) => randomLocation(rng, id, skus)),
    rateTable: smallRateTable,
    rules: randomRules(rng, ids),
  };
}

/** Hand-made fixtures: a few real places around New York, and a location builder with sane defaults. */
export const places = {
  newYork: { latitude: 40.71, longitude: -74.0 },
  newark: { latitude: 40.73, longitude: -74.17 },
  philadelphia: { latitude: 39.95, longitude: -75.17 },
  boston: { latitude: 42.36, longitude: -71.06 },
  chicago: { latitude: 41.88, longitude: -87.63 },
  losAngeles: { latitude: 34.05, longitude: -118.24 },
} as const;

export function makeLocation(
  id: string,
  at: { latitude: number; longitude: number },
  stock: Record<string, number>,
  overrides: Partial<FulfillmentLocation> = {},
): FulfillmentLocation {
  return {
    id,
    name: id,
    ...at,
    stock,
    remainingCapacity: 100,
    cutoffHourUtc: 20,
    handlingCostMinor: 200,
    handlingPerUnitMinor: 0,
    ...overrides,
  };
}

/** A Wednesday-morning order to New York for the given lines (`[sku, quantity]`, 500 g per unit). */
export function makeInput(
  lines: [sku: string, quantity: number][],
  locations: FulfillmentLocation[],
  rules: RoutingRule[] = [{ type: "capacity" }, { type: "lowest_landed_cost" }],
  promisedBy: string | null = null,
): RoutingInput {
  return {
    order: {
      id: "order-1",
      lines: lines.map(([sku, quantity], i) => ({ lineId: `line-${i + 1}`, sku, quantity, weightGrams: 500 })),
      destination: { ...places.newYork, countryCode: "US" },
      placedAt: "2025-03-05T14:00:00Z",
      promisedBy,
    },
    locations,
    rateTable: smallRateTable,
    rules,
  };
}
