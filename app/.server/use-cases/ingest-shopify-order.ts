import { mapShopifyOrder } from "~/domain/orders/map-shopify-order";
import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
import { audit } from "../db/audit";
import { upsertChannelOrder, type UpsertOutcome } from "../db/orders";
import { defaultChannel, ensureShop } from "../db/shops";
import { AppError } from "../errors";

/** Store a Shopify order payload exactly once; an older payload never overwrites newer state. */
export async function ingestShopifyOrder(shopDomain: string, rawPayload: string): Promise<UpsertOutcome> {
  const mapped = mapShopifyOrder(parseJsonKeepingBigInts(rawPayload));
  if (!mapped.ok) throw new AppError("invalid_data", "ORDER.INVALID_PAYLOAD", `Shopify order payload rejected: ${mapped.error}`);
  const shop = await ensureShop(shopDomain);
  const channel = await defaultChannel(shop.id, "shopify");
  if (!channel) throw new AppError("unexpected_state", "CHANNEL.MISSING", `Shop ${shopDomain} has no Shopify channel`);
  const outcome = await upsertChannelOrder(shop.id, channel.id, mapped.order);
  if (outcome.kind !== "stale") {
    await audit(shop.id, "webhook", `order.${outcome.kind}`, { type: "order", id: outcome.orderId }, { name: mapped.order.name, channel: "shopify" });
  }
  return outcome;
}
