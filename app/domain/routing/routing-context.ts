// Everything the searches need, computed once per order: eligible locations with their shipping terms,
// stock per SKU group, and the score tables derived from the shop's rule chain.
//
// A plan's score is a vector compared lexicographically (lower is better):
//   [unallocated units, promise missed (0/1, only with promise_feasible), ...one entry per ranking rule]
// Each ranking entry is additive: Σ over used locations of a per-location part + Σ over units of a
// per-unit part. That additivity is what makes the per-subset assignment and the bounds exact.
import { cmp, locationTerms, unitLandedMinor, type LocationTerms } from "./costing";
import type { RouteMemo } from "./route-memo";
import { ruleTerms, type ChainEntry } from "./rule-terms";
import { sortSmall } from "./small-sort";
import type { FulfillmentLocation, LocationExclusionReason, OrderLine, RoutingInput } from "./types";

export type { ChainEntry } from "./rule-terms";

export interface SkuGroup {
  sku: string;
  lines: number[];
  demand: number;
}


export interface RoutingContext {
  input: RoutingInput;
  lines: OrderLine[];
  groups: SkuGroup[];
  /** Index into `groups` of each line. */
  lineGroup: number[];
  /** Eligible locations, sorted by id: their index is the stable tie-break. */
  locs: LocationTerms[];
  excluded: { locationId: string; reason: LocationExclusionReason }[];
  /** stock[loc][group], capped at the group's demand. */
  stock: number[][];
  chain: ChainEntry[];
  scoreKeys: string[];
  /** Per-unit chain parts: unitScore[(line * locs + loc) * chain + c]. */
  unitScore: Float64Array;
  /** Per-location chain parts: locScore[loc][c]. */
  locScore: number[][];
  /** 1 when shipping from the location misses the promise and promise_feasible is a rule. */
  miss: number[];
  /** Real landed cost of one unit of a line from a location (no preference bonus). */
  unitCost: number[][];
  /**
   * Stock shadow price of one unit of a line from a location (`input.stockShadowPriceMinor`, rounded),
   * when prices were given and landed cost is a ranking rule; null otherwise (then they change nothing).
   */
  stockValue: number[][] | null;
  /** Per line: location indices by ascending per-unit chain vector, then id. */
  lineOrder: number[][];
  maxSplits: number;
  /** Subsets never formed because of max_splits (they are too large). */
  tooManySplits: number;
  usePromise: boolean;
  totalUnits: number;
  topK: number;
  maxExactLocations: number;
  maxExactLines: number;
}


function holdsAny(location: FulfillmentLocation, groups: SkuGroup[]): boolean {
  for (const g of groups) if ((location.stock[g.sku] ?? 0) >= 1) return true;
  return false;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i += 1) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** `memo`: terms shared by the routes of one batch (route-memo.ts); the context is the same with or without it. */
export function buildContext(input: RoutingInput, memo?: RouteMemo): RoutingContext {
  const { order, rules, rateTable } = input;
  const options = input.options ?? {};
  const skipWeekends = options.skipWeekends ?? true;
  const lines = order.lines.filter((l) => l.quantity > 0);

  const groupIndex = new Map<string, number>();
  const groups: SkuGroup[] = [];
  const lineGroup: number[] = [];
  lines.forEach((line, i) => {
    let g = groupIndex.get(line.sku);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(line.sku, g);
      groups.push({ sku: line.sku, lines: [], demand: 0 });
    }
    lineGroup.push(g);
    groups[g].lines.push(i);
    groups[g].demand += line.quantity;
  });

  const { excludeIds, useCapacity, promiseRule, chain, bonus, preferSets, isCost, maxRule } = memo ? memo.ruleTerms(rules) : ruleTerms(rules);
  const usePromise = order.promisedBy !== null && promiseRule;

  const excluded: RoutingContext["excluded"] = [];
  const locs: LocationTerms[] = [];
  for (const location of sortSmall([...input.locations], (a, b) => cmp(a.id, b.id))) {
    const reject = (reason: LocationExclusionReason) => excluded.push({ locationId: location.id, reason });
    if (excludeIds.has(location.id)) { reject("exclude_locations"); continue; }
    if (useCapacity && location.remainingCapacity <= 0) { reject("capacity"); continue; }
    if (!holdsAny(location, groups)) { reject("no_stock"); continue; }
    const terms = memo && memo.rateTable === rateTable ? memo.locationTerms(location, order, skipWeekends) : locationTerms(location, order, rateTable, skipWeekends);
    if (!terms) { reject("no_service"); continue; }
    locs.push(terms);
  }

  const L = locs.length;
  const C = chain.length;
  const stock = locs.map((t) => groups.map((g) => Math.max(0, Math.min(g.demand, Math.floor(t.location.stock[g.sku] ?? 0)))));
  const unitCost = lines.map((line) => locs.map((t) => unitLandedMinor(t, line.weightGrams)));

  // Per-unit chain parts: landed cost (less any preference bonus) varies by line; the others only by location.
  const perLocation = locs.map((t) => {
    let preferIdx = 0;
    return chain.map((entry) =>
      entry.type === "closest" ? Math.round(t.distanceKm)
        : entry.type === "prefer_locations" ? (preferSets[preferIdx++].has(t.location.id) ? 0 : 1)
          : entry.type === "lowest_landed_cost" ? -bonus.reduce((sum, b) => sum + (b.ids.has(t.location.id) ? b.minor : 0), 0)
            : 0,
    );
  });
  const unitScore = new Float64Array(lines.length * L * C);
  const shadow = input.stockShadowPriceMinor;
  const stockValue = shadow && isCost.some(Boolean) ? lines.map((line) => locs.map((t) => Math.round(shadow[t.location.id]?.[line.sku] ?? 0))) : null;
  for (let i = 0; i < lines.length; i += 1) {
    for (let j = 0; j < L; j += 1) {
      const value = stockValue ? stockValue[i][j] : 0;
      for (let c = 0; c < C; c += 1) {
        unitScore[(i * L + j) * C + c] = perLocation[j][c] + (isCost[c] ? unitCost[i][j] + value : 0);
      }
    }
  }
  const locScore = locs.map((t) =>
    chain.map((entry) => (entry.type === "lowest_landed_cost" ? t.fixedMinor : entry.type === "fewest_splits" ? 1 : 0)),
  );

  const lineOrder = lines.map((_, i) => {
    const idx = locs.map((_, j) => j);
    return sortSmall(idx, (a, b) => {
      for (let c = 0; c < C; c += 1) {
        const d = unitScore[(i * L + a) * C + c] - unitScore[(i * L + b) * C + c];
        if (d !== 0) return d;
      }
      return a - b;
    });
  });

  const maxSplits = Math.max(1, Math.min(L, maxRule));
  let tooManySplits = 0;
  for (let k = maxSplits + 1; k <= L; k += 1) tooManySplits += binomial(L, k);

  return {
    input,
    lines,
    groups,
    lineGroup,
    locs,
    excluded,
    stock,
    chain,
    scoreKeys: ["unallocated_units", "promise_missed", ...chain.map((e) => e.key)],
    unitScore,
    locScore,
    miss: locs.map((t) => (usePromise && t.meetsPromise === false ? 1 : 0)),
    unitCost,
    stockValue,
    lineOrder,
    maxSplits,
    tooManySplits,
    usePromise,
    totalUnits: lines.reduce((s, l) => s + l.quantity, 0),
    topK: Math.max(2, options.topK ?? 3),
    maxExactLocations: options.maxExactLocations ?? 12,
    maxExactLines: options.maxExactLines ?? 30,
  };
}
