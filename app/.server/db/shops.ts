import type { Channel, Shop } from "@prisma/client";
import type { ChannelKind } from "~/domain/orders/channel-order";
import { db } from "./client";

// Shops and their channels. Every other repository takes a shop id first.

export interface ShopInfo {
  name?: string;
  email?: string | null;
  currency?: string;
  timezone?: string;
}

const DEFAULT_CHANNELS: { kind: ChannelKind; name: string }[] = [
  { kind: "shopify", name: "Online Store" },
  { kind: "manual", name: "Manual orders" },
];

export async function findShopByDomain(domain: string): Promise<Shop | null> {
  return db().shop.findUnique({ where: { domain } });
}

/** Create the shop (and its default channels) on first sight; refresh its info otherwise. */
export async function ensureShop(domain: string, info: ShopInfo = {}): Promise<Shop> {
  const shop = await db().shop.upsert({
    where: { domain },
    create: { domain, name: info.name ?? domain.replace(/\.myshopify\.com$/, ""), email: info.email ?? null, currency: info.currency ?? "USD", timezone: info.timezone ?? "UTC" },
    update: { ...stripUndefined(info), uninstalledAt: null },
  });
  for (const channel of DEFAULT_CHANNELS) await ensureChannel(shop.id, channel.kind, channel.name);
  return shop;
}

export async function ensureChannel(shopId: string, kind: ChannelKind, name: string, config: object = {}): Promise<Channel> {
  return db().channel.upsert({
    where: { shopId_kind_name: { shopId, kind, name } },
    create: { shopId, kind, name, config: JSON.stringify(config) },
    update: {},
  });
}

/** The channel a kind's orders land in when no specific one is named (the oldest of that kind). */
export async function defaultChannel(shopId: string, kind: ChannelKind): Promise<Channel | null> {
  return db().channel.findFirst({ where: { shopId, kind }, orderBy: { createdAt: "asc" } });
}

export async function listChannels(shopId: string): Promise<Channel[]> {
  return db().channel.findMany({ where: { shopId }, orderBy: [{ kind: "asc" }, { name: "asc" }] });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Cross-shop, for scheduling only (which shops the reconciliation poll visits). */
export async function listInstalledShopDomains(): Promise<string[]> {
  return (await db().shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } })).map((s) => s.domain);
}
