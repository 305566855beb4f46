// Three simple routing policies to measure the engine against. They share the engine's input, output
// and cost model, honour the location filters (exclude_locations, capacity), and ignore the ranking
// chain, max_splits and the promise (their carrier service is still chosen per location as in costing.ts).
import { buildDecision } from "./decision";
import { scoreAllocation, type Allocation } from "./plan";
import { buildContext, type RoutingContext } from "./routing-context";
import { sortSmall } from "./small-sort";
import type { RoutingDecision, RoutingInput } from "./types";

type Policy = (ctx: RoutingContext) => Allocation[];

const remainingStock = (ctx: RoutingContext) => ctx.stock.map((row) => [...row]);
const byDistance = (ctx: RoutingContext) =>
  sortSmall(ctx.locs.map((_, j) => j), (a, b) => ctx.locs[a].distanceKm - ctx.locs[b].distanceKm || a - b);

/** Takes up to `need` units of line `line` from locations in `order`, consuming `stock`. */
function fill(ctx: RoutingContext, stock: number[][], line: number, need: number, order: number[], out: Allocation[]): number {
  const g = ctx.lineGroup[line];
  let left = need;
  for (const loc of order) {
    const take = Math.min(left, stock[loc][g]);
    if (take <= 0) continue;
    stock[loc][g] -= take;
    out.push({ line, loc, qty: take });
    left -= take;
    if (left === 0) break;
  }
  return left;
}

/** Each line from the closest location holding its full quantity; else split from the closest ones. */
export const closestPerLineAllocation: Policy = (ctx) => {
  const stock = remainingStock(ctx);
  const near = byDistance(ctx);
  const out: Allocation[] = [];
  ctx.lines.forEach((line, i) => {
    const g = ctx.lineGroup[i];
    const whole = near.find((j) => stock[j][g] >= line.quantity);
    fill(ctx, stock, i, line.quantity, whole === undefined ? near : [whole], out);
  });
  return out;
};

/** Shopify's default: the fewest locations that cover the order (best coverage), tie → closest. */
export const fewestSplitsAllocation: Policy = (ctx) => {
  const n = ctx.locs.length;
  const covered = (set: number[]) =>
    ctx.groups.reduce((s, g, gi) => s + Math.min(g.demand, set.reduce((t, j) => t + ctx.stock[j][gi], 0)), 0);
  const target = covered(ctx.locs.map((_, j) => j));
  const km = (set: number[]) => set.reduce((s, j) => s + ctx.locs[j].distanceKm, 0);
  let chosen: number[] | null = null;
  // Exact for up to 4 locations; past that, greedy set cover (most new units, tie → closest).
  const combos = function* (k: number, start: number, acc: number[]): Generator<number[]> {
    if (acc.length === k) { yield acc; return; }
    for (let j = start; j < n; j += 1) yield* combos(k, j + 1, [...acc, j]);
  };
  for (let k = 1; k <= Math.min(n, 4) && !chosen; k += 1) {
    for (const set of combos(k, 0, [])) {
      if (covered(set) === target && (!chosen || km(set) < km(chosen))) chosen = set;
    }
  }
  if (!chosen) {
    chosen = [];
    while (covered(chosen) < target) {
      const base = covered(chosen);
      const pick = byDistance(ctx).filter((j) => !chosen!.includes(j))
        .reduce((best, j) => (covered([...chosen!, j]) - base > covered([...chosen!, best]) - base ? j : best));
      chosen.push(pick);
    }
  }
  const stock = remainingStock(ctx);
  const near = byDistance(ctx).filter((j) => chosen!.includes(j));
  const out: Allocation[] = [];
  ctx.lines.forEach((line, i) => fill(ctx, stock, i, line.quantity, near, out));
  return out;
};

/** Each line, on its own, to the location where shipping it alone costs least (shared packages ignored). */
export const myopicAllocation: Policy = (ctx) => {
  const stock = remainingStock(ctx);
  const out: Allocation[] = [];
  const alone = (i: number, j: number, qty: number) => ctx.locs[j].fixedMinor + qty * ctx.unitCost[i][j];
  ctx.lines.forEach((line, i) => {
    const g = ctx.lineGroup[i];
    let need = line.quantity;
    while (need > 0) {
      const holders = ctx.locs.map((_, j) => j).filter((j) => stock[j][g] > 0);
      if (holders.length === 0) break;
      // The cheapest location holding the whole quantity; failing that, the lowest cost per unit moved.
      const whole = holders.filter((j) => stock[j][g] >= need);
      const pick = whole.length > 0
        ? whole.reduce((b, j) => (alone(i, j, need) < alone(i, b, need) ? j : b))
        : holders.reduce((b, j) => (alone(i, j, stock[j][g]) / stock[j][g] < alone(i, b, stock[b][g]) / stock[b][g] ? j : b));
      need = fill(ctx, stock, i, need, [pick], out);
    }
  });
  return out;
};

function runBaseline(input: RoutingInput, strategy: string, policy: Policy): RoutingDecision {
  const ctx = buildContext(input);
  const plan = scoreAllocation(ctx, policy(ctx));
  const counts = { subsetsEvaluated: 0, candidatePlans: 1, dominated: 0, prunedByBound: 0, excludedByRule: {} };
  return buildDecision(ctx, [plan], { method: "baseline", strategy, counts });
}

export function closestWithStockPerLine(input: RoutingInput): RoutingDecision {
  return runBaseline(input, "closestWithStockPerLine", closestPerLineAllocation);
}

export function fewestSplitsThenClosest(input: RoutingInput): RoutingDecision {
  return runBaseline(input, "fewestSplitsThenClosest", fewestSplitsAllocation);
}

export function myopicGreedyPerLine(input: RoutingInput): RoutingDecision {
  return runBaseline(input, "myopicGreedyPerLine", myopicAllocation);
}
