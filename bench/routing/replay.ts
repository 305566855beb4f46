// Replays an order stream through a routing policy over one network: stock depletes with every
// allocation and each location's daily capacity resets at midnight UTC. An optional planner (run at the
// start of each day, like the nightly planning job, or every `planEveryHours`) can price stock for the
// routing that follows; it sees only the orders already routed (its history) and the stock left.
import { applyDecision } from "../../app/domain/routing/apply-decision";
import type { ShadowPrices } from "../../app/domain/routing/stock-shadow-prices";
import type { FulfillmentLocation, RoutingDecision, RoutingInput, RoutingOrder } from "../../app/domain/routing/types";
import type { Network } from "./generate-network";

export interface ReplayTotals {
  orders: number;
  totalMinor: number;
  unitsAllocated: number;
  unitsUnallocated: number;
  shipments: number;
  promisesMissed: number;
}

export interface PlanningMoment {
  /** When the planner runs (ISO): the start of a replay day, or of a re-planning slot within it. */
  asOf: string;
  /** Start of the replay (ISO midnight of the first order's day): where the history begins. */
  startedAt: string;
  /** Orders already routed, oldest first. */
  history: RoutingOrder[];
  /** Days until the replay ends (the next replenishment: stock is never topped up during a replay). */
  horizonDays: number;
  /** Orders still to come (only an oracle would know this). */
  ordersLeft: number;
}

export type DailyPlanner = (locations: FulfillmentLocation[], moment: PlanningMoment) => ShadowPrices;

const DAY_MS = 86_400_000;

export function replay(
  network: Network,
  orders: RoutingOrder[],
  policy: (input: RoutingInput) => RoutingDecision,
  planner?: DailyPlanner,
  planEveryHours = 24,
): ReplayTotals {
  const dailyCapacity = new Map(network.locations.map((l) => [l.id, l.remainingCapacity]));
  let locations = network.locations;
  let day = "";
  let slot = -1;
  let prices: ShadowPrices | undefined;
  const firstDay = orders.length > 0 ? Math.floor(Date.parse(orders[0].placedAt) / DAY_MS) : 0;
  const endMs = orders.length > 0 ? (Math.floor(Date.parse(orders[orders.length - 1].placedAt) / DAY_MS) + 1) * DAY_MS : 0;
  const slotMs = planEveryHours * 3_600_000;
  const totals: ReplayTotals = { orders: 0, totalMinor: 0, unitsAllocated: 0, unitsUnallocated: 0, shipments: 0, promisesMissed: 0 };
  orders.forEach((order, n) => {
    if (order.placedAt.slice(0, 10) !== day) {
      day = order.placedAt.slice(0, 10);
      locations = locations.map((l) => ({ ...l, remainingCapacity: dailyCapacity.get(l.id) ?? 0 }));
    }
    const placedMs = Date.parse(order.placedAt);
    const orderSlot = Math.floor((placedMs - firstDay * DAY_MS) / slotMs);
    if (planner && orderSlot !== slot) {
      slot = orderSlot;
      const asOfMs = firstDay * DAY_MS + orderSlot * slotMs;
      prices = planner(locations, {
        asOf: new Date(asOfMs).toISOString(),
        startedAt: new Date(firstDay * DAY_MS).toISOString(),
        history: orders.slice(0, n),
        horizonDays: (endMs - asOfMs) / DAY_MS,
        ordersLeft: orders.length - n,
      });
    }
    const decision = policy({ order, locations, rateTable: network.rateTable, rules: network.rules, stockShadowPriceMinor: prices });
    totals.orders += 1;
    totals.totalMinor += decision.totals.totalMinor;
    totals.unitsAllocated += decision.totals.unitsAllocated;
    totals.unitsUnallocated += decision.totals.unitsUnallocated;
    totals.shipments += decision.totals.shipments;
    if (decision.totals.meetsPromise === false) totals.promisesMissed += 1;
    locations = applyDecision(locations, order, decision);
  });
  return totals;
}
