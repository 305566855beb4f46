// A decrease of Shopify's on hand that we applied before a shipment explained it (ADR 0008). Shopify's webhooks
// arrive in any order: the inventory_levels/update of a shipment can be read before its fulfillments/create (and
// applied, once the settle time passes, or at once when the order itself has not arrived yet). The fulfillment
// that comes later must not take the same units off on hand again. So the level remembers how many units it has
// lost to Shopify's readings lately; a fulfillment Shopify reports takes those first. A claim that was wrong (the
// decrease was a real loss, and this shipment's own decrease is still to be read) is put right by the next
// reading of Shopify's figure, which the claim schedules.

export interface UnexplainedDecrease {
  units: number;
  /** When the claim lapses (ISO); null when there is none. */
  expiresAt: string | null;
}

/** The units still claimable at `now` (none once the window has passed). */
export function activeUnexplained(u: UnexplainedDecrease, now: Date): number {
  if (u.units <= 0 || u.expiresAt === null) return 0;
  return Date.parse(u.expiresAt) > now.getTime() ? u.units : 0;
}

/** After a decrease read from Shopify is applied: what was still open, plus these units, for another window. */
export function afterDecreaseApplied(u: UnexplainedDecrease, units: number, now: Date, windowMs: number): UnexplainedDecrease {
  if (!Number.isInteger(units) || units < 0) throw new RangeError(`A decrease applied must be a whole number of units ≥ 0, got ${units}`);
  if (units === 0) return u;
  return { units: activeUnexplained(u, now) + units, expiresAt: new Date(now.getTime() + windowMs).toISOString() };
}

/**
 * A fulfillment Shopify reports ships `shipped` units from the level: how many of them an earlier decrease
 * already took off on hand (`claimed`), how many must be taken now (`take`), and what stays claimable.
 */
export function claimForShipment(u: UnexplainedDecrease, shipped: number, now: Date): { claimed: number; take: number; left: UnexplainedDecrease } {
  if (!Number.isInteger(shipped) || shipped < 0) throw new RangeError(`Units shipped must be a whole number ≥ 0, got ${shipped}`);
  const open = activeUnexplained(u, now);
  const claimed = Math.min(open, shipped);
  const rest = open - claimed;
  return { claimed, take: shipped - claimed, left: rest > 0 ? { units: rest, expiresAt: u.expiresAt } : { units: 0, expiresAt: null } };
}
