import type { JobDefinition } from "../queues/worker-runner";
import { processWebhook } from "../use-cases/process-webhook";
import { syncShopFromShopify } from "../use-cases/sync-shop";
import { completeRouting } from "../use-cases/complete-routing";
import { reconcileOrders } from "../use-cases/reconcile-orders";
import { planShopStockPrices } from "../use-cases/plan-stock-prices";
import { pushOnHand } from "../use-cases/push-on-hand";
import { markChannelStock, pushedChannels, pushShopifyStock } from "../use-cases/sync-channel-stock";
import { pushAmazonStock } from "../use-cases/push-amazon-stock";
import { reconcileChannelStock } from "../use-cases/reconcile-channel-stock";
import { pollAmazonOrders } from "../use-cases/poll-amazon-orders";
import { failImport, runImport } from "../use-cases/run-import";
import { confirmShipment } from "../use-cases/confirm-shipment";
import { scanEdiDropFolder } from "../use-cases/scan-edi-drop-folder";
import { deliverPartnerDocuments } from "../use-cases/deliver-partner-documents";
import { notifyCustomers } from "../use-cases/notify-customers";
import { runAutomation } from "../use-cases/run-automation";
import { database } from "../db/database";
import { findShopByDomain, findShopById } from "../db/shops";
import { env } from "../env";
import { AppError } from "../errors";
import { TerminalJobError } from "../queues/queue-port";
import { mirrorReturnJob } from "../use-cases/mirror-return-to-shopify";
import { scheduleCycleCountsJob } from "../use-cases/cycle-counts";
import { shipPackJob } from "../use-cases/pick-pack-ship";
import { CONFIRM_SHIPMENT_ATTEMPTS, enqueueChannelStockSync, IMPORT_JOB_ATTEMPTS, JOB, type ConfirmShipmentData, type NotifyCustomersData, type AutomateData, type RunImportData, type PollAmazonOrdersData, type ReconcileChannelStockData, type SyncChannelStockData, type ApplyRoutingData, type PlanStockPricesData, type ProcessWebhookData, type PushOnHandData, type ReconcileOrdersData, type SyncShopData } from "./queue";

// Every job the worker runs: a name and a perform() that calls one use case.

/**
 * Webhook jobs at once: WEBHOOK_JOB_CONCURRENCY, else 128 in a dedicated worker (their writes share group
 * commits, and a commit's fixed cost is spread over more of them: ADR 0004) and 32 beside the web server
 * (acks go first in every group, so the ack p99 at 500/s stays under 50 ms; 64 pushed it past; 8 made
 * groups so small that commits cost a fifth more per order: ADR 0007, session 8).
 */
export function webhookJobConcurrency(sharesWebProcess: boolean): number {
  return env().WEBHOOK_JOB_CONCURRENCY ?? (sharesWebProcess ? 32 : 128);
}

export const processWebhookJob: JobDefinition<ProcessWebhookData> = {
  name: JOB.processWebhook,
  get concurrency() {
    return webhookJobConcurrency(false);
  },
  async perform(job) {
    const outcome = await processWebhook(job.data.inboxId, job.data.shopDomain);
    if (outcome === "processed") await enqueueChannelStockSync({ shopDomain: job.data.shopDomain });
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
      const result = await reconcileOrders(job.data.shopDomain, { period: job.data.period });
      if (result.invalid.length > 0) console.warn(`[reconcile-orders] ${job.data.shopDomain} skipped`, JSON.stringify(result.invalid));
    } catch (error) {
      if (error instanceof AppError && error.type === "not_found") throw new TerminalJobError(error.message);
      throw error;
    }
  },
};

/** Daily (and on demand): forecast the shop's demand and price its scarce stock for live routing. */
export const planStockPricesJob: JobDefinition<PlanStockPricesData> = {
  name: JOB.planStockPrices,
  concurrency: 1,
  async perform(job) {
    const shop = await findShopByDomain(database(), job.data.shopDomain);
    if (!shop || shop.status !== "installed") throw new TerminalJobError(`shop ${job.data.shopDomain} is not installed`);
    await planShopStockPrices(shop.id);
  },
};

/** The app's own on-hand changes, written to Shopify (compare-and-set, idempotent: ADR 0008). */
export const pushOnHandJob: JobDefinition<PushOnHandData> = {
  name: JOB.pushOnHand,
  concurrency: 4,
  async perform(job) {
    await pushOnHand(job.data.shopId, job.data.variantId, job.data.locationId);
  },
};

/** Each channel's figures after stock changed: marks from the ledger, then the Shopify channel's holds (ADR 0010). */
/** How soon a shop's channel sync comes back while an Amazon feed is processing. */
const AMAZON_POLL_MS = 5_000;

export const syncChannelStockJob: JobDefinition<SyncChannelStockData> = {
  name: JOB.syncChannelStock,
  concurrency: 1,
  async perform(job) {
    const db = database();
    const shop = job.data.shopId ? await findShopById(db, job.data.shopId) : job.data.shopDomain ? await findShopByDomain(db, job.data.shopDomain) : undefined;
    if (!shop || shop.status !== "installed") return; // nothing to send for a shop that is not installed
    await markChannelStock(shop.id);
    let again = false;
    let failure: unknown;
    for (const channel of await pushedChannels(shop.id)) {
      try {
        if (channel.kind === "shopify") await pushShopifyStock(shop.id);
        else if (channel.kind === "amazon") {
          const outcome = await pushAmazonStock(shop.id, channel.id);
          again ||= outcome.feedsInFlight > 0 || outcome.waiting > 0;
        }
      } catch (error) {
        failure ??= error; // one channel not answering does not hold the others back; the job is retried after
      }
    }
    // A feed is processing or product types wait to be looked up: come back shortly to read and settle them.
    if (again) await enqueueChannelStockSync({ shopId: shop.id }, Date.now(), { notBefore: Date.now() + AMAZON_POLL_MS });
    if (failure) throw failure;
  },
};

/** Read back what channels show and repair drift (ADR 0013). */
export const reconcileChannelStockJob: JobDefinition<ReconcileChannelStockData> = {
  name: JOB.reconcileChannelStock,
  concurrency: 1,
  async perform(job) {
    const shop = await findShopByDomain(database(), job.data.shopDomain);
    if (!shop || shop.status !== "installed") return;
    await reconcileChannelStock(shop.id);
  },
};

/** Amazon orders in (ADR 0015): every connected Amazon channel of the shop, from its watermark. */
export const pollAmazonOrdersJob: JobDefinition<PollAmazonOrdersData> = {
  name: JOB.pollAmazonOrders,
  concurrency: 1,
  async perform(job) {
    const shop = await findShopByDomain(database(), job.data.shopDomain);
    if (!shop || shop.status !== "installed") return;
    let failure: unknown;
    for (const channel of (await pushedChannels(shop.id)).filter((c) => c.kind === "amazon")) {
      try {
        await pollAmazonOrders(shop.id, channel.id);
      } catch (error) {
        failure ??= error; // the other channels still poll; the job is retried after
      }
    }
    if (failure) throw failure;
  },
};

/** An import (ADR 0016): its file read, its orders taken in; on the last failed attempt the import says why. */
export const runImportJob: JobDefinition<RunImportData> = {
  name: JOB.runImport,
  concurrency: 1,
  attempts: IMPORT_JOB_ATTEMPTS,
  async perform(job) {
    try {
      await runImport(job.data.shopId, job.data.importId);
    } catch (error) {
      const terminal = error instanceof AppError && error.type !== "unexpected_state";
      if (terminal || job.attempt >= IMPORT_JOB_ATTEMPTS) await failImport(job.data.shopId, job.data.importId, (error as Error).message);
      if (terminal) throw new TerminalJobError((error as Error).message);
      throw error;
    }
  },
};

/** A shipment of ours told to its channel (Amazon's confirmShipment); a refusal is recorded on the shipment. */
export const confirmShipmentJob: JobDefinition<ConfirmShipmentData> = {
  name: JOB.confirmShipment,
  concurrency: 2,
  attempts: CONFIRM_SHIPMENT_ATTEMPTS,
  async perform(job) {
    await confirmShipment(job.data.shopId, job.data.shipmentId, { lastAttempt: job.attempt >= CONFIRM_SHIPMENT_ATTEMPTS });
  },
};

/** The EDI drop folder (ADR 0021): settled files in each installed shop's in/ become x12 imports. */
export const scanEdiDropFolderJob: JobDefinition<Record<string, never>> = {
  name: JOB.scanEdiDropFolder,
  concurrency: 1,
  async perform() {
    const { EDI_DROP_DIR, EDI_DROP_SETTLE_MS } = env();
    if (EDI_DROP_DIR) await scanEdiDropFolder({ dir: EDI_DROP_DIR, settleMs: EDI_DROP_SETTLE_MS });
  },
};

/** Trading partners' documents sent to their SFTP servers (ADR 0023): a failed file waits for the next round. */
export const deliverPartnerDocumentsJob: JobDefinition<Record<string, never>> = {
  name: JOB.deliverPartnerDocuments,
  concurrency: 1,
  async perform() {
    await deliverPartnerDocuments();
  },
};

/** Customer notifications (ADR 0024): the shop's new order events become e-mails in the outbox; due ones are sent. */
export const notifyCustomersJob: JobDefinition<NotifyCustomersData> = {
  name: JOB.notifyCustomers,
  concurrency: 1,
  async perform(job) {
    const shop = await findShopByDomain(database(), job.data.shopDomain);
    if (!shop || shop.status !== "installed") return;
    await notifyCustomers(shop.id);
  },
};

/** Webhook-driven automation (ADR 0031): the shop's new events become webhook deliveries and Flow triggers; due ones are sent. */
export const automateJob: JobDefinition<AutomateData> = {
  name: JOB.automate,
  concurrency: 1,
  async perform(job) {
    const shop = await findShopByDomain(database(), job.data.shopDomain);
    if (!shop || shop.status !== "installed") return;
    await runAutomation(shop.id);
  },
};

export const ALL_JOBS: JobDefinition[] = [processWebhookJob, syncShopJob, applyRoutingJob, reconcileOrdersJob, planStockPricesJob, pushOnHandJob, syncChannelStockJob, reconcileChannelStockJob, pollAmazonOrdersJob, runImportJob, confirmShipmentJob, scanEdiDropFolderJob, deliverPartnerDocumentsJob, notifyCustomersJob, automateJob, mirrorReturnJob, shipPackJob, scheduleCycleCountsJob] as JobDefinition[];
