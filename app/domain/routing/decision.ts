// Turns ranked plans into the public RoutingDecision: allocations, priced shipments, totals and the
// explanation (top candidates with score vectors, exclusions, counts, and the rule that decided).
import { priceShipment } from "./costing";
import { isoDate } from "./delivery-date";
import { compareScores, type Plan } from "./plan";
import { sortSmall } from "./small-sort";
import type { RoutingContext } from "./routing-context";
import type { CandidateSummary, DecidedBy, RoutingDecision, SearchCounts, ShipmentCost, StockValueEffect } from "./types";

export interface DecisionMeta {
  method: RoutingDecision["method"];
  strategy: string;
  counts: SearchCounts;
}

/** Real landed cost of a plan (no preference bonus). */
export function planCostMinor(ctx: RoutingContext, plan: Plan): number {
  let total = 0;
  for (const j of plan.members) total += ctx.locs[j].fixedMinor;
  for (const a of plan.alloc) total += a.qty * ctx.unitCost[a.line][a.loc];
  return total;
}

/** Stock shadow value of the units a plan takes (0 without prices). */
function planStockValue(ctx: RoutingContext, plan: Plan): number {
  if (!ctx.stockValue) return 0;
  let total = 0;
  for (const a of plan.alloc) total += a.qty * ctx.stockValue[a.line][a.loc];
  return total;
}

/**
 * What the stock prices did: the winner's stock value, and whether a listed plan that passed the same
 * filters would have ranked first with the prices taken out of every landed-cost entry.
 */
function stockValueEffect(ctx: RoutingContext, plans: Plan[], winner: Plan): StockValueEffect | undefined {
  if (!ctx.stockValue || winner.alloc.length === 0) return undefined;
  const costEntries = ctx.chain.map((e, c) => (e.type === "lowest_landed_cost" ? 2 + c : -1)).filter((i) => i >= 0);
  const withoutPrices = (plan: Plan) => {
    const value = planStockValue(ctx, plan);
    const score = [...plan.score];
    for (const i of costEntries) score[i] -= value;
    return score;
  };
  const base = withoutPrices(winner);
  let best: { plan: Plan; score: number[] } | null = null;
  for (const plan of plans) {
    if (plan === winner || plan.alloc.length === 0 || plan.score[0] !== winner.score[0] || plan.score[1] !== winner.score[1]) continue;
    const score = withoutPrices(plan);
    const ahead = compareScores(score, best ? best.score : base) < 0 || (compareScores(score, best ? best.score : base) === 0 && plan.key < (best ? best.plan.key : winner.key));
    if (ahead) best = { plan, score };
  }
  const effect: StockValueEffect = { chosenMinor: planStockValue(ctx, winner), changedChoice: best !== null };
  if (best) effect.passedOver = { locationIds: best.plan.members.map((j) => ctx.locs[j].location.id), totalMinor: planCostMinor(ctx, best.plan), stockValueMinor: planStockValue(ctx, best.plan) };
  return effect;
}

function planMeetsPromise(ctx: RoutingContext, plan: Plan): boolean | null {
  if (ctx.input.order.promisedBy === null || plan.members.length === 0) return null;
  return plan.members.every((j) => ctx.locs[j].meetsPromise === true);
}

function decide(ctx: RoutingContext, plans: Plan[], baseline: boolean): DecidedBy {
  const [winner, runnerUp] = plans;
  if (!winner || winner.alloc.length === 0) return "no_candidate";
  if (baseline) return "baseline";
  if (!runnerUp || runnerUp.score[0] !== winner.score[0] || runnerUp.score[1] !== winner.score[1]) return "only_candidate";
  for (let c = 0; c < ctx.chain.length; c += 1) {
    if (runnerUp.score[2 + c] !== winner.score[2 + c]) return ctx.chain[c].type;
  }
  return "tie_break";
}

const money = (minor: number) => (minor / 100).toFixed(2);
const names = (ctx: RoutingContext, plan: Plan) => plan.members.map((j) => ctx.locs[j].location.name).join(" + ");

function summarize(ctx: RoutingContext, plans: Plan[], decidedBy: DecidedBy, meta: DecisionMeta, promiseFallback: boolean, stock: StockValueEffect | undefined): string {
  const [winner, runnerUp] = plans;
  if (decidedBy === "no_candidate") return "No eligible location holds any of the ordered stock: everything is backordered.";
  const head = `${meta.strategy === "engine" ? `${meta.method} search` : meta.strategy}: ship from ${names(ctx, winner)} ` +
    `(${winner.members.length} shipment(s), landed cost ${money(planCostMinor(ctx, winner))})`;
  const kept = stock?.passedOver
    ? `; scarce stock kept for forecast demand: ${stock.passedOver.locationIds.map((id) => ctx.locs.find((t) => t.location.id === id)?.location.name ?? id).join(" + ")} ` +
      `would cost ${money(stock.passedOver.totalMinor)} but uses stock valued at ${money(stock.passedOver.stockValueMinor)}`
    : "";
  const fallback = (promiseFallback ? "; no plan meets the promised date, so the promise was set aside" : "") + kept;
  if (decidedBy === "baseline" || decidedBy === "only_candidate") return `${head}${fallback}; ${decidedBy.replace("_", " ")}.`;
  const c = ctx.chain.findIndex((e) => e.type === decidedBy);
  const versus = c >= 0 ? ` (${ctx.chain[c].key} ${winner.score[2 + c]} vs ${runnerUp.score[2 + c]})` : "";
  return `${head}${fallback}; ${decidedBy} decided against ${names(ctx, runnerUp)}${versus}.`;
}

function summarizeCandidate(ctx: RoutingContext, plan: Plan, rank: number, winner: Plan): CandidateSummary {
  const scores: Record<string, number> = {};
  ctx.scoreKeys.forEach((k, i) => (scores[k] = plan.score[i]));
  const summary: CandidateSummary = {
    rank,
    locationIds: plan.members.map((j) => ctx.locs[j].location.id),
    scores,
    totalMinor: planCostMinor(ctx, plan),
    unitsAllocated: ctx.totalUnits - plan.score[0],
    meetsPromise: planMeetsPromise(ctx, plan),
  };
  if (ctx.stockValue) summary.stockValueMinor = planStockValue(ctx, plan);
  if (plan.score[0] > winner.score[0]) summary.excludedBy = "partial_coverage";
  else if (plan.score[1] > winner.score[1]) summary.excludedBy = "promise_feasible";
  return summary;
}

export function buildDecision(ctx: RoutingContext, plans: Plan[], meta: DecisionMeta): RoutingDecision {
  const { order } = ctx.input;
  const winner: Plan = plans[0] ?? { members: [], alloc: [], score: [ctx.totalUnits, 0], key: "" };
  // Keyed by line ids, new with every order: a dictionary from the start (V8 would otherwise grow a chain of hidden
  // classes, one per line id ever seen).
  const allocations: RoutingDecision["allocations"] = Object.create(null);
  for (const line of order.lines) allocations[line.lineId] = [];
  const allocated = new Array<number>(ctx.lines.length).fill(0);
  const sorted = sortSmall([...winner.alloc], (a, b) => a.line - b.line || a.loc - b.loc);
  for (const a of sorted) {
    allocated[a.line] += a.qty;
    allocations[ctx.lines[a.line].lineId].push({ locationId: ctx.locs[a.loc].location.id, quantity: a.qty });
  }
  const unallocated: RoutingDecision["unallocated"] = [];
  ctx.lines.forEach((line, i) => {
    if (line.quantity > allocated[i]) unallocated.push({ lineId: line.lineId, sku: line.sku, quantity: line.quantity - allocated[i] });
  });
  const shipments: ShipmentCost[] = winner.members.map((j) =>
    priceShipment(ctx.locs[j], sorted.filter((a) => a.loc === j).map((a) => ({ line: ctx.lines[a.line], quantity: a.qty }))),
  );

  const baseline = meta.method === "baseline";
  const decidedBy = decide(ctx, plans, baseline);
  const promiseFallback = ctx.usePromise && winner.members.length > 0 && winner.score[1] === 1;
  const stock = baseline ? undefined : stockValueEffect(ctx, plans, winner);
  const latest = winner.members.reduce((d, j) => Math.max(d, ctx.locs[j].deliveryDay), -Infinity);
  const handlingMinor = shipments.reduce((s, x) => s + x.handlingMinor, 0);
  const shippingMinor = shipments.reduce((s, x) => s + x.shippingMinor, 0);
  const counts: SearchCounts = { ...meta.counts, excludedByRule: { ...meta.counts.excludedByRule } };
  if (ctx.tooManySplits > 0 && !baseline) counts.excludedByRule.max_splits = ctx.tooManySplits;

  return {
    orderId: order.id,
    method: meta.method,
    strategy: meta.strategy,
    allocations,
    unallocated,
    shipments,
    totals: {
      shipments: shipments.length,
      unitsAllocated: allocated.reduce((s, q) => s + q, 0),
      unitsUnallocated: unallocated.reduce((s, u) => s + u.quantity, 0),
      handlingMinor,
      shippingMinor,
      totalMinor: handlingMinor + shippingMinor,
      meetsPromise: planMeetsPromise(ctx, winner),
      latestDeliveryDate: Number.isFinite(latest) ? isoDate(latest) : null,
    },
    explanation: {
      decidedBy,
      summary: summarize(ctx, plans, decidedBy, meta, promiseFallback, stock),
      scoreKeys: ctx.scoreKeys,
      excludedLocations: ctx.excluded,
      candidates: plans.filter((p) => p.alloc.length > 0).map((p, i) => summarizeCandidate(ctx, p, i + 1, winner)),
      counts,
      promiseFallback,
      ...(stock ? { stockValue: stock } : {}),
    },
  };
}
