import { withoutInputExcerpts } from "~/domain/privacy/personal-data";
import { standingOf, webhookIntake, type WebhookIntake } from "~/domain/shops/shop-lifecycle";
import { nextAttemptAt, type InboxFailure } from "~/domain/webhooks/inbox-policy";
import { database } from "../db/database";
import { isOrderRedacted } from "../db/privacy";
import { findInboxEntry, markInbox, markInboxFailed, settleNotTakenIn } from "../db/webhook-inbox";
import { inboxPolicy } from "../env";
import { AppError } from "../errors";
import { isTerminalJobError, TerminalJobError } from "../queues/queue-port";
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
  /**
   * The inbox row being processed. A handler that writes in one transaction may mark it processed in that
   * transaction (markInboxProcessedInTx) and say so by returning `{ inboxMarked: true }`.
   */
  inbox?: { shopDomain: string; id: string };
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

/** customers/* bodies name the customer: not kept once the request is answered (the audit row records what was done). */
const CUSTOMER_TOPICS = new Set(["customers/data_request", "customers/redact"]);

export type ProcessOutcome = "processed" | "already_processed" | "gone" | "held" | "not_taken_in";

export async function processWebhook(inboxId: string, shopDomain: string, now = new Date()): Promise<ProcessOutcome> {
  const entry = await findInboxEntry(database(), shopDomain, inboxId);
  if (!entry) return "gone"; // e.g. removed by shop/redact
  if (entry.status === "processed" || entry.status === "ignored") return "already_processed";
  // The shop's lifecycle decides first, as it did at acceptance: it may have changed since.
  const intake = webhookIntake(standingOf(entry.shopStatus), entry.topic);
  if (intake !== "process") return settle(shopDomain, inboxId, intake);
  const handler = WEBHOOK_HANDLERS[entry.topic];
  let result: unknown;
  try {
    if (!handler) throw new AppError("invalid_data", "WEBHOOK.UNKNOWN_TOPIC", `No handler for ${entry.topic}`);
    if (entry.payloadTrimmed) throw new AppError("invalid_data", "WEBHOOK.BODY_NOT_KEPT", "The body of this webhook is no longer kept (retention or redaction)");
    result = await handler(entry.shopDomain, entry.payload, { triggeredAt: entry.triggeredAt, inbox: { shopDomain, id: inboxId } });
  } catch (error) {
    // The shop stopped taking data in while this ran: settle it as its lifecycle says now.
    if (error instanceof AppError && error.code === "SHOP.NOT_INSTALLED") {
      const again = await findInboxEntry(database(), shopDomain, inboxId);
      const intakeNow = again ? webhookIntake(standingOf(again.shopStatus), again.topic) : "drop";
      if (intakeNow !== "process") return settle(shopDomain, inboxId, intakeNow);
    }
    // Messages are stored on the row and logged by the worker: never with an excerpt of the body.
    const message = withoutInputExcerpts(error instanceof Error ? error.message : String(error));
    const failure = failureOf(error);
    await markInboxFailed(shopDomain, inboxId, message, failure, nextAttemptAt(now, entry.attempts + 1, inboxPolicy()));
    if (failure === "terminal") throw new TerminalJobError(message);
    throw new Error(message, { cause: error });
  }
  if (result && typeof result === "object" && "inboxMarked" in result && result.inboxMarked === true) return "processed";
  const trim = CUSTOMER_TOPICS.has(entry.topic) ? "compliance_done" : (await concernsRedactedOrder(entry.shopDomain, result)) ? "customer_redacted" : undefined;
  await markInbox(shopDomain, inboxId, "processed", { trim });
  return "processed";
}

/** Terminal: bad data (never gets better by retrying) or Shopify refusing for good; anything else is transient. */
export function failureOf(error: unknown): InboxFailure {
  if (error instanceof AppError) return error.type === "invalid_data" ? "terminal" : "transient";
  return isTerminalJobError(error) ? "terminal" : "transient";
}

async function settle(shopDomain: string, inboxId: string, intake: Exclude<WebhookIntake, "process">): Promise<ProcessOutcome> {
  await settleNotTakenIn(shopDomain, inboxId, intake);
  return intake === "hold" ? "held" : "not_taken_in";
}

/** The webhook was about an order of a redacted customer (stored anonymised): its body is not kept either. */
async function concernsRedactedOrder(shopDomain: string, result: unknown): Promise<boolean> {
  if (result && typeof result === "object" && "redacted" in result && typeof result.redacted === "boolean") return result.redacted; // the ingest said so
  const orderId = result && typeof result === "object" && "orderId" in result ? (result as { orderId: unknown }).orderId : null;
  return typeof orderId === "string" && (await isOrderRedacted(database(), shopDomain, orderId));
}
