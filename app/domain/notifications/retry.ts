// Sending retries (ADR 0024): a failed attempt waits base × 2^(attempts−1), capped; after the last attempt the row
// is failed (shown on the admin page, never retried by itself).

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 12 };

export type AfterFailure = { status: "pending"; nextAttemptAt: Date } | { status: "failed" };

/** What becomes of a row whose attempt number `attempts` (1-based) failed at `now`. */
export function afterFailure(attempts: number, now: Date, policy: RetryPolicy = DEFAULT_RETRY): AfterFailure {
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`attempts must be a positive integer, got ${attempts}`);
  if (attempts >= policy.maxAttempts) return { status: "failed" };
  const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempts - 1));
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + wait) };
}
