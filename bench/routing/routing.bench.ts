// Routing benchmarks: latency of route() on 20-line orders over 10 locations, and landed cost of a
// 10,000-order replay against the myopic per-line and Shopify-default (fewest splits, closest) policies.
// The engine runs as deployed with a forecast: a daily planning job prices scarce stock
// (stockShadowPrices) from a demand forecast with ±30 % per-SKU error. The same engine without any
// forecast is reported too (`…_no_forecast_pct`), so the gain of each part stays visible.
import { fewestSplitsThenClosest, myopicGreedyPerLine } from "../../app/domain/routing/baselines";
import { route } from "../../app/domain/routing/route";
import { createRng } from "../../app/domain/routing/seeded-random";
import { stockShadowPrices } from "../../app/domain/routing/stock-shadow-prices";
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

/** A nightly job: shadow prices from the remaining orders' forecast, each SKU off by a fixed random factor. */
function forecastPlanner(network: Network, seed: number): DailyPlanner {
  const rng = createRng(seed);
  // Log-normal-ish error, σ ≈ 0.3, fixed per SKU (a biased forecast, not fresh noise every day).
  const error = new Map(network.catalog.map((c) => [c.sku, Math.exp(0.6 * (rng.next() + rng.next() + rng.next() - 1.5))]));
  return (locations, ordersLeft) =>
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
  const engine = replay(replayNetwork, orders, route, forecastPlanner(replayNetwork, 29));
  const engineNoForecast = replay(replayNetwork, orders, route);
  const myopic = replay(replayNetwork, orders, myopicGreedyPerLine);
  const fewest = replay(replayNetwork, orders, fewestSplitsThenClosest);
  if (process.env.BENCH_VERBOSE) console.log({ engine, engineNoForecast, myopic, fewest });

  const vs = (value: number, base: number) => ({ value: round(pct(value, base), 2), unit: "%", baseline: 0 });
  return {
    routing_p99_ms: { value: round(engineP99), unit: "ms", baseline: round(fewestP99) },
    routing_cost_vs_myopic_pct: vs(engine.totalMinor, myopic.totalMinor),
    routing_cost_vs_fewest_splits_closest_pct: vs(engine.totalMinor, fewest.totalMinor),
    routing_cost_vs_myopic_no_forecast_pct: vs(engineNoForecast.totalMinor, myopic.totalMinor),
    routing_cost_vs_fewest_splits_closest_no_forecast_pct: vs(engineNoForecast.totalMinor, fewest.totalMinor),
  };
}
