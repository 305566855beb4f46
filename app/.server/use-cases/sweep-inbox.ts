import { db } from "../db/client";
import { enqueueWebhookProcessing } from "../jobs/queue";

/**
 * Re-enqueue webhooks recorded but never processed (a crash between inbox and queue, or an
 * in-process queue lost on restart). Same job id as the first enqueue, so a job still queued is not
 * doubled; the inbox row's status guards against running twice.
 */
export async function sweepInbox(opts: { olderThanMs?: number; limit?: number; now?: Date } = {}): Promise<number> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - (opts.olderThanMs ?? 60_000));
  const stuck = await db().webhookInbox.findMany({
    where: { status: "received", receivedAt: { lt: cutoff } },
    orderBy: { receivedAt: "asc" },
    take: opts.limit ?? 500,
    select: { id: true, shopDomain: true, eventId: true },
  });
  for (const row of stuck) await enqueueWebhookProcessing(row.id, row.shopDomain, row.eventId);
  return stuck.length;
}
