import { countBackorderedOrders, ordersByChannelSince } from "../db/orders";
import { inboxLagSeconds } from "../db/webhook-inbox";
import { db } from "../db/client";
import type { Shop } from "@prisma/client";

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
}

const CHANNEL_ORDER = ["shopify", "amazon", "wholesale", "manual"];

/** Live figures for the dashboard; "today" is the shop's calendar day in UTC. */
export async function getDashboard(shop: Shop, now = new Date()): Promise<Dashboard> {
  const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const client = db();
  const [byChannel, backorderedOrders, lag, failedWebhooks, locations, skus, stock, recent] = await Promise.all([
    ordersByChannelSince(shop.id, startOfDay),
    countBackorderedOrders(shop.id),
    inboxLagSeconds(shop.domain, now),
    client.webhookInbox.count({ where: { shopDomain: shop.domain, status: "failed" } }),
    client.location.count({ where: { shopId: shop.id, active: true } }),
    client.variant.count({ where: { shopId: shop.id } }),
    client.inventoryLevel.aggregate({ where: { shopId: shop.id }, _sum: { onHand: true, reserved: true, safety: true } }),
    client.order.findMany({
      where: { shopId: shop.id },
      orderBy: { placedAt: "desc" },
      take: 8,
      select: { id: true, name: true, placedAt: true, totalMinor: true, currency: true, status: true, channel: { select: { kind: true } }, _count: { select: { lines: true } } },
    }),
  ]);
  const ordersToday = CHANNEL_ORDER.map((channel) => ({ channel, count: byChannel[channel] ?? 0 }));
  return {
    shopName: shop.name,
    ordersToday,
    ordersTodayTotal: ordersToday.reduce((sum, c) => sum + c.count, 0),
    backorderedOrders,
    inboxLagSeconds: lag,
    failedWebhooks,
    locations,
    skus,
    unitsAvailable: (stock._sum.onHand ?? 0) - (stock._sum.reserved ?? 0) - (stock._sum.safety ?? 0),
    recentOrders: recent.map((o) => ({
      id: o.id,
      name: o.name,
      channel: o.channel.kind,
      placedAt: o.placedAt.toISOString(),
      totalMinor: o.totalMinor,
      currency: o.currency,
      status: o.status,
      lineCount: o._count.lines,
    })),
  };
}
