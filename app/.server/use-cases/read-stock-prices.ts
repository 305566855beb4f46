import { stockPricesFresh, type StockPricePlan } from "~/domain/planning/stock-price-plan";
import type { ShadowPrices } from "~/domain/routing";
import { loadStockPrices, stockPriceVersion } from "../db/planning-sql";
import { sql, type Sql } from "../db/sql";

// The shop's stock shadow prices as live routing uses them (allocate-order.ts passes them to route()).
// Reservation runs thousands of orders a second, so the parsed prices are cached per shop with the row's
// version: the row's version is looked at most once a second (a primary-key read), and the JSON is parsed
// only when it changed. A plan written by this process replaces its cache entry at once; one written by
// another process (a separate worker) is seen within a second. Prices older than two days are not used.

const RECHECK_MS = 1_000;

interface Entry {
  /** null: the shop had no plan when last checked. */
  version: number | null;
  computedAt: string;
  prices: ShadowPrices;
  checkedAtMs: number;
}

const caches = new WeakMap<Sql, Map<string, Entry>>();

function cacheOf(db: Sql): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** Prices for routing now, or undefined when the shop has none or they are stale. */
export function stockPricesForRouting(db: Sql, shopId: string, now: Date): ShadowPrices | undefined {
  const cache = cacheOf(db);
  const wall = Date.now();
  let entry = cache.get(shopId);
  if (!entry || wall - entry.checkedAtMs >= RECHECK_MS) {
    entry = refresh(db, shopId, entry, wall);
    cache.set(shopId, entry);
  }
  if (entry.version === null || !stockPricesFresh(entry.computedAt, now)) return undefined;
  return entry.prices;
}

function refresh(db: Sql, shopId: string, previous: Entry | undefined, wall: number): Entry {
  const head = stockPriceVersion(db, shopId);
  if (!head) return { version: null, computedAt: "", prices: {}, checkedAtMs: wall };
  if (previous && previous.version === head.version && previous.computedAt === head.computedAt) return { ...previous, checkedAtMs: wall };
  const row = loadStockPrices(db, shopId);
  if (!row) return { version: null, computedAt: "", prices: {}, checkedAtMs: wall };
  let prices: ShadowPrices;
  try {
    prices = JSON.parse(row.prices) as ShadowPrices;
  } catch {
    prices = {}; // unreadable: route without prices rather than fail the order
  }
  return { version: row.version, computedAt: row.computedAt, prices, checkedAtMs: wall };
}

/** After this process stored a new plan: the next routing of the shop reads it. */
export function forgetStockPrices(db: Sql, shopId: string): void {
  cacheOf(db).delete(shopId);
}

export interface StockPricePlanStatus {
  version: number;
  computedAt: string;
  /** False when routing ignores the prices (older than two days). */
  fresh: boolean;
  stats: Partial<StockPricePlan["stats"]>;
}

/** The Routing page's view of the shop's latest plan, or null before the first one. */
export function stockPricePlanStatus(shopId: string, now = new Date()): StockPricePlanStatus | null {
  const row = loadStockPrices(sql(), shopId);
  if (!row) return null;
  let stats: Partial<StockPricePlan["stats"]> = {};
  try {
    stats = JSON.parse(row.stats) as Partial<StockPricePlan["stats"]>;
  } catch {
    stats = {};
  }
  return { version: row.version, computedAt: new Date(row.computedAt).toISOString(), fresh: stockPricesFresh(row.computedAt, now), stats };
}
