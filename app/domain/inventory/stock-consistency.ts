// Whether stock adds up: for every level (variant × location) the ledger's deltas sum to its on hand and
// reserved buckets, the open reservations (allocations in status `reserved`) sum to its reserved bucket,
// and no bucket is negative. Pure arithmetic over three sets of sums read by the check's use case.

export interface LevelBuckets {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
}

/** Sums of ledger deltas per level and bucket. */
export interface LedgerSums {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
}

/** Units of open reservations (allocations in status `reserved`) per level. */
export interface ReservedAllocations {
  variantId: string;
  locationId: string;
  units: number;
}

export type StockDiscrepancyKind = "ledger_on_hand" | "ledger_reserved" | "allocations_reserved" | "negative_reserved";

export interface StockDiscrepancy {
  kind: StockDiscrepancyKind;
  variantId: string;
  locationId: string;
  /** What the level holds (0 when there is no level row). */
  level: number;
  /** What it should hold by the other count (the ledger's sum, the allocations' units, or 0 for a negative bucket). */
  expected: number;
}

const key = (variantId: string, locationId: string) => `${variantId}\u0000${locationId}`;

/** Every way the three counts disagree, level by level (levels missing from a count count as zero). */
export function compareStock(levels: LevelBuckets[], ledger: LedgerSums[], allocations: ReservedAllocations[]): StockDiscrepancy[] {
  const places = new Map<string, { variantId: string; locationId: string }>();
  const levelAt = new Map<string, LevelBuckets>();
  const ledgerAt = new Map<string, LedgerSums>();
  const allocatedAt = new Map<string, number>();
  for (const l of levels) {
    places.set(key(l.variantId, l.locationId), l);
    levelAt.set(key(l.variantId, l.locationId), l);
  }
  for (const s of ledger) {
    places.set(key(s.variantId, s.locationId), s);
    ledgerAt.set(key(s.variantId, s.locationId), s);
  }
  for (const a of allocations) {
    places.set(key(a.variantId, a.locationId), a);
    allocatedAt.set(key(a.variantId, a.locationId), (allocatedAt.get(key(a.variantId, a.locationId)) ?? 0) + a.units);
  }
  const found: StockDiscrepancy[] = [];
  for (const [k, { variantId, locationId }] of places) {
    const level = levelAt.get(k) ?? { onHand: 0, reserved: 0 };
    const sums = ledgerAt.get(k) ?? { onHand: 0, reserved: 0 };
    const allocated = allocatedAt.get(k) ?? 0;
    const report = (kind: StockDiscrepancyKind, held: number, expected: number) => {
      if (held !== expected) found.push({ kind, variantId, locationId, level: held, expected });
    };
    report("ledger_on_hand", level.onHand, sums.onHand);
    report("ledger_reserved", level.reserved, sums.reserved);
    report("allocations_reserved", level.reserved, allocated);
    // On hand below zero is not a discrepancy: it mirrors a Shopify figure below zero (ADR 0008, mirrorShopifyDecrease).
    if (level.reserved < 0) report("negative_reserved", level.reserved, 0);
  }
  return found;
}
