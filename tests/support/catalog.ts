import { intakeChannelOfKind } from "~/.server/channels/intake-channel";
import { upsertLocation, upsertVariant } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { addOnHand } from "~/.server/db/pipeline-sql";
import { ingestChannelOrder, type IngestOptions, type IngestOutcome } from "~/.server/use-cases/ingest-channel-order";
import type { ChannelOrder } from "~/domain/orders/channel-order";

// A small shop network for pipeline tests: named locations with coordinates, SKUs with stock.

export const CITIES = {
  newark: { latitude: 40.7357, longitude: -74.1724, province: "NJ", zip: "07102" },
  dallas: { latitude: 32.7767, longitude: -96.797, province: "TX", zip: "75201" },
  reno: { latitude: 39.5296, longitude: -119.8138, province: "NV", zip: "89501" },
  chicago: { latitude: 41.8781, longitude: -87.6298, province: "IL", zip: "60601" },
} as const;

export async function addLocation(shopId: string, externalId: string, city: keyof typeof CITIES, settings: { dailyCapacity?: number } = {}) {
  const c = CITIES[city];
  return database().transaction((tx) => upsertLocation(tx, shopId, { externalId, name: city, active: true, city, province: c.province, countryCode: "US", zip: c.zip, latitude: c.latitude, longitude: c.longitude }, { dailyCapacity: settings.dailyCapacity ?? 100_000, carrierCutoff: "16:00", timezone: "UTC", handlingCostMinor: 150 }));
}

export async function addSku(shopId: string, sku: string, stock: Record<string, number> = {}) {
  const variant = await database().transaction((tx) => upsertVariant(tx, shopId, { externalId: `v-${sku}`, sku, title: sku, priceMinor: 1000, weightGrams: 400, product: { externalId: `p-${sku}`, title: `Product ${sku}` } }));
  for (const [locationId, quantity] of Object.entries(stock)) {
    await database().transaction((tx) => addOnHand(tx, shopId, variant.id, locationId, quantity, "seeded", `seed:${variant.id}:${locationId}`));
  }
  return variant;
}

/** Take an order in on the shop's channel of this kind (its oldest, e.g. the default "manual" one), as its intake would. */
export async function ingestOn(shopDomain: string, kind: string, order: ChannelOrder, opts?: IngestOptions): Promise<IngestOutcome> {
  return ingestChannelOrder(await intakeChannelOfKind(database(), shopDomain, kind), order, opts);
}

let n = 0;
export function channelOrder(lines: { sku: string; quantity: number }[], opts: { externalId?: string; placedAt?: string; city?: keyof typeof CITIES; updatedAt?: string; cancelledAt?: string | null } = {}): ChannelOrder {
  n += 1;
  const city = CITIES[opts.city ?? "chicago"];
  const placedAt = opts.placedAt ?? new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + n * 1000).toISOString();
  return {
    externalId: opts.externalId ?? `ext-${n}`,
    name: `#${1000 + n}`,
    currency: "USD",
    totalMinor: 1000,
    financialStatus: "paid",
    email: `buyer${n}@example.com`,
    phone: null,
    customerExternalId: `cust-${n}`,
    customerName: `Buyer ${n}`,
    shipTo: { name: `Buyer ${n}`, address1: "1 Main St", city: opts.city ?? "chicago", province: city.province, countryCode: "US", zip: city.zip, latitude: city.latitude, longitude: city.longitude },
    placedAt,
    updatedAt: opts.updatedAt ?? placedAt,
    cancelledAt: opts.cancelledAt ?? null,
    lines: lines.map((l, i) => ({ externalId: `line-${n}-${i}`, sku: l.sku, variantExternalId: null, title: l.sku, quantity: l.quantity, priceMinor: 1000 })),
  };
}
