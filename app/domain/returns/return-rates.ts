// Return rates and reasons for the dashboard (ADR 0035): over a cohort of orders (those placed in the last 90 days),
// per product the units on returns (declined ones left out) against the units shipped, and the reasons customers gave.

export const RETURN_RATE_DAYS = 90;

export interface ProductReturnRate {
  productId: string;
  title: string;
  shipped: number;
  returned: number;
  /** returned / shipped, 0..1 (null when nothing shipped, e.g. the order was shipped outside the app). */
  rate: number | null;
}

export interface ReturnReasonShare {
  reason: string;
  units: number;
  /** Share of all returned units, 0..1. */
  share: number;
}

export interface ReturnRates {
  days: number;
  shipped: number;
  returned: number;
  rate: number | null;
  products: ProductReturnRate[];
  reasons: ReturnReasonShare[];
}

/**
 * Products with at least one returned unit, highest rate first (then most returned, then title); reasons by units.
 * Inputs are per product (shipped) and per product and reason (returned); a product may appear in several rows.
 */
export function returnRates(shipped: readonly { productId: string; title: string; units: number }[], returned: readonly { productId: string; title: string; reason: string; units: number }[], opts: { days?: number; limit?: number } = {}): ReturnRates {
  const products = new Map<string, { title: string; shipped: number; returned: number }>();
  const entry = (id: string, title: string) => {
    let p = products.get(id);
    if (!p) products.set(id, (p = { title, shipped: 0, returned: 0 }));
    return p;
  };
  for (const s of shipped) entry(s.productId, s.title).shipped += s.units;
  const reasons = new Map<string, number>();
  for (const r of returned) {
    entry(r.productId, r.title).returned += r.units;
    reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + r.units);
  }
  const totalShipped = [...products.values()].reduce((s, p) => s + p.shipped, 0);
  const totalReturned = [...products.values()].reduce((s, p) => s + p.returned, 0);
  const rate = (ret: number, ship: number) => (ship > 0 ? ret / ship : null);
  const rows: ProductReturnRate[] = [...products.entries()]
    .filter(([, p]) => p.returned > 0)
    .map(([productId, p]) => ({ productId, title: p.title, shipped: p.shipped, returned: p.returned, rate: rate(p.returned, p.shipped) }))
    .sort((a, b) => (b.rate ?? Infinity) - (a.rate ?? Infinity) || b.returned - a.returned || a.title.localeCompare(b.title));
  return {
    days: opts.days ?? RETURN_RATE_DAYS,
    shipped: totalShipped,
    returned: totalReturned,
    rate: rate(totalReturned, totalShipped),
    products: rows.slice(0, opts.limit ?? 10),
    reasons: [...reasons.entries()].map(([reason, units]) => ({ reason, units, share: totalReturned > 0 ? units / totalReturned : 0 })).sort((a, b) => b.units - a.units || a.reason.localeCompare(b.reason)),
  };
}
