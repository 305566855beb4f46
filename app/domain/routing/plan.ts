// A candidate plan (which location ships how many units of which line) and its score vector,
// plus the optimal assignment of an order's lines inside a fixed set of locations.
import type { RoutingContext } from "./routing-context";
import type { Scratch } from "./scratch";
import { solveTransport } from "./transport";

export interface Allocation {
  line: number;
  loc: number;
  qty: number;
}

export interface Plan {
  /** Locations that ship at least one unit (ascending index = ascending id). */
  members: number[];
  alloc: Allocation[];
  score: number[];
  /** Member ids joined: the final, stable tie-break. */
  key: string;
}

export function compareScores(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

export function comparePlans(a: Plan, b: Plan): number {
  return compareScores(a.score, b.score) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Evaluates location subsets into reusable buffers (the exact search scores hundreds per order and
 * materialises a Plan only for the few that rank). For each SKU, units go to the member with the
 * lexicographically lowest per-unit score, as far as its stock allows. Per-location parts are fixed once
 * a member ships, so for a subset where every member ships this is optimal; a member left idle means a
 * smaller subset gives the same assignment for less (docs/decisions/0003-routing-engine.md).
 */
export class SubsetEvaluator {
  readonly score: Float64Array;
  /** Members that ship at least one unit in the last evaluation. */
  usedCount = 0;
  private size = 0;
  private readonly lineBuf: Int32Array;
  private readonly locBuf: Int32Array;
  private readonly qtyBuf: Int32Array;
  private readonly used: Uint8Array;

  /** `scratch`: the caller's buffers (the exact search's), valid for as long as this evaluator is used. */
  constructor(private readonly ctx: RoutingContext, scratch?: Scratch) {
    const cap = ctx.lines.length * Math.max(1, ctx.locs.length);
    this.score = scratch ? scratch.float64(2 + ctx.chain.length) : new Float64Array(2 + ctx.chain.length);
    this.lineBuf = scratch ? scratch.int32(cap) : new Int32Array(cap);
    this.locBuf = scratch ? scratch.int32(cap) : new Int32Array(cap);
    this.qtyBuf = scratch ? scratch.int32(cap) : new Int32Array(cap);
    this.used = scratch ? scratch.uint8(ctx.locs.length) : new Uint8Array(ctx.locs.length);
  }

  evaluate(members: number[], inSet: Uint8Array): void {
    const { ctx } = this;
    this.size = 0;
    for (let g = 0; g < ctx.groups.length; g += 1) {
      const group = ctx.groups[g];
      if (group.lines.length > 1) {
        this.allocateSharedSku(g, members);
        continue;
      }
      // One line per SKU: filling from the cheapest member up is optimal (linear costs, one commodity).
      const line = group.lines[0];
      const order = ctx.lineOrder[line];
      let need = group.demand;
      for (let k = 0; k < order.length && need > 0; k += 1) {
        const loc = order[k];
        if (!inSet[loc]) continue;
        const take = Math.min(need, ctx.stock[loc][g]);
        if (take > 0) {
          this.push(line, loc, take);
          need -= take;
        }
      }
    }
    this.scoreBuffers(members);
  }

  /** Scores an explicit allocation (used for the baselines' plans). */
  scoreAllocation(alloc: Allocation[]): void {
    this.size = 0;
    for (const a of alloc) this.push(a.line, a.loc, a.qty);
    const members = Array.from({ length: this.ctx.locs.length }, (_, j) => j);
    this.scoreBuffers(members);
  }

  toPlan(): Plan {
    const alloc: Allocation[] = [];
    for (let k = 0; k < this.size; k += 1) alloc.push({ line: this.lineBuf[k], loc: this.locBuf[k], qty: this.qtyBuf[k] });
    const members: number[] = [];
    let key = "";
    for (let j = 0; j < this.used.length; j += 1) {
      if (!this.used[j]) continue;
      const id = this.ctx.locs[j].location.id;
      key = members.length === 0 ? id : `${key}\u0000${id}`;
      members.push(j);
    }
    const score: number[] = [];
    for (let i = 0; i < this.score.length; i += 1) score.push(this.score[i]);
    return { members, alloc, score, key };
  }

  private push(line: number, loc: number, qty: number): void {
    this.lineBuf[this.size] = line;
    this.locBuf[this.size] = loc;
    this.qtyBuf[this.size] = qty;
    this.size += 1;
  }

  private scoreBuffers(members: number[]): void {
    const { ctx, score, used } = this;
    const C = ctx.chain.length;
    const L = ctx.locs.length;
    score.fill(0);
    score[0] = ctx.totalUnits;
    used.fill(0);
    for (let k = 0; k < this.size; k += 1) {
      const qty = this.qtyBuf[k];
      const loc = this.locBuf[k];
      score[0] -= qty;
      used[loc] = 1;
      const base = (this.lineBuf[k] * L + loc) * C;
      for (let c = 0; c < C; c += 1) score[2 + c] += qty * ctx.unitScore[base + c];
    }
    this.usedCount = 0;
    for (const j of members) {
      if (!used[j]) continue;
      this.usedCount += 1;
      if (ctx.miss[j] > score[1]) score[1] = ctx.miss[j];
      for (let c = 0; c < C; c += 1) score[2 + c] += ctx.locScore[j][c];
    }
  }

  /** Lines sharing a SKU compete for its stock: solve that small transportation problem exactly. */
  private allocateSharedSku(g: number, members: number[]): void {
    const { ctx } = this;
    const { lines } = ctx.groups[g];
    const C = ctx.chain.length;
    const L = ctx.locs.length;
    const flows = solveTransport(
      lines.map((i) => ctx.lines[i].quantity),
      members.map((m) => ctx.stock[m][g]),
      (a, b) => Array.from(ctx.unitScore.subarray((lines[a] * L + members[b]) * C, (lines[a] * L + members[b] + 1) * C)),
      C,
    );
    flows.forEach((row, a) => row.forEach((qty, b) => qty > 0 && this.push(lines[a], members[b], qty)));
  }
}

/** The best plan using only `members` (flagged in `inSet`). */
export function evaluateSubset(ctx: RoutingContext, members: number[], inSet: Uint8Array): Plan {
  const evaluator = new SubsetEvaluator(ctx);
  evaluator.evaluate(members, inSet);
  return evaluator.toPlan();
}

/** Scores an explicit allocation: per-unit parts of every unit plus per-location parts of every used location. */
export function scoreAllocation(ctx: RoutingContext, alloc: Allocation[]): Plan {
  const evaluator = new SubsetEvaluator(ctx);
  evaluator.scoreAllocation(alloc);
  return evaluator.toPlan();
}
