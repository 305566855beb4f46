import { describe, expect, it } from "vitest";
import { route } from "./route";
import { RouteMemo } from "./route-memo";
import { randomSmallInstance } from "./test-instances";
import type { RoutingInput } from "./types";

// The batch intake routes many orders with one RouteMemo (ADR 0032): a decision must be the one route() gives without it.

/** The same order again with other stock and capacity at each location (new location objects: a memo hit). */
function restocked(input: RoutingInput, seed: number): RoutingInput {
  return {
    ...input,
    locations: input.locations.map((l, i) => ({
      ...l,
      stock: Object.fromEntries(Object.entries(l.stock).map(([sku, n], k) => [sku, (n + seed + i + k) % 4])),
      remainingCapacity: (seed + i) % 3,
    })),
  };
}

/** Another order to the same place: placed later, with another promise, heavier (memo entries that must not be reused). */
function laterOrder(input: RoutingInput, seed: number): RoutingInput {
  const placed = new Date(Date.parse(input.order.placedAt) + ((seed % 5) + 1) * 7 * 3_600_000).toISOString();
  const promisedBy = seed % 3 === 0 ? null : new Date(Date.parse(input.order.placedAt) + ((seed % 4) + 1) * 86_400_000).toISOString().slice(0, 10);
  return { ...input, order: { ...input.order, placedAt: placed, promisedBy, lines: input.order.lines.map((l) => ({ ...l, weightGrams: l.weightGrams + 250 })) } };
}

/** The same order from locations with other cut-offs, or other handling charges. */
function otherCutoffs(input: RoutingInput, seed: number): RoutingInput {
  return { ...input, locations: input.locations.map((l, i) => ({ ...l, cutoffHourUtc: (l.cutoffHourUtc + seed + i) % 24 })) };
}
function otherHandling(input: RoutingInput, seed: number): RoutingInput {
  return { ...input, locations: input.locations.map((l, i) => ({ ...l, handlingCostMinor: l.handlingCostMinor + ((seed + i) % 3) * 100 + 50 })) };
}

/** The same order shipped farther north (same longitude). */
function otherPlace(input: RoutingInput): RoutingInput {
  return { ...input, order: { ...input.order, destination: { ...input.order.destination, latitude: input.order.destination.latitude + 6 } } };
}

/** The same order with another promised date (or none). */
function otherPromise(input: RoutingInput, seed: number): RoutingInput {
  const promisedBy = input.order.promisedBy === null ? new Date(Date.parse(input.order.placedAt) + ((seed % 3) + 1) * 86_400_000).toISOString().slice(0, 10) : null;
  return { ...input, order: { ...input.order, promisedBy } };
}

describe("RouteMemo", () => {
  it("changes no decision: random instances routed with one shared memo, each also with other stock, placed later, from locations with other terms", () => {
    const memos = new Map<RoutingInput["rateTable"], RouteMemo>();
    const memoFor = (input: RoutingInput) => {
      let memo = memos.get(input.rateTable);
      if (!memo) memos.set(input.rateTable, (memo = new RouteMemo(input.rateTable)));
      return memo;
    };
    let routed = 0;
    for (let seed = 1; seed <= 800; seed++) {
      const input = randomSmallInstance(seed, 6, 4, 3);
      for (const variant of [input, restocked(input, seed), laterOrder(input, seed), otherCutoffs(input, seed), otherHandling(input, seed), otherPromise(input, seed), otherPlace(input), input]) {
        expect(route(variant, memoFor(variant))).toStrictEqual(route(variant));
        routed += 1;
      }
    }
    expect(routed).toBe(6400);
  });

  it("is used only for the rate table it was made for", () => {
    const input = randomSmallInstance(7, 5, 3, 3);
    const other = new RouteMemo({ ...input.rateTable, zones: [] }); // would exclude every location if it were used
    expect(route(input, other)).toStrictEqual(route(input));
  });
});
