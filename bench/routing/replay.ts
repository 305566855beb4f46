// Replays an order stream through a routing policy over one network: stock depletes with every
// allocation and each location's daily capacity resets at midnight UTC. An optional daily planner
// (run at the start of each day, like a nightly job) can price stock for the day's routing.
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

export type DailyPlanner = (locations: FulfillmentLocation[], ordersLeft: number) => ShadowPrices;

export function replay(
  network: Network,
  orders: RoutingOrder[],
  policy: (input: RoutingInput) => RoutingDecision,
  planner?: DailyPlanner,
): ReplayTotals {
  const dailyCapacity = new Map(network.locations.map((l) => [l.id, l.remainingCapacity]));
  let locations = network.locations;
  let day = "";
  let prices: ShadowPrices | undefined;
  const totals: ReplayTotals = { orders: 0, totalMinor: 0, unitsAllocated: 0, unitsUnallocated: 0, shipments: 0, promisesMissed: 0 };
  orders.forEach((order, n) => {
    if (order.placedAt.slice(0, 10) !== day) {
      day = order.placedAt.slice(0, 10);
      locations = locations.map((l) => ({ ...l, remainingCapacity: dailyCapacity.get(l.id) ?? 0 }));
      prices = planner?.(locations, orders.length - n);
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
