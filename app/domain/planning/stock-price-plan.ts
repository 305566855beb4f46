// The daily planning step of inventory-aware routing, pure: forecast demand from the shop's own recent
// sales (forecastDemand), then price scarce stock against that forecast (stockShadowPrices). The job in
// app/.server runs it on stored data; the routing benchmark runs exactly this on its replay's history.
import { stockShadowPrices, type ShadowPrices } from "../routing/stock-shadow-prices";
import type { FulfillmentLocation, RateTable } from "../routing/types";
import { forecastDemand, type ForecastOptions, type SaleLine } from "./demand-forecast";

/** Days of demand the plan covers when the shop has not said when stock is replenished. */
export const DEFAULT_HORIZON_DAYS = 7;
/** Days of sales history the planner reads. */
export const DEFAULT_LOOKBACK_DAYS = 28;
/** Cost of a forecast unit no stock can serve (a lost or late sale), in minor units. */
export const DEFAULT_UNSERVED_COST_MINOR = 3000;
/** Prices older than this are ignored by live routing: stock and demand have moved on. */
export const STOCK_PRICES_STALE_AFTER_MS = 2 * 86_400_000;

export interface StockPricePlanInput {
  sales: SaleLine[];
  /** Distinct orders the sales came from (for units per shipment). */
  orders: number;
  /** Current available stock per location (and the location's coordinates and handling cost). */
  locations: FulfillmentLocation[];
  rateTable: RateTable;
  asOf: string;
  horizonDays?: number;
  observedFrom?: string;
  forecast?: Omit<ForecastOptions, "asOf" | "horizonDays" | "observedFrom">;
  unservedCostMinor?: number;
  priceScale?: number;
}

export interface StockPricePlan {
  /** Per location id, per SKU: minor units per unit (only scarce stock has an entry). */
  prices: ShadowPrices;
  stats: {
    salesLines: number;
    orders: number;
    skusForecast: number;
    regions: number;
    forecastUnits: number;
    unitsPerShipment: number;
    pricedEntries: number;
    horizonDays: number;
  };
}

export function planStockPrices(input: StockPricePlanInput): StockPricePlan {
  const horizonDays = input.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const result = forecastDemand(input.sales, { ...input.forecast, asOf: input.asOf, horizonDays, observedFrom: input.observedFrom }, input.orders);
  const unitsPerShipment = Math.max(1, result.unitsPerOrder);
  const all =
    result.forecast.length === 0
      ? {}
      : stockShadowPrices({
          locations: input.locations,
          rateTable: input.rateTable,
          forecast: result.forecast,
          unitsPerShipment,
          unservedCostMinor: input.unservedCostMinor ?? DEFAULT_UNSERVED_COST_MINOR,
          priceScale: input.priceScale,
        });
  const prices: ShadowPrices = {};
  let pricedEntries = 0;
  for (const [locationId, bySku] of Object.entries(all)) {
    const entries = Object.entries(bySku).filter(([, p]) => p > 0);
    if (entries.length === 0) continue;
    prices[locationId] = Object.fromEntries(entries);
    pricedEntries += entries.length;
  }
  return {
    prices,
    stats: {
      salesLines: input.sales.length,
      orders: input.orders,
      skusForecast: result.skus,
      regions: result.regions,
      forecastUnits: Math.round(result.forecast.reduce((s, f) => s + f.units, 0) * 10) / 10,
      unitsPerShipment: Math.round(unitsPerShipment * 100) / 100,
      pricedEntries,
      horizonDays,
    },
  };
}

/** Prices are used only while fresh: computed within `STOCK_PRICES_STALE_AFTER_MS` before `now`. */
export function stockPricesFresh(computedAt: Date | string, now: Date, staleAfterMs = STOCK_PRICES_STALE_AFTER_MS): boolean {
  const at = typeof computedAt === "string" ? Date.parse(computedAt) : computedAt.getTime();
  return Number.isFinite(at) && now.getTime() - at <= staleAfterMs;
}
