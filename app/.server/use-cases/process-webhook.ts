import { findInboxEntry, markInbox } from "../db/webhook-inbox";
import { AppError } from "../errors";
import { TerminalJobError } from "../queues/queue-port";
import { redactCustomer, redactShop, reportCustomerData, uninstallShop, updateScopes } from "./handle-compliance";
import { applyOrderEdit } from "./apply-order-edit";
import { ingestShopifyOrder } from "./ingest-shopify-order";
import { recordFulfillment } from "./record-fulfillment";
import { recordRefund } from "./record-refund";
import { syncInventoryLevel } from "./sync-inventory-level";

// The work behind a webhook, run by a job. Idempotent: a processed inbox row is never run twice,
// and every handler is itself safe to repeat.

/** What the inbox knows about a delivery besides its body. */
export interface WebhookMeta {
  /** X-Shopify-Triggered-At: when Shopify produced the event (breaks same-second updated_at ties). */
  triggeredAt: Date | null;
}

type Handler = (shopDomain: string, rawPayload: string, meta: WebhookMeta) => Promise<unknown>;

export const WEBHOOK_HANDLERS: Record<string, Handler> = {
  "orders/create": ingestShopifyOrder,
  "orders/updated": ingestShopifyOrder,
  "orders/cancelled": ingestShopifyOrder,
  "orders/edited": applyOrderEdit,
  "fulfillments/create": recordFulfillment,
  "fulfillments/update": recordFulfillment,
  "refunds/create": recordRefund,
  "inventory_levels/update": syncInventoryLevel,
  "app/uninstalled": (shop) => uninstallShop(shop),
  "app/scopes_update": updateScopes,
  "customers/data_request": reportCustomerData,
  "customers/redact": redactCustomer,
  "shop/redact": (shop) => redactShop(shop),
};

export async function processWebhook(inboxId: string): Promise<"processed" | "already_processed" | "gone"> {
  const entry = await findInboxEntry(inboxId);
  if (!entry) return "gone"; // e.g. removed by shop/redact
  if (entry.status === "processed") return "already_processed";
  const handler = WEBHOOK_HANDLERS[entry.topic];
  try {
    if (!handler) throw new AppError("invalid_data", "WEBHOOK.UNKNOWN_TOPIC", `No handler for ${entry.topic}`);
    await handler(entry.shopDomain, entry.payload, { triggeredAt: entry.triggeredAt });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await markInbox(inboxId, "failed", message);
    // Bad data never gets better by retrying.
    if (error instanceof AppError && error.type === "invalid_data") throw new TerminalJobError(message);
    throw error;
  }
  await markInbox(inboxId, "processed");
  return "processed";
}
