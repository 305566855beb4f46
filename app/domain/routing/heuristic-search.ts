// Heuristic search for orders too large to enumerate: greedy construction plus local improvement over
// location sets, each set scored with the same optimal in-set assignment as the exact search. The
// baselines' location sets are extra starting points, so the result is never worse than any of them
// (within max_splits). Nothing here is claimed optimal: decisions say method "heuristic".
import { closestPerLineAllocation, fewestSplitsAllocation, myopicAllocation } from "./baselines";
import type { SearchResult } from "./exact-search";
import { comparePlans, scoreAllocation, SubsetEvaluator, type Plan } from "./plan";
import { RankedPlans } from "./ranked-plans";
import type { RoutingContext } from "./routing-context";

/** Upper limit on subsets scored, so an enormous network cannot stall checkout. */
const MAX_EVALUATIONS = 20_000;

export function heuristicSearch(ctx: RoutingContext): SearchResult {
  const n = ctx.locs.length;
  const ranked = new RankedPlans(ctx.topK, true);
  const result: SearchResult = { ranked, subsetsEvaluated: 0, dominated: 0, prunedByBound: 0, prunedByDominance: 0 };
  const inSet = new Uint8Array(n);
  const cache = new Map<string, Plan>();
  const evaluator = new SubsetEvaluator(ctx);

  const evaluate = (set: number[]): Plan => {
    const sorted = [...set].sort((a, b) => a - b);
    const cacheKey = sorted.join(",");
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    for (const j of sorted) inSet[j] = 1;
    evaluator.evaluate(sorted, inSet);
    const plan = evaluator.toPlan();
    for (const j of sorted) inSet[j] = 0;
    result.subsetsEvaluated += 1;
    if (plan.members.length < sorted.length) result.dominated += 1;
    if (plan.members.length > 0) ranked.add(plan);
    cache.set(cacheKey, plan);
    return plan;
  };
  const better = (a: Plan, b: Plan | null) => b === null || comparePlans(a, b) < 0;
  const budgetLeft = () => result.subsetsEvaluated < MAX_EVALUATIONS;

  // Greedy construction: add the location that improves the plan most, until nothing improves it.
  let current: Plan | null = null;
  while ((current?.members.length ?? 0) < ctx.maxSplits && budgetLeft()) {
    const base: number[] = current?.members ?? [];
    let step: Plan | null = null;
    for (let x = 0; x < n; x += 1) {
      if (base.includes(x)) continue;
      const plan = evaluate([...base, x]);
      if (better(plan, step)) step = plan;
    }
    if (step === null || !better(step, current)) break;
    current = step;
  }

  // The baselines' location sets as alternative starting points.
  for (const policy of [closestPerLineAllocation, fewestSplitsAllocation, myopicAllocation]) {
    const members = scoreAllocation(ctx, policy(ctx)).members;
    if (members.length === 0 || members.length > ctx.maxSplits) continue;
    const plan = evaluate(members);
    if (better(plan, current)) current = plan;
  }

  // Local improvement: best move among drop / add / swap, until a local optimum or the budget.
  while (current !== null && budgetLeft()) {
    const set = current.members;
    const outside = Array.from({ length: n }, (_, j) => j).filter((j) => !set.includes(j));
    let next: Plan | null = null;
    const consider = (candidate: number[]) => {
      if (candidate.length === 0 || candidate.length > ctx.maxSplits) return;
      const plan = evaluate(candidate);
      if (better(plan, next)) next = plan;
    };
    for (const x of set) consider(set.filter((j) => j !== x));
    for (const y of outside) consider([...set, y]);
    for (const x of set) for (const y of outside) consider([...set.filter((j) => j !== x), y]);
    if (next === null || !better(next, current)) break;
    current = next;
  }
  return result;
}
