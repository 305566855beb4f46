import { mapShopifyOrder } from "~/domain/orders/map-shopify-order";
import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
import { AppError } from "../errors";
import { ingestChannelOrder, type IngestOutcome } from "./ingest-channel-order";

/** A Shopify order webhook payload (raw body, 64-bit ids intact) → the one ingestion path. */
export async function ingestShopifyOrder(shopDomain: string, rawPayload: string): Promise<IngestOutcome> {
  const mapped = mapShopifyOrder(parseJsonKeepingBigInts(rawPayload));
  if (!mapped.ok) throw new AppError("invalid_data", "ORDER.INVALID_PAYLOAD", `Shopify order payload rejected: ${mapped.error}`);
  return ingestChannelOrder(shopDomain, "shopify", mapped.order, { actor: "webhook" });
}
