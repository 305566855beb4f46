// What one refund line does to a line's units (ADR 0006): units never shipped are cancelled (their
// reservation goes back), units that shipped and came back are returned (stock arrives). Pure: the use case
// applies the split.

export type RestockType = "cancel" | "return" | "legacy_restock" | "no_restock" | string;

export interface RefundLineSplit {
  /** Units cancelled before shipping: the line shrinks, its reservation or backorder claim is released. */
  cancelUnits: number;
  /** Units returned after shipping: fulfilled allocations become returned and stock is added. */
  returnUnits: number;
  /** The line's quantity after the refund, when the order we hold does not reflect it yet (null: unchanged). */
  lineQuantity: number | null;
}

/**
 * `reflected`: the order we hold already shows the refund (its quantities are net of it). `legacy_restock`
 * (older payloads, `restock: true`) cancels what was still open and returns the rest; `no_restock` moves no stock.
 */
export function splitRefundLine(refund: { restockType: RestockType; quantity: number }, line: { quantity: number; shipped: number; reflected: boolean }): RefundLineSplit {
  if (refund.restockType === "no_restock") return { cancelUnits: 0, returnUnits: 0, lineQuantity: null };
  const unshipped = Math.max(0, (line.reflected ? line.quantity + refund.quantity : line.quantity) - line.shipped);
  const cancelUnits = refund.restockType === "cancel" ? refund.quantity : refund.restockType === "legacy_restock" ? Math.min(refund.quantity, unshipped) : 0;
  return { cancelUnits, returnUnits: refund.quantity - cancelUnits, lineQuantity: line.reflected ? null : Math.max(0, line.quantity - refund.quantity) };
}

/** Which rows give `units`, first rows first, part of the last one when it holds more. */
export function takeUnits<T extends { quantity: number }>(rows: T[], units: number): { row: T; units: number }[] {
  const taken: { row: T; units: number }[] = [];
  let left = units;
  for (const row of rows) {
    if (left <= 0) break;
    const n = Math.min(left, row.quantity);
    if (n > 0) taken.push({ row, units: n });
    left -= n;
  }
  return taken;
}
