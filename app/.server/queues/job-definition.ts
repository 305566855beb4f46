import type { EnqueueOptions, JobContext, JobQueue } from "./queue-port";

// A job is a name plus perform(); the worker registers it (worker-runner.ts) and callers enqueue it
// through enqueueJob so the data type and the job's attempts travel with the definition.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of jobs mixes data types
export interface JobDefinition<T = any> {
  name: string;
  /** Handlers of this job running at once per worker process. Default 1. */
  concurrency?: number;
  /** Default attempts when enqueued through enqueueJob. Default 5 (the queue's default). */
  attempts?: number;
  /** Throw TerminalJobError when retrying cannot help; any other error is retried with backoff. */
  perform(job: JobContext<T>): Promise<void>;
}

/** Enqueue a job by its definition: typed data, the definition's attempts unless opts override them. */
export function enqueueJob<T>(queue: JobQueue, job: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): Promise<void> {
  return queue.enqueue(job.name, data, { ...opts, attempts: opts.attempts ?? job.attempts });
}
