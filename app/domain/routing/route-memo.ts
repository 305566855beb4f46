// What the routes of one batch of orders share (ADR 0032): a location's shipping terms to a destination depend only
// on the location's place, cut-off and handling charges, the destination's coordinates, when the order was placed,
// its promised date and the rate table — not on stock or capacity, which move from order to order. An import routes
// thousands of orders from a handful of places to a handful of destinations on one rate table; the memo computes
// each (location, destination, time) once. Pure: the terms are the ones locationTerms() gives, with the order's own
// location object (its stock and capacity) put back. It also keeps what the context derives from the rules alone
// (ruleTerms), for the batch's one policy.
import { locationTerms, type LocationTerms } from "./costing";
import { ruleTerms, type RuleTerms } from "./rule-terms";
import type { FulfillmentLocation, RateTable, RoutingInput, RoutingOrder } from "./types";

/** Entries kept before the memo starts afresh (orders with coordinates of their own each add a destination). */
const MAX_ENTRIES = 50_000;

export class RouteMemo {
  /** Terms by the order's key, then the location's (two levels: each key is a string made once, hashed once). */
  private readonly terms = new Map<string, Map<string, LocationTerms | null>>();
  private entries = 0;
  /** The key parts of the last order and of each location seen (rebuilt when one of their fields differs). */
  private lastOrder: { latitude: number; longitude: number; placedAt: string; promisedBy: string | null; skipWeekends: boolean; byPlace: Map<string, LocationTerms | null> } | null = null;
  private readonly placeKeys = new Map<string, { place: Place; key: string }>();

  private lastRules: { rules: RoutingInput["rules"]; terms: RuleTerms } | null = null;

  /** Only routes on this rate table (the batch's policy) use the memo. */
  constructor(readonly rateTable: RateTable) {}

  /** What the context takes from the rules, once per rules array (a batch's orders share its policy's). */
  ruleTerms(rules: RoutingInput["rules"]): RuleTerms {
    if (this.lastRules?.rules !== rules) this.lastRules = { rules, terms: ruleTerms(rules) };
    return this.lastRules.terms;
  }

  locationTerms(location: FulfillmentLocation, order: RoutingOrder, skipWeekends: boolean): LocationTerms | null {
    const byPlace = this.forOrder(order, skipWeekends);
    const key = this.placeKey(location);
    let terms = byPlace.get(key);
    if (terms === undefined) {
      terms = locationTerms(location, order, this.rateTable, skipWeekends);
      if (this.entries >= MAX_ENTRIES) this.clear();
      this.entries += 1;
      this.forOrder(order, skipWeekends).set(key, terms);
    }
    return terms && (terms.location === location ? terms : withLocation(terms, location));
  }

  private clear(): void {
    this.terms.clear();
    this.entries = 0;
    this.lastOrder = null;
  }

  /** What of the location the terms depend on: its place, cut-off and handling charges. */
  private placeKey(location: FulfillmentLocation): string {
    const seen = this.placeKeys.get(location.id);
    if (seen && samePlace(seen.place, location)) return seen.key;
    const key = `${location.id}\u0000${location.latitude}\u0000${location.longitude}\u0000${location.cutoffHourUtc}\u0000${location.handlingCostMinor}\u0000${location.handlingPerUnitMinor}`;
    const { latitude, longitude, cutoffHourUtc, handlingCostMinor, handlingPerUnitMinor } = location;
    this.placeKeys.set(location.id, { place: { latitude, longitude, cutoffHourUtc, handlingCostMinor, handlingPerUnitMinor }, key });
    return key;
  }

  /** The terms already known for what of the order they depend on: where it goes, when it was placed, what was promised. */
  private forOrder(order: RoutingOrder, skipWeekends: boolean): Map<string, LocationTerms | null> {
    const d = order.destination;
    const last = this.lastOrder;
    if (last && last.latitude === d.latitude && last.longitude === d.longitude && last.placedAt === order.placedAt && last.promisedBy === order.promisedBy && last.skipWeekends === skipWeekends) return last.byPlace;
    const key = `${d.latitude}\u0000${d.longitude}\u0000${order.placedAt}\u0000${order.promisedBy}\u0000${skipWeekends}`;
    let byPlace = this.terms.get(key);
    if (!byPlace) this.terms.set(key, (byPlace = new Map()));
    this.lastOrder = { latitude: d.latitude, longitude: d.longitude, placedAt: order.placedAt, promisedBy: order.promisedBy, skipWeekends, byPlace };
    return byPlace;
  }
}

/** The remembered terms with this order's own location object (its stock and capacity). */
function withLocation(t: LocationTerms, location: FulfillmentLocation): LocationTerms {
  return {
    location, distanceKm: t.distanceKm, zone: t.zone, service: t.service, shipDay: t.shipDay, deliveryDay: t.deliveryDay, meetsPromise: t.meetsPromise,
    handlingMinor: t.handlingMinor, packageMinor: t.packageMinor, fixedMinor: t.fixedMinor, handlingPerUnitMinor: t.handlingPerUnitMinor,
    unitRateMinor: t.unitRateMinor, weightPerGram: t.weightPerGram, distancePerGram: t.distancePerGram,
  };
}

type Place = Pick<FulfillmentLocation, "latitude" | "longitude" | "cutoffHourUtc" | "handlingCostMinor" | "handlingPerUnitMinor">;

const samePlace = (a: Place, b: Place) =>
  a.latitude === b.latitude && a.longitude === b.longitude && a.cutoffHourUtc === b.cutoffHourUtc &&
  a.handlingCostMinor === b.handlingCostMinor && a.handlingPerUnitMinor === b.handlingPerUnitMinor;
