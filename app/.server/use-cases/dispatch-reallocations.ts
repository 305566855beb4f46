import { database } from "../db/database";
import { markDecisionsDispatched } from "../db/pipeline-sql";
import { enqueueApplyRouting } from "../jobs/queue";
import type { Reallocation } from "./allocate-order";

/**
 * After a transaction that (re)allocated orders committed: enqueue the apply-routing job of each new
 * decision, then mark it dispatched. A decision is committed undispatched, so if this process dies in
 * between, the sweep (sweep-inbox.ts) dispatches it: the decision row is the outbox. The mark is not waited
 * for: marks gather for a few milliseconds and go in one statement per shop (under load, one for many
 * orders instead of one each). If one is lost (a crash before it was written), the sweep enqueues the job
 * again under the same job id, which a queue that still holds it ignores and a finished job's row simply
 * acknowledges.
 */
export async function enqueueReallocations(shopId: string, reallocated: Reallocation[] = []): Promise<void> {
  for (const r of reallocated) {
    await enqueueApplyRouting(shopId, r.orderId, r.decisionId);
    markDispatchedSoon(shopId, r.decisionId);
  }
}

/** How long a dispatched mark waits for others to share its statement. */
const MARK_GATHER_MS = 5;
const pendingMarks = new Map<string, string[]>();
let flushTimer: NodeJS.Timeout | null = null;

function markDispatchedSoon(shopId: string, decisionId: string): void {
  const ids = pendingMarks.get(shopId);
  if (ids) ids.push(decisionId);
  else pendingMarks.set(shopId, [decisionId]);
  flushTimer ??= setTimeout(() => void flushDispatchedMarks(), MARK_GATHER_MS);
}

/** Write the gathered marks now (the timer does it; a worker stopping does it once more). Never throws: a lost mark is the sweep's. */
export async function flushDispatchedMarks(): Promise<void> {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  const batches = [...pendingMarks];
  pendingMarks.clear();
  await Promise.all(
    batches.map(([shopId, ids]) =>
      markDecisionsDispatched(database(), shopId, ids).catch((error: Error) => console.warn(`[outbox] ${ids.length} decision(s) not marked dispatched (the sweep will): ${error.message}`)),
    ),
  );
}
