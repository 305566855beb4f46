import { defaultPromisePolicy, type PromisePolicy } from "~/domain/routing-policy/delivery-promise";
import { defaultPolicy, parsePolicy, promisePolicySchema, type RoutingPolicy } from "~/domain/routing-policy/policy";
import type { ShadowPrices } from "~/domain/routing";
import type { Queryable } from "../db/database";
import { loadStockPrices } from "../db/planning-sql";
import { activeRuleSet } from "../db/pipeline-sql";
import { activePromisePolicy } from "../db/promise-sql";
import { configVersionOf } from "../db/shops";

// What routing reads of a shop's configuration — the active policy (rules and rate table), its delivery
// promise, the planning job's stock prices — parsed once and kept in memory per process, keyed by the
// shop's `configVersion`. Every change to any of them bumps that version in its own transaction
// (bumpConfigVersion), so a cached entry is used only while it is the shop's current configuration, in
// this process and in every other: app servers and workers never route with stale rules or prices.

export interface ShopConfig {
  version: number;
  policy: { id: string | null; policy: RoutingPolicy };
  promise: PromisePolicy;
  stockPrices: { version: number; computedAt: string; prices: ShadowPrices } | null;
}

const MAX_SHOPS = 10_000;
const cache = new Map<string, ShopConfig>();

/** The shop's configuration at `version` (read when unknown: one primary-key read). */
export async function shopConfig(q: Queryable, shopId: string, version?: number): Promise<ShopConfig> {
  const current = version ?? (await configVersionOf(q, shopId));
  const cached = cache.get(shopId);
  if (cached && cached.version === current) return cached;
  const config = await readShopConfig(q, shopId, current);
  if (!cache.has(shopId) && cache.size >= MAX_SHOPS) cache.delete(cache.keys().next().value!); // oldest first
  cache.set(shopId, config);
  return config;
}

async function readShopConfig(q: Queryable, shopId: string, version: number): Promise<ShopConfig> {
  const [rules, promise, prices] = [await activeRuleSet(q, shopId), await activePromisePolicy(q, shopId), await loadStockPrices(q, shopId)];
  return {
    version,
    policy: policyOf(rules),
    promise: promiseOf(promise?.promise),
    stockPrices: prices ? { version: prices.version, computedAt: prices.computedAt, prices: parseOr<ShadowPrices>(prices.prices, {}) } : null,
  };
}

/** The active rule set parsed; an unreadable one routes by the default policy rather than failing orders. */
export function policyOf(row: { id: string; rules: string; rateTable: string } | undefined): { id: string | null; policy: RoutingPolicy } {
  if (row) {
    const parsed = parsePolicy({ rules: parseOr(row.rules, null), rateTable: parseOr(row.rateTable, null) });
    if (parsed.ok) return { id: row.id, policy: parsed.policy };
  }
  return { id: null, policy: defaultPolicy() };
}

function promiseOf(stored: string | undefined): PromisePolicy {
  if (!stored || stored === "{}") return defaultPromisePolicy();
  const result = promisePolicySchema.safeParse(parseOr(stored, null));
  return result.success ? result.data : defaultPromisePolicy(); // an invalid stored policy falls back, like routing does
}

function parseOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Tests that change a shop's rows behind the app's back (no version bump) start from a cold cache. */
export function forgetShopConfigs(): void {
  cache.clear();
}
