// What routing takes from a shop's rules alone (the same for every order routed by them): the ranking chain, the
// soft preference bonuses, exclusions, and whether capacity, the promise and a split limit apply. Pure.
import type { RankingRule, RoutingInput } from "./types";

export interface ChainEntry {
  type: RankingRule["type"];
  key: string;
}

/** What the context takes from the shop's rules alone: the same for every order routed by them. */
export interface RuleTerms {
  excludeIds: Set<string>;
  useCapacity: boolean;
  promiseRule: boolean;
  chain: ChainEntry[];
  bonus: { ids: Set<string>; minor: number }[];
  /** Hard preferences (no bonus), in the order of their chain entries. */
  preferSets: Set<string>[];
  isCost: boolean[];
  maxRule: number;
}

export function ruleTerms(rules: RoutingInput["rules"]): RuleTerms {
  const { chain, bonus } = chainOf(rules);
  return {
    excludeIds: new Set(rules.flatMap((r) => (r.type === "exclude_locations" ? r.ids : []))),
    useCapacity: rules.some((r) => r.type === "capacity"),
    promiseRule: rules.some((r) => r.type === "promise_feasible"),
    chain,
    bonus,
    preferSets: rules.flatMap((r) => (r.type === "prefer_locations" && r.bonusMinor === undefined ? [new Set(r.ids)] : [])),
    isCost: chain.map((entry) => entry.type === "lowest_landed_cost"),
    maxRule: rules.reduce((m, r) => (r.type === "max_splits" ? Math.min(m, r.max) : m), Infinity),
  };
}

function chainOf(rules: RoutingInput["rules"]): { chain: ChainEntry[]; bonus: { ids: Set<string>; minor: number }[] } {
  const chain: ChainEntry[] = [];
  const bonus: { ids: Set<string>; minor: number }[] = [];
  const seen = new Map<string, number>();
  for (const rule of rules) {
    if (rule.type === "prefer_locations" && rule.bonusMinor !== undefined) {
      // A preference with a bonus is soft: it lowers the landed cost used for ranking, per unit.
      bonus.push({ ids: new Set(rule.ids), minor: rule.bonusMinor });
      continue;
    }
    if (rule.type !== "prefer_locations" && rule.type !== "lowest_landed_cost" && rule.type !== "fewest_splits" && rule.type !== "closest") continue;
    const n = (seen.get(rule.type) ?? 0) + 1;
    seen.set(rule.type, n);
    chain.push({ type: rule.type, key: n === 1 ? rule.type : `${rule.type}#${n}` });
  }
  // With no ranking rule at all the engine still has to choose: it ranks by landed cost (documented).
  if (chain.length === 0) chain.push({ type: "lowest_landed_cost", key: "lowest_landed_cost" });
  return { chain, bonus };
}
