import { database } from "../db/database";
import { markDecisionDispatched } from "../db/pipeline-sql";
import { enqueueApplyRouting } from "../jobs/queue";
import type { Reallocation } from "./allocate-order";

/**
 * After a transaction that (re)allocated orders committed: enqueue the apply-routing job of each new
 * decision, then mark it dispatched. A decision is committed undispatched, so if this process dies in
 * between, the sweep (sweep-inbox.ts) dispatches it: the decision row is the outbox. The mark is not waited
 * for (it rides the next commit): if it is lost, the sweep enqueues the job again under the same job id,
 * which a queue that still holds it ignores and a finished job's row simply acknowledges.
 */
export async function enqueueReallocations(shopId: string, reallocated: Reallocation[] = []): Promise<void> {
  for (const r of reallocated) {
    await enqueueApplyRouting(shopId, r.orderId, r.decisionId);
    markDecisionDispatched(database(), shopId, r.decisionId).catch((error: Error) => console.warn(`[outbox] decision ${r.decisionId} not marked dispatched (the sweep will): ${error.message}`));
  }
}
