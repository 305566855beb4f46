import { db } from "../db/client";
import { latestDecisionId, markDecisionDispatched, undispatchedDecisions } from "../db/pipeline-sql";
import { sql } from "../db/sql";
import { enqueueApplyRouting, enqueueWebhookProcessing, JOB, queue } from "../jobs/queue";
import { recheckInventoryLevels } from "./recheck-inventory-levels";

/**
 * Re-enqueue webhooks recorded but never processed (a crash between inbox and queue, the in-process queue
 * lost on restart, or a job Bull failed for stalling without running it), dispatch stranded routing
 * decisions, and recheck inventory levels whose settle time has passed. Same job id as the first
 * enqueue, so a job still queued is not doubled; a failed one is retried; the inbox row's status guards
 * against running twice.
 */
export async function sweepInbox(opts: { olderThanMs?: number; limit?: number; now?: Date } = {}): Promise<number> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - (opts.olderThanMs ?? 60_000));
  const stuck = await db().webhookInbox.findMany({
    where: { status: "received", receivedAt: { lt: cutoff } },
    orderBy: { receivedAt: "asc" },
    take: opts.limit ?? 500,
    select: { id: true, shopDomain: true, eventId: true },
  });
  for (const row of stuck) {
    const retried = await queue().retryFailed(`${row.shopDomain}:${row.eventId}`, JOB.processWebhook);
    if (!retried) await enqueueWebhookProcessing(row.id, row.shopDomain, row.eventId);
  }
  const dispatched = await dispatchStrandedDecisions(cutoff, opts.limit ?? 500);
  // Levels whose on hand waited for an explaining webhook past their settle time (sync-inventory-level.ts).
  const rechecked = await recheckInventoryLevels({ now: opts.now, limit: opts.limit ?? 200 });
  return stuck.length + dispatched + rechecked;
}

/** Routing decisions committed but never handed to the apply-routing job: dispatch the latest, close the rest. */
async function dispatchStrandedDecisions(cutoff: Date, limit: number): Promise<number> {
  const conn = sql();
  const stranded = undispatchedDecisions(conn, cutoff, limit);
  for (const d of stranded) {
    if (latestDecisionId(conn, d.shopId, d.orderId) === d.id) await enqueueApplyRouting(d.shopId, d.orderId, d.id);
    markDecisionDispatched(conn, d.id);
  }
  return stranded.length;
}
