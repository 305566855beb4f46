import type { Shop } from "@prisma/client";
import type { OrderWithLines } from "../db/orders";

// The public JSON shapes of /api/v1. Money in minor units + currency; times as UTC ISO strings.

export function serializeShop(shop: Shop) {
  return { domain: shop.domain, name: shop.name, currency: shop.currency, timezone: shop.timezone, installedAt: shop.installedAt.toISOString() };
}

export function serializeOrder(order: OrderWithLines) {
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
    placedAt: order.placedAt.toISOString(),
    updatedAt: order.externalUpdatedAt?.toISOString() ?? null,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    shipTo: { city: order.shipCity, province: order.shipProvince, countryCode: order.shipCountryCode, zip: order.shipZip },
    lines: order.lines.map((line) => ({
      externalId: line.externalId,
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      priceMinor: line.priceMinor,
      allocations: line.allocations.map((a) => ({ location: a.location?.name ?? null, locationExternalId: a.location?.externalId ?? null, quantity: a.quantity, status: a.status })),
    })),
  };
}
