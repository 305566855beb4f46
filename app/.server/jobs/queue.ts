import { env } from "../env";
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
  applyRouting: "apply-routing",
  reconcileOrders: "reconcile-orders",
  planStockPrices: "plan-stock-prices",
  pushOnHand: "push-on-hand",
  syncChannelStock: "sync-channel-stock",
  reconcileChannelStock: "reconcile-channel-stock",
  pollAmazonOrders: "poll-amazon-orders",
  runImport: "import",
  scanEdiDropFolder: "scan-edi-drop-folder",
  confirmShipment: "confirm-shipment",
  deliverPartnerDocuments: "deliver-partner-documents",
  notifyCustomers: "notify-customers",
  automate: "automate",
} as const;

export interface ProcessWebhookData {
  inboxId: string;
  /** The shop the row belongs to: the job reads its row within that shop only. */
  shopDomain: string;
}

export async function enqueueWebhookProcessing(inboxId: string, shopDomain: string, eventId: string): Promise<void> {
  await queue().enqueue<ProcessWebhookData>(JOB.processWebhook, { inboxId, shopDomain }, { jobId: `${shopDomain}:${eventId}`, attempts: 8, backoffMs: 1_000 });
}

/**
 * Run a webhook again (the sweep, a redelivery): its failed job goes back with a fresh set of attempts, or,
 * when the queue no longer knows it, a new job with the same id (a job still queued is not doubled).
 */
export async function retryWebhookProcessing(inboxId: string, shopDomain: string, eventId: string): Promise<void> {
  const retried = await queue().retryFailed(`${shopDomain}:${eventId}`, JOB.processWebhook);
  if (!retried) await enqueueWebhookProcessing(inboxId, shopDomain, eventId);
}

export interface SyncShopData {
  shopDomain: string;
}

export async function enqueueShopSync(shopDomain: string, now = Date.now()): Promise<void> {
  // One sync per shop per minute at most, however many sessions get exchanged.
  const minute = Math.floor(now / 60_000);
  await queue().enqueue<SyncShopData>(JOB.syncShop, { shopDomain }, { jobId: `${shopDomain}:${minute}`, attempts: 5, backoffMs: 2_000 });
}

export interface ApplyRoutingData {
  shopId: string;
  orderId: string;
  decisionId: string;
}

/** After a (re)allocation: make the channel's fulfillment match it (one job per decision). */
export async function enqueueApplyRouting(shopId: string, orderId: string, decisionId: string): Promise<void> {
  await queue().enqueue<ApplyRoutingData>(JOB.applyRouting, { shopId, orderId, decisionId }, { jobId: `${orderId}:${decisionId}`, attempts: 8, backoffMs: 2_000 });
}

export interface ReconcileOrdersData {
  shopDomain: string;
  /** The schedule's period this run belongs to (its window start), when the schedule enqueued it. */
  period?: string;
}

/** One reconciliation per shop and period: the schedule claims the period first (start-worker.ts); the job id dedupes a retried enqueue. */
export async function enqueueOrderReconciliation(shopDomain: string, period: string): Promise<void> {
  await queue().enqueue<ReconcileOrdersData>(JOB.reconcileOrders, { shopDomain, period }, { jobId: `${shopDomain}:reconcile:${period}`, attempts: 3, backoffMs: 5_000 });
}

export interface PlanStockPricesData {
  shopDomain: string;
}

/** The planning job's period: stock prices are re-planned once a day (and on demand). */
export const PLAN_STOCK_PRICES_EVERY_MS = 24 * 3_600_000;

/** The daily plan: one per shop per UTC day (the schedule claims the day first; the job id dedupes a retried enqueue). */
export async function enqueueStockPricePlanning(shopDomain: string, period: string): Promise<void> {
  await queue().enqueue<PlanStockPricesData>(JOB.planStockPrices, { shopDomain }, { jobId: `${shopDomain}:plan:${period}`, attempts: 3, backoffMs: 30_000 });
}

/** On demand (the Routing page): at most one per shop per minute. */
export async function enqueueStockPricePlanningNow(shopDomain: string, now = Date.now()): Promise<void> {
  const minute = Math.floor(now / 60_000);
  await queue().enqueue<PlanStockPricesData>(JOB.planStockPrices, { shopDomain }, { jobId: `${shopDomain}:plan-now:${minute}`, attempts: 1 });
}

export interface ReconcileChannelStockData {
  shopDomain: string;
}

/** Channel reconciliation (ADR 0013): one run per shop and period (the schedule claims it; the job id dedupes a retried enqueue). */
export async function enqueueChannelReconciliation(shopDomain: string, period: string): Promise<void> {
  await queue().enqueue<ReconcileChannelStockData>(JOB.reconcileChannelStock, { shopDomain }, { jobId: `${shopDomain}:reconcile-channels:${period}`, attempts: 3, backoffMs: 30_000 });
}

export interface PollAmazonOrdersData {
  shopDomain: string;
}

/** Amazon orders in (ADR 0015): one poll per shop and period (the schedule claims it), or `now` on connecting. */
export async function enqueueAmazonOrderPoll(shopDomain: string, period: string): Promise<void> {
  await queue().enqueue<PollAmazonOrdersData>(JOB.pollAmazonOrders, { shopDomain }, { jobId: `${shopDomain}:amazon-orders:${period}`, attempts: 5, backoffMs: 30_000 });
}

export interface PushOnHandData {
  shopId: string;
  variantId: string;
  locationId: string;
}

/**
 * Write a level's open on-hand pushes to Shopify (ADR 0008). `cause` names what made this enqueue (a ledger
 * entry's key, or the sweep's period), so each cause runs once; one run writes everything open for the level.
 */
export async function enqueuePushOnHand(data: PushOnHandData, cause: string): Promise<void> {
  await queue().enqueue<PushOnHandData>(JOB.pushOnHand, data, { jobId: `${data.shopId}:${data.variantId}:${data.locationId}:${cause}`, attempts: 8, backoffMs: 2_000 });
}

export interface SyncChannelStockData {
  /** The shop, by id or by domain (webhook jobs know the domain). */
  shopId?: string;
  shopDomain?: string;
}

/**
 * After a stock change commits: sync the shop's channels (ADR 0010). One job per shop per window, run when the
 * window ends, so a change committed before this enqueue is read by that run, however many came in the window.
 * `notBefore`: the run is wanted later (an Amazon feed still processing): the window holding that time.
 */
export async function enqueueChannelStockSync(shop: SyncChannelStockData, now = Date.now(), opts: { notBefore?: number } = {}): Promise<void> {
  const windowMs = env().CHANNEL_SYNC_WINDOW_MS;
  const window = Math.floor(Math.max(now, opts.notBefore ?? now) / windowMs);
  const key = shop.shopId ?? shop.shopDomain;
  if (!key) return;
  await queue().enqueue<SyncChannelStockData>(JOB.syncChannelStock, shop, { jobId: `${key}:stock:${window}`, delayMs: (window + 1) * windowMs - now, attempts: 8, backoffMs: 1_000 });
}

export const IMPORT_JOB_ATTEMPTS = 3;

export interface RunImportData {
  shopId: string;
  importId: string;
}

/** An import (ADR 0016): one job per import (its id is the job id: queued again, never run twice at once). */
export async function enqueueImport(shopId: string, importId: string): Promise<void> {
  await queue().enqueue<RunImportData>(JOB.runImport, { shopId, importId }, { jobId: `import:${importId}`, attempts: IMPORT_JOB_ATTEMPTS, backoffMs: 5_000 });
}

/** The EDI drop folder scan (ADR 0021): one per period for the deployment (the schedule claims it). */
export async function enqueueEdiDropScan(period: string): Promise<void> {
  await queue().enqueue<Record<string, never>>(JOB.scanEdiDropFolder, {}, { jobId: `edi-drop:${period}`, attempts: 2, backoffMs: 5_000 });
}

/** Trading partners' documents to their SFTP servers (ADR 0023): one round per period for the deployment. */
export async function enqueuePartnerDocumentDelivery(period: string): Promise<void> {
  await queue().enqueue<Record<string, never>>(JOB.deliverPartnerDocuments, {}, { jobId: `edi-delivery:${period}`, attempts: 1 });
}

export const CONFIRM_SHIPMENT_ATTEMPTS = 8;

export interface ConfirmShipmentData {
  shopId: string;
  shipmentId: string;
}

/** Tell the channel a shipment of ours left (Amazon's confirmShipment): one job per shipment. */
export async function enqueueShipmentConfirmation(shopId: string, shipmentId: string): Promise<void> {
  await queue().enqueue<ConfirmShipmentData>(JOB.confirmShipment, { shopId, shipmentId }, { jobId: `shipment:${shipmentId}`, attempts: CONFIRM_SHIPMENT_ATTEMPTS, backoffMs: 30_000 });
}

export interface NotifyCustomersData {
  shopDomain: string;
}

/** Customer notifications (ADR 0024): one sweep-and-send per shop and period (the schedule claims it). */
export async function enqueueCustomerNotifications(shopDomain: string, period: string): Promise<void> {
  await queue().enqueue<NotifyCustomersData>(JOB.notifyCustomers, { shopDomain }, { jobId: `${shopDomain}:notify:${period}`, attempts: 1 });
}

export interface AutomateData {
  shopDomain: string;
}

/** Webhook-driven automation (ADR 0031): one sweep-and-send of webhooks and Flow triggers per shop and period. */
export async function enqueueAutomation(shopDomain: string, period: string): Promise<void> {
  await queue().enqueue<AutomateData>(JOB.automate, { shopDomain }, { jobId: `${shopDomain}:automate:${period}`, attempts: 1 });
}
