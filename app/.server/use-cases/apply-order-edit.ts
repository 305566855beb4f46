import { mapGraphqlOrder } from "~/domain/orders/map-graphql-order";
import { mapOrderEdit } from "~/domain/orders/map-order-edit";
import { shopifyChannel } from "../channels/shopify/shopify-channel";
import { AppError } from "../errors";
import { parseWebhookBody } from "../shopify/parse-webhook-body";
import { ingestChannelOrder, type IngestOptions, type IngestOutcome } from "./ingest-channel-order";
import { readShopifyOrder, type GraphqlFn } from "./read-shopify-order";

/**
 * orders/edited: the payload is the edit (line items added and removed), not the order. Rather than
 * apply deltas to a copy that may be stale, read the order as Shopify has it now (Admin GraphQL,
 * current quantities) and hand it to the one ingestion path, which re-routes the edited order (or, once
 * part of it shipped, reserves what was added). Replaying the edit reads the same order: stale, no change.
 */
export async function applyOrderEdit(shopDomain: string, rawPayload: string, meta?: { triggeredAt?: Date | null }, opts: { graphql?: GraphqlFn } = {}): Promise<IngestOutcome | { kind: "gone"; orderId: null }> {
  const mapped = mapOrderEdit(parseWebhookBody(rawPayload, "orders/edited"));
  if (!mapped.ok) throw new AppError("invalid_data", "ORDER_EDIT.INVALID_PAYLOAD", `Shopify order edit payload rejected: ${mapped.error}`);
  const node = await readShopifyOrder(shopDomain, mapped.edit.orderExternalId, opts.graphql);
  if (!node) return { kind: "gone", orderId: null }; // deleted since: nothing to follow
  const order = mapGraphqlOrder(node);
  if (!order.ok) throw new AppError("invalid_data", "ORDER.INVALID_PAYLOAD", `Shopify order ${mapped.edit.orderExternalId} rejected: ${order.error}`);
  // Read after the edit was triggered, so at least as new as it: the edit's X-Shopify-Triggered-At breaks a
  // tie with the updated_at we hold (Shopify's is whole seconds; an edit can land in the same second).
  const ingest: IngestOptions = { actor: "webhook:orders/edited", triggeredAt: meta?.triggeredAt ?? null };
  return ingestChannelOrder(await shopifyChannel(shopDomain), order.order, ingest);
}
