// Reconciliation's judgement of one figure a channel shows against the one the app last set there (ADR 0013).
// Pure: what to do with a difference, given whether the app is the figure's only writer and what was seen before.

export type DriftVerdict =
  | { kind: "in-sync" }
  /** Set the figure again (the pusher sends the current one). */
  | { kind: "repair"; reason: string }
  /** Note it and look again: it may be the channel's own sale on its way to us. */
  | { kind: "watch"; reason: string };

export interface DriftInput {
  /** What the app last set there. */
  expected: number;
  /** What the channel shows now. */
  shown: number;
  /**
   * The app is the figure's only writer (Shopify's safety_stock hold): any difference is someone else's edit.
   * Otherwise the channel also moves it itself (Amazon lowers a listing's quantity on each of its own orders).
   */
  soleWriter: boolean;
  /** The earliest still-standing observation of this figure lower than expected, if any. */
  lowerSince: Date | null;
  now: Date;
  /** How long a lower figure may stand before it is not a sale in transit any more. */
  confirmAfterMs: number;
}

export function judgeDrift(input: DriftInput): DriftVerdict {
  const { expected, shown } = input;
  if (shown === expected) return { kind: "in-sync" };
  if (input.soleWriter) return { kind: "repair", reason: `shows ${shown}, the app set ${expected}: changed outside the app` };
  if (shown > expected) return { kind: "repair", reason: `shows ${shown}, more than the ${expected} the app set: it could sell stock that is not there` };
  if (input.lowerSince && input.now.getTime() - input.lowerSince.getTime() >= input.confirmAfterMs) {
    return { kind: "repair", reason: `shows ${shown}, less than the ${expected} the app set, for ${Math.round((input.now.getTime() - input.lowerSince.getTime()) / 60_000)} min: not a sale on its way` };
  }
  return { kind: "watch", reason: `shows ${shown}, less than the ${expected} the app set: a sale of its own may be on its way` };
}
