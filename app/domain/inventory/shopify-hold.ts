import { available, type StockBuckets } from "./availability";

// The Shopify channel's available to sell, held in Shopify's own `safety_stock` state (ADR 0010). Shopify shows
// buyers available = on hand − committed − safety_stock at each location. It knows its own orders (committed)
// and our on hand (ADR 0008 keeps the two equal); it does not know what other channels' orders reserve, the
// safety stock the merchant keeps here, or the Shopify channel's buffer. So those are what we hold:
//
//   held(L) = reserved by other channels' orders at L + our safety at L + the buffer's share at L
//
// which leaves Shopify showing exactly our available less the buffer's share, and never touches on hand (the
// physical count stays true in Shopify). A location that does not feed the channel is held whole.

export interface HoldLevel extends StockBuckets {
  locationId: string;
  /** Of `reserved`, the units held by orders from channels other than Shopify (Shopify counts its own as committed). */
  reservedElsewhere: number;
}

export interface HoldTarget {
  locationId: string;
  /** What Shopify should show buyers at this location. */
  show: number;
  /** What Shopify's safety_stock should hold at this location. */
  hold: number;
}

/**
 * Per location, what Shopify should show and hold so the channel's locations together show `max(0, Σ available −
 * buffer)`. The buffer is taken from the locations with the most available first (ties by location id), so the
 * locations left selling are the ones least likely to run out.
 */
export function shopifyHoldTargets(levels: readonly HoldLevel[], locationIds: readonly string[] | null, bufferUnits: number): HoldTarget[] {
  const feeds = (l: HoldLevel) => locationIds === null || locationIds.includes(l.locationId);
  const show = new Map(levels.map((l) => [l.locationId, feeds(l) ? Math.max(0, available(l)) : 0]));
  const buffer = Math.max(0, Math.floor(bufferUnits));
  // Water-filling: the lowest cap c with Σ max(0, units − c) ≤ buffer; then the units still owed come one each
  // from the locations standing at the cap (by id).
  const removedAt = (c: number) => [...show.values()].reduce((sum, u) => sum + Math.max(0, u - c), 0);
  let lo = 0;
  let hi = Math.max(0, ...show.values());
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (removedAt(mid) <= buffer) hi = mid;
    else lo = mid + 1;
  }
  let owed = buffer - removedAt(lo);
  for (const [id, units] of [...show].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const capped = Math.min(units, lo);
    const extra = owed > 0 && capped > 0 && units >= lo ? 1 : 0;
    owed -= extra;
    show.set(id, capped - extra);
  }
  return levels.map((l) => {
    const s = show.get(l.locationId)!;
    // Everything Shopify would otherwise offer beyond `s`: on hand less its own orders' units less what it shows.
    const hold = Math.max(0, l.onHand - (l.reserved - l.reservedElsewhere) - s);
    return { locationId: l.locationId, show: s, hold };
  });
}

export interface HoldMove {
  locationId: string;
  /** Positive: from available into safety_stock; negative: back out. */
  quantity: number;
  /** safety_stock in Shopify before the move, as we last set it (the compare-and-set figure). */
  heldBefore: number;
}

/** The moves that take Shopify's safety_stock from what we last set to the targets (none where it is already right). */
export function holdMoves(targets: readonly HoldTarget[], heldNow: ReadonlyMap<string, number>): HoldMove[] {
  return targets
    .map((t) => ({ locationId: t.locationId, quantity: t.hold - (heldNow.get(t.locationId) ?? 0), heldBefore: heldNow.get(t.locationId) ?? 0 }))
    .filter((m) => m.quantity !== 0);
}
