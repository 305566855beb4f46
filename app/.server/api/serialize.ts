import type { RoutingDecision } from "~/domain/routing";
import type { OrderWithLines, RoutingDecisionRow } from "../db/orders";
import type { ShopRow } from "../db/shops";

// The public JSON shapes of /api/v1. Money in minor units + currency; times as UTC ISO strings.

export function serializeShop(shop: Pick<ShopRow, "domain" | "name" | "currency" | "timezone" | "installedAt">) {
  return { domain: shop.domain, name: shop.name, currency: shop.currency, timezone: shop.timezone, installedAt: shop.installedAt };
}

/** The routing decision in force for an order; location ids inside `explanation` are named in `locations`. */
export interface LatestDecision {
  row: RoutingDecisionRow;
  decision: RoutingDecision | null;
  locations: Map<string, { name: string; externalId: string }>;
}

export function serializeRouting(latest: LatestDecision | undefined) {
  if (!latest) return null;
  const { row, decision } = latest;
  const mentioned = new Set([...(decision?.shipments ?? []).map((s) => s.locationId), ...(decision?.explanation.candidates ?? []).flatMap((c) => c.locationIds), ...(decision?.explanation.excludedLocations ?? []).map((e) => e.locationId)]);
  return {
    decisionId: row.id,
    decidedAt: row.createdAt,
    method: row.method,
    decidedBy: row.decidedBy,
    summary: decision?.explanation.summary ?? null,
    totalCostMinor: row.totalCostMinor,
    shipmentCount: row.shipments,
    unitsAllocated: row.unitsAllocated,
    unitsBackordered: row.unitsBackordered,
    meetsPromise: row.meetsPromise,
    shipments: decision?.shipments ?? [],
    explanation: decision?.explanation ?? null,
    locations: Object.fromEntries([...mentioned].map((id) => [id, latest.locations.get(id) ?? null])),
  };
}

export function serializeOrder(order: OrderWithLines, latest?: LatestDecision) {
  return {
    id: order.id,
    channel: order.channel.kind,
    channelName: order.channel.name,
    externalId: order.externalId,
    name: order.name,
    status: order.status,
    financialStatus: order.financialStatus,
    currency: order.currency,
    totalMinor: order.totalMinor,
    placedAt: order.placedAt,
    updatedAt: order.externalUpdatedAt,
    cancelledAt: order.cancelledAt,
    shipTo: { city: order.shipCity, province: order.shipProvince, countryCode: order.shipCountryCode, zip: order.shipZip },
    lines: order.lines.map((line) => ({
      externalId: line.externalId,
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      priceMinor: line.priceMinor,
      allocations: line.allocations.map((a) => ({ location: a.location?.name ?? null, locationExternalId: a.location?.externalId ?? null, quantity: a.quantity, status: a.status })),
    })),
    routing: serializeRouting(latest),
  };
}
