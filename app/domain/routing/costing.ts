// The landed-cost model. A shipment from location L costs
//   handling + round(m × perPackage)                                   (fixed: once per shipment)
// + Σ units × [handlingPerUnit + round(m × perUnit) + round(m × perKg × kg) + round(m × perKgPer100Km × kg × km / 100)]
// where m is the chosen carrier service's multiplier. Every per-unit charge is rounded to whole minor
// units per unit, so a shipment's price is exactly `fixed + Σ units × unit price`: this separability is
// what lets the search assign lines optimally inside a location subset.
import { deliveryDay, dayNumber, isoDate, shipDay } from "./delivery-date";
import { haversineKm } from "./geo";
import type { CarrierService, FulfillmentLocation, OrderLine, RateTable, RateZone, RoutingOrder, ShipmentCost } from "./types";

/** Everything about shipping this order from one location that does not depend on what is in the box. */
export interface LocationTerms {
  location: FulfillmentLocation;
  distanceKm: number;
  zone: RateZone;
  service: CarrierService;
  shipDay: number;
  deliveryDay: number;
  meetsPromise: boolean | null;
  handlingMinor: number;
  packageMinor: number;
  /** handling + package: paid once per shipment. */
  fixedMinor: number;
  handlingPerUnitMinor: number;
  unitRateMinor: number;
  /** Weight charge per gram of one unit, before rounding. */
  weightPerGram: number;
  /** Distance charge per gram of one unit, before rounding. */
  distancePerGram: number;
}

export function zoneFor(rateTable: RateTable, km: number): RateZone | null {
  let best: RateZone | null = null;
  for (const z of rateTable.zones) if (km <= z.maxKm && (best === null || z.maxKm < best.maxKm)) best = z;
  return best;
}

interface ServiceOption {
  service: CarrierService;
  transit: number;
  delivery: number;
}

/**
 * The carrier service per location: with a promise, the cheapest service that meets it, or the fastest
 * when none can (late, but as little as possible); without a promise, the cheapest. Because a multiplier
 * scales every shipping charge, "cheapest" does not depend on what the shipment contains.
 */
export function chooseService(
  rateTable: RateTable,
  zone: RateZone,
  ship: number,
  promiseDay: number | null,
  skipWeekends: boolean,
): ServiceOption | null {
  const cheapest = (a: ServiceOption, b: ServiceOption) =>
    a.service.costMultiplier - b.service.costMultiplier || a.transit - b.transit || cmp(a.service.code, b.service.code);
  const fastest = (a: ServiceOption, b: ServiceOption) => a.delivery - b.delivery || cheapest(a, b);
  let bestMeeting: ServiceOption | null = null;
  let bestOther: ServiceOption | null = null;
  for (const service of rateTable.services) {
    const transit = service.transitDays[zone.zone];
    if (transit === undefined) continue;
    const option = { service, transit, delivery: deliveryDay(ship, transit, skipWeekends) };
    if (promiseDay === null || option.delivery <= promiseDay) {
      if (bestMeeting === null || cheapest(option, bestMeeting) < 0) bestMeeting = option;
    } else if (bestOther === null || fastest(option, bestOther) < 0) bestOther = option;
  }
  return bestMeeting ?? bestOther;
}

/** Terms for shipping `order` from `location`, or null when no zone/service reaches the destination. */
export function locationTerms(
  location: FulfillmentLocation,
  order: RoutingOrder,
  rateTable: RateTable,
  skipWeekends: boolean,
): LocationTerms | null {
  const distanceKm = haversineKm(location, order.destination);
  const zone = zoneFor(rateTable, distanceKm);
  if (!zone) return null;
  const promiseDay = order.promisedBy === null ? null : dayNumber(order.promisedBy);
  const ship = shipDay(order.placedAt, location.cutoffHourUtc, skipWeekends);
  const choice = chooseService(rateTable, zone, ship, promiseDay, skipWeekends);
  if (!choice) return null;
  const m = choice.service.costMultiplier;
  const packageMinor = Math.round(m * zone.perPackageMinor);
  return {
    location,
    distanceKm,
    zone,
    service: choice.service,
    shipDay: ship,
    deliveryDay: choice.delivery,
    meetsPromise: promiseDay === null ? null : choice.delivery <= promiseDay,
    handlingMinor: location.handlingCostMinor,
    packageMinor,
    fixedMinor: location.handlingCostMinor + packageMinor,
    handlingPerUnitMinor: location.handlingPerUnitMinor ?? 0,
    unitRateMinor: Math.round(m * zone.perUnitMinor),
    weightPerGram: (m * (zone.perKgMinor ?? 0)) / 1000,
    distancePerGram: (m * zone.perKgPer100KmMinor * distanceKm) / 100 / 1000,
  };
}

export function unitWeightMinor(terms: LocationTerms, weightGrams: number): number {
  return Math.round(terms.weightPerGram * weightGrams);
}

export function unitDistanceMinor(terms: LocationTerms, weightGrams: number): number {
  return Math.round(terms.distancePerGram * weightGrams);
}

/** Landed cost of one more unit of a line in a shipment that already exists. */
export function unitLandedMinor(terms: LocationTerms, weightGrams: number): number {
  return terms.handlingPerUnitMinor + terms.unitRateMinor + unitWeightMinor(terms, weightGrams) + unitDistanceMinor(terms, weightGrams);
}

/** Prices one shipment from its contents (the engine's search uses the same model, pre-split). */
export function priceShipment(terms: LocationTerms, items: { line: OrderLine; quantity: number }[]): ShipmentCost {
  let units = 0;
  let weightGrams = 0;
  let handlingUnits = 0;
  let weightMinor = 0;
  let distanceMinor = 0;
  for (const { line, quantity } of items) {
    units += quantity;
    weightGrams += quantity * line.weightGrams;
    handlingUnits += quantity * terms.handlingPerUnitMinor;
    weightMinor += quantity * unitWeightMinor(terms, line.weightGrams);
    distanceMinor += quantity * unitDistanceMinor(terms, line.weightGrams);
  }
  const perUnitMinor = units * terms.unitRateMinor;
  const handlingMinor = terms.handlingMinor + handlingUnits;
  const shippingMinor = terms.packageMinor + perUnitMinor + weightMinor + distanceMinor;
  return {
    locationId: terms.location.id,
    distanceKm: Math.round(terms.distanceKm * 10) / 10,
    zone: terms.zone.zone,
    service: { code: terms.service.code, name: terms.service.name },
    lines: items.map(({ line, quantity }) => ({ lineId: line.lineId, quantity })),
    units,
    weightGrams,
    shipDate: isoDate(terms.shipDay),
    estimatedDeliveryDate: isoDate(terms.deliveryDay),
    meetsPromise: terms.meetsPromise,
    handlingMinor,
    perPackageMinor: terms.packageMinor,
    perUnitMinor,
    weightMinor,
    distanceMinor,
    shippingMinor,
    totalMinor: handlingMinor + shippingMinor,
  };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
