import { available } from "~/domain/inventory/availability";
import { RETURN_RATE_DAYS, returnRates, type ReturnRates } from "~/domain/returns/return-rates";
import { stockTotals } from "../db/catalog";
import { database } from "../db/database";
import { countFailedWebhooks } from "../db/operations";
import { countBackorderedOrders, ordersByChannelSince, recentOrders } from "../db/orders";
import type { ShopRow } from "../db/shops";
import { returnedUnitsByProduct, shippedUnitsByProduct } from "../db/returns-queue-sql";
import { sqlTime } from "../db/ids";
import { inboxLagSeconds } from "../db/webhook-inbox";
import { readSyncHealth, type ChannelSyncHealth } from "./read-sync-health";

export interface Dashboard {
  shopName: string;
  ordersToday: { channel: string; count: number }[];
  ordersTodayTotal: number;
  backorderedOrders: number;
  inboxLagSeconds: number;
  failedWebhooks: number;
  locations: number;
  skus: number;
  unitsAvailable: number;
  recentOrders: { id: string; name: string; channel: string; placedAt: string; totalMinor: number; currency: string; status: string; lineCount: number }[];
  /** Per channel the app sends figures to: lag, what waits and fails, drift repaired (the sync-health card). */
  channelSync: ChannelSyncHealth[];
  /** Return reasons and return rates per product over orders placed in the last 90 days (ADR 0035). */
  returns: ReturnRates;
}

const CHANNEL_ORDER = ["shopify", "amazon", "wholesale", "manual"];

/** Live figures for the dashboard; "today" is the shop's calendar day in UTC. */
export async function getDashboard(shop: Pick<ShopRow, "id" | "domain" | "name">, now = new Date()): Promise<Dashboard> {
  const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const q = database();
  const since = sqlTime(new Date(now.getTime() - RETURN_RATE_DAYS * 86_400_000));
  const [byChannel, backorderedOrders, lag, failedWebhooks, stock, recent, channelSync, shipped, returned] = await Promise.all([
    ordersByChannelSince(q, shop.id, startOfDay),
    countBackorderedOrders(q, shop.id),
    inboxLagSeconds(q, shop.domain, now),
    countFailedWebhooks(q, shop.domain),
    stockTotals(q, shop.id),
    recentOrders(q, shop.id, 8),
    readSyncHealth(shop.id, now),
    shippedUnitsByProduct(q, shop.id, since),
    returnedUnitsByProduct(q, shop.id, since),
  ]);
  const ordersToday = CHANNEL_ORDER.map((channel) => ({ channel, count: byChannel[channel] ?? 0 }));
  return {
    shopName: shop.name,
    ordersToday,
    ordersTodayTotal: ordersToday.reduce((sum, c) => sum + c.count, 0),
    backorderedOrders,
    inboxLagSeconds: lag,
    failedWebhooks,
    locations: stock.locations,
    skus: stock.skus,
    unitsAvailable: available(stock),
    recentOrders: recent.map((o) => ({
      id: o.id,
      name: o.name,
      channel: o.channelKind,
      placedAt: o.placedAt,
      totalMinor: o.totalMinor,
      currency: o.currency,
      status: o.status,
      lineCount: o.lineCount,
    })),
    channelSync,
    returns: returnRates(shipped, returned),
  };
}
