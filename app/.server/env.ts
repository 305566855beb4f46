import path from "node:path";
import { z } from "zod";
import type { InboxPolicy } from "~/domain/webhooks/inbox-policy";

// The environment, validated once. Every default is the embedded, no-service one used by `npm run demo`.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  SHOPIFY_API_KEY: z.string().min(1).default("oms-demo-api-key"),
  SHOPIFY_API_SECRET: z.string().min(1).default("oms-demo-api-secret"),
  SHOPIFY_APP_URL: z.string().url().default("http://127.0.0.1:3000"),
  SCOPES: z.string().default("read_orders,write_orders,read_products,read_locations,read_inventory,write_inventory,read_assigned_fulfillment_orders,write_assigned_fulfillment_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_fulfillments"),
  // file:<path> → SQLite (the embedded default; its folder is created), postgres://… → PostgreSQL.
  DATABASE_URL: z.string().default("file:./.data/oms.db"),
  // PostgreSQL connections per process (each app server and each worker has its own pool).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().optional(),
  APP_BRIDGE_URL: z.string().url().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  QUEUE_PREFIX: z.string().default("oms"),
  // Bull crash recovery: a killed worker's jobs come back after the lock expires and a stalled check runs.
  QUEUE_LOCK_MS: z.coerce.number().int().positive().default(30_000),
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  QUEUE_MAX_STALLED: z.coerce.number().int().min(1).default(3),
  // The worker's sweep: how old a stranded webhook or undispatched decision must be, and how often to look.
  // Webhook jobs a worker runs at once (default: 128 in a worker process of its own, 32 when the worker shares
  // the web process). On SQLite their writes share group commits; beside the web server, fewer at once keep
  // the bursts short that delay webhook acks (ADR 0004, ADR 0007).
  WEBHOOK_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** The app's SP-API (Login with Amazon) client credentials; a seller's authorisation is stored per Amazon channel. */
  AMAZON_LWA_CLIENT_ID: z.string().min(1).optional(),
  AMAZON_LWA_CLIENT_SECRET: z.string().min(1).optional(),
  /** Overrides where SP-API and LWA calls go (the stand-in); default: the marketplace's region and api.amazon.com. */
  AMAZON_SP_API_ENDPOINT: z.string().url().optional(),
  AMAZON_LWA_ENDPOINT: z.string().url().optional(),
  /** Channel stock syncs coalesce per shop into windows this long (ADR 0010); tests shorten it. */
  CHANNEL_SYNC_WINDOW_MS: z.coerce.number().int().min(1).max(60_000).default(250),
  // A worker process's CPU priority (nice, 0–19): background work yields the CPU to app servers on the same
  // machine, whose webhook acks Shopify times; on a machine of its own it changes nothing.
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  SWEEP_AFTER_MS: z.coerce.number().int().positive().default(60_000),
  // The orders reconciliation poll's period per shop (once per period however many workers run).
  RECONCILE_EVERY_MS: z.coerce.number().int().positive().default(300_000),
  /** How often each shop's channels are read back and drift repaired (ADR 0013); a slice of SKUs per run. */
  CHANNEL_RECONCILE_EVERY_MS: z.coerce.number().int().positive().default(900_000),
  /** How often each shop's connected Amazon channels are polled for orders (ADR 0015). */
  AMAZON_ORDERS_EVERY_MS: z.coerce.number().int().positive().default(120_000),
  SWEEP_EVERY_MS: z.coerce.number().int().positive().default(60_000),
  // A Shopify on-hand decrease that an unprocessed fulfillment could explain (or a restock whose level update
  // may have been counted already) is checked again this long after (by the sweep) and applied then.
  INVENTORY_SETTLE_MS: z.coerce.number().int().nonnegative().default(300_000),
  // A decrease of Shopify's on hand applied before any shipment explained it is claimable by a fulfillment that
  // Shopify reports later for this long (ADR 0008): past Shopify's webhook retries (4 h) and the order poll's reach.
  INVENTORY_UNEXPLAINED_WINDOW_MS: z.coerce.number().int().positive().default(86_400_000),
  // The webhook inbox's retention and retries (app/domain/webhooks/inbox-policy.ts; README "Privacy"): raw
  // bodies are trimmed after 7 days, rows deleted after 90; webhooks held for a domain that never installs
  // are deleted after 7 days; a transient failure is retried by the sweep from 10 s, doubling up to 1 h, for
  // at most 40 runs in all.
  INBOX_PAYLOAD_RETENTION_MS: z.coerce.number().int().positive().default(7 * 86_400_000),
  INBOX_HELD_RETENTION_MS: z.coerce.number().int().positive().default(7 * 86_400_000),
  INBOX_ROW_RETENTION_MS: z.coerce.number().int().positive().default(90 * 86_400_000),
  INBOX_RETRY_BACKOFF_MS: z.coerce.number().int().positive().default(10_000),
  INBOX_RETRY_MAX_BACKOFF_MS: z.coerce.number().int().positive().default(3_600_000),
  INBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(40),
  // The EDI drop folder (ADR 0021): where an SFTP server writes trading partners' X12 files, one folder per shop:
  // <EDI_DROP_DIR>/<shop domain>/in/. Unset (or empty): off. Scanned every EDI_DROP_EVERY_MS; a file modified less
  // than EDI_DROP_SETTLE_MS ago may still be being written and is left for the next scan.
  EDI_DROP_DIR: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().refine((p) => path.isAbsolute(p), "an absolute path").optional()),
  EDI_DROP_EVERY_MS: z.coerce.number().int().min(1_000).default(60_000),
  // Partners' documents sent by SFTP (ADR 0023): the worker looks for documents due this often.
  EDI_DELIVERY_EVERY_MS: z.coerce.number().int().min(1_000).default(60_000),
  // The key that encrypts stored credentials (a partner's SFTP password or key): 32 bytes, base64. Unset: derived from
  // SHOPIFY_API_SECRET (rotating that secret then makes stored credentials unreadable: enter them again).
  OMS_SECRETS_KEY: z.string().refine((v) => v === "" || Buffer.from(v, "base64").length === 32, "32 bytes, base64").optional(),
  EDI_DROP_SETTLE_MS: z.coerce.number().int().nonnegative().default(5_000),
  // Customer notifications (ADR 0024): the SMTP server they are sent through (smtp:// or smtps://, credentials in the
  // URL). Unset (or empty): nothing is sent, messages wait as pending and the Notifications page says sending is off.
  SMTP_URL: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().url().refine((u) => /^smtps?:\/\//.test(u), "an smtp:// or smtps:// URL").optional()),
  // The From address of notifications; default "<shop name> <no-reply@<shop domain>>".
  NOTIFY_FROM: z.string().email().optional(),
  // How often each shop's audit trail is read for notices and due messages are sent.
  NOTIFY_EVERY_MS: z.coerce.number().int().min(1_000).default(30_000),
  // Outgoing webhooks and Flow triggers (ADR 0031): how often each shop's audit trail is read and due deliveries sent.
  AUTOMATION_EVERY_MS: z.coerce.number().int().min(1_000).default(10_000),
  // Local only: origins besides Shopify's admin allowed to frame the app (the demo's stand-in admin).
  FRAME_ANCESTORS_EXTRA: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Tests change process.env between files; let them re-read it. */
export function resetEnvForTests(): void {
  cached = undefined;
}

/** The webhook inbox's retention and retry durations (INBOX_*), as the domain rules take them. */
export function inboxPolicy(): InboxPolicy {
  const e = env();
  return {
    payloadRetentionMs: e.INBOX_PAYLOAD_RETENTION_MS,
    heldRetentionMs: e.INBOX_HELD_RETENTION_MS,
    rowRetentionMs: e.INBOX_ROW_RETENTION_MS,
    retryBackoffMs: e.INBOX_RETRY_BACKOFF_MS,
    retryMaxBackoffMs: e.INBOX_RETRY_MAX_BACKOFF_MS,
    maxAttempts: e.INBOX_MAX_ATTEMPTS,
  };
}
