// Applies a decision to the network: stock leaves the shipping locations and each shipment uses one
// unit of that location's daily capacity. Returns new location objects; the input is not modified.
import type { FulfillmentLocation, RoutingDecision, RoutingOrder } from "./types";

export function applyDecision(
  locations: FulfillmentLocation[],
  order: RoutingOrder,
  decision: RoutingDecision,
): FulfillmentLocation[] {
  const skuOf = new Map(order.lines.map((l) => [l.lineId, l.sku]));
  const taken = new Map<string, Map<string, number>>();
  for (const [lineId, parts] of Object.entries(decision.allocations)) {
    const sku = skuOf.get(lineId);
    if (sku === undefined) continue;
    for (const { locationId, quantity } of parts) {
      const bySku = taken.get(locationId) ?? new Map<string, number>();
      bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
      taken.set(locationId, bySku);
    }
  }
  return locations.map((loc) => {
    const bySku = taken.get(loc.id);
    if (!bySku) return loc;
    const stock = { ...loc.stock };
    for (const [sku, qty] of bySku) stock[sku] = (stock[sku] ?? 0) - qty;
    return { ...loc, stock, remainingCapacity: loc.remainingCapacity - 1 };
  });
}
