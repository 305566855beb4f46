import type { JobDefinition } from "../queues/worker-runner";
import { processWebhook } from "../use-cases/process-webhook";
import { syncShopFromShopify } from "../use-cases/sync-shop";
import { JOB, type ProcessWebhookData, type SyncShopData } from "./queue";

// Every job the worker runs: a name and a perform() that calls one use case.

export const processWebhookJob: JobDefinition<ProcessWebhookData> = {
  name: JOB.processWebhook,
  concurrency: 4,
  async perform(job) {
    await processWebhook(job.data.inboxId);
  },
};

export const syncShopJob: JobDefinition<SyncShopData> = {
  name: JOB.syncShop,
  concurrency: 1,
  async perform(job) {
    await syncShopFromShopify(job.data.shopDomain);
  },
};

export const ALL_JOBS: JobDefinition[] = [processWebhookJob, syncShopJob] as JobDefinition[];
