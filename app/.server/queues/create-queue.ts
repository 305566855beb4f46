import { env } from "../env";
import { BullQueue } from "./bull-queue";
import { InProcessQueue } from "./in-process-queue";
import type { JobQueue } from "./queue-port";

export interface CreateQueueOptions {
  /** Redis URL; defaults to REDIS_URL. Without one, jobs run in this process. */
  redisUrl?: string;
  /** Redis key prefix; defaults to QUEUE_PREFIX ("oms"). */
  prefix?: string;
  /** Where Redis/Bull errors go (Bull driver only). Default: console.error. */
  onError?: (error: Error, queueName: string) => void;
}

/** The queue for this process: Bull when a Redis URL is configured, in-process otherwise. */
export function createQueue(opts: CreateQueueOptions = {}): JobQueue {
  const redisUrl = opts.redisUrl ?? env().REDIS_URL;
  if (!redisUrl) return new InProcessQueue();
  const config = env();
  return new BullQueue({
    redisUrl,
    prefix: opts.prefix ?? config.QUEUE_PREFIX,
    onError: opts.onError,
    settings: { lockDuration: config.QUEUE_LOCK_MS, stalledInterval: config.QUEUE_STALLED_INTERVAL_MS, maxStalledCount: config.QUEUE_MAX_STALLED },
  });
}
