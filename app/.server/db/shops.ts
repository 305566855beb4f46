import type { Channel, Shop } from "@prisma/client";
import type { ChannelKind } from "~/domain/orders/channel-order";
import { takesDataIn } from "~/domain/shops/shop-lifecycle";
import { AppError } from "../errors";
import { db, dbReady } from "./client";
import { immediate, newId, sql, sqlTime, stmt } from "./sql";
import { releaseHeldWebhooks, shopStanding } from "./webhook-inbox";

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

/**
 * Create the shop (and its default channels) on first sight — by an authenticated admin request, a seed —
 * and refresh its info otherwise. It never changes the shop's lifecycle: a shop that is uninstalled or
 * redacted is refused (only installShop, after a real install, makes it installed again).
 */
export async function ensureShop(domain: string, info: ShopInfo = {}): Promise<Shop> {
  const standing = shopStanding(sql(), domain);
  if (standing !== "unknown" && !takesDataIn(standing)) throw new AppError("not_allowed", "SHOP.NOT_INSTALLED", `${domain} is ${standing}`);
  const client = await dbReady(); // the connection's pragmas first: the upsert below is a transaction
  const shop = await client.shop.upsert({
    where: { domain },
    create: { domain, name: info.name ?? domain.replace(/\.myshopify\.com$/, ""), email: info.email ?? null, currency: info.currency ?? "USD", timezone: info.timezone ?? "UTC" },
    update: stripUndefined(info),
  });
  for (const channel of DEFAULT_CHANNELS) await ensureChannel(shop.id, channel.kind, channel.name);
  return shop;
}

const INSTALL = `INSERT INTO "Shop" ("id","domain","name","currency","timezone","status","installedAt","createdAt","updatedAt") VALUES (?,?,?,'USD','UTC','installed',?,?,?)
  ON CONFLICT ("domain") DO UPDATE SET "status" = 'installed', "uninstalledAt" = NULL, "redactedAt" = NULL, "updatedAt" = excluded."updatedAt",
    "installedAt" = CASE WHEN "Shop"."status" = 'installed' THEN "Shop"."installedAt" ELSE excluded."installedAt" END`;

/**
 * A real install (token exchange → onShopAuthenticated): the shop becomes installed — created, reinstalled
 * after app/uninstalled, or after shop/redact from its tombstone — and the webhooks held for it while it was
 * not installed yet become ordinary received ones, returned for enqueueing.
 */
export async function installShop(domain: string, now = new Date()): Promise<{ shopId: string; released: { id: string; eventId: string }[] }> {
  const conn = sql();
  const at = sqlTime(now);
  const { shopId, released } = await immediate(conn, () => {
    stmt(conn, INSTALL).run(newId(), domain, domain.replace(/\.myshopify\.com$/, ""), at, at, at);
    const row = stmt(conn, `SELECT "id" FROM "Shop" WHERE "domain" = ?`).get(domain) as { id: string };
    return { shopId: row.id, released: releaseHeldWebhooks(conn, domain) };
  });
  for (const channel of DEFAULT_CHANNELS) await ensureChannel(shopId, channel.kind, channel.name);
  return { shopId, released };
}

/** app/uninstalled: data stays (the merchant may reinstall) but nothing is taken in until a new install. */
export async function markShopUninstalled(domain: string, now = new Date()): Promise<string | null> {
  const conn = sql();
  return immediate(conn, () => {
    const at = sqlTime(now);
    stmt(conn, `UPDATE "Shop" SET "status" = 'uninstalled', "uninstalledAt" = ?, "updatedAt" = ? WHERE "domain" = ? AND "status" = 'installed'`).run(at, at, domain);
    return (stmt(conn, `SELECT "id" FROM "Shop" WHERE "domain" = ? AND "status" = 'uninstalled'`).get(domain) as { id: string } | undefined)?.id ?? null;
  });
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
  return (await db().shop.findMany({ where: { status: "installed" }, select: { domain: true } })).map((s) => s.domain);
}
