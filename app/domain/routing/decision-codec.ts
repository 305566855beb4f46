import type { CandidateSummary, DecidedBy, LocationExclusionReason, PlanExclusionReason, RoutingDecision, SearchCounts, ShipmentCost, StockValueEffect } from "./types";

// How a RoutingDecision is stored: every reservation writes one, so its size is paid on each order in
// serialising, binding and WAL pages. The plain JSON of a three-line order is ~2.2 KB, most of it
// repeated keys and 25-character ids. This form writes fields by position and each location and line
// id once (~0.6 KB), and reads back a decision equal to the one written. Text that starts with "{" is
// the plain JSON that earlier versions stored, and is still read. See ADR 0004 (third addendum).

const VERSION = 2;

/** Ids mentioned by a decision, each written once; positions stand for them elsewhere. */
class IdTable {
  readonly ids: string[] = [];
  /** A decision names a handful of locations and its order's lines: a scan beats hashing them into a map. */
  at(id: string): number {
    const i = this.ids.indexOf(id);
    return i >= 0 ? i : this.ids.push(id) - 1;
  }
}

const EXCLUDED_BY_RULE_KEYS = ["max_splits", "partial_coverage", "promise_feasible"] as const;

export function encodeDecision(d: RoutingDecision): string {
  const locs = new IdTable();
  const lines = new IdTable();
  const allocations: number[][] = [];
  for (const lineId in d.allocations) {
    const row = [lines.at(lineId)];
    for (const part of d.allocations[lineId]) row.push(locs.at(part.locationId), part.quantity);
    allocations.push(row);
  }
  const unallocated = d.unallocated.map((u) => [lines.at(u.lineId), u.sku, u.quantity]);
  const shipments = d.shipments.map((s) => {
    const shipped: number[] = [];
    for (const l of s.lines) shipped.push(lines.at(l.lineId), l.quantity);
    return [locs.at(s.locationId), s.distanceKm, s.zone, s.service.code, s.service.name, shipped, s.units, s.weightGrams, s.shipDate, s.estimatedDeliveryDate, s.meetsPromise,
      s.handlingMinor, s.perPackageMinor, s.perUnitMinor, s.weightMinor, s.distanceMinor, s.shippingMinor, s.totalMinor];
  });
  const t = d.totals;
  const e = d.explanation;
  const keys = e.scoreKeys;
  const candidates = e.candidates.map((c) => [
    c.rank, c.locationIds.map((id) => locs.at(id)), scoresInKeyOrder(c.scores, keys) ?? c.scores, c.totalMinor, c.unitsAllocated, c.meetsPromise, c.excludedBy ?? null, c.stockValueMinor ?? null,
  ]);
  const excluded: (number | string)[] = [];
  for (const x of e.excludedLocations) excluded.push(locs.at(x.locationId), x.reason);
  const n = e.counts;
  const stockValue = e.stockValue
    ? [e.stockValue.chosenMinor, e.stockValue.changedChoice, e.stockValue.passedOver ? [e.stockValue.passedOver.locationIds.map((id) => locs.at(id)), e.stockValue.passedOver.totalMinor, e.stockValue.passedOver.stockValueMinor] : null]
    : null;
  return JSON.stringify([
    VERSION, d.orderId ?? null, d.method, d.strategy, locs.ids, lines.ids, allocations, unallocated, shipments,
    [t.shipments, t.unitsAllocated, t.unitsUnallocated, t.handlingMinor, t.shippingMinor, t.totalMinor, t.meetsPromise, t.latestDeliveryDate],
    [e.decidedBy, e.summary, keys, excluded, candidates, [n.subsetsEvaluated, n.candidatePlans, n.dominated, n.prunedByBound, EXCLUDED_BY_RULE_KEYS.map((k) => n.excludedByRule[k] ?? null)], e.promiseFallback, stockValue],
  ]);
}

/** The scores as an array when their keys are exactly `keys`, in order (always, from the engine). */
function scoresInKeyOrder(scores: Record<string, number>, keys: string[]): number[] | null {
  const own = Object.keys(scores);
  if (own.length !== keys.length) return null;
  for (let i = 0; i < keys.length; i++) if (own[i] !== keys[i]) return null;
  return keys.map((k) => scores[k]);
}

/** Reads what `encodeDecision` wrote (or the plain JSON of earlier versions); throws on anything else. */
export function decodeDecision(text: string): RoutingDecision {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) {
    if (data && typeof data === "object" && "explanation" in data && "shipments" in data) return data as RoutingDecision;
    throw new Error("Not a stored routing decision");
  }
  if (data[0] !== VERSION) throw new Error(`Unknown routing decision format ${String(data[0])}`);
  const [, orderId, method, strategy, locIds, lineIds, allocations, unallocated, shipments, totals, explanation] = data as Encoded;
  const loc = (i: number) => at(locIds, i, "location");
  const line = (i: number) => at(lineIds, i, "line");

  const decision: RoutingDecision = {
    method,
    strategy,
    allocations: {},
    unallocated: unallocated.map(([l, sku, quantity]) => ({ lineId: line(l), sku, quantity })),
    shipments: shipments.map((s): ShipmentCost => {
      const shipped: ShipmentCost["lines"] = [];
      for (let i = 0; i < s[5].length; i += 2) shipped.push({ lineId: line(s[5][i]), quantity: s[5][i + 1] });
      return {
        locationId: loc(s[0]), distanceKm: s[1], zone: s[2], service: { code: s[3], name: s[4] }, lines: shipped, units: s[6], weightGrams: s[7], shipDate: s[8], estimatedDeliveryDate: s[9], meetsPromise: s[10],
        handlingMinor: s[11], perPackageMinor: s[12], perUnitMinor: s[13], weightMinor: s[14], distanceMinor: s[15], shippingMinor: s[16], totalMinor: s[17],
      };
    }),
    totals: {
      shipments: totals[0], unitsAllocated: totals[1], unitsUnallocated: totals[2], handlingMinor: totals[3], shippingMinor: totals[4], totalMinor: totals[5], meetsPromise: totals[6], latestDeliveryDate: totals[7],
    },
    explanation: decodeExplanation(explanation, loc),
  };
  if (orderId !== null) decision.orderId = orderId;
  for (const row of allocations) {
    const parts: RoutingDecision["allocations"][string] = [];
    for (let i = 1; i < row.length; i += 2) parts.push({ locationId: loc(row[i]), quantity: row[i + 1] });
    decision.allocations[line(row[0])] = parts;
  }
  return decision;
}

function decodeExplanation(e: EncodedExplanation, loc: (i: number) => string): RoutingDecision["explanation"] {
  const [decidedBy, summary, scoreKeys, excluded, candidates, counts, promiseFallback, stockValue] = e;
  const excludedLocations: RoutingDecision["explanation"]["excludedLocations"] = [];
  for (let i = 0; i < excluded.length; i += 2) excludedLocations.push({ locationId: loc(excluded[i] as number), reason: excluded[i + 1] as LocationExclusionReason });
  const excludedByRule: SearchCounts["excludedByRule"] = {};
  EXCLUDED_BY_RULE_KEYS.forEach((k, i) => {
    if (counts[4][i] !== null) excludedByRule[k] = counts[4][i]!;
  });
  const out: RoutingDecision["explanation"] = {
    decidedBy,
    summary,
    scoreKeys,
    excludedLocations,
    candidates: candidates.map(([rank, locations, scores, totalMinor, unitsAllocated, meetsPromise, excludedBy, stockValueMinor]) => {
      const c: CandidateSummary = {
        rank,
        locationIds: locations.map(loc),
        scores: Array.isArray(scores) ? Object.fromEntries(scoreKeys.map((k, i) => [k, scores[i]])) : scores,
        totalMinor,
        unitsAllocated,
        meetsPromise,
      };
      if (excludedBy !== null) c.excludedBy = excludedBy;
      if (stockValueMinor !== null) c.stockValueMinor = stockValueMinor;
      return c;
    }),
    counts: { subsetsEvaluated: counts[0], candidatePlans: counts[1], dominated: counts[2], prunedByBound: counts[3], excludedByRule },
    promiseFallback,
  };
  if (stockValue) {
    const effect: StockValueEffect = { chosenMinor: stockValue[0], changedChoice: stockValue[1] };
    if (stockValue[2]) effect.passedOver = { locationIds: stockValue[2][0].map(loc), totalMinor: stockValue[2][1], stockValueMinor: stockValue[2][2] };
    out.stockValue = effect;
  }
  return out;
}

function at(ids: string[], i: number, what: string): string {
  const id = ids[i];
  if (typeof id !== "string") throw new Error(`Stored routing decision names ${what} #${i}, which it does not list`);
  return id;
}

// The stored shape, position by position (what encodeDecision writes).
type EncodedShipment = [number, number, number, string, string, number[], number, number, string, string, boolean | null, number, number, number, number, number, number, number];
type EncodedCandidate = [number, number[], number[] | Record<string, number>, number, number, boolean | null, PlanExclusionReason | null, number | null];
type EncodedExplanation = [
  DecidedBy, string, string[], (number | string)[], EncodedCandidate[], [number, number, number, number, (number | null)[]], boolean,
  [number, boolean, [number[], number, number] | null] | null,
];
type Encoded = [
  typeof VERSION, string | null, RoutingDecision["method"], string, string[], string[], number[][], [number, string, number][], EncodedShipment[],
  [number, number, number, number, number, number, boolean | null, string | null], EncodedExplanation,
];
