import { db } from "./client";

// Locations, products and variants as mirrored from the shop. App-owned settings of a location
// (capacity, cut-off, handling cost) are never overwritten by a sync.

export interface LocationInput {
  externalId: string;
  name: string;
  active: boolean;
  address1?: string | null;
  city?: string | null;
  province?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export async function upsertLocation(shopId: string, input: LocationInput, settings: { dailyCapacity?: number; carrierCutoff?: string; timezone?: string; handlingCostMinor?: number } = {}) {
  const { externalId, ...fields } = input;
  return db().location.upsert({
    where: { shopId_externalId: { shopId, externalId } },
    create: { shopId, externalId, ...fields, ...settings },
    update: fields,
  });
}

export interface VariantInput {
  externalId: string;
  inventoryItemExternalId?: string | null;
  sku: string;
  title: string;
  priceMinor: number;
  weightGrams?: number;
  product: { externalId: string; title: string; vendor?: string | null };
}

export async function upsertVariant(shopId: string, input: VariantInput) {
  const product = await db().product.upsert({
    where: { shopId_externalId: { shopId, externalId: input.product.externalId } },
    create: { shopId, externalId: input.product.externalId, title: input.product.title, vendor: input.product.vendor ?? null },
    update: { title: input.product.title, vendor: input.product.vendor ?? null },
  });
  const fields = {
    productId: product.id,
    externalId: input.externalId,
    inventoryItemExternalId: input.inventoryItemExternalId ?? null,
    sku: input.sku,
    title: input.title,
    priceMinor: input.priceMinor,
    ...(input.weightGrams !== undefined ? { weightGrams: input.weightGrams } : {}),
  };
  return db().variant.upsert({
    where: { shopId_externalId: { shopId, externalId: input.externalId } },
    create: { shopId, ...fields },
    update: fields,
  });
}

export async function listLocations(shopId: string) {
  return db().location.findMany({ where: { shopId }, orderBy: { name: "asc" } });
}

/** Per-location stock of every variant, for the Inventory page. available = onHand − reserved − safety. */
export async function inventoryOverview(shopId: string, opts: { take?: number; skip?: number; query?: string } = {}) {
  const variants = await db().variant.findMany({
    where: { shopId, ...(opts.query ? { OR: [{ sku: { contains: opts.query } }, { title: { contains: opts.query } }, { product: { title: { contains: opts.query } } }] } : {}) },
    include: { product: { select: { title: true } }, inventoryLevels: true },
    orderBy: { sku: "asc" },
    take: opts.take ?? 100,
    skip: opts.skip ?? 0,
  });
  return variants;
}
