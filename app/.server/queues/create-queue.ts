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
  return new BullQueue({ redisUrl, prefix: opts.prefix ?? env().QUEUE_PREFIX, onError: opts.onError });
}
