import { describe, expect, it } from "vitest";
import { nextAttemptAt, type InboxPolicy } from "./inbox-policy";

const policy: InboxPolicy = { payloadRetentionMs: 1, heldRetentionMs: 1, rowRetentionMs: 1, retryBackoffMs: 10_000, retryMaxBackoffMs: 3_600_000, maxAttempts: 40 };

describe("nextAttemptAt", () => {
  it("waits twice as long after each run, up to the max", () => {
    const now = new Date("2026-11-20T10:00:00Z");
    const waits = [1, 2, 3, 9, 40].map((n) => nextAttemptAt(now, n, policy).getTime() - now.getTime());
    expect(waits).toEqual([10_000, 20_000, 40_000, 2_560_000, 3_600_000]);
  });
});
