// The one entry for a pick route: which order to walk a pick list in, and how far that is. "optimal" is the
// exact dynamic program where one exists here (one or two blocks) and the 2-opt/Or-opt heuristic otherwise,
// saying which through `exact`; "s_shape" and "largest_gap" are the rules pickers follow without software.
import { largestGapRoute, sShapeRoute } from "./baseline-routes";
import { exactTour } from "./exact-route";
import { heuristicTour } from "./heuristic-route";
import { InvalidPickInputError, type WarehouseLayout, type WarehouseLocation, geometryOf, locationKey, validatePickInput } from "./layout";

export type PickRouteMethod = "optimal" | "s_shape" | "largest_gap";
export type PickRouteAlgorithm = "ratliff_rosenthal_dp" | "roodbergen_de_koster_dp" | "nearest_neighbour_2opt_oropt" | "s_shape" | "largest_gap";

export interface PickStop extends WarehouseLocation {
  /** Position of this pick in the input list. */
  index: number;
}

export interface PickRoute {
  lengthM: number;
  method: PickRouteMethod;
  algorithm: PickRouteAlgorithm;
  /** True only when lengthM is proven minimal (the exact DP). */
  exact: boolean;
  /** Every pick, in visiting order (the depot, start and end, left out). */
  sequence: PickStop[];
}

/** Blocks the exact DP covers (1 = no middle cross aisle, 2 = one). */
export const EXACT_MAX_BLOCKS = 2;

/** Throws InvalidPickInputError on what validatePickInput refuses. */
export function pickRoute(layout: WarehouseLayout, picks: readonly WarehouseLocation[], method: PickRouteMethod = "optimal"): PickRoute {
  const issues = validatePickInput(layout, picks);
  if (issues.length > 0) throw new InvalidPickInputError(issues);
  const g = geometryOf(layout);
  const depotKey = locationKey(layout.depot);
  // Distinct locations other than the depot: several picks at one place are one stop.
  const distinct = new Map<string, WarehouseLocation>();
  for (const p of picks) if (locationKey(p) !== depotKey && !distinct.has(locationKey(p))) distinct.set(locationKey(p), { aisle: p.aisle, yM: p.yM });
  const locations = [...distinct.values()];
  const blocks = g.crossYs.length - 1;

  let found: { lengthM: number; order: WarehouseLocation[] };
  let algorithm: PickRouteAlgorithm;
  if (method === "optimal" && blocks <= EXACT_MAX_BLOCKS) {
    found = exactTour(g, layout.depot, locations);
    algorithm = blocks === 1 ? "ratliff_rosenthal_dp" : "roodbergen_de_koster_dp";
  } else if (method === "optimal") {
    found = heuristicTour(g, layout.depot, locations);
    algorithm = "nearest_neighbour_2opt_oropt";
  } else {
    found = (method === "s_shape" ? sShapeRoute : largestGapRoute)(g, layout.depot, locations);
    algorithm = method;
  }
  return { lengthM: found.lengthM, method, algorithm, exact: algorithm === "ratliff_rosenthal_dp" || algorithm === "roodbergen_de_koster_dp", sequence: sequenceOf(picks, depotKey, found.order) };
}

/** Every input pick in visiting order: picks at the depot first, then each location's picks together. */
function sequenceOf(picks: readonly WarehouseLocation[], depotKey: string, order: readonly WarehouseLocation[]): PickStop[] {
  const atLocation = new Map<string, PickStop[]>();
  picks.forEach((p, index) => {
    const key = locationKey(p);
    atLocation.set(key, [...(atLocation.get(key) ?? []), { aisle: p.aisle, yM: p.yM, index }]);
  });
  return [...(atLocation.get(depotKey) ?? []), ...order.flatMap((l) => atLocation.get(locationKey(l)) ?? [])];
}
