// Reference optimum for the bench's small cells: Held–Karp's exact TSP over shortest-path distances on the
// aisle graph — an independent check of the aisle DP (O(2^n · n²), fine up to a dozen stops).
import { type Geometry, type WarehouseLocation, travelM } from "../../app/domain/warehouse/layout";

export function heldKarpLengthM(g: Geometry, depot: WarehouseLocation, locations: readonly WarehouseLocation[]): number {
  const n = locations.length;
  if (n === 0) return 0;
  const d = (a: WarehouseLocation, b: WarehouseLocation) => travelM(g, a, b);
  const between = locations.map((a) => locations.map((b) => d(a, b)));
  const full = 1 << n;
  // best[mask * n + j]: shortest path from the depot through exactly `mask`, ending at j (j in mask).
  const best = new Float64Array(full * n).fill(Infinity);
  locations.forEach((l, j) => (best[(1 << j) * n + j] = d(depot, l)));
  for (let mask = 1; mask < full; mask++) {
    for (let j = 0; j < n; j++) {
      const here = best[mask * n + j];
      if (!(mask & (1 << j)) || here === Infinity) continue;
      for (let k = 0; k < n; k++) {
        if (mask & (1 << k)) continue;
        const next = (mask | (1 << k)) * n + k;
        const c = here + between[j][k];
        if (c < best[next]) best[next] = c;
      }
    }
  }
  let answer = Infinity;
  locations.forEach((l, j) => (answer = Math.min(answer, best[(full - 1) * n + j] + d(l, depot))));
  return answer;
}
