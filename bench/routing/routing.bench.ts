// Routing benchmarks: latency of route() on 20-line orders over 10 locations, and landed cost of a
// 10,000-order replay against the myopic per-line and Shopify-default (fewest splits, closest) policies.
// The engine runs as deployed: the planning job (planStockPrices, the same pure code the production job
// runs) forecasts demand from the replay's own history — only orders already routed — and prices scarce
// stock for the routing that follows. The same engine without any forecast is reported beside it
// (`…_no_forecast_pct`), and, as a separate reference only, with an oracle-ish forecast derived from the
// generator's true demand with ±30 % per-SKU error (`…_oracle_forecast_pct`).
import { fewestSplitsThenClosest, myopicGreedyPerLine } from "../../app/domain/routing/baselines";
import { route } from "../../app/domain/routing/route";
import { createRng } from "../../app/domain/routing/seeded-random";
import { stockShadowPrices } from "../../app/domain/routing/stock-shadow-prices";
import { planStockPrices } from "../../app/domain/planning/stock-price-plan";
import type { SaleLine } from "../../app/domain/planning/demand-forecast";
import type { RoutingDecision, RoutingInput } from "../../app/domain/routing/types";
import { AVERAGE_UNITS_PER_ORDER, forecastDemand, generateNetwork, generateOrders, type Network } from "./generate-network";
import { replay, type DailyPlanner } from "./replay";

type Metrics = Record<string, { value: number; unit: string; baseline: number | null }>;

/**
 * p99 latency over all orders, after one untimed warm-up pass. Shared 2-core machines show bursts of
 * CPU steal from other tenants, so three timed passes run and the median pass's p99 is reported (the
 * baseline gets exactly the same treatment).
 */
function p99Ms(inputs: RoutingInput[], policy: (input: RoutingInput) => RoutingDecision): number {
  for (const input of inputs) policy(input);
  const passes = [0, 1, 2].map(() => {
    const samples = inputs.map((input) => {
      const t0 = performance.now();
      policy(input);
      return performance.now() - t0;
    });
    samples.sort((a, b) => a - b);
    return samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.99) - 1)];
  });
  return passes.sort((a, b) => a - b)[1];
}

/** How often the planning job re-plans (the production worker's PLAN_STOCK_PRICES_EVERY_MS, in hours). */
export const PLAN_EVERY_HOURS = 24;

/** The production planner on the replay's own history: what the job would store at each planning time. */
export function historyPlanner(network: Network): DailyPlanner {
  return (locations, { asOf, startedAt, history, horizonDays }) => {
    const sales: SaleLine[] = history.flatMap((o) =>
      o.lines.map((l) => ({ sku: l.sku, units: l.quantity, weightGrams: l.weightGrams, latitude: o.destination.latitude, longitude: o.destination.longitude, placedAt: o.placedAt })),
    );
    return planStockPrices({ sales, orders: history.length, locations, rateTable: network.rateTable, asOf, observedFrom: startedAt, horizonDays }).prices;
  };
}

/**
 * Reference only — not a production path: shadow prices from the generator's true remaining demand,
 * each SKU off by a fixed random factor (what an outside forecast of ±30 % error would give).
 */
function oracleForecastPlanner(network: Network, seed: number): DailyPlanner {
  const rng = createRng(seed);
  // Log-normal-ish error, σ ≈ 0.3, fixed per SKU (a biased forecast, not fresh noise every day).
  const error = new Map(network.catalog.map((c) => [c.sku, Math.exp(0.6 * (rng.next() + rng.next() + rng.next() - 1.5))]));
  return (locations, { ordersLeft }) =>
    stockShadowPrices({
      locations,
      rateTable: network.rateTable,
      forecast: forecastDemand(network, ordersLeft).map((f) => ({ ...f, units: f.units * (error.get(f.sku) ?? 1) })),
      unitsPerShipment: AVERAGE_UNITS_PER_ORDER,
      unservedCostMinor: 3000,
    });
}

const pct = (value: number, base: number) => ((value - base) / base) * 100;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function run(): Promise<Metrics> {
  // Latency: 2,000 orders of 20 distinct lines over a fresh 10-location network.
  const network = generateNetwork(7, { locationCount: 10 });
  const latencyInputs = generateOrders(network, 2_000, 11, { lines: 20 }).map((order) => ({
    order,
    locations: network.locations,
    rateTable: network.rateTable,
    rules: network.rules,
  }));
  const engineP99 = p99Ms(latencyInputs, route);
  const fewestP99 = p99Ms(latencyInputs, fewestSplitsThenClosest);

  // Cost: the same 10,000-order stream replayed by each policy on its own copy of the network.
  const replayNetwork = generateNetwork(21, { locationCount: 10 });
  const orders = generateOrders(replayNetwork, 10_000, 23);
  const engine = replay(replayNetwork, orders, route, historyPlanner(replayNetwork), PLAN_EVERY_HOURS);
  const engineNoForecast = replay(replayNetwork, orders, route);
  const engineOracle = replay(replayNetwork, orders, route, oracleForecastPlanner(replayNetwork, 29));
  const myopic = replay(replayNetwork, orders, myopicGreedyPerLine);
  const fewest = replay(replayNetwork, orders, fewestSplitsThenClosest);
  if (process.env.BENCH_VERBOSE) console.log({ engine, engineNoForecast, engineOracle, myopic, fewest });

  const vs = (value: number, base: number) => ({ value: round(pct(value, base), 2), unit: "%", baseline: 0 });
  return {
    routing_p99_ms: { value: round(engineP99), unit: "ms", baseline: round(fewestP99) },
    routing_cost_vs_myopic_pct: vs(engine.totalMinor, myopic.totalMinor),
    routing_cost_vs_fewest_splits_closest_pct: vs(engine.totalMinor, fewest.totalMinor),
    routing_cost_vs_myopic_no_forecast_pct: vs(engineNoForecast.totalMinor, myopic.totalMinor),
    routing_cost_vs_fewest_splits_closest_no_forecast_pct: vs(engineNoForecast.totalMinor, fewest.totalMinor),
    routing_cost_vs_myopic_oracle_forecast_pct: vs(engineOracle.totalMinor, myopic.totalMinor),
    routing_cost_vs_fewest_splits_closest_oracle_forecast_pct: vs(engineOracle.totalMinor, fewest.totalMinor),
  };
}
