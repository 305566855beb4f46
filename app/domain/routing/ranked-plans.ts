// Keeps the K best candidate plans seen by a search (exactly ranked), and counts every candidate by
// its (unallocated, promise missed) class so the explanation can say how many lost to each filter.
import { comparePlans, type Plan } from "./plan";

export class RankedPlans {
  readonly best: Plan[] = [];
  candidatePlans = 0;
  private readonly classCounts = new Map<number, number>(); // key: unallocated * 2 + promise missed
  private readonly seen: Set<string> | null;

  constructor(private readonly k: number, dedupe: boolean) {
    this.seen = dedupe ? new Set() : null;
  }

  get full(): boolean {
    return this.best.length >= this.k;
  }

  /** The K-th best plan: anything provably worse than it can be pruned. */
  get kth(): Plan | undefined {
    return this.full ? this.best[this.k - 1] : undefined;
  }

  /** Adds a candidate (ignored when a plan with the same locations was already seen). */
  add(plan: Plan): void {
    if (this.seen) {
      if (this.seen.has(plan.key)) return;
      this.seen.add(plan.key);
    }
    this.count(plan.score);
    const kth = this.kth;
    if (kth && comparePlans(plan, kth) >= 0) return;
    let i = this.best.length;
    while (i > 0 && comparePlans(plan, this.best[i - 1]) < 0) i -= 1;
    this.best.splice(i, 0, plan);
    if (this.best.length > this.k) this.best.pop();
  }

  /** Counts a candidate that is already known not to rank in the top K. */
  count(score: ArrayLike<number>): void {
    this.candidatePlans += 1;
    const cls = score[0] * 2 + score[1];
    this.classCounts.set(cls, (this.classCounts.get(cls) ?? 0) + 1);
  }

  /** Candidates that lost to the winner on coverage, and (same coverage) on the promise. */
  filteredCounts(): { partial_coverage: number; promise_feasible: number } {
    const winner = this.best[0];
    let partial = 0;
    let promise = 0;
    if (!winner) return { partial_coverage: 0, promise_feasible: 0 };
    for (const [cls, n] of this.classCounts) {
      const u = Math.floor(cls / 2);
      const p = cls % 2;
      if (u > winner.score[0]) partial += n;
      else if (u === winner.score[0] && p > winner.score[1]) promise += n;
    }
    return { partial_coverage: partial, promise_feasible: promise };
  }
}
