// A tour for any number of cross aisles, not guaranteed optimal: shortest paths between every pair of stops on
// the aisle graph (travelM, exact), a nearest-neighbour tour from the depot, then 2-opt and Or-opt moves until
// neither shortens it. Used when no exact DP exists here (three or more blocks) and as a comparison.
import { type Geometry, type WarehouseLocation, travelM } from "./layout";

const EPS = 1e-9;

export function heuristicTour(g: Geometry, depot: WarehouseLocation, locations: readonly WarehouseLocation[]): { lengthM: number; order: WarehouseLocation[] } {
  const nodes = [depot, ...locations];
  const n = nodes.length;
  if (n === 1) return { lengthM: 0, order: [] };
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = travelM(g, nodes[i], nodes[j]);
  const dist = (i: number, j: number) => d[i * n + j];

  // Nearest neighbour from the depot (node 0).
  const tour = [0];
  const left = new Set(Array.from({ length: n - 1 }, (_, i) => i + 1));
  while (left.size > 0) {
    const from = tour[tour.length - 1];
    let best = -1;
    for (const j of left) if (best < 0 || dist(from, j) < dist(from, best)) best = j;
    tour.push(best);
    left.delete(best);
  }

  for (let round = 0; round < 100; round++) if (!twoOpt(tour, dist) && !orOpt(tour, dist)) break;
  let lengthM = 0;
  for (let i = 0; i < n; i++) lengthM += dist(tour[i], tour[(i + 1) % n]);
  return { lengthM, order: tour.slice(1).map((i) => nodes[i]) };
}

/** One pass of 2-opt (reverse tour[i+1..k] when that shortens the tour); whether anything improved. */
function twoOpt(tour: number[], dist: (i: number, j: number) => number): boolean {
  const n = tour.length;
  let improved = false;
  for (let i = 0; i < n - 1; i++) {
    for (let k = i + 2; k < n; k++) {
      const a = tour[i];
      const b = tour[i + 1];
      const c = tour[k];
      const e = tour[(k + 1) % n];
      if (e === a) continue;
      if (dist(a, c) + dist(b, e) < dist(a, b) + dist(c, e) - EPS) {
        for (let x = i + 1, y = k; x < y; x++, y--) [tour[x], tour[y]] = [tour[y], tour[x]];
        improved = true;
      }
    }
  }
  return improved;
}

/** One pass of Or-opt: move a run of 1–3 stops (either way round) to a better place; whether anything improved. */
function orOpt(tour: number[], dist: (i: number, j: number) => number): boolean {
  let improved = false;
  for (let len = 1; len <= 3; len++) {
    for (let i = 1; i + len <= tour.length; i++) {
      const n = tour.length;
      if (len >= n - 1) break;
      const first = tour[i];
      const last = tour[i + len - 1];
      const prev = tour[i - 1];
      const next = tour[(i + len) % n];
      const gain = dist(prev, first) + dist(last, next) - dist(prev, next);
      const rest = [...tour.slice(0, i), ...tour.slice(i + len)];
      let best: { at: number; reversed: boolean; delta: number } | null = null;
      for (let j = 0; j < rest.length; j++) {
        const a = rest[j];
        const b = rest[(j + 1) % rest.length];
        if (j === i - 1) continue; // where it came from
        const forward = dist(a, first) + dist(last, b) - dist(a, b);
        const backward = dist(a, last) + dist(first, b) - dist(a, b);
        const delta = Math.min(forward, backward);
        if (delta < gain - EPS && (!best || delta < best.delta)) best = { at: j, reversed: backward < forward, delta };
      }
      if (best) {
        const run = tour.slice(i, i + len);
        if (best.reversed) run.reverse();
        rest.splice(best.at + 1, 0, ...run);
        tour.splice(0, tour.length, ...rest);
        improved = true;
      }
    }
  }
  return improved;
}
