// A change of Shopify's on hand that we applied before the webhook that explains it (ADR 0008). Shopify's webhooks
// arrive in any order, and a reading of its level (an inventory_levels/update, a refused write-back, a recheck) can
// come first:
// - a shipment lowers Shopify's on hand before its fulfillments/create is processed: the decrease is applied (once
//   the settle time passes, or at once when the order itself has not arrived yet);
// - a cancelled fulfillment or a refund that restocks returned units raises it before fulfillments/update or
//   refunds/create is processed: the increase is applied at once, as an arrival.
// The webhook that comes later must not move on hand by the same units again. So the level remembers how many units
// it has lost and gained to Shopify's readings lately; a shipment Shopify reports claims the decrease first, a
// restock Shopify reports claims the increase first. A claim that was wrong (the change was a real loss or receipt,
// and this event's own change is still to be read) is put right by the next reading of Shopify's figure, which the
// claim schedules.

export interface UnexplainedChange {
  units: number;
  /** When the claim lapses (ISO); null when there is none. */
  expiresAt: string | null;
}

export type ChangeDirection = "decrease" | "increase";

/** The units still claimable at `now` (none once the window has passed). */
export function activeUnexplained(u: UnexplainedChange, now: Date): number {
  if (u.units <= 0 || u.expiresAt === null) return 0;
  return Date.parse(u.expiresAt) > now.getTime() ? u.units : 0;
}

/** After a change read from Shopify is applied: what was still open, plus these units, for another window. */
export function afterChangeApplied(u: UnexplainedChange, units: number, now: Date, windowMs: number): UnexplainedChange {
  if (!Number.isInteger(units) || units < 0) throw new RangeError(`A change applied must be a whole number of units ≥ 0, got ${units}`);
  if (units === 0) return u;
  return { units: activeUnexplained(u, now) + units, expiresAt: new Date(now.getTime() + windowMs).toISOString() };
}

/**
 * An event Shopify reports moves `units` at the level in the remembered direction (a shipment: out; a restock: in):
 * how many of them an earlier reading already applied (`claimed`), how many must be applied now (`apply`), and what
 * stays claimable.
 */
export function claimUnexplained(u: UnexplainedChange, units: number, now: Date): { claimed: number; apply: number; left: UnexplainedChange } {
  if (!Number.isInteger(units) || units < 0) throw new RangeError(`Units moved must be a whole number ≥ 0, got ${units}`);
  const open = activeUnexplained(u, now);
  const claimed = Math.min(open, units);
  const rest = open - claimed;
  return { claimed, apply: units - claimed, left: rest > 0 ? { units: rest, expiresAt: u.expiresAt } : { units: 0, expiresAt: null } };
}
