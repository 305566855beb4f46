// Demand forecast for inventory-aware routing: from the sales a shop has already seen (order lines with
// destination and time), the units each SKU will sell to each region until the next replenishment.
// Input for stockShadowPrices(). Pure: the caller reads the sales.
//
// - Regions: destinations snapped to a grid of `cellDegrees`; each cell is represented by the
//   demand-weighted centroid of its sales (one Destination object per cell, shared by every SKU).
// - Rate: per SKU, an exponentially weighted rate in continuous time: Σ units × 2^(−age/halfLife)
//   divided by the weighted exposure ∫ 2^(−t/halfLife) dt over the observed window, so a window that
//   began two hours ago and one that began a month ago are both unbiased.
// - Mix: a SKU's units by region, pulled toward the shop-wide regional mix by `regionPriorUnits`
//   pseudo-units (empirical-Bayes shrinkage): a SKU seen 3 times does not sell only where those 3 went.
import type { DemandForecast } from "../routing/stock-shadow-prices";
import type { Destination } from "../routing/types";

const DAY_MS = 86_400_000;

export interface SaleLine {
  sku: string;
  units: number;
  /** Weight of one unit, in grams. */
  weightGrams: number;
  latitude: number;
  longitude: number;
  /** When the order was placed (ISO UTC timestamp). */
  placedAt: string;
}

export interface ForecastOptions {
  /** When the forecast is made (ISO timestamp): sales at or after it are ignored. */
  asOf: string;
  /** Days until the next replenishment: the forecast covers [asOf, asOf + horizonDays). */
  horizonDays: number;
  /**
   * Start of the window the sales were read from (ISO). Default: midnight UTC of the earliest sale.
   * A shop that started selling an hour ago has an hour of exposure, not a day.
   */
  observedFrom?: string;
  /** Half-life of the rate's exponential weights, in days. Default DEFAULT_FORECAST.halfLifeDays. */
  halfLifeDays?: number;
  /** Size of a region's grid cell, in degrees of latitude and longitude. */
  cellDegrees?: number;
  /** Pseudo-units of the shop-wide regional mix added to each SKU's own mix. */
  regionPriorUnits?: number;
  /** Forecast entries below this many units are dropped. */
  minUnits?: number;
}

/** Defaults; calibrated on replays with other seeds than the reported benchmark (ADR 0003). */
export const DEFAULT_FORECAST = {
  halfLifeDays: 7,
  cellDegrees: 2,
  regionPriorUnits: 20,
  minUnits: 0.01,
} as const;

export interface ForecastResult {
  forecast: DemandForecast[];
  /** Mean units per order line group (order) in the window, for spreading a shipment's fixed cost. */
  unitsPerOrder: number;
  /** Weighted units per day over all SKUs. */
  unitsPerDay: number;
  skus: number;
  regions: number;
}

interface Cell {
  destination: Destination;
  weight: number;
  latSum: number;
  lngSum: number;
}

/**
 * Units per SKU and region expected over the horizon. `orders` (optional) is the number of distinct
 * orders the lines came from, for `unitsPerOrder`; without it, every line counts as an order.
 */
export function forecastDemand(sales: SaleLine[], options: ForecastOptions, orders?: number): ForecastResult {
  const halfLife = options.halfLifeDays ?? DEFAULT_FORECAST.halfLifeDays;
  const cellDeg = options.cellDegrees ?? DEFAULT_FORECAST.cellDegrees;
  const prior = options.regionPriorUnits ?? DEFAULT_FORECAST.regionPriorUnits;
  const minUnits = options.minUnits ?? DEFAULT_FORECAST.minUnits;
  const asOf = Date.parse(options.asOf);
  if (Number.isNaN(asOf)) throw new Error(`invalid asOf: ${options.asOf}`);
  const empty: ForecastResult = { forecast: [], unitsPerOrder: 1, unitsPerDay: 0, skus: 0, regions: 0 };

  const seen = sales.filter((s) => s.units > 0 && Number.isFinite(s.latitude) && Number.isFinite(s.longitude) && Date.parse(s.placedAt) < asOf);
  if (seen.length === 0 || options.horizonDays <= 0) return empty;
  let earliest = Infinity; // a loop, not Math.min(...): a year of sales is more arguments than a call takes
  for (const s of seen) earliest = Math.min(earliest, Date.parse(s.placedAt));
  const from = options.observedFrom ? Math.min(Date.parse(options.observedFrom), earliest) : Math.floor(earliest / DAY_MS) * DAY_MS;
  const spanDays = Math.max((asOf - from) / DAY_MS, 1 / 24); // at least an hour of exposure
  const decay = Math.LN2 / halfLife;
  const exposureDays = (1 - Math.exp(-decay * spanDays)) / decay; // ∫₀^span 2^(−t/halfLife) dt

  const cells = new Map<string, Cell>();
  const bySku = new Map<string, { weight: number; weightGrams: number; latest: number; byCell: Map<Cell, number> }>();
  let totalWeight = 0;
  let unitsSeen = 0;
  for (const s of seen) {
    const at = Date.parse(s.placedAt);
    const w = s.units * Math.exp((-decay * (asOf - at)) / DAY_MS);
    const key = `${Math.floor(s.latitude / cellDeg)}:${Math.floor(s.longitude / cellDeg)}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { destination: { latitude: 0, longitude: 0 }, weight: 0, latSum: 0, lngSum: 0 }));
    cell.weight += w;
    cell.latSum += w * s.latitude;
    cell.lngSum += w * s.longitude;
    let sku = bySku.get(s.sku);
    if (!sku) bySku.set(s.sku, (sku = { weight: 0, weightGrams: s.weightGrams, latest: at, byCell: new Map() }));
    sku.weight += w;
    if (at >= sku.latest) {
      sku.latest = at;
      sku.weightGrams = s.weightGrams; // the newest known weight
    }
    sku.byCell.set(cell, (sku.byCell.get(cell) ?? 0) + w);
    totalWeight += w;
    unitsSeen += s.units;
  }
  if (totalWeight <= 0) return empty;
  const regions = [...cells.values()].sort((a, b) => b.weight - a.weight);
  for (const cell of regions) {
    cell.destination.latitude = cell.latSum / cell.weight;
    cell.destination.longitude = cell.lngSum / cell.weight;
  }

  const forecast: DemandForecast[] = [];
  for (const [sku, s] of [...bySku].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const total = (s.weight / exposureDays) * options.horizonDays;
    for (const cell of regions) {
      const share = ((s.byCell.get(cell) ?? 0) + (prior * cell.weight) / totalWeight) / (s.weight + prior);
      const units = total * share;
      if (units >= minUnits) forecast.push({ sku, weightGrams: s.weightGrams, destination: cell.destination, units });
    }
  }
  return {
    forecast,
    unitsPerOrder: unitsSeen / Math.max(1, orders ?? seen.length),
    unitsPerDay: totalWeight / exposureDays,
    skus: bySku.size,
    regions: regions.length,
  };
}
