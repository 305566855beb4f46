import { database } from "../db/database";
import { latestDecisionId, markDecisionDispatched, undispatchedDecisionsAcrossShops } from "../db/pipeline-sql";
import { applyInboxRetentionAcrossShops, dueRetriesAcrossShops, heldForInstalledShopsAcrossShops, stuckWebhooksAcrossShops } from "../db/webhook-inbox";
import { inboxPolicy } from "../env";
import { levelsWithOpenPushesAcrossShops } from "../db/stock-push-sql";
import { pruneChannelPushesAcrossShops, shopsWithChannelWorkAcrossShops } from "../db/channel-sync-sql";
import { pruneAmazonFeedsAcrossShops } from "../db/amazon-sql";
import { pruneChannelDriftAcrossShops } from "../db/channel-reconcile-sql";
import { enqueueApplyRouting, enqueueChannelStockSync, enqueuePushOnHand, retryWebhookProcessing } from "../jobs/queue";
import { recheckInventoryLevels } from "./recheck-inventory-levels";

/**
 * Re-enqueue webhooks recorded but never processed (a crash between inbox and queue, the in-process queue
 * lost on restart, a job Bull failed for stalling without running it, held for a shop installed since) and
 * webhooks failed by something transient whose next attempt is due (backoff, capped runs: INBOX_*), dispatch
 * stranded routing decisions, recheck inventory levels whose settle time has passed, resume on-hand pushes left
 * open, and apply the inbox's retention rule. Same job id as the first enqueue, so a job still queued is not doubled; a failed one is
 * retried; the inbox row's status guards against running twice.
 */
export async function sweepInbox(opts: { olderThanMs?: number; limit?: number; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 500;
  const policy = inboxPolicy();
  const cutoff = new Date(now.getTime() - (opts.olderThanMs ?? 60_000));
  const db = database();
  const released = await db.transaction((tx) => heldForInstalledShopsAcrossShops(tx, limit));
  const again = [...(await stuckWebhooksAcrossShops(db, cutoff, limit)), ...(await dueRetriesAcrossShops(db, now, policy.maxAttempts, limit)), ...released];
  for (const row of again) await retryWebhookProcessing(row.id, row.shopDomain, row.eventId);
  const dispatched = await dispatchStrandedDecisions(cutoff, limit);
  // Levels whose on hand waited for an explaining webhook past their settle time (sync-inventory-level.ts).
  const rechecked = await recheckInventoryLevels({ now: opts.now, limit: opts.limit ?? 200 });
  const pushes = await resumeOnHandPushes(cutoff, now, limit);
  // Channel figures whose sync job was lost or failed (the marks and the ledger cursor are durable): synced again.
  const channelShops = await shopsWithChannelWorkAcrossShops(db, now, limit);
  for (const shopId of channelShops) await enqueueChannelStockSync({ shopId }, now.getTime());
  await db.transaction(async (tx) => {
    await pruneChannelPushesAcrossShops(tx, new Date(now.getTime() - CHANNEL_PUSH_RETENTION_MS));
    await pruneAmazonFeedsAcrossShops(tx, new Date(now.getTime() - CHANNEL_PUSH_RETENTION_MS));
    await pruneChannelDriftAcrossShops(tx, new Date(now.getTime() - CHANNEL_PUSH_RETENTION_MS));
  });
  const retention = await applyInboxRetentionAcrossShops(now, policy, limit);
  return again.length + dispatched + rechecked + pushes + channelShops.length + retention.trimmed + retention.heldDeleted + retention.rowsDeleted;
}

/** Accepted channel figures kept for the lag statistics and the sync-health card. */
const CHANNEL_PUSH_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * On-hand pushes still open past the cutoff (a crash between commit and enqueue, the in-process queue lost on
 * restart, a job that ran out of attempts): enqueued again, once per level and minute.
 */
async function resumeOnHandPushes(cutoff: Date, now: Date, limit: number): Promise<number> {
  const levels = await levelsWithOpenPushesAcrossShops(database(), cutoff, limit);
  const minute = Math.floor(now.getTime() / 60_000);
  for (const l of levels) await enqueuePushOnHand({ shopId: l.shopId, variantId: l.variantId, locationId: l.locationId }, `sweep-${minute}`);
  return levels.length;
}

/** Routing decisions committed but never handed to the apply-routing job: dispatch the latest, close the rest. */
async function dispatchStrandedDecisions(cutoff: Date, limit: number): Promise<number> {
  const db = database();
  const stranded = await undispatchedDecisionsAcrossShops(db, cutoff, limit);
  for (const d of stranded) {
    if ((await latestDecisionId(db, d.shopId, d.orderId)) === d.id) await enqueueApplyRouting(d.shopId, d.orderId, d.id);
    await markDecisionDispatched(db, d.shopId, d.id);
  }
  return stranded.length;
}
