import type { SandboxShopSeed } from "./shopify/demo-catalog";
import { upsertLocation, upsertVariant } from "../app/.server/db/catalog";
import { database } from "../app/.server/db/database";
import { addOnHand } from "../app/.server/db/pipeline-sql";
import { ensureChannel, ensureShop } from "../app/.server/db/shops";
import { toMinorUnits } from "../app/domain/shared/money";
import { legacyIdFromGid } from "../app/domain/shared/safe-json";
import { seedDemoWarehouse } from "./seed-warehouse";

// Seeds the app's database with the same shop the local Shopify stand-in serves, so the demo
// dashboard has locations, SKUs and stock before the first order arrives. Safe to run twice. Runs on the
// process's database (DATABASE_URL: SQLite or PostgreSQL); each variant with its opening stock is one transaction.

const HANDLING_COST_MINOR = [150, 125, 175];

export async function seedDemoShop(seed: SandboxShopSeed, opts: { warehouse?: boolean } = {}): Promise<{ shopId: string; variants: number; levels: number }> {
  const shop = await ensureShop(seed.domain, { name: seed.name, email: seed.email, currency: seed.currencyCode, timezone: seed.ianaTimezone });
  await database().transaction(async (tx) => {
    await ensureChannel(tx, shop.id, "amazon", "Amazon US"); // connected on the Channels page (AmazonConnection)
    await ensureChannel(tx, shop.id, "wholesale", "Wholesale (EDI & CSV)");
  });

  const locationIds = new Map<string, string>();
  for (const [index, loc] of seed.locations.entries()) {
    const row = await database().transaction((tx) => upsertLocation(
      tx,
      shop.id,
      {
        externalId: legacyIdFromGid(loc.id)!,
        name: loc.name,
        active: loc.isActive,
        address1: loc.address.address1,
        city: loc.address.city,
        province: loc.address.provinceCode,
        countryCode: loc.address.countryCode,
        zip: loc.address.zip,
        latitude: loc.address.latitude,
        longitude: loc.address.longitude,
      },
      { dailyCapacity: loc.dailyCapacity, carrierCutoff: loc.carrierCutoff, timezone: loc.timezone, handlingCostMinor: HANDLING_COST_MINOR[index % HANDLING_COST_MINOR.length] },
    ));
    locationIds.set(loc.id, row.id);
  }

  let variants = 0;
  let levels = 0;
  for (const product of seed.products) {
    for (const v of product.variants) {
      const stock = Object.entries(v.stock).flatMap(([locationGid, quantity]) => {
        const locationId = locationIds.get(locationGid);
        return locationId ? [{ locationId, quantity }] : [];
      });
      await database().transaction(async (tx) => {
        const variant = await upsertVariant(tx, shop.id, {
          externalId: legacyIdFromGid(v.id)!,
          inventoryItemExternalId: legacyIdFromGid(v.inventoryItemId),
          sku: v.sku,
          title: v.title,
          priceMinor: toMinorUnits(v.price, seed.currencyCode),
          weightGrams: v.weightGrams,
          product: { externalId: legacyIdFromGid(product.id)!, title: product.title, vendor: product.vendor },
        });
        // Opening stock goes through the ledger like every other change (idempotent by key).
        for (const { locationId, quantity } of stock) await addOnHand(tx, shop.id, variant.id, locationId, quantity, "seeded", `seed:${variant.id}:${locationId}`);
      });
      variants += 1;
      levels += stock.length;
    }
  }
  // The demo's managed warehouse (ADR 0029): the first location, with a layout, bins holding its stock and an open PO.
  const main = locationIds.get(seed.locations[0]?.id ?? "");
  if (opts.warehouse && main) await seedDemoWarehouse(shop.id, main, seed.products.flatMap((p) => p.variants.filter((v) => (v.stock[seed.locations[0].id] ?? 0) > 0).map((v) => v.sku)));
  return { shopId: shop.id, variants, levels };
}
