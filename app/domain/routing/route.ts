// route(): picks the locations that ship an order, by the shop's rules, and explains why.
import { buildDecision } from "./decision";
import { exactSearch, type SearchResult } from "./exact-search";
import { heuristicSearch } from "./heuristic-search";
import type { RouteMemo } from "./route-memo";
import { buildContext } from "./routing-context";
import type { RoutingDecision, RoutingInput } from "./types";

/**
 * Routes one order: exact branch-and-bound up to the size thresholds, heuristic search beyond. `memo`: shared by the
 * routes of one batch of orders (route-memo.ts) so what does not change between them is computed once; the
 * decision is the same without it.
 */
export function route(input: RoutingInput, memo?: RouteMemo): RoutingDecision {
  const ctx = buildContext(input, memo);
  const exact = ctx.locs.length <= ctx.maxExactLocations && ctx.lines.length <= ctx.maxExactLines;
  const result: SearchResult = exact ? exactSearch(ctx) : heuristicSearch(ctx);
  const { ranked } = result;
  return buildDecision(ctx, ranked.best, {
    method: exact ? "exact" : "heuristic",
    strategy: "engine",
    counts: {
      subsetsEvaluated: result.subsetsEvaluated,
      candidatePlans: ranked.candidatePlans,
      dominated: result.dominated,
      prunedByBound: result.prunedByBound + result.prunedByDominance,
      excludedByRule: ranked.filteredCounts(),
    },
  });
}
