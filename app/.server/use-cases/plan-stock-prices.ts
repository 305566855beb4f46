import { planStockPrices, DEFAULT_HORIZON_DAYS, DEFAULT_LOOKBACK_DAYS, type StockPricePlan } from "~/domain/planning/stock-price-plan";
import type { FulfillmentLocation } from "~/domain/routing";
import { cutoffHourUtc } from "~/domain/routing-policy/policy";
import { availableBySku, firstOrderPlacedAt, recentSales, saveStockPrices } from "../db/planning-sql";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { activeLocations } from "../db/pipeline-sql";
import { bumpConfigVersion } from "../db/shops";
import { loadPolicy } from "./allocate-order";

const DAY_MS = 86_400_000;

export interface PlanStockPricesOptions {
  now?: Date;
  /** Days of sales to read (default 28). */
  lookbackDays?: number;
  /** Days until replenishment the forecast covers (default 7). */
  horizonDays?: number;
}

export interface PlannedStockPrices {
  version: number;
  computedAt: string;
  stats: StockPricePlan["stats"];
}

/**
 * Price the shop's scarce stock for live routing (the daily planning job, also run on demand): forecast
 * demand by SKU and region from its own recent orders, solve it against current available stock and the
 * active policy's rate table, and store the prices (one row per shop). Allocation reads them through
 * `stockPricesForRouting`. Reads run outside any transaction; only the final write takes the lock.
 */
export async function planShopStockPrices(shopId: string, opts: PlanStockPricesOptions = {}): Promise<PlannedStockPrices> {
  const db = database();
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - (opts.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * DAY_MS);
  const rows = (await recentSales(db, shopId, since)).filter((r) => Date.parse(r.placedAt) < now.getTime());
  const first = await firstOrderPlacedAt(db, shopId);
  // The window the shop could have sold in: the lookback, or since its first order (a new shop).
  const observedFrom = first && Date.parse(first) > since.getTime() ? new Date(Math.floor(Date.parse(first) / DAY_MS) * DAY_MS) : since;

  const stock = new Map<string, Record<string, number>>();
  for (const row of await availableBySku(db, shopId)) {
    const bucket = stock.get(row.locationId) ?? {};
    bucket[row.sku] = row.available;
    stock.set(row.locationId, bucket);
  }
  const locations: FulfillmentLocation[] = (await activeLocations(db, shopId, now.toISOString().slice(0, 10)))
    .filter((l) => l.latitude !== null && l.longitude !== null)
    .map((l) => ({
      id: l.id, name: l.name, latitude: l.latitude!, longitude: l.longitude!, stock: stock.get(l.id) ?? {},
      remainingCapacity: l.dailyCapacity, cutoffHourUtc: cutoffHourUtc(l.carrierCutoff, l.timezone, now), handlingCostMinor: l.handlingCostMinor,
    }));

  const plan = planStockPrices({
    sales: rows.map((r) => ({ sku: r.sku, units: r.units, weightGrams: r.weightGrams || 500, latitude: r.latitude, longitude: r.longitude, placedAt: new Date(r.placedAt).toISOString() })),
    orders: new Set(rows.map((r) => r.orderId)).size,
    locations,
    rateTable: (await loadPolicy(db, shopId)).policy.rateTable,
    asOf: now.toISOString(),
    observedFrom: observedFrom.toISOString(),
    horizonDays: opts.horizonDays ?? DEFAULT_HORIZON_DAYS,
  });

  const version = await db.transaction(async (tx) => {
    const v = await saveStockPrices(tx, shopId, plan.prices, plan.stats, now);
    await bumpConfigVersion(tx, shopId); // every process drops its cached prices for the shop
    await audit(tx, shopId, "job:plan-stock-prices", "routing.stock_prices_planned", null, { version: v, ...plan.stats });
    return v;
  });
  return { version, computedAt: now.toISOString(), stats: plan.stats };
}
