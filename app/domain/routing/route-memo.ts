// What the routes of one batch of orders share (ADR 0032): a location's shipping terms to a destination depend only
// on the location's place, cut-off and handling charges, the destination's coordinates, when the order was placed,
// its promised date and the rate table — not on stock or capacity, which move from order to order. An import routes
// thousands of orders from a handful of places to a handful of destinations on one rate table; the memo computes
// each (location, destination, time) once. Pure: the terms are the ones locationTerms() gives, with the order's own
// location object (its stock and capacity) put back.
import { locationTerms, type LocationTerms } from "./costing";
import type { FulfillmentLocation, RateTable, RoutingOrder } from "./types";

/** Entries kept before the memo starts afresh (orders with coordinates of their own each add a destination). */
const MAX_ENTRIES = 50_000;

export class RouteMemo {
  private readonly terms = new Map<string, LocationTerms | null>();
  /** The key parts of the last order and of each location seen (rebuilt when one of their fields differs). */
  private lastOrder: { latitude: number; longitude: number; placedAt: string; promisedBy: string | null; skipWeekends: boolean; key: string } | null = null;
  private readonly placeKeys = new Map<string, { place: Place; key: string }>();

  /** Only routes on this rate table (the batch's policy) use the memo. */
  constructor(readonly rateTable: RateTable) {}

  locationTerms(location: FulfillmentLocation, order: RoutingOrder, skipWeekends: boolean): LocationTerms | null {
    const key = `${this.placeKey(location)}\u0001${this.orderKey(order, skipWeekends)}`;
    let terms = this.terms.get(key);
    if (terms === undefined) {
      terms = locationTerms(location, order, this.rateTable, skipWeekends);
      if (this.terms.size >= MAX_ENTRIES) this.terms.clear();
      this.terms.set(key, terms);
    }
    return terms && (terms.location === location ? terms : { ...terms, location });
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

  /** What of the order the terms depend on: where it goes, when it was placed, what was promised. */
  private orderKey(order: RoutingOrder, skipWeekends: boolean): string {
    const d = order.destination;
    const last = this.lastOrder;
    if (last && last.latitude === d.latitude && last.longitude === d.longitude && last.placedAt === order.placedAt && last.promisedBy === order.promisedBy && last.skipWeekends === skipWeekends) return last.key;
    const key = `${d.latitude}\u0000${d.longitude}\u0000${order.placedAt}\u0000${order.promisedBy}\u0000${skipWeekends}`;
    this.lastOrder = { latitude: d.latitude, longitude: d.longitude, placedAt: order.placedAt, promisedBy: order.promisedBy, skipWeekends, key };
    return key;
  }
}

type Place = Pick<FulfillmentLocation, "latitude" | "longitude" | "cutoffHourUtc" | "handlingCostMinor" | "handlingPerUnitMinor">;

const samePlace = (a: Place, b: Place) =>
  a.latitude === b.latitude && a.longitude === b.longitude && a.cutoffHourUtc === b.cutoffHourUtc &&
  a.handlingCostMinor === b.handlingCostMinor && a.handlingPerUnitMinor === b.handlingPerUnitMinor;
