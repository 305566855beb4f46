import { locationTerms, priceShipment } from "../routing/costing";
import type { RateTable } from "../routing/types";
import { formatMinorUnits } from "../shared/money";

// Routing reversed: a return travels from the customer to one of the shop's locations, priced by the same
// landed-cost model that routes orders out (app/domain/routing/costing.ts; a parcel costs the same either way).
// The cheapest location that accepts returns wins; ties go to the nearest, then the id.

export interface ReceivingCandidate {
  id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  handlingCostMinor: number;
}

export interface ReturnParcel {
  origin: { latitude: number; longitude: number } | null;
  items: { sku: string; quantity: number; weightGrams: number }[];
  /** Where the units shipped from: the fallback when the customer's address has no coordinates. */
  shippedFromId: string | null;
}

export interface ReceivingChoice {
  locationId: string;
  costMinor: number | null;
  distanceKm: number | null;
  explanation: string;
}

export function chooseReceivingLocation(candidates: ReceivingCandidate[], parcel: ReturnParcel, rateTable: RateTable, currency = "USD"): ReceivingChoice | null {
  if (candidates.length === 0) return null;
  const units = parcel.items.reduce((s, i) => s + i.quantity, 0);
  const priced: { c: ReceivingCandidate; cost: number; km: number }[] = [];
  if (parcel.origin) {
    for (const c of candidates) {
      if (c.latitude === null || c.longitude === null) continue;
      const location = { id: c.id, name: c.name, latitude: c.latitude, longitude: c.longitude, stock: {}, remainingCapacity: 1, cutoffHourUtc: 24, handlingCostMinor: c.handlingCostMinor };
      const order = { lines: [], destination: parcel.origin, placedAt: "2000-01-03T00:00:00.000Z", promisedBy: null };
      const terms = locationTerms(location, order, rateTable, false);
      if (!terms) continue;
      const cost = priceShipment(terms, parcel.items.map((i, n) => ({ line: { lineId: String(n), sku: i.sku, quantity: i.quantity, weightGrams: i.weightGrams }, quantity: i.quantity }))).totalMinor;
      priced.push({ c, cost, km: terms.distanceKm });
    }
  }
  if (priced.length > 0) {
    priced.sort((a, b) => a.cost - b.cost || a.km - b.km || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
    const best = priced[0];
    const of = candidates.length === 1 ? "the only receiving location" : priced.length === 1 ? "the only receiving location the carrier reaches" : `the cheapest of ${priced.length} receiving locations`;
    return {
      locationId: best.c.id,
      costMinor: best.cost,
      distanceKm: Math.round(best.km),
      explanation: `Returns to ${best.c.name}: ${of}, ${formatMinorUnits(best.cost, currency)} for ${units} unit${units === 1 ? "" : "s"} from ${Math.round(best.km)} km away.`,
    };
  }
  const shippedFrom = candidates.find((c) => c.id === parcel.shippedFromId);
  const fallback = shippedFrom ?? [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  const why = parcel.origin ? "no receiving location could be priced from the customer's address" : "the customer's address has no coordinates";
  return { locationId: fallback.id, costMinor: null, distanceKm: null, explanation: `Returns to ${fallback.name}: ${why}, so ${shippedFrom ? "back to where it shipped from" : "to the first receiving location"}.` };
}
