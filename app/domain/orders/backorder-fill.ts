// Who gets stock that arrives (a receipt, a return, a cancel's release): the oldest backordered orders first,
// each for what it still waits for of the variants that have stock. Pure: the use case reads the queue and
// the stock, asks these rules what to do, and applies it (re-routing each order it names).

export interface WaitingAllocation {
  id: string;
  orderLineId: string;
  variantId: string | null;
  quantity: number;
  status: string;
}

/** Units available per variant, summed over locations (a location short of stock counts as none, not less). */
export function stockByVariant(levels: { variantId: string; available: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of levels) out.set(row.variantId, (out.get(row.variantId) ?? 0) + Math.max(0, row.available));
  return out;
}

export function anyStockLeft(stock: Map<string, number>): boolean {
  for (const units of stock.values()) if (units > 0) return true;
  return false;
}

export interface BackorderClaim {
  /** Backorder rows this fill supersedes (closed; the re-routing writes new ones for what stays missing). */
  release: string[];
  /** Units to route per order line. */
  wanted: Map<string, number>;
}

/**
 * What one backordered order claims of the stock left: every backordered allocation of a variant that has
 * stock, whole (routing decides how much it gets; what it cannot get is backordered again). Null when the
 * order waits only for variants with nothing left.
 */
export function backorderClaim(allocations: WaitingAllocation[], stock: Map<string, number>): BackorderClaim | null {
  const waiting = allocations.filter((a) => a.status === "backordered" && a.variantId !== null && (stock.get(a.variantId) ?? 0) > 0);
  if (waiting.length === 0) return null;
  const wanted = new Map<string, number>();
  for (const a of waiting) wanted.set(a.orderLineId, (wanted.get(a.orderLineId) ?? 0) + a.quantity);
  return { release: waiting.map((a) => a.id), wanted };
}
