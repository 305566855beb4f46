import { describe, expect, it } from "vitest";
import { bruteForceRoute } from "./brute-force-reference";
import { exactSearch } from "./exact-search";
import { comparePlans, evaluateSubset, type Plan } from "./plan";
import { route } from "./route";
import { buildContext } from "./routing-context";
import { randomSmallInstance } from "./test-instances";

const scoreOf = (d: ReturnType<typeof route>) => {
  const top = d.explanation.candidates[0];
  return top ? d.explanation.scoreKeys.map((k) => top.scores[k]) : null;
};

describe("exact search agrees with brute force (every split of every unit over ≤ 4 locations × ≤ 4 lines)", () => {
  // 2,400 seeded instances with shortages, zero capacity, exclusions, max_splits, promise dates,
  // SKUs shared by several lines, and random rule chains; K = 2 so the bound prunes as hard as it can.
  // Shapes: 4 lines of ≤ 2 units, or 3 lines of ≤ 3 units (4 lines of 3 take the oracle seconds each).
  const shapes = [[4, 2], [3, 3], [4, 2], [3, 3]] as const;
  shapes.forEach(([lines, units], batch) => {
    it(`batch ${batch + 1} (${lines} lines × ≤ ${units} units): same optimal score vector, and same cost under landed cost`, () => {
      let compared = 0;
      for (let seed = batch * 600 + 1; seed <= (batch + 1) * 600; seed += 1) {
        const input = { ...randomSmallInstance(seed, 4, lines, units), options: { topK: 2 } };
        const decision = route(input);
        const reference = bruteForceRoute(input);
        expect(decision.method).toBe("exact");
        const score = scoreOf(decision);
        if (score === null) {
          // Nothing allocatable: the reference's best is to allocate nothing either.
          expect(reference.locationIds).toEqual([]);
          continue;
        }
        expect({ seed, score }).toEqual({ seed, score: reference.score });
        const chain = input.rules.filter((r) => ["lowest_landed_cost", "fewest_splits", "closest", "prefer_locations"].includes(r.type));
        const costDecides = chain[0]?.type === "lowest_landed_cost" && !chain.some((r) => r.type === "prefer_locations" && r.bonusMinor !== undefined);
        if (costDecides) {
          expect({ seed, cost: decision.totals.totalMinor }).toEqual({ seed, cost: reference.costMinor });
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(200);
    });
  });
});

describe("branch and bound returns the same top plans as scoring every subset", () => {
  it("on 600 instances of up to 9 locations and 8 lines", () => {
    let pruned = 0;
    for (let seed = 1; seed <= 600; seed += 1) {
      const input = { ...randomSmallInstance(seed, 9, 8, 4), options: { topK: 2 } };
      const ctx = buildContext(input);
      const result = exactSearch(ctx);
      pruned += result.prunedByBound;
      const n = ctx.locs.length;
      const all: Plan[] = [];
      for (let mask = 1; mask < 1 << n; mask += 1) {
        const members = Array.from({ length: n }, (_, j) => j).filter((j) => mask & (1 << j));
        if (members.length > ctx.maxSplits) continue;
        const inSet = new Uint8Array(n);
        members.forEach((j) => (inSet[j] = 1));
        const plan = evaluateSubset(ctx, members, inSet);
        if (plan.members.length === members.length) all.push(plan);
      }
      all.sort(comparePlans);
      const summary = (plans: Plan[]) => plans.map((p) => [p.key, p.score.join(",")]);
      expect({ seed, top: summary(result.ranked.best) }).toEqual({ seed, top: summary(all.slice(0, 2)) });
    }
    expect(pruned).toBeGreaterThan(1000); // the bound did real work
  });
});
