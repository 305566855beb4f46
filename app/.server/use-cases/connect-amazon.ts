import { checkAmazonConnection } from "~/domain/channels/amazon-connection";
import { accessToken, forgetAccessToken, SpApiError } from "../channels/amazon/sp-api-client";
import { amazonConnection, deleteAmazonConnection, saveAmazonConnection } from "../db/amazon-sql";
import { forgetChannelStock, markChannelDirty } from "../db/channel-sync-sql";
import { database } from "../db/database";
import { channelById, findShopById } from "../db/shops";
import { AppError } from "../errors";
import { enqueueAmazonOrderPoll, enqueueChannelStockSync } from "../jobs/queue";

// Connecting an Amazon channel to a seller's account (ADR 0011). The authorisation is proven by exchanging it
// with Login with Amazon before it is kept; once kept, every SKU's figure is due on the channel (a first full push).

export interface AmazonConnectionView {
  sellerId: string;
  marketplaceId: string;
  connectedAt: string;
}

async function amazonChannel(shopId: string, channelId: string) {
  const channel = await channelById(database(), shopId, channelId);
  if (!channel) throw new AppError("not_found", "CHANNEL.NOT_FOUND", `No channel ${channelId} in this shop`);
  if (channel.kind !== "amazon") throw new AppError("invalid_data", "CHANNEL.NOT_AMAZON", `Channel ${channel.name} is a ${channel.kind} channel, not an Amazon one`);
  return channel;
}

export async function connectAmazon(shopId: string, channelId: string, input: unknown): Promise<AmazonConnectionView> {
  await amazonChannel(shopId, channelId);
  const check = checkAmazonConnection(input);
  if (!check.ok) throw new AppError("invalid_data", "AMAZON.CONNECTION_INVALID", check.errors.join("; "));
  const { sellerId, marketplaceId, refreshToken } = check.connection;
  try {
    await accessToken({ key: `check:${channelId}`, refreshToken }, { fresh: true });
  } catch (error) {
    if (error instanceof SpApiError && error.status >= 400 && error.status < 500) throw new AppError("invalid_data", "AMAZON.AUTH_REFUSED", error.message);
    throw error;
  } finally {
    forgetAccessToken(`check:${channelId}`);
  }
  await database().transaction(async (tx) => {
    await saveAmazonConnection(tx, shopId, { channelId, sellerId, marketplaceId, refreshToken });
    await markChannelDirty(tx, shopId, channelId);
  });
  forgetAccessToken(channelId);
  await enqueueChannelStockSync({ shopId });
  // Its open orders come in at once rather than at the next scheduled poll.
  const shop = await findShopById(database(), shopId);
  if (shop) await enqueueAmazonOrderPoll(shop.domain, `connect-${Date.now()}`);
  return (await amazonConnectionView(shopId, channelId))!;
}

/** The channel stops receiving figures; what it was sent is forgotten (a later connection starts with a full push). */
export async function disconnectAmazon(shopId: string, channelId: string): Promise<void> {
  await amazonChannel(shopId, channelId);
  await database().transaction(async (tx) => {
    await deleteAmazonConnection(tx, shopId, channelId);
    await forgetChannelStock(tx, shopId, channelId);
  });
  forgetAccessToken(channelId);
}

/** What the Channels page shows of a connection (never the token). */
export async function amazonConnectionView(shopId: string, channelId: string): Promise<AmazonConnectionView | null> {
  const row = await amazonConnection(database(), shopId, channelId);
  return row ? { sellerId: row.sellerId, marketplaceId: row.marketplaceId, connectedAt: row.updatedAt } : null;
}
