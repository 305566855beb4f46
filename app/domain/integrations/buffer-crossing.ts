// "Stock under a channel's buffer" (ADR 0037), decided without I/O: a channel's sellable stock of a SKU (available in
// its locations, plus incoming when it sells pre-orders) is under its buffer when a buffer is set (more than 0 units)
// and the stock is at or below it — the channel then shows nothing, the buffer holds it all. The event fires when a
// SKU crosses from above to at-or-below (once per crossing), not on every push while it stays there; going back
// above re-arms it.

export interface BufferFigures {
  available: number;
  incoming: number;
  buffer: { units: number };
}

export const isUnderBuffer = (f: BufferFigures): boolean => f.buffer.units > 0 && f.available + f.incoming <= f.buffer.units;

export type BufferChange = "crossed_down" | "back_above" | null;

/** What the watch records for a SKU now: a crossing down (fires), a return above (re-arms), or nothing. */
export function bufferChange(wasBelow: boolean, figures: BufferFigures): BufferChange {
  const below = isUnderBuffer(figures);
  if (below === wasBelow) return null;
  return below ? "crossed_down" : "back_above";
}
