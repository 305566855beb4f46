import { createQueue } from "../queues/create-queue";
import type { JobQueue } from "../queues/queue-port";

// The process-wide queue (in-process by default, Bull when REDIS_URL is set) and typed enqueuers.

let instance: JobQueue | undefined;

export function queue(): JobQueue {
  instance ??= createQueue();
  return instance;
}

/** Tests and the demo hand in a queue of their own. */
export function setQueue(q: JobQueue | undefined): void {
  instance = q;
}

export const JOB = {
  processWebhook: "process-webhook",
  syncShop: "sync-shop",
} as const;

export interface ProcessWebhookData {
  inboxId: string;
}

export async function enqueueWebhookProcessing(inboxId: string, shopDomain: string, eventId: string): Promise<void> {
  await queue().enqueue<ProcessWebhookData>(JOB.processWebhook, { inboxId }, { jobId: `${shopDomain}:${eventId}`, attempts: 8, backoffMs: 1_000 });
}

export interface SyncShopData {
  shopDomain: string;
}

export async function enqueueShopSync(shopDomain: string, now = Date.now()): Promise<void> {
  // One sync per shop per minute at most, however many sessions get exchanged.
  const minute = Math.floor(now / 60_000);
  await queue().enqueue<SyncShopData>(JOB.syncShop, { shopDomain }, { jobId: `${shopDomain}:${minute}`, attempts: 5, backoffMs: 2_000 });
}
