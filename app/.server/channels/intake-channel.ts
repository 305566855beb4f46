import type { Queryable } from "../db/engine/types";
import { shopChannelById, shopChannelOfKind, type ShopChannelRow } from "../db/shops";
import { AppError } from "../errors";

// The channel an order comes in on, as the ingestion path needs it: the shop (installed, or nothing is taken
// in), the channel by id, and the shop's config version (caches of what routing reads key on it).

export interface IntakeChannel {
  shopId: string;
  shopDomain: string;
  channelId: string;
  kind: string;
  configVersion: number;
}

function intake(row: ShopChannelRow | undefined, what: string): IntakeChannel {
  if (!row || row.status !== "installed") throw new AppError("not_allowed", "SHOP.NOT_INSTALLED", `${what}: the shop is not installed, its orders are not taken in`);
  if (!row.channelId || !row.kind) throw new AppError("not_found", "CHANNEL.NOT_FOUND", `${what}: no such channel`);
  if (!row.active) throw new AppError("not_allowed", "CHANNEL.INACTIVE", `${what}: the channel is switched off`);
  return { shopId: row.shopId, shopDomain: row.shopDomain, channelId: row.channelId, kind: row.kind, configVersion: row.configVersion };
}

/** A channel by its id, within its shop. */
export async function intakeChannel(q: Queryable, shopId: string, channelId: string): Promise<IntakeChannel> {
  return intake(await shopChannelById(q, shopId, channelId), `Channel ${channelId}`);
}

/** The shop's first channel of a kind (its oldest): for a kind a shop has one of, such as its own Shopify store or manual orders. */
export async function intakeChannelOfKind(q: Queryable, shopDomain: string, kind: string): Promise<IntakeChannel> {
  return intake(await shopChannelOfKind(q, shopDomain, kind), `${shopDomain} (${kind})`);
}
