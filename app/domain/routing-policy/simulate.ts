// Replays a shop's recent orders under two routing policies, side by side ("what would this draft have
// done?"). Each policy gets its own copy of the network: orders are routed in placedAt order, each
// decision takes its units out of stock, and every shipment uses one order of its location's daily
// capacity (reset at each UTC midnight). Pure: the caller gathers orders, stock and locations.
import { dayNumber } from "../routing/delivery-date";
import { route } from "../routing/route";
import type { Destination, FulfillmentLocation, OrderLine, RoutingDecision, RoutingOptions } from "../routing/types";
import { cutoffHourUtc, type RoutingPolicy } from "./policy";

/** How many recent orders a simulation replays by default, and at most. */
export const DEFAULT_SIMULATION_ORDERS = 500;
export const MAX_SIMULATION_ORDERS = 5_000;

export interface SimulationOrder {
  id: string;
  /** ISO UTC timestamp. */
  placedAt: string;
  promisedBy: string | null;
  destination: Destination;
  lines: OrderLine[];
}

export interface SimulationLocation {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  /** Units available per SKU at the start of the replay. */
  stock: Record<string, number>;
  /** Orders the location can ship per day. */
  dailyCapacity: number;
  /** Local "HH:MM" carrier cut-off and the location's IANA time zone (converted per replayed day). */
  carrierCutoff: string;
  timezone: string;
  handlingCostMinor: number;
}

export interface SimulationOptions {
  /** Window for "delivered within N days" (calendar days from the day placed). Default 5. */
  withinDays?: number;
  routing?: RoutingOptions;
}

export interface LocationLoadSummary {
  locationId: string;
  name: string;
  /** Shipments (= orders served) from this location. */
  orders: number;
  units: number;
}

/** Both policies' results over the same orders, as the Routing page and the simulate API show them. */
export interface SimulationComparison {
  orders: number;
  current: SimulationSummary;
  draft: SimulationSummary;
  ordersRoutedDifferently: number;
  /** Where each side's policy came from. */
  sources: { current: "active" | "default"; draft: "given" | "saved" };
  elapsedMs: number;
}

export interface SimulationSummary {
  orders: number;
  /** Orders that shipped at least one unit. */
  ordersShipped: number;
  totalLandedCostMinor: number;
  /** Landed cost per order that shipped anything (a fully backordered order costs nothing yet). */
  averageCostPerOrderMinor: number;
  shipments: number;
  /** Orders shipped in two or more packages. */
  ordersSplit: number;
  /** Shipments per order that shipped anything. */
  averageShipmentsPerOrder: number;
  unitsAllocated: number;
  backorderedUnits: number;
  ordersWithBackorder: number;
  /** Orders with a promised date that ship every unit by it; percent is null when no order had a promise. */
  onTime: { ordersWithPromise: number; ordersOnTime: number; percent: number | null };
  /** Orders that ship every unit and arrive within `days` calendar days of the day they were placed. */
  deliveredWithin: { days: number; orders: number; percent: number | null };
  methods: { exact: number; heuristic: number };
  decidedBy: Record<string, number>;
  /** Every location of the network, busiest first. */
  locations: LocationLoadSummary[];
}

export interface SimulationResult {
  current: SimulationSummary;
  draft: SimulationSummary;
  /** Orders that the two policies ship from a different set of locations. */
  ordersRoutedDifferently: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** One policy's replay, one order at a time (so a server can yield between chunks). */
export interface PolicyReplay {
  routeNext(order: SimulationOrder): RoutingDecision;
  summary(): SimulationSummary;
}

export function startReplay(network: SimulationLocation[], policy: RoutingPolicy, options: SimulationOptions = {}): PolicyReplay {
  const withinDays = options.withinDays ?? 5;
  const stock = new Map(network.map((l) => [l.id, new Map(Object.entries(l.stock))]));
  const used = new Map<string, number>();
  const load = new Map(network.map((l) => [l.id, { locationId: l.id, name: l.name, orders: 0, units: 0 }]));
  const cutoffs = new Map<string, number>();
  let day = -1;
  const s: SimulationSummary = {
    orders: 0, ordersShipped: 0, totalLandedCostMinor: 0, averageCostPerOrderMinor: 0, shipments: 0, ordersSplit: 0, averageShipmentsPerOrder: 0,
    unitsAllocated: 0, backorderedUnits: 0, ordersWithBackorder: 0, onTime: { ordersWithPromise: 0, ordersOnTime: 0, percent: null },
    deliveredWithin: { days: withinDays, orders: 0, percent: null }, methods: { exact: 0, heuristic: 0 }, decidedBy: {}, locations: [],
  };

  const cutoffOn = (l: SimulationLocation, orderDay: number) => {
    const key = `${l.id}:${orderDay}`;
    let hour = cutoffs.get(key);
    if (hour === undefined) cutoffs.set(key, (hour = cutoffHourUtc(l.carrierCutoff, l.timezone, new Date((orderDay + 0.5) * 86_400_000))));
    return hour;
  };

  function locationsFor(order: SimulationOrder, orderDay: number): FulfillmentLocation[] {
    const skus = new Set(order.lines.map((line) => line.sku));
    return network.map((l) => {
      const held = stock.get(l.id)!;
      const view: Record<string, number> = {};
      for (const sku of skus) {
        const q = held.get(sku) ?? 0;
        if (q > 0) view[sku] = q;
      }
      return {
        id: l.id, name: l.name, latitude: l.latitude, longitude: l.longitude, stock: view,
        remainingCapacity: Math.max(0, l.dailyCapacity - (used.get(l.id) ?? 0)), cutoffHourUtc: cutoffOn(l, orderDay), handlingCostMinor: l.handlingCostMinor,
      };
    });
  }

  function routeNext(order: SimulationOrder): RoutingDecision {
    const orderDay = dayNumber(order.placedAt);
    if (orderDay !== day) {
      day = orderDay;
      used.clear();
    }
    const decision = route({ order, locations: locationsFor(order, orderDay), rateTable: policy.rateTable, rules: policy.rules, options: options.routing });
    const skuOf = new Map(order.lines.map((line) => [line.lineId, line.sku]));
    for (const [lineId, parts] of Object.entries(decision.allocations)) {
      for (const part of parts) {
        const held = stock.get(part.locationId)!;
        const sku = skuOf.get(lineId)!;
        held.set(sku, (held.get(sku) ?? 0) - part.quantity);
      }
    }
    for (const shipment of decision.shipments) {
      used.set(shipment.locationId, (used.get(shipment.locationId) ?? 0) + 1);
      const row = load.get(shipment.locationId)!;
      row.orders += 1;
      row.units += shipment.units;
    }
    record(order, orderDay, decision);
    return decision;
  }

  function record(order: SimulationOrder, orderDay: number, decision: RoutingDecision) {
    const t = decision.totals;
    s.orders += 1;
    if (t.shipments > 0) s.ordersShipped += 1;
    if (t.shipments > 1) s.ordersSplit += 1;
    s.totalLandedCostMinor += t.totalMinor;
    s.shipments += t.shipments;
    s.unitsAllocated += t.unitsAllocated;
    s.backorderedUnits += t.unitsUnallocated;
    if (t.unitsUnallocated > 0) s.ordersWithBackorder += 1;
    const complete = t.unitsUnallocated === 0 && t.shipments > 0;
    if (order.promisedBy !== null) {
      s.onTime.ordersWithPromise += 1;
      if (complete && t.meetsPromise === true) s.onTime.ordersOnTime += 1;
    }
    if (complete && t.latestDeliveryDate !== null && dayNumber(t.latestDeliveryDate) - orderDay <= withinDays) s.deliveredWithin.orders += 1;
    if (decision.method === "exact" || decision.method === "heuristic") s.methods[decision.method] += 1;
    const by = decision.explanation.decidedBy;
    s.decidedBy[by] = (s.decidedBy[by] ?? 0) + 1;
  }

  function summary(): SimulationSummary {
    return {
      ...s,
      averageCostPerOrderMinor: s.ordersShipped === 0 ? 0 : Math.round(s.totalLandedCostMinor / s.ordersShipped),
      averageShipmentsPerOrder: s.ordersShipped === 0 ? 0 : Math.round((s.shipments / s.ordersShipped) * 100) / 100,
      onTime: { ...s.onTime, percent: percent(s.onTime.ordersOnTime, s.onTime.ordersWithPromise) },
      deliveredWithin: { ...s.deliveredWithin, percent: percent(s.deliveredWithin.orders, s.orders) },
      decidedBy: { ...s.decidedBy },
      locations: [...load.values()].map((l) => ({ ...l })).sort((a, b) => b.orders - a.orders || b.units - a.units || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    };
  }

  return { routeNext, summary };
}

/** Orders in the order they were placed (ties by id), as the replay must see them. */
export function inPlacedOrder(orders: SimulationOrder[]): SimulationOrder[] {
  return [...orders].sort((a, b) => Date.parse(a.placedAt) - Date.parse(b.placedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const shipsFrom = (decision: RoutingDecision) => decision.shipments.map((x) => x.locationId).sort().join(",");

/** Compares two policies step by step: route `order` under both and note whether they differ. */
export function startComparison(network: SimulationLocation[], policies: { current: RoutingPolicy; draft: RoutingPolicy }, options: SimulationOptions = {}) {
  const current = startReplay(network, policies.current, options);
  const draft = startReplay(network, policies.draft, options);
  let differ = 0;
  return {
    routeNext(order: SimulationOrder) {
      if (shipsFrom(current.routeNext(order)) !== shipsFrom(draft.routeNext(order))) differ += 1;
    },
    result(): SimulationResult {
      return { current: current.summary(), draft: draft.summary(), ordersRoutedDifferently: differ };
    },
  };
}

/** The whole replay in one synchronous call (tests, scripts); servers use startComparison in chunks. */
export function simulatePolicies(input: { orders: SimulationOrder[]; locations: SimulationLocation[]; current: RoutingPolicy; draft: RoutingPolicy; options?: SimulationOptions }): SimulationResult {
  const comparison = startComparison(input.locations, { current: input.current, draft: input.draft }, input.options);
  for (const order of inPlacedOrder(input.orders)) comparison.routeNext(order);
  return comparison.result();
}
