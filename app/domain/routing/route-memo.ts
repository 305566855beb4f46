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

  /** Only routes on this rate table (the batch's policy) use the memo. */
  constructor(readonly rateTable: RateTable) {}

  locationTerms(location: FulfillmentLocation, order: RoutingOrder, skipWeekends: boolean): LocationTerms | null {
    const d = order.destination;
    const key = `${location.id}\u0000${location.latitude}\u0000${location.longitude}\u0000${location.cutoffHourUtc}\u0000${location.handlingCostMinor}\u0000${location.handlingPerUnitMinor}\u0000${d.latitude}\u0000${d.longitude}\u0000${order.placedAt}\u0000${order.promisedBy}\u0000${skipWeekends}`;
    let terms = this.terms.get(key);
    if (terms === undefined) {
      terms = locationTerms(location, order, this.rateTable, skipWeekends);
      if (this.terms.size >= MAX_ENTRIES) this.terms.clear();
      this.terms.set(key, terms);
    }
    return terms && (terms.location === location ? terms : { ...terms, location });
  }
}
