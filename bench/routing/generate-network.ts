// Synthetic but realistic US fulfilment network and order stream for routing benchmarks, tests and
// simulations: distribution centres and stores at real metro coordinates, a UPS-ground-like zone table,
// a Zipf-popular catalogue, population-weighted destinations, promised dates on a share of orders.
import { createRng, type Rng } from "../../app/domain/routing/seeded-random";
import type { DemandForecast } from "../../app/domain/routing/stock-shadow-prices";
import type { FulfillmentLocation, OrderLine, RateTable, RoutingOrder, RoutingRule } from "../../app/domain/routing/types";

export interface CatalogItem {
  sku: string;
  weightGrams: number;
  /** Probability that a line is this SKU. */
  popularity: number;
}

export interface Network {
  locations: FulfillmentLocation[];
  rateTable: RateTable;
  rules: RoutingRule[];
  catalog: CatalogItem[];
}

type Site = [name: string, lat: number, lng: number];
// The first three are distribution centres; the rest are stores / small 3PL nodes.
const SITES: Site[] = [
  ["Ontario CA DC", 34.06, -117.65], ["Memphis DC", 35.15, -90.05], ["Allentown DC", 40.6, -75.49],
  ["Seattle", 47.61, -122.33], ["Denver", 39.74, -104.99], ["Dallas", 32.78, -96.8], ["Chicago", 41.88, -87.63],
  ["Atlanta", 33.75, -84.39], ["Miami", 25.76, -80.19], ["Boston", 42.36, -71.06], ["Phoenix", 33.45, -112.07],
  ["Houston", 29.76, -95.37], ["Minneapolis", 44.98, -93.27], ["Kansas City", 39.1, -94.58],
  ["Charlotte", 35.23, -80.84], ["Salt Lake City", 40.76, -111.89], ["Portland", 45.52, -122.68],
  ["San Francisco", 37.77, -122.42], ["Nashville", 36.16, -86.78], ["Detroit", 42.33, -83.05],
  ["St. Louis", 38.63, -90.2], ["Columbus", 39.96, -83.0], ["Las Vegas", 36.17, -115.14],
  ["San Antonio", 29.42, -98.49], ["Philadelphia", 39.95, -75.17],
];
const DC_COUNT = 3;
/** Mean lines per order and units per line of the default mix (see lineCount and generateOrders). */
const AVERAGE_LINES = 2.525;
const AVERAGE_QTY = 1.355;
export const AVERAGE_UNITS_PER_ORDER = AVERAGE_LINES * AVERAGE_QTY;

// Destination metros weighted by population (millions).
const METROS: [lat: number, lng: number, weight: number][] = [
  [40.71, -74.0, 19.8], [34.05, -118.24, 13.2], [41.88, -87.63, 9.5], [32.78, -96.8, 7.6], [29.76, -95.37, 7.1],
  [38.9, -77.04, 6.3], [25.76, -80.19, 6.1], [39.95, -75.17, 6.2], [33.75, -84.39, 6.1], [33.45, -112.07, 4.9],
  [42.36, -71.06, 4.9], [37.77, -122.42, 4.7], [33.95, -117.4, 4.6], [42.33, -83.05, 4.4], [47.61, -122.33, 4.0],
  [44.98, -93.27, 3.7], [32.72, -117.16, 3.3], [27.95, -82.46, 3.2], [39.74, -104.99, 3.0], [39.29, -76.61, 2.8],
  [38.63, -90.2, 2.8], [28.54, -81.38, 2.7], [35.23, -80.84, 2.7], [29.42, -98.49, 2.6], [45.52, -122.68, 2.5],
  [38.58, -121.49, 2.4], [40.44, -80.0, 2.4], [30.27, -97.74, 2.3], [36.17, -115.14, 2.3], [39.1, -84.51, 2.3],
  [39.1, -94.58, 2.2], [39.96, -83.0, 2.1], [39.77, -86.16, 2.1], [41.5, -81.69, 2.1], [36.16, -86.78, 2.0],
  [37.34, -121.89, 2.0], [36.85, -75.98, 1.8], [41.82, -71.41, 1.7], [43.04, -87.91, 1.6], [30.33, -81.66, 1.6],
  [35.47, -97.52, 1.4], [35.78, -78.64, 1.4], [35.15, -90.05, 1.3], [40.76, -111.89, 1.3], [29.95, -90.07, 1.3],
];

/**
 * UPS-style ground zones 2–8 (150/300/600/1000/1400/1800 mi bands), roughly calibrated to 2024 US ground
 * list rates for small parcels: $10.50–$13.50 per package by zone, and each further kilogram about $1
 * (zone 2) to $4.50 (zone 8), i.e. 80¢/kg + 10¢/kg per 100 km. Air services cost 1.9× and 3.1× ground.
 */
export function usRateTable(): RateTable {
  const km = [241, 483, 966, 1609, 2253, 2897, 9000];
  const pkg = [1050, 1100, 1160, 1190, 1235, 1270, 1350];
  const unit = [30, 30, 35, 40, 45, 50, 55];
  return {
    zones: km.map((maxKm, i) => ({
      zone: i + 2, maxKm, perPackageMinor: pkg[i], perUnitMinor: unit[i], perKgMinor: 80, perKgPer100KmMinor: 10,
    })),
    services: [
      { code: "ground", name: "Ground", transitDays: { 2: 1, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4, 8: 5 }, costMultiplier: 1 },
      { code: "2day", name: "2nd Day Air", transitDays: { 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2 }, costMultiplier: 1.9 },
      { code: "next_day", name: "Next Day Air", transitDays: { 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1 }, costMultiplier: 3.1 },
    ],
  };
}

export const defaultRules: RoutingRule[] = [
  { type: "capacity" },
  { type: "promise_feasible" },
  { type: "lowest_landed_cost" },
  { type: "fewest_splits" },
  { type: "closest" },
];

export interface NetworkOptions {
  locationCount?: number;
  skuCount?: number;
  /** Expected units the network will be asked for, to size stock (default: 10,000 orders' worth). */
  expectedUnits?: number;
  /** Total stock ÷ expected demand per SKU (default 1.6: enough overall, short in places). */
  stockCover?: number;
}

export function generateNetwork(seed: number, options: NetworkOptions = {}): Network {
  const rng = createRng(seed);
  const count = Math.min(options.locationCount ?? 10, SITES.length);
  const skuCount = options.skuCount ?? 300;
  const expectedUnits = options.expectedUnits ?? 10_000 * AVERAGE_UNITS_PER_ORDER;
  const cover = options.stockCover ?? 1.6;
  const harmonic = Array.from({ length: skuCount }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
  const catalog: CatalogItem[] = Array.from({ length: skuCount }, (_, i) => ({
    sku: `SKU-${String(i + 1).padStart(4, "0")}`,
    weightGrams: Math.round(100 * Math.exp(rng.next() * Math.log(60))), // 100 g … 6 kg, log-uniform
    popularity: 1 / (i + 1) / harmonic,
  }));
  const sites = SITES.slice(0, count);
  // DCs carry ~90% of the range and most of the stock; stores carry the popular third, thinly.
  const carries = sites.map((_, k) => catalog.map((_, i) => (k < DC_COUNT ? rng.chance(0.9) : i < skuCount / 3 && rng.chance(0.7))));
  const share = sites.map((_, k) => (k < DC_COUNT ? 3 : 1));
  const locations = sites.map(([name, latitude, longitude], k): FulfillmentLocation => {
    const stock: Record<string, number> = {};
    catalog.forEach((item, i) => {
      if (!carries[k][i]) return;
      const weight = sites.reduce((s, _, m) => s + (carries[m][i] ? share[m] : 0), 0);
      const units = (cover * expectedUnits * item.popularity * share[k]) / weight;
      stock[item.sku] = Math.floor(units * (0.6 + 0.8 * rng.next()));
    });
    const dc = k < DC_COUNT;
    return {
      id: `loc-${String(k + 1).padStart(2, "0")}`,
      name,
      latitude,
      longitude,
      stock,
      remainingCapacity: dc ? 450 : 70 + rng.int(0, 60),
      cutoffHourUtc: dc ? 22 : 20 + rng.next() * 2,
      // 3PL-style pick/pack at a DC; ship-from-store pays store labour for the same work.
      handlingCostMinor: dc ? 275 : 550,
      handlingPerUnitMinor: dc ? 50 : 90,
    };
  });
  return { locations, rateTable: usRateTable(), rules: defaultRules, catalog };
}

export interface OrderOptions {
  /** Fixed number of distinct lines per order; default: a realistic 1–10 line mix. */
  lines?: number;
  ordersPerDay?: number;
  /** First day (ISO date). */
  start?: string;
  /** Share of orders with a promised delivery date. */
  promisedShare?: number;
}

function pickSku(rng: Rng, catalog: CatalogItem[]): CatalogItem {
  let u = rng.next();
  for (const item of catalog) if ((u -= item.popularity) <= 0) return item;
  return catalog[catalog.length - 1];
}

function lineCount(rng: Rng): number {
  const u = rng.next();
  return u < 0.4 ? 1 : u < 0.65 ? 2 : u < 0.8 ? 3 : u < 0.95 ? rng.int(4, 6) : rng.int(7, 10);
}

export function generateOrders(network: Network, count: number, seed: number, options: OrderOptions = {}): RoutingOrder[] {
  const rng = createRng(seed);
  const perDay = options.ordersPerDay ?? 1000;
  const startDay = Math.floor(Date.parse(`${options.start ?? "2025-03-03"}T00:00:00Z`) / 86_400_000);
  const totalWeight = METROS.reduce((s, m) => s + m[2], 0);
  return Array.from({ length: count }, (_, n): RoutingOrder => {
    const day = startDay + Math.floor(n / perDay);
    const placedMs = (day + ((n % perDay) + rng.next()) / perDay) * 86_400_000;
    let u = rng.next() * totalWeight;
    const metro = METROS.find((m) => (u -= m[2]) <= 0) ?? METROS[0];
    const wanted = options.lines ?? lineCount(rng);
    const skus = new Map<string, CatalogItem>();
    while (skus.size < Math.min(wanted, network.catalog.length)) {
      const item = pickSku(rng, network.catalog);
      skus.set(item.sku, item);
    }
    const lines: OrderLine[] = [...skus.values()].map((item, i) => {
      const q = rng.next();
      return { lineId: `${n + 1}-${i + 1}`, sku: item.sku, quantity: q < 0.75 ? 1 : q < 0.93 ? 2 : rng.int(3, 4), weightGrams: item.weightGrams };
    });
    const promised = rng.chance(options.promisedShare ?? 0.35);
    return {
      id: `order-${n + 1}`,
      lines,
      destination: { latitude: metro[0] + (rng.next() - 0.5), longitude: metro[1] + (rng.next() - 0.5), countryCode: "US" },
      placedAt: new Date(placedMs).toISOString(),
      promisedBy: promised ? new Date((Math.floor(placedMs / 86_400_000) + rng.int(2, 6)) * 86_400_000).toISOString().slice(0, 10) : null,
    };
  });
}

/**
 * The demand the order generator will produce over `orders` orders, by metro and SKU: what a forecast
 * would say (the realised stream still varies around it). Input for stockShadowPrices().
 */
export function forecastDemand(network: Network, orders: number): DemandForecast[] {
  const totalWeight = METROS.reduce((s, m) => s + m[2], 0);
  return network.catalog.flatMap((item) =>
    METROS.map(([latitude, longitude, weight]) => ({
      sku: item.sku,
      weightGrams: item.weightGrams,
      destination: { latitude, longitude },
      units: orders * (weight / totalWeight) * AVERAGE_LINES * item.popularity * AVERAGE_QTY,
    })),
  );
}
