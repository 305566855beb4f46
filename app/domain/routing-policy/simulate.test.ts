import { describe, expect, it } from "vitest";
import { defaultPolicy, type RoutingPolicy } from "./policy";
import { simulatePolicies, startReplay, type SimulationLocation, type SimulationOrder } from "./simulate";

// Hand-made networks: what a merchant comparing a draft against the live policy would look at.

const CITY = {
  newark: { latitude: 40.7357, longitude: -74.1724 },
  dallas: { latitude: 32.7767, longitude: -96.797 },
  chicago: { latitude: 41.8781, longitude: -87.6298 },
  philly: { latitude: 39.9526, longitude: -75.1652 },
};

function location(id: keyof typeof CITY, stock: Record<string, number>, dailyCapacity = 1000): SimulationLocation {
  return { id, name: id, ...CITY[id], stock, dailyCapacity, carrierCutoff: "16:00", timezone: "UTC", handlingCostMinor: 150 };
}

let n = 0;
function order(lines: Record<string, number>, to: keyof typeof CITY, opts: { day?: number; promisedBy?: string | null } = {}): SimulationOrder {
  n += 1;
  // Tuesday 2026-11-17 (+ day), 10:00 UTC plus n seconds: before the cut-off, on a working day.
  const placedAt = new Date(Date.UTC(2026, 10, 17 + (opts.day ?? 0), 10, 0, n)).toISOString();
  return {
    id: `o-${String(n).padStart(4, "0")}`,
    placedAt,
    promisedBy: opts.promisedBy ?? null,
    destination: CITY[to],
    lines: Object.entries(lines).map(([sku, quantity], i) => ({ lineId: `o-${n}-${i}`, sku, quantity, weightGrams: 500 })),
  };
}

const policy = (rules: RoutingPolicy["rules"]): RoutingPolicy => ({ rules, rateTable: defaultPolicy().rateTable });
const load = (summary: { locations: { locationId: string; orders: number; units: number }[] }, id: string) => summary.locations.find((l) => l.locationId === id)!;

describe("simulating a draft routing policy against the current one", () => {
  it("a draft that excludes a location moves that location's load to the others", () => {
    const locations = [location("newark", { A: 100 }), location("dallas", { A: 100 }), location("chicago", { A: 100 })];
    const orders = Array.from({ length: 20 }, (_, i) => order({ A: 1 }, i % 2 === 0 ? "chicago" : "philly"));
    const current = defaultPolicy();
    const draft = { ...current, rules: [{ type: "exclude_locations" as const, ids: ["chicago"] }, ...current.rules] };
    const result = simulatePolicies({ orders, locations, current, draft });

    expect(load(result.current, "chicago").orders).toBe(10); // the Chicago customers ship from Chicago today
    expect(load(result.current, "newark").orders).toBe(10);
    expect(load(result.draft, "chicago")).toMatchObject({ orders: 0, units: 0 });
    expect(load(result.draft, "newark").orders + load(result.draft, "dallas").orders).toBe(20);
    expect(result.ordersRoutedDifferently).toBe(10);
    expect(result.draft.totalLandedCostMinor).toBeGreaterThan(result.current.totalLandedCostMinor); // shipping Chicago from afar costs more
    expect(result.draft.unitsAllocated).toBe(20);
  });

  it("a draft with max_splits 1 ships fewer split orders (and says what it costs in backorders)", () => {
    // A is only in Newark; B is in Dallas, plus a single unit in Newark.
    const locations = [location("newark", { A: 50, B: 1 }), location("dallas", { B: 50 })];
    const orders = Array.from({ length: 6 }, () => order({ A: 1, B: 1 }, "chicago"));
    const current = defaultPolicy();
    const draft = { ...current, rules: current.rules.map((r) => (r.type === "max_splits" ? { type: "max_splits" as const, max: 1 } : r)) };
    const result = simulatePolicies({ orders, locations, current, draft });

    expect(result.current.ordersSplit).toBe(5); // the first order takes Newark's only B
    expect(result.current.averageShipmentsPerOrder).toBeCloseTo(11 / 6, 2);
    expect(result.draft.ordersSplit).toBe(0);
    expect(result.draft.averageShipmentsPerOrder).toBe(1);
    expect(result.current.backorderedUnits).toBe(0);
    expect(result.draft.backorderedUnits).toBe(5);
    expect(result.draft.ordersWithBackorder).toBe(5);
  });

  it("depletes stock in the order the orders were placed, whatever order they arrive in", () => {
    const locations = [location("newark", { A: 3 })];
    const orders = Array.from({ length: 5 }, () => order({ A: 1 }, "philly"));
    const replay = startReplay(locations, defaultPolicy());
    const shipped = [...orders].sort((a, b) => a.placedAt.localeCompare(b.placedAt)).map((o) => replay.routeNext(o).totals.unitsAllocated);
    expect(shipped).toEqual([1, 1, 1, 0, 0]);

    const result = simulatePolicies({ orders: [...orders].reverse(), locations, current: defaultPolicy(), draft: defaultPolicy() });
    expect(result.current).toMatchObject({ orders: 5, ordersShipped: 3, unitsAllocated: 3, backorderedUnits: 2, ordersWithBackorder: 2 });
    expect(result.draft).toEqual(result.current); // each policy starts from the same stock: neither eats the other's
    expect(locations[0].stock.A).toBe(3); // the input is never modified
  });

  it("spills to the next location when the cheapest one runs out, and respects daily capacity", () => {
    const locations = [location("chicago", { A: 2 }, 1000), location("newark", { A: 100 }, 2), location("dallas", { A: 100 })];
    const orders = [...Array.from({ length: 6 }, () => order({ A: 1 }, "chicago")), order({ A: 1 }, "philly", { day: 1 }), order({ A: 1 }, "philly", { day: 1 })];
    const result = simulatePolicies({ orders, locations, current: defaultPolicy(), draft: policy([{ type: "lowest_landed_cost" }]) });
    // current (with the capacity rule): Chicago's 2 units, then Newark up to its 2 a day, then Dallas; next day Newark again
    expect(load(result.current, "chicago").units).toBe(2);
    expect(load(result.current, "newark").orders).toBe(4);
    expect(load(result.current, "dallas").orders).toBe(2);
    // the draft has no capacity rule: Newark takes every order Chicago cannot
    expect(load(result.draft, "newark").orders).toBe(6);
  });

  it("reports on-time against promised dates, or 'no promise' with delivered-within-N-days", () => {
    const locations = [location("newark", { A: 100 }), location("dallas", { A: 1 })];
    // Ground from Newark to Dallas takes 4 working days; tomorrow is only possible by air.
    const promised = [
      order({ A: 1 }, "dallas", { promisedBy: "2026-11-18" }),
      order({ A: 1 }, "dallas", { promisedBy: "2026-11-18" }), // Dallas' only unit is gone: Newark by next-day air
      order({ A: 1 }, "philly", { promisedBy: "2026-11-20" }),
      order({ A: 1 }, "dallas", { promisedBy: "2026-11-17" }), // the same day: nobody can
    ];
    const result = simulatePolicies({ orders: promised, locations, current: defaultPolicy(), draft: policy([{ type: "lowest_landed_cost" }]) });
    expect(result.current.onTime).toEqual({ ordersWithPromise: 4, ordersOnTime: 3, percent: 75 });

    const unpromised = simulatePolicies({ orders: [order({ A: 1 }, "philly"), order({ A: 1 }, "dallas")], locations: [location("newark", { A: 9 })], current: defaultPolicy(), draft: defaultPolicy(), options: { withinDays: 1 } });
    expect(unpromised.current.onTime).toEqual({ ordersWithPromise: 0, ordersOnTime: 0, percent: null });
    expect(unpromised.current.deliveredWithin).toEqual({ days: 1, orders: 1, percent: 50 }); // Philadelphia next day; Dallas by ground, 4 days
  });

  it("500 orders under two policies in well under the 5 s budget", () => {
    const skus = Array.from({ length: 40 }, (_, i) => `S${i}`);
    const stock = () => Object.fromEntries(skus.map((s) => [s, 200]));
    const locations = [location("newark", stock()), location("dallas", stock()), location("chicago", stock()), location("philly", stock())];
    const cities = Object.keys(CITY) as (keyof typeof CITY)[];
    const orders = Array.from({ length: 500 }, (_, i) => order({ [skus[i % 40]]: 1 + (i % 3), [skus[(i * 7) % 40]]: 1, [skus[(i * 13) % 40]]: 2 }, cities[i % 4], { day: Math.floor(i / 100) }));
    const started = performance.now();
    const result = simulatePolicies({ orders, locations, current: defaultPolicy(), draft: policy([{ type: "max_splits", max: 1 }, { type: "fewest_splits" }, { type: "closest" }]) });
    const ms = performance.now() - started;
    expect(result.current.orders).toBe(500);
    expect(result.draft.ordersSplit).toBe(0);
    expect(ms).toBeLessThan(5_000);
  });
});
