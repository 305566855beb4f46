import { toMinorUnits } from "~/domain/shared/money";
import { legacyIdFromGid } from "~/domain/shared/safe-json";
import { upsertLocation, upsertVariant } from "../db/catalog";
import { takesDataIn } from "~/domain/shops/shop-lifecycle";
import { database } from "../db/database";
import { ensureShop } from "../db/shops";
import { shopStanding } from "../db/webhook-inbox";
import { adminGraphql, paginate } from "../shopify/admin-graphql";
import { LOCATIONS_QUERY, type LocationNode, type LocationsResult } from "../shopify/graphql/locations-query";
import { PRODUCT_VARIANTS_QUERY, type ProductVariantsResult, type VariantNode } from "../shopify/graphql/product-variants-query";
import { SHOP_INFO_QUERY, type ShopInfoResult } from "../shopify/graphql/shop-info-query";

// Shopify ids are stored as their legacy numeric strings (what webhooks carry); gids are rebuilt when calling GraphQL.

/** Mirror the shop's details, locations and catalogue from Shopify (after install, and on demand). */
export async function syncShopFromShopify(shopDomain: string): Promise<{ locations: number; variants: number }> {
  if (!takesDataIn(await shopStanding(database(), shopDomain))) return { locations: 0, variants: 0 }; // uninstalled or redacted since the install
  const { shop: info } = await adminGraphql<ShopInfoResult>(shopDomain, SHOP_INFO_QUERY);
  const shop = await ensureShop(shopDomain, { name: info.name, email: info.email, currency: info.currencyCode, timezone: info.ianaTimezone });

  let locations = 0;
  for await (const nodes of paginate<LocationNode, LocationsResult>(shopDomain, LOCATIONS_QUERY, (r) => r.locations)) {
    for (const node of nodes) {
      await database().transaction((tx) => upsertLocation(tx, shop.id, {
        externalId: legacyIdFromGid(node.id)!,
        name: node.name,
        active: node.isActive,
        address1: node.address.address1,
        city: node.address.city,
        province: node.address.provinceCode,
        countryCode: node.address.countryCode,
        zip: node.address.zip,
        latitude: node.address.latitude,
        longitude: node.address.longitude,
      }));
      locations += 1;
    }
  }

  let variants = 0;
  for await (const nodes of paginate<VariantNode, ProductVariantsResult>(shopDomain, PRODUCT_VARIANTS_QUERY, (r) => r.productVariants)) {
    for (const node of nodes) {
      if (!node.sku) continue; // routing and stock are keyed by SKU; unskued variants are not stocked items
      await upsertVariant(database(), shop.id, {
        externalId: legacyIdFromGid(node.id)!,
        inventoryItemExternalId: legacyIdFromGid(node.inventoryItem.id),
        sku: node.sku,
        title: node.title,
        priceMinor: toMinorUnits(node.price, shop.currency),
        product: { externalId: legacyIdFromGid(node.product.id)!, title: node.product.title, vendor: node.product.vendor },
      });
      variants += 1;
    }
  }
  return { locations, variants };
}
