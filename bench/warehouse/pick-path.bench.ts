// Pick paths (ADR 0025) on Henn & Wäscher-style layouts: 10 or 30 aisles of 45 bins per side (47 m long,
// 5 m apart, picks at bin centres), the depot at the front of the leftmost aisle, one block or two (a middle
// cross aisle between bins 23 and 24). Per cell (aisles × blocks × picks) PICKPATH_LISTS random pick lists
// (default 1,000), each routed by the exact DP, the 2-opt/Or-opt heuristic, S-shape and largest gap.
// - The exact DP against Held–Karp (exact TSP on the same shortest-path distances) on the small cells.
// - The heuristic's and the baselines' extra distance over the DP.
// - p99 time of one optimal route (pickRoute "optimal"), after an untimed warm-up.
import { exactTour } from "../../app/domain/warehouse/exact-route";
import { heuristicTour } from "../../app/domain/warehouse/heuristic-route";
import { type WarehouseLayout, type WarehouseLocation, geometryOf } from "../../app/domain/warehouse/layout";
import { pickRoute } from "../../app/domain/warehouse/pick-route";
import { createRng } from "../../app/domain/routing/seeded-random";
import { heldKarpLengthM } from "./held-karp";

type Metrics = Record<string, { value: number; unit: string; baseline: number | null; target?: string; note?: string }>;

const LISTS = Number(process.env.PICKPATH_LISTS ?? 1000);
const BINS = 45;
const LENGTH = 47;
const BIN = LENGTH / BINS;
const PICK_COUNTS = [5, 10, 20, 30, 45, 60];
const SMALL = [5, 8]; // cells also checked against Held–Karp

function layoutOf(aisles: number, blocks: 1 | 2): WarehouseLayout {
  return { aisles, aisleLengthM: LENGTH, aisleSpacingM: 5, crossAislesAtM: blocks === 2 ? [23 * BIN] : [], depot: { aisle: 0, yM: 0 } };
}

/** `count` distinct bins (aisle, side, bin) drawn at random; both sides of an aisle share its centre line. */
function pickList(rng: { next(): number }, aisles: number, count: number): WarehouseLocation[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(rng.next() * aisles * 2 * BINS));
  return [...chosen].map((bin) => ({ aisle: Math.floor(bin / (2 * BINS)), yM: ((bin % BINS) + 0.5) * BIN }));
}

const distinct = (picks: WarehouseLocation[]) => [...new Map(picks.map((p) => [`${p.aisle}:${p.yM}`, p])).values()];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * q) - 1)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (value: number, base: number) => ((value - base) / base) * 100;

export async function run(): Promise<Metrics> {
  const rng = createRng(2501);
  // Warm-up (JIT and the state tables), untimed.
  for (const blocks of [1, 2] as const) for (let i = 0; i < 300; i++) pickRoute(layoutOf(30, blocks), pickList(rng, 30, 30));

  const exactTimes: number[] = [];
  const heuristicTimes: number[] = [];
  const gapHeuristic: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const sShape: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const largestGap: Record<1 | 2, number[]> = { 1: [], 2: [] };
  let worstHeuristic = 0;
  console.log("  aisles blocks picks   DP p99 ms  heur p99 ms  heur gap %  S-shape + %  largest gap + %");
  for (const aisles of [10, 30]) {
    for (const blocks of [1, 2] as const) {
      const layout = layoutOf(aisles, blocks);
      const g = geometryOf(layout);
      for (const count of PICK_COUNTS) {
        const cell = { dp: [] as number[], heur: [] as number[], gap: [] as number[], s: [] as number[], lg: [] as number[] };
        for (let i = 0; i < LISTS; i++) {
          const picks = pickList(rng, aisles, count);
          let t0 = performance.now();
          const optimal = pickRoute(layout, picks, "optimal");
          cell.dp.push(performance.now() - t0);
          t0 = performance.now();
          const heuristic = heuristicTour(g, layout.depot, distinct(picks));
          cell.heur.push(performance.now() - t0);
          cell.gap.push(pct(heuristic.lengthM, optimal.lengthM));
          cell.s.push(pct(pickRoute(layout, picks, "s_shape").lengthM, optimal.lengthM));
          cell.lg.push(pct(pickRoute(layout, picks, "largest_gap").lengthM, optimal.lengthM));
        }
        exactTimes.push(...cell.dp);
        heuristicTimes.push(...cell.heur);
        gapHeuristic[blocks].push(...cell.gap);
        sShape[blocks].push(...cell.s);
        largestGap[blocks].push(...cell.lg);
        worstHeuristic = Math.max(worstHeuristic, ...cell.gap);
        console.log(`  ${String(aisles).padStart(6)} ${String(blocks).padStart(6)} ${String(count).padStart(5)} ${quantile(cell.dp, 0.99).toFixed(3).padStart(11)} ${quantile(cell.heur, 0.99).toFixed(3).padStart(12)} ${mean(cell.gap).toFixed(3).padStart(11)} ${mean(cell.s).toFixed(2).padStart(12)} ${mean(cell.lg).toFixed(2).padStart(16)}`);
      }
    }
  }

  // The exact method against Held–Karp on small cells (same pick lists for the heuristic, for reference).
  let worstExactGap = 0;
  let checked = 0;
  const heuristicOnSmall: number[] = [];
  for (const aisles of [10, 30]) {
    for (const blocks of [1, 2] as const) {
      const layout = layoutOf(aisles, blocks);
      const g = geometryOf(layout);
      for (const count of SMALL) {
        for (let i = 0; i < LISTS; i++) {
          const locations = distinct(pickList(rng, aisles, count));
          const reference = heldKarpLengthM(g, layout.depot, locations);
          worstExactGap = Math.max(worstExactGap, Math.abs(pct(exactTour(g, layout.depot, locations).lengthM, reference)));
          heuristicOnSmall.push(pct(heuristicTour(g, layout.depot, locations).lengthM, reference));
          checked++;
        }
      }
    }
  }
  console.log(`  exact DP vs Held–Karp: ${checked} pick lists of ${SMALL.join(" and ")} picks, largest difference ${worstExactGap.toFixed(6)} %`);

  const all = (r: Record<1 | 2, number[]>) => [...r[1], ...r[2]];
  const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
  return {
    pickpath_gap_vs_optimal_pct: {
      value: round(worstExactGap, 6),
      unit: "%",
      baseline: round(mean(heuristicOnSmall)),
      target: "0.000 (exact)",
      note: `largest |DP − Held–Karp| over ${checked} lists of ${SMALL.join("/")} picks, 10/30 aisles, 1 and 2 blocks; baseline: the 2-opt/Or-opt heuristic's mean gap on the same lists`,
    },
    pickpath_heuristic_gap_vs_optimal_pct: {
      value: round(mean(all(gapHeuristic))),
      unit: "%",
      baseline: null,
      note: `2-opt/Or-opt heuristic vs the exact DP, mean over ${all(gapHeuristic).length} lists of ${PICK_COUNTS.join("/")} picks (one block ${mean(gapHeuristic[1]).toFixed(3)} %, two blocks ${mean(gapHeuristic[2]).toFixed(3)} %, worst single list ${worstHeuristic.toFixed(2)} %)`,
    },
    pickpath_p99_ms: {
      value: round(quantile(exactTimes, 0.99), 4),
      unit: "ms",
      baseline: round(quantile(heuristicTimes, 0.99), 4),
      target: "< 1",
      note: `p99 of one pickRoute("optimal") (exact DP, route and sequence) over ${exactTimes.length} lists, up to 60 picks, 30 aisles, 2 blocks; baseline: the heuristic's p99 on the same lists`,
    },
    pickpath_sshape_excess_pct: { value: round(mean(sShape[1]), 2), unit: "%", baseline: null, note: `S-shape's extra distance over optimal, one block; two blocks (ignoring the middle cross aisle): ${mean(sShape[2]).toFixed(2)} %` },
    pickpath_largest_gap_excess_pct: { value: round(mean(largestGap[1]), 2), unit: "%", baseline: null, note: `largest gap's extra distance over optimal, one block; two blocks (ignoring the middle cross aisle): ${mean(largestGap[2]).toFixed(2)} %` },
  };
}
