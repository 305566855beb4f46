import { database } from "../../db/database";
import type { Queryable } from "../../db/engine/types";
import { applyRoutingToShopify } from "../../use-cases/apply-routing-to-shopify";
import { registerChannelAdapter, type ApplyRoutingInput, type ChannelAdapter, type Placement } from "../channel-adapter";
import { intakeChannelOfKind, type IntakeChannel } from "../intake-channel";
import type { DesiredPlacement } from "~/domain/fulfillment/fulfillment-order-types";

// The Shopify store the app is installed in, as a channel: its webhooks and the reconciliation poll bring
// its orders in; after routing, its fulfillment orders are moved and held to match (apply-routing-to-shopify).
// A shop has one Shopify store, so its Shopify channel is found from the shop domain the webhook names.

export const SHOPIFY = "shopify";

/** The installed shop's Shopify channel (throws not_allowed when the shop is not installed). */
export function shopifyChannel(shopDomain: string, q: Queryable = database()): Promise<IntakeChannel> {
  return intakeChannelOfKind(q, shopDomain, SHOPIFY);
}

/** Open allocations grouped by Shopify location (legacy id), backordered units under `null`. */
export function desiredPlacement(placements: Placement[]): DesiredPlacement[] {
  const byLocation = new Map<string | null, Map<string, number>>();
  for (const p of placements) {
    const group = byLocation.get(p.locationExternalId) ?? new Map<string, number>();
    group.set(p.lineExternalId, (group.get(p.lineExternalId) ?? 0) + p.quantity);
    byLocation.set(p.locationExternalId, group);
  }
  return [...byLocation.entries()].map(([locationId, group]) => ({ locationId, lines: [...group.entries()].map(([lineItemId, quantity]) => ({ lineItemId, quantity })) }));
}

export const shopifyChannelAdapter: ChannelAdapter = {
  kind: SHOPIFY,
  async applyRouting({ shopDomain, orderExternalId, placements }: ApplyRoutingInput) {
    await applyRoutingToShopify(shopDomain, orderExternalId, desiredPlacement(placements));
  },
};

registerChannelAdapter(shopifyChannelAdapter);
