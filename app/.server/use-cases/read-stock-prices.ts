import { stockPricesFresh, type StockPricePlan } from "~/domain/planning/stock-price-plan";
import type { ShadowPrices } from "~/domain/routing";
import { database } from "../db/database";
import { loadStockPrices } from "../db/planning-sql";
import type { ShopConfig } from "./shop-config";

// The shop's stock shadow prices as live routing uses them (allocate-order.ts passes them to route()): the
// planning job's latest plan, parsed once per process and shop configuration (shop-config.ts). Prices
// older than two days are not used.

/** Prices for routing now, or undefined when the shop has none or they are stale. */
export function stockPricesForRouting(config: ShopConfig, now: Date): ShadowPrices | undefined {
  const plan = config.stockPrices;
  if (!plan || !stockPricesFresh(plan.computedAt, now)) return undefined;
  return plan.prices;
}

export interface StockPricePlanStatus {
  version: number;
  computedAt: string;
  /** False when routing ignores the prices (older than two days). */
  fresh: boolean;
  stats: Partial<StockPricePlan["stats"]>;
}

/** The Routing page's view of the shop's latest plan, or null before the first one. */
export async function stockPricePlanStatus(shopId: string, now = new Date()): Promise<StockPricePlanStatus | null> {
  const row = await loadStockPrices(database(), shopId);
  if (!row) return null;
  let stats: Partial<StockPricePlan["stats"]> = {};
  try {
    stats = JSON.parse(row.stats) as Partial<StockPricePlan["stats"]>;
  } catch {
    stats = {};
  }
  return { version: row.version, computedAt: new Date(row.computedAt).toISOString(), fresh: stockPricesFresh(row.computedAt, now), stats };
}
