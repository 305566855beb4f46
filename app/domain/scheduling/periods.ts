// Fixed windows of time for work that runs once per period (the reconciliation poll, daily planning, the
// sweep), the same in every process: a window is named by its start, so two workers ticking in the same
// window name the same period, and only the first to claim it runs it.

/** The start of the window of length `everyMs` that contains `now`, as ISO text (UTC, epoch-aligned). */
export function periodOf(now: Date, everyMs: number): string {
  if (!Number.isInteger(everyMs) || everyMs <= 0) throw new RangeError(`A period needs a positive whole number of ms, got ${everyMs}`);
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs).toISOString();
}

/** How often a worker looks whether a window has come: a few times per window (so a window is never missed), at most once a minute. */
export function tickEvery(everyMs: number): number {
  return Math.max(1_000, Math.min(60_000, Math.floor(everyMs / 4)));
}
