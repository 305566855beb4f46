import type { SandboxShopSeed } from "../../sandbox/shopify/demo-catalog";
import { gid, seedId } from "../../sandbox/shopify/ids";
import { createRng } from "../../sandbox/shopify/prng";
import type { ChannelOrder } from "../../app/domain/orders/channel-order";

// The shop the channel-sync bench sells from: SKUS SKUs at three US sites (every SKU at Newark, 60 % also at Dallas,
// 40 % also at Reno), deep stock everywhere (no change ever runs out, so every change is a reservation and moves the
// Shopify hold at the site routing picked). The same plain data seeds the Shopify stand-in and the app's database,
// as sandbox/seed-demo.ts does for the demo shop. Each phase of a run gets a shop of its own (its own cost bucket,
// its own holds) built from the same data: the changes differ only in the shop they go to.

export const SKUS = 1_000;
const STOCK_PER_SITE = 5_000;

const SITES = [
  { name: "Newark NJ", city: "Newark", provinceCode: "NJ", zip: "07105", latitude: 40.7135, longitude: -74.1332, timezone: "America/New_York", share: 1 },
  { name: "Dallas TX", city: "Dallas", provinceCode: "TX", zip: "75207", latitude: 32.7893, longitude: -96.8268, timezone: "America/Chicago", share: 0.6 },
  { name: "Reno NV", city: "Reno", provinceCode: "NV", zip: "89502", latitude: 39.5118, longitude: -119.7757, timezone: "America/Los_Angeles", share: 0.4 },
];

/** Where the buyers are: routing sends each order to the cheapest site holding its SKU. */
const BUYERS = [
  { city: "chicago", province: "IL", zip: "60601", latitude: 41.8781, longitude: -87.6298 },
  { city: "boston", province: "MA", zip: "02108", latitude: 42.3601, longitude: -71.0589 },
  { city: "houston", province: "TX", zip: "77002", latitude: 29.7604, longitude: -95.3698 },
  { city: "denver", province: "CO", zip: "80202", latitude: 39.7392, longitude: -104.9903 },
  { city: "seattle", province: "WA", zip: "98101", latitude: 47.6062, longitude: -122.3321 },
  { city: "atlanta", province: "GA", zip: "30303", latitude: 33.749, longitude: -84.388 },
  { city: "phoenix", province: "AZ", zip: "85003", latitude: 33.4484, longitude: -112.074 },
];

export const skuName = (i: number) => `CS-${String(i).padStart(5, "0")}`;

/** The bench shop for `domain`; `slot` (< 1000) keeps its ids apart from every other shop's in the stand-in. */
export function benchShopSeed(domain: string, slot: number): SandboxShopSeed {
  const id = (kind: number, n: number) => seedId(kind, 900_000_000 + slot * 100_000 + n);
  const rng = createRng("channel-sync-bench:catalog"); // the same catalogue for every shop
  const locations = SITES.map((s, i) => ({
    id: gid("Location", id(2, i + 1)),
    name: s.name,
    isActive: true,
    timezone: s.timezone,
    carrierCutoff: "16:00",
    dailyCapacity: 10_000_000,
    address: { address1: `${i + 1} Bench Way`, address2: null, city: s.city, province: s.provinceCode, provinceCode: s.provinceCode, country: "United States", countryCode: "US", zip: s.zip, phone: null, latitude: s.latitude, longitude: s.longitude },
  }));
  const products = Array.from({ length: SKUS }, (_, i) => {
    const stock: Record<string, number> = {};
    SITES.forEach((s, site) => {
      if (site === 0 || rng.chance(s.share)) stock[locations[site].id] = STOCK_PER_SITE;
    });
    return {
      id: gid("Product", id(3, i + 1)),
      title: `Bench product ${i}`,
      handle: `bench-product-${i}`,
      vendor: "Bench Goods",
      productType: "Bench",
      variants: [{ id: gid("ProductVariant", id(4, i + 1)), inventoryItemId: gid("InventoryItem", id(5, i + 1)), sku: skuName(i), title: "Default", price: "20.00", weightGrams: 400, stock }],
    };
  });
  return { id: gid("Shop", id(1, 1)), domain, name: `Channel sync bench ${slot}`, email: `owner@bench-${slot}.example`, currencyCode: "USD", ianaTimezone: "America/New_York", locations, products };
}

/** What change `i` of a run is: an order of one unit of a SKU (uniform over the catalogue: the least coalescing) to a buyer. */
export interface PlannedChange {
  index: number;
  sku: string;
  buyer: number;
}

export function plannedChanges(count: number): PlannedChange[] {
  const rng = createRng("channel-sync-bench:changes");
  return Array.from({ length: count }, (_, index) => ({ index, sku: skuName(rng.int(0, SKUS - 1)), buyer: rng.int(0, BUYERS.length - 1) }));
}

/** The change as the order a non-Shopify channel (the shop's "manual" channel: phone, wholesale desk) takes in. */
export function orderOf(change: PlannedChange, phase: string): ChannelOrder {
  const b = BUYERS[change.buyer];
  const placedAt = new Date().toISOString();
  return {
    externalId: `${phase}-${change.index}`,
    name: `#B${change.index}`,
    currency: "USD",
    totalMinor: 2000,
    financialStatus: "paid",
    email: null,
    phone: null,
    customerExternalId: null,
    customerName: null,
    shipTo: { name: null, address1: "1 Main St", city: b.city, province: b.province, countryCode: "US", zip: b.zip, latitude: b.latitude, longitude: b.longitude },
    placedAt,
    updatedAt: placedAt,
    cancelledAt: null,
    lines: [{ externalId: `${phase}-${change.index}-1`, sku: change.sku, variantExternalId: null, title: change.sku, quantity: 1, priceMinor: 2000 }],
  };
}
