import { mapShopifyOrder } from "~/domain/orders/map-shopify-order";
import { embeddedRefunds } from "~/domain/orders/map-shopify-refund";
import { shopifyChannel } from "../channels/shopify/shopify-channel";
import { AppError } from "../errors";
import { parseWebhookBody } from "../shopify/parse-webhook-body";
import { ingestChannelOrder, type IngestOutcome } from "./ingest-channel-order";

/** A Shopify order webhook payload (raw body, 64-bit ids intact) → the one ingestion path. */
export async function ingestShopifyOrder(shopDomain: string, rawPayload: string, meta: { triggeredAt?: Date | null; inbox?: { shopDomain: string; id: string } } = {}): Promise<IngestOutcome> {
  const payload = parseWebhookBody(rawPayload, "Shopify order");
  const mapped = mapShopifyOrder(payload);
  if (!mapped.ok) throw new AppError("invalid_data", "ORDER.INVALID_PAYLOAD", `Shopify order payload rejected: ${mapped.error}`);
  return ingestChannelOrder(await shopifyChannel(shopDomain), mapped.order, { actor: "webhook", triggeredAt: meta.triggeredAt ?? null, refunds: embeddedRefunds(payload), inbox: meta.inbox });
}
