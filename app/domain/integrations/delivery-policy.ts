import { afterFailure, type RetryPolicy } from "../notifications/retry";

// When an outgoing delivery is tried again, when it is given up, and when an endpoint is paused (ADR 0031).
// The backoff is the notifications' (30 s doubling to 1 h); a delivery is given up 24 h after it was written; an
// endpoint whose attempts have all failed for 24 h (or `maxConsecutiveFailures` in a row) is paused.

export interface DeliveryPolicy {
  retry: RetryPolicy;
  /** How long after it was written a delivery is still tried. */
  giveUpAfterMs: number;
  /** An endpoint failing without a success for this long is paused. */
  pauseAfterFailingMs: number;
  /** …or after this many failed attempts in a row, whichever comes first. */
  maxConsecutiveFailures: number;
  /** How long one HTTP attempt may take. */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  retry: { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: Number.MAX_SAFE_INTEGER },
  giveUpAfterMs: 24 * 3_600_000,
  pauseAfterFailingMs: 24 * 3_600_000,
  maxConsecutiveFailures: 100,
  timeoutMs: 10_000,
};

export type AfterDeliveryFailure = { status: "pending"; nextAttemptAt: Date } | { status: "failed" };

/** A delivery written at `createdAt` whose attempt number `attempts` failed at `now`. */
export function afterDeliveryFailure(attempts: number, createdAt: Date, now: Date, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): AfterDeliveryFailure {
  const next = afterFailure(attempts, now, policy.retry);
  if (next.status === "failed" || next.nextAttemptAt.getTime() > createdAt.getTime() + policy.giveUpAfterMs) return { status: "failed" };
  return next;
}

/** Whether an endpoint with this failure record is to be paused (and why), after a failed attempt at `now`. */
export function pauseReason(record: { consecutiveFailures: number; failingSince: Date | null }, now: Date, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): string | null {
  if (record.consecutiveFailures >= policy.maxConsecutiveFailures) return `${record.consecutiveFailures} deliveries in a row failed`;
  if (record.failingSince && now.getTime() - record.failingSince.getTime() >= policy.pauseAfterFailingMs) {
    return `every delivery failed for ${Math.round((now.getTime() - record.failingSince.getTime()) / 3_600_000)} h`;
  }
  return null;
}

/** A 2xx answer is a delivery; anything else (or none in time) is a failure to retry. */
export const delivered = (status: number) => status >= 200 && status < 300;
