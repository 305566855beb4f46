// How long the webhook inbox keeps what it received, and how often a failed webhook is tried again.
// The durations themselves are configuration (app/.server/env.ts, INBOX_*), documented in the README's
// Privacy section; the rules are here.

export interface InboxPolicy {
  /** A raw body is kept this long after receipt for replay and debugging, then replaced by a marker. */
  payloadRetentionMs: number;
  /** Webhooks held for a domain that never installed are deleted this long after receipt. */
  heldRetentionMs: number;
  /** Rows (event id, topic, status; the body long trimmed) are kept this long for idempotency, then deleted. */
  rowRetentionMs: number;
  /** Wait before the sweep retries a transient failure: doubles with each run, up to the max. */
  retryBackoffMs: number;
  retryMaxBackoffMs: number;
  /** Runs after which a transient failure is left failed (visible on the dashboard) and no longer retried. */
  maxAttempts: number;
}

/** terminal: retrying cannot help (bad data, Shopify refusing for good); transient: it may work later. */
export type InboxFailure = "terminal" | "transient";

/** When a row that has failed `attempts` runs may run again. */
export function nextAttemptAt(now: Date, attempts: number, policy: InboxPolicy): Date {
  const delay = Math.min(policy.retryMaxBackoffMs, policy.retryBackoffMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return new Date(now.getTime() + delay);
}

export type TrimReason = "retention" | "customer_redacted" | "compliance_done" | "not_taken_in";

/** What replaces a body that is no longer kept: valid JSON that says why, and holds nothing of the original. */
export function trimmedPayload(reason: TrimReason): string {
  return JSON.stringify({ trimmed: reason });
}

/** Statuses of rows whose work is still to do: their bodies are needed (scrubbed, never dropped, by a redaction). */
export const PENDING_STATUSES: readonly string[] = ["received", "held"];
