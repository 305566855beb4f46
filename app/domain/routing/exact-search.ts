// Exact search: location subsets of size 1, 2, … maxSplits, each enumerated depth-first with branch and
// bound. Every subset gets its optimal assignment (plan.ts); a subset whose best assignment leaves a
// member idle is dominated by the smaller subset and is not a candidate. A branch is pruned when
//  - a lexicographic lower bound on every subset in it is worse than the K-th best plan so far, or
//  - some member is provably idle in every subset of it (dominance),
// so the top K candidates are exact. Growing the size layer by layer finds good small plans before
// larger ones are bounded. Per-location parts are non-negative (costs, counts), so bounds grow with size.
import { compareScores, SubsetEvaluator } from "./plan";
import { RankedPlans } from "./ranked-plans";
import type { RoutingContext } from "./routing-context";
import { Scratch } from "./scratch";
import { sortSmall } from "./small-sort";

export interface SearchResult {
  ranked: RankedPlans;
  subsetsEvaluated: number;
  dominated: number;
  prunedByBound: number;
  prunedByDominance: number;
}

/** The search's tables: one search at a time (it is synchronous), so one set of buffers serves every order. */
const scratch = new Scratch();

export function exactSearch(ctx: RoutingContext): SearchResult {
  scratch.reset();
  const n = ctx.locs.length;
  const G = ctx.groups.length;
  const C = ctx.chain.length;
  const ranked = new RankedPlans(ctx.topK, false);
  const result: SearchResult = { ranked, subsetsEvaluated: 0, dominated: 0, prunedByBound: 0, prunedByDominance: 0 };
  const evaluator = new SubsetEvaluator(ctx, scratch);
  const inSet = scratch.uint8(n);
  const members: number[] = [];
  const evaluate = (size: number) => {
    result.subsetsEvaluated += 1;
    evaluator.evaluate(members, inSet);
    if (evaluator.usedCount < size) result.dominated += 1;
    else if (!ranked.kth || compareScores(evaluator.score, ranked.kth.score) <= 0) ranked.add(evaluator.toPlan());
    else ranked.count(evaluator.score);
  };

  // Singletons first: they seed the incumbents and give the search order (best first).
  const S = 2 + C;
  const singleScores = scratch.float64(n * S);
  for (let j = 0; j < n; j += 1) {
    members.push(j);
    inSet[j] = 1;
    evaluate(1);
    inSet[j] = 0;
    members.pop();
    singleScores.set(evaluator.score, j * S);
  }
  const order = sortSmall(ctx.locs.map((_, j) => j), (a, b) => compareSingles(singleScores, S, a, b) || a - b);

  // Flat tables (one allocation each: the search runs per order, allocation is latency).
  // unitMin[j*GC + g*C + c]: the lowest per-unit chain part of location j over the lines of group g.
  const GC = G * C;
  const unitMin = scratch.float64(n * GC, Infinity);
  ctx.groups.forEach((g, gi) => {
    for (const line of g.lines) {
      for (let j = 0; j < n; j += 1) {
        for (let c = 0; c < C; c += 1) {
          const k = j * GC + gi * C + c;
          unitMin[k] = Math.min(unitMin[k], ctx.unitScore[(line * n + j) * C + c]);
        }
      }
    }
  });
  // Suffix tables over the search order: what positions r..n-1 could still contribute.
  const sufStock = scratch.float64((n + 1) * G); // [r*G + g]
  const sufMin = scratch.float64((n + 1) * GC, Infinity); // [r*GC + g*C + c]
  const cheapest = scratch.float64((n + 1) * (n + 1) * C); // [(r*(n+1) + m)*C + c]: Σ of the m smallest location parts in r..
  const missFree = scratch.int32(n + 1); // locations in r.. that meet the promise
  for (let r = n - 1; r >= 0; r -= 1) {
    const x = order[r];
    for (let g = 0; g < G; g += 1) sufStock[r * G + g] = sufStock[(r + 1) * G + g] + ctx.stock[x][g];
    for (let k = 0; k < GC; k += 1) sufMin[r * GC + k] = Math.min(sufMin[(r + 1) * GC + k], unitMin[x * GC + k]);
    missFree[r] = missFree[r + 1] + (ctx.miss[x] === 0 ? 1 : 0);
  }
  // cheapest: per chain entry, the locations by ascending part once; the m smallest in r.. are the first m of
  // them whose place in the search order is r or later (summed in ascending order, as a sort per r would).
  const place = scratch.int32(n);
  for (let r = 0; r < n; r += 1) place[order[r]] = r;
  const byPart = ctx.locs.map((_, j) => j);
  for (let c = 0; c < C; c += 1) {
    sortSmall(byPart, (a, b) => ctx.locScore[a][c] - ctx.locScore[b][c]);
    for (let r = 0; r < n; r += 1) {
      let m = 0;
      for (let k = 0; k < n; k += 1) {
        const x = byPart[k];
        if (place[x] < r) continue;
        cheapest[(r * (n + 1) + m + 1) * C + c] = cheapest[(r * (n + 1) + m) * C + c] + ctx.locScore[x][c];
        m += 1;
      }
    }
  }

  // Dominance: location x ships nothing in any superset of `others` when, for every SKU x holds, the
  // locations of `others` served before x hold the whole demand. Such subsets are never candidates.
  const prefer = preferenceTable(ctx);
  const idleAmong = (x: number, others: number[], extra: number) => {
    for (let g = 0; g < G; g += 1) {
      if (ctx.stock[x][g] === 0) continue;
      let ahead = 0;
      for (const m of others) if (m !== x && prefer[(m * n + x) * G + g]) ahead += ctx.stock[m][g];
      if (extra !== x && extra >= 0 && prefer[(extra * n + x) * G + g]) ahead += ctx.stock[extra][g];
      if (ahead < ctx.groups[g].demand) return false;
    }
    return true;
  };
  const anyIdle = (x: number) => {
    if (idleAmong(x, members, -1)) return true;
    for (const m of members) if (idleAmong(m, members, x)) return true;
    return false;
  };

  // State of the current subset S per depth d: summed stock, per-unit minima, location parts, promise.
  const depth = ctx.maxSplits + 1;
  const stockAt = scratch.float64(depth * G);
  const minAt = scratch.float64(depth * GC, Infinity);
  const locAt = scratch.float64(depth * C);
  const missAt = scratch.float64(depth);

  const bound = new Array<number>(2 + C);
  /** Lower bound, per component, on S ∪ T for every T of exactly `more` locations from order[r..]. */
  const lowerBound = (d: number, r: number, more: number) => {
    bound[0] = ctx.totalUnits;
    bound[1] = Math.max(missAt[d], more > missFree[r] ? 1 : 0);
    for (let c = 0; c < C; c += 1) bound[2 + c] = locAt[d * C + c] + cheapest[(r * (n + 1) + more) * C + c];
    for (let g = 0; g < G; g += 1) {
      const cap = Math.min(ctx.groups[g].demand, stockAt[d * G + g] + sufStock[r * G + g]);
      if (cap === 0) continue;
      bound[0] -= cap;
      for (let c = 0; c < C; c += 1) bound[2 + c] += cap * Math.min(minAt[d * GC + g * C + c], sufMin[r * GC + g * C + c]);
    }
    const kth = ranked.kth;
    return kth !== undefined && compareScores(bound, kth.score) > 0;
  };

  /** All subsets of exactly `size` locations extending the current one (depth `d`) from order[p..]. */
  const visit = (p: number, d: number, size: number): void => {
    for (let q = p; q <= n - (size - d); q += 1) {
      const x = order[q];
      const e = d + 1;
      if (anyIdle(x)) {
        result.prunedByDominance += 1; // some member would idle in every subset of this branch
        continue;
      }
      for (let g = 0; g < G; g += 1) stockAt[e * G + g] = stockAt[d * G + g] + ctx.stock[x][g];
      for (let k = 0; k < GC; k += 1) minAt[e * GC + k] = Math.min(minAt[d * GC + k], unitMin[x * GC + k]);
      for (let c = 0; c < C; c += 1) locAt[e * C + c] = locAt[d * C + c] + ctx.locScore[x][c];
      missAt[e] = Math.max(missAt[d], ctx.miss[x]);
      if (lowerBound(e, q + 1, size - e)) {
        result.prunedByBound += 1;
        continue;
      }
      members.push(x);
      inSet[x] = 1;
      if (e === size) evaluate(size);
      else visit(q + 1, e, size);
      members.pop();
      inSet[x] = 0;
    }
  };
  for (let size = 2; size <= ctx.maxSplits; size += 1) {
    // The bound grows with the size: once no subset of this size can rank, no larger one can.
    if (lowerBound(0, 0, size)) break;
    visit(0, 0, size);
  }
  return result;
}

/** compareScores over the flat singleton scores of locations a and b. */
function compareSingles(scores: Float64Array, S: number, a: number, b: number): number {
  for (let i = 0; i < S; i += 1) {
    const x = scores[a * S + i];
    const y = scores[b * S + i];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * prefer[(a * n + x) * G + g] = 1 when every unit of SKU group g goes to location a before x: a comes
 * first in the line's fill order (strictly better per-unit vector for SKUs shared by several lines, whose
 * assignment breaks ties differently from the id order).
 */
function preferenceTable(ctx: RoutingContext): Uint8Array {
  const n = ctx.locs.length;
  const C = ctx.chain.length;
  const G = ctx.groups.length;
  const rank = scratch.int32(ctx.lines.length * n);
  ctx.lineOrder.forEach((order, i) => order.forEach((j, k) => (rank[i * n + j] = k)));
  const strictlyBefore = (line: number, a: number, x: number) => {
    for (let c = 0; c < C; c += 1) {
      const d = ctx.unitScore[(line * n + a) * C + c] - ctx.unitScore[(line * n + x) * C + c];
      if (d !== 0) return d < 0;
    }
    return false;
  };
  const table = scratch.uint8(n * n * G);
  for (let g = 0; g < G; g += 1) {
    const lines = ctx.groups[g].lines;
    for (let a = 0; a < n; a += 1) {
      for (let x = 0; x < n; x += 1) {
        if (a === x) continue;
        let before = true;
        for (let k = 0; k < lines.length && before; k += 1) {
          before = lines.length === 1 ? rank[lines[k] * n + a] < rank[lines[k] * n + x] : strictlyBefore(lines[k], a, x);
        }
        if (before) table[(a * n + x) * G + g] = 1;
      }
    }
  }
  return table;
}
