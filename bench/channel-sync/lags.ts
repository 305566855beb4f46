// What every channel's measurement of the channel-sync bench has in common: the stock changes a run committed, and
// per change how long until the channel accepted a figure reflecting it. Each channel has a function that turns the
// changes and what its stand-in accepted into a ChannelLags (shopify.ts: `shopifyLags`; Amazon's goes beside it once
// the app pushes to Amazon); the bench's figure is the p95 over every channel's samples together (`p95Over`).

/** One committed stock change: a reservation of `quantity` units at one level, as the ledger recorded it. */
export interface CommittedChange {
  index: number;
  orderId: string;
  variantId: string;
  locationId: string;
  quantity: number;
  ledgerId: number;
  /**
   * The ledger entry's createdAt (ms): written as the change's transaction runs in its group, a few ms before the
   * commit (the app's own lag, ChannelPush, counts from it too). The change's time in the lags.
   */
  ledgerAtMs: number;
  /** When the writer's call returned (ms): just after the commit, once the caller's continuation ran. */
  committedAtMs: number;
}

export interface ChannelLags {
  channel: string;
  /** Per change: ms from its ledger timestamp to the first accepted figure reflecting it; null when none was. */
  lagMs: (number | null)[];
  /** The same from the writer's post-commit timestamp. */
  lagFromReturnMs: (number | null)[];
  /** For a change never reflected: how long it had waited since its ledger timestamp when the run stopped looking (a lower bound of its lag). */
  waitedMs: (number | null)[];
  calls: { sent: number; accepted: number; refused: number; throttled: number; points: number; changes: number; lowestBucket: number | null };
  /** Anything the channel's own check found wrong (the stand-in's final figures not the expected ones…). */
  problems: string[];
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * p95 over every channel's changes. A change never reflected counts with the time it had waited when the run
 * stopped (what is known of its lag: at least that), so unsent changes raise the figure instead of leaving it;
 * `lowerBound` says when any did (the figure is then a lower bound of the true p95).
 */
export function p95Over(channels: ChannelLags[], from: "ledger" | "return" = "ledger"): { p95: number; p50: number; max: number; samples: number; unsent: number; lowerBound: boolean } {
  const values: number[] = [];
  const censored: number[] = [];
  for (const c of channels) {
    const lags = from === "ledger" ? c.lagMs : c.lagFromReturnMs;
    lags.forEach((lag, i) => {
      if (lag !== null) values.push(lag);
      else censored.push(c.waitedMs[i] ?? 0);
    });
  }
  const all = [...values, ...censored];
  const p95 = percentile(all, 95);
  // A censored value above the p95 leaves it where it is however long that change really waited; one at or below may not.
  return { p95, p50: percentile(all, 50), max: all.length ? Math.max(...all) : NaN, samples: all.length, unsent: censored.length, lowerBound: censored.some((w) => w <= p95) };
}
