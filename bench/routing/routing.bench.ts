// Routing benchmarks: latency of route() on 20-line orders over 10 locations, and landed cost of
// 10,000-order replays against the myopic per-line and Shopify-default (fewest splits, closest) policies.
// The engine runs as deployed: the planning job (planStockPrices, the same pure code the production job
// runs) forecasts demand from the replay's own history — only orders already routed — and prices scarce
// stock for the routing that follows. The same engine without any forecast is reported beside it
// (`…_no_forecast_pct`), and, as a separate reference only, with an oracle-ish forecast derived from the
// generator's true demand with ±30 % per-SKU error (`…_oracle_forecast_pct`).
// Every cost figure is the mean, over HELD_OUT_REPLAYS, of each replay's own percentage: replays that no
// calibration saw. Each replay's figure is printed, and the replay calibration did see, for reference only.
import { fewestSplitsThenClosest, myopicGreedyPerLine } from "../../app/domain/routing/baselines";
import { route } from "../../app/domain/routing/route";
import { createRng } from "../../app/domain/routing/seeded-random";
import { stockShadowPrices } from "../../app/domain/routing/stock-shadow-prices";
import { planStockPrices } from "../../app/domain/planning/stock-price-plan";
import type { SaleLine } from "../../app/domain/planning/demand-forecast";
import type { RoutingDecision, RoutingInput } from "../../app/domain/routing/types";
import { AVERAGE_UNITS_PER_ORDER, forecastDemand, generateNetwork, generateOrders, type Network } from "./generate-network";
import { replay, type DailyPlanner } from "./replay";

type Metrics = Record<string, { value: number; unit: string; baseline: number | null; target?: string }>;

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

/**
 * The replays behind the reported cost figures, as [network seed, order seed, oracle-forecast seed]. No
 * calibration has seen them. Calibration used (bench/routing/calibrate-forecast.ts and ADR 0003): 21/23 with
 * forecast seed 29 (the priceScale sweep; this benchmark's only replay until then), 31/33/39 and 41/43/49
 * (calibrate mode, the priceScale sweep), and 51/53, 61/63, 71/73 (its holdout mode, looked at when 1.4 and
 * daily planning were kept). NEVER use these seeds for calibrating or choosing anything — not in
 * calibrate-forecast.ts (it refuses them), not in a one-off script: pick other seeds for that. Chosen before
 * any figure on them was seen.
 */
export const HELD_OUT_REPLAYS: readonly (readonly [network: number, orders: number, oracle: number])[] = [
  [101, 103, 109], [111, 113, 119], [121, 123, 129], [131, 133, 139], [141, 143, 149], [151, 153, 159],
];
/** The replay calibration tuned against (the former headline): its figures are printed for reference only. */
const CALIBRATION_REPLAY = [21, 23, 29] as const;

const pct = (value: number, base: number) => ((value - base) / base) * 100;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

interface ReplayFigures {
  seeds: readonly number[];
  vsMyopic: number;
  vsFewest: number;
  noForecastVsMyopic?: number;
  noForecastVsFewest?: number;
  oracleVsMyopic?: number;
  oracleVsFewest?: number;
}

/** One replay: the engine as deployed and the two baselines (and, unless `referenceOnly`, the two variants). */
function costFigures([networkSeed, orderSeed, oracleSeed]: readonly [number, number, number], referenceOnly = false): ReplayFigures {
  const network = generateNetwork(networkSeed, { locationCount: 10 });
  const orders = generateOrders(network, 10_000, orderSeed);
  const engine = replay(network, orders, route, historyPlanner(network), PLAN_EVERY_HOURS);
  const myopic = replay(network, orders, myopicGreedyPerLine);
  const fewest = replay(network, orders, fewestSplitsThenClosest);
  const figures: ReplayFigures = { seeds: [networkSeed, orderSeed, oracleSeed], vsMyopic: pct(engine.totalMinor, myopic.totalMinor), vsFewest: pct(engine.totalMinor, fewest.totalMinor) };
  if (referenceOnly) return figures;
  const engineNoForecast = replay(network, orders, route);
  const engineOracle = replay(network, orders, route, oracleForecastPlanner(network, oracleSeed));
  if (process.env.BENCH_VERBOSE) console.log({ seeds: figures.seeds, engine, engineNoForecast, engineOracle, myopic, fewest });
  return {
    ...figures,
    noForecastVsMyopic: pct(engineNoForecast.totalMinor, myopic.totalMinor),
    noForecastVsFewest: pct(engineNoForecast.totalMinor, fewest.totalMinor),
    oracleVsMyopic: pct(engineOracle.totalMinor, myopic.totalMinor),
    oracleVsFewest: pct(engineOracle.totalMinor, fewest.totalMinor),
  };
}

const TARGET_VS_MYOPIC = -1;
const TARGET_VS_FEWEST = -5;

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

  // Cost: each held-out 10,000-order stream replayed by each policy on its own copy of its network.
  const f = (x: number | undefined) => `${x! >= 0 ? "+" : "−"}${Math.abs(x!).toFixed(2)} %`.padStart(9);
  console.log("  landed cost vs baselines per replay (network/orders/oracle seeds)   vs myopic  vs fewest-splits-closest   no forecast: vs myopic  vs fewest   oracle ±30 %: vs myopic  vs fewest");
  const heldOut = HELD_OUT_REPLAYS.map((seeds) => {
    const r = costFigures(seeds);
    console.log(`  held out     ${seeds.join("/").padEnd(12)} ${f(r.vsMyopic)} ${f(r.vsFewest)}                  ${f(r.noForecastVsMyopic)} ${f(r.noForecastVsFewest)}               ${f(r.oracleVsMyopic)} ${f(r.oracleVsFewest)}`);
    return r;
  });
  const m = (key: keyof Omit<ReplayFigures, "seeds">) => mean(heldOut.map((r) => r[key] as number));
  console.log(`  held-out mean (${heldOut.length} replays)    ${f(m("vsMyopic"))} ${f(m("vsFewest"))}                  ${f(m("noForecastVsMyopic"))} ${f(m("noForecastVsFewest"))}               ${f(m("oracleVsMyopic"))} ${f(m("oracleVsFewest"))}`);
  const reference = costFigures(CALIBRATION_REPLAY, true);
  console.log(`  reference only, seen by calibration: ${CALIBRATION_REPLAY.join("/")} ${f(reference.vsMyopic)} ${f(reference.vsFewest)}`);
  const verdict = (value: number, target: number) => (value <= target ? "met" : "MISSED");
  const t = (target: number) => `≤ ${target < 0 ? "−" : ""}${Math.abs(target)} %`;
  console.log(`  held-out mean vs myopic ${f(m("vsMyopic")).trim()} (target ${t(TARGET_VS_MYOPIC)}: ${verdict(m("vsMyopic"), TARGET_VS_MYOPIC)}); vs fewest-splits-closest ${f(m("vsFewest")).trim()} (target ${t(TARGET_VS_FEWEST)}: ${verdict(m("vsFewest"), TARGET_VS_FEWEST)})`);

  const vs = (value: number, target?: number) => ({
    value: round(value, 2),
    unit: "%",
    baseline: 0,
    target: `${target === undefined ? "reference" : `${t(target)} (${verdict(value, target)})`}; mean of ${heldOut.length} held-out replays`,
  });
  return {
    routing_p99_ms: { value: round(engineP99), unit: "ms", baseline: round(fewestP99) },
    routing_cost_vs_myopic_pct: vs(m("vsMyopic"), TARGET_VS_MYOPIC),
    routing_cost_vs_fewest_splits_closest_pct: vs(m("vsFewest"), TARGET_VS_FEWEST),
    routing_cost_vs_myopic_no_forecast_pct: vs(m("noForecastVsMyopic")),
    routing_cost_vs_fewest_splits_closest_no_forecast_pct: vs(m("noForecastVsFewest")),
    routing_cost_vs_myopic_oracle_forecast_pct: vs(m("oracleVsMyopic")),
    routing_cost_vs_fewest_splits_closest_oracle_forecast_pct: vs(m("oracleVsFewest")),
  };
}
