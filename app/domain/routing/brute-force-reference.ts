// Test oracle: enumerates every way to split every line's units over the eligible locations (or leave
// them unallocated) and keeps the lexicographically best score. Written independently of the search
// (only the per-location terms come from costing.ts); usable up to ~4 locations × 4 small lines.
import { cmp, locationTerms, priceShipment, type LocationTerms } from "./costing";
import type { OrderLine, RoutingInput } from "./types";

export interface ReferenceResult {
  score: number[];
  costMinor: number;
  locationIds: string[];
}

export function bruteForceRoute(input: RoutingInput): ReferenceResult {
  const { order, rules } = input;
  const skip = input.options?.skipWeekends ?? true;
  const lines = order.lines.filter((l) => l.quantity > 0);
  const excluded = new Set(rules.flatMap((r) => (r.type === "exclude_locations" ? r.ids : [])));
  const capacity = rules.some((r) => r.type === "capacity");
  const promise = order.promisedBy !== null && rules.some((r) => r.type === "promise_feasible");
  const maxSplits = Math.max(1, rules.reduce((m, r) => (r.type === "max_splits" ? Math.min(m, r.max) : m), Infinity));
  const terms: LocationTerms[] = [];
  for (const loc of [...input.locations].sort((a, b) => cmp(a.id, b.id))) {
    if (excluded.has(loc.id) || (capacity && loc.remainingCapacity <= 0)) continue;
    const t = locationTerms(loc, order, input.rateTable, skip);
    if (t) terms.push(t);
  }
  const ranking = rules.filter((r) => r.type === "lowest_landed_cost" || r.type === "fewest_splits" || r.type === "closest" ||
    (r.type === "prefer_locations" && r.bonusMinor === undefined));
  const chain = ranking.length > 0 ? ranking : [{ type: "lowest_landed_cost" as const }];
  const bonusOf = (id: string) => rules.reduce((s, r) =>
    s + (r.type === "prefer_locations" && r.bonusMinor !== undefined && r.ids.includes(id) ? r.bonusMinor : 0), 0);

  const stock = new Map<string, number[]>();
  for (const line of lines) stock.set(line.sku, terms.map((t) => Math.max(0, Math.floor(t.location.stock[line.sku] ?? 0))));
  const qty: number[][] = lines.map(() => terms.map(() => 0)); // qty[line][loc]
  let best: ReferenceResult = { score: [Infinity], costMinor: 0, locationIds: [] };

  const leaf = () => {
    const used = terms.map((_, j) => j).filter((j) => lines.some((_, i) => qty[i][j] > 0));
    if (used.length > maxSplits) return;
    const units = lines.reduce((s, _, i) => s + qty[i].reduce((a, b) => a + b, 0), 0);
    const total = lines.reduce((s, l) => s + l.quantity, 0);
    const shipments = used.map((j) =>
      priceShipment(terms[j], lines.flatMap((line: OrderLine, i) => (qty[i][j] > 0 ? [{ line, quantity: qty[i][j] }] : []))),
    );
    const cost = shipments.reduce((s, x) => s + x.totalMinor, 0);
    const score = [total - units, promise && used.some((j) => terms[j].meetsPromise === false) ? 1 : 0];
    for (const rule of chain) {
      if (rule.type === "lowest_landed_cost") {
        score.push(cost - used.reduce((s, j) => s + shipments[used.indexOf(j)].units * bonusOf(terms[j].location.id), 0));
      } else if (rule.type === "fewest_splits") score.push(used.length);
      else if (rule.type === "closest") score.push(used.reduce((s, j, k) => s + shipments[k].units * Math.round(terms[j].distanceKm), 0));
      else if (rule.type === "prefer_locations") {
        score.push(used.reduce((s, j, k) => s + (rule.ids.includes(terms[j].location.id) ? 0 : shipments[k].units), 0));
      }
    }
    for (let k = 0; k < score.length; k += 1) {
      if (score[k] === best.score[k]) continue;
      if (score[k] < best.score[k]) best = { score, costMinor: cost, locationIds: used.map((j) => terms[j].location.id) };
      return;
    }
  };

  // Line by line, location by location: how many units of this line this location ships (or none).
  const spread = (i: number, j: number, left: number): void => {
    if (i === lines.length) return leaf();
    if (j === terms.length) return spread(i + 1, 0, lines[i + 1]?.quantity ?? 0); // `left` units backordered
    const avail = stock.get(lines[i].sku)!;
    for (let q = 0; q <= Math.min(left, avail[j]); q += 1) {
      qty[i][j] = q;
      avail[j] -= q;
      spread(i, j + 1, left - q);
      avail[j] += q;
    }
    qty[i][j] = 0;
  };
  if (lines.length === 0) return { score: [0, 0], costMinor: 0, locationIds: [] };
  spread(0, 0, lines[0].quantity);
  return best;
}
