import type { JobDefinition } from "../queues/worker-runner";
import { processWebhook } from "../use-cases/process-webhook";
import { syncShopFromShopify } from "../use-cases/sync-shop";
import { completeRouting } from "../use-cases/complete-routing";
import { reconcileOrders } from "../use-cases/reconcile-orders";
import { AppError } from "../errors";
import { TerminalJobError } from "../queues/queue-port";
import { JOB, type ApplyRoutingData, type ProcessWebhookData, type ReconcileOrdersData, type SyncShopData } from "./queue";

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

export const applyRoutingJob: JobDefinition<ApplyRoutingData> = {
  name: JOB.applyRouting,
  concurrency: 4,
  async perform(job) {
    await completeRouting(job.data);
  },
};

/** The poll that catches orders whose webhooks never arrived. */
export const reconcileOrdersJob: JobDefinition<ReconcileOrdersData> = {
  name: JOB.reconcileOrders,
  concurrency: 1,
  async perform(job) {
    try {
      const result = await reconcileOrders(job.data.shopDomain);
      if (result.invalid.length > 0) console.warn(`[reconcile-orders] ${job.data.shopDomain} skipped`, JSON.stringify(result.invalid));
    } catch (error) {
      if (error instanceof AppError && error.type === "not_found") throw new TerminalJobError(error.message);
      throw error;
    }
  },
};

export const ALL_JOBS: JobDefinition[] = [processWebhookJob, syncShopJob, applyRoutingJob, reconcileOrdersJob] as JobDefinition[];
