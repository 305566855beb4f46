import type { ChannelKind } from "~/domain/orders/channel-order";
import { takesDataIn } from "~/domain/shops/shop-lifecycle";
import { AppError } from "../errors";
import { database } from "./database";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";
import { releaseHeldWebhooks, shopStanding } from "./webhook-inbox";

// Shops and their channels. Every other repository takes a shop id first.

export interface ShopRow {
  id: string;
  domain: string;
  name: string;
  email: string | null;
  currency: string;
  timezone: string;
  status: string; // installed | uninstalled | redacted
  configVersion: number;
  installedAt: string;
  uninstalledAt: string | null;
  redactedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelRow {
  id: string;
  shopId: string;
  kind: string;
  name: string;
  active: boolean;
  config: string;
  createdAt: string;
  updatedAt: string;
}

export interface ShopInfo {
  name?: string;
  email?: string | null;
  currency?: string;
  timezone?: string;
}

const SHOP_COLUMNS = `"id","domain","name","email","currency","timezone","status","configVersion","installedAt","uninstalledAt","redactedAt","createdAt","updatedAt"`;
const CHANNEL_COLUMNS = `"id","shopId","kind","name","active","config","createdAt","updatedAt"`;

const DEFAULT_CHANNELS: { kind: ChannelKind; name: string }[] = [
  { kind: "shopify", name: "Online Store" },
  { kind: "manual", name: "Manual orders" },
];

const channelRow = (row: ChannelRow): ChannelRow => ({ ...row, active: Boolean(row.active) });

export async function findShopByDomain(q: Queryable, domain: string): Promise<ShopRow | undefined> {
  return q.get<ShopRow>(`SELECT ${SHOP_COLUMNS} FROM "Shop" WHERE "domain" = ?`, domain);
}

export async function findShopById(q: Queryable, shopId: string): Promise<ShopRow | undefined> {
  return q.get<ShopRow>(`SELECT ${SHOP_COLUMNS} FROM "Shop" WHERE "id" = ?`, shopId);
}

/**
 * Create the shop (and its default channels) on first sight — by an authenticated admin request, a seed —
 * and refresh its info otherwise. It never changes the shop's lifecycle: a shop that is uninstalled or
 * redacted is refused (only installShop, after a real install, makes it installed again).
 */
export async function ensureShop(domain: string, info: ShopInfo = {}): Promise<ShopRow> {
  return database().transaction(async (tx) => {
    const standing = await shopStanding(tx, domain);
    if (standing !== "unknown" && !takesDataIn(standing)) throw new AppError("not_allowed", "SHOP.NOT_INSTALLED", `${domain} is ${standing}`);
    const now = sqlTime();
    await tx.run(
      `INSERT INTO "Shop" ("id","domain","name","email","currency","timezone","status","installedAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?,'installed',?,?,?)
       ON CONFLICT ("domain") DO UPDATE SET "name" = COALESCE(CAST(? AS TEXT), "Shop"."name"), "email" = CASE WHEN ? = 1 THEN excluded."email" ELSE "Shop"."email" END,
         "currency" = COALESCE(CAST(? AS TEXT), "Shop"."currency"), "timezone" = COALESCE(CAST(? AS TEXT), "Shop"."timezone"), "updatedAt" = excluded."updatedAt"`,
      newId(), domain, info.name ?? domain.replace(/\.myshopify\.com$/, ""), info.email ?? null, info.currency ?? "USD", info.timezone ?? "UTC", now, now, now,
      info.name ?? null, info.email !== undefined ? 1 : 0, info.currency ?? null, info.timezone ?? null,
    );
    const shop = (await findShopByDomain(tx, domain))!;
    await ensureDefaultChannels(tx, shop.id);
    return shop;
  });
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
  const at = sqlTime(now);
  return database().transaction(async (tx) => {
    await tx.run(INSTALL, newId(), domain, domain.replace(/\.myshopify\.com$/, ""), at, at, at);
    const row = (await tx.get<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, domain))!;
    await ensureDefaultChannels(tx, row.id);
    return { shopId: row.id, released: await releaseHeldWebhooks(tx, domain) };
  });
}

/** app/uninstalled: data stays (the merchant may reinstall) but nothing is taken in until a new install. */
export async function markShopUninstalled(domain: string, now = new Date()): Promise<string | null> {
  return database().transaction(async (tx) => {
    const at = sqlTime(now);
    await tx.run(`UPDATE "Shop" SET "status" = 'uninstalled', "uninstalledAt" = ?, "updatedAt" = ? WHERE "domain" = ? AND "status" = 'installed'`, at, at, domain);
    return (await tx.get<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ? AND "status" = 'uninstalled'`, domain))?.id ?? null;
  });
}

/** The shop's configuration version (what per-process caches of routing's configuration key on). */
export async function configVersionOf(q: Queryable, shopId: string): Promise<number> {
  return (await q.get<{ configVersion: number }>(`SELECT "configVersion" FROM "Shop" WHERE "id" = ?`, shopId))?.configVersion ?? 0;
}

/** Something routing reads changed (rules, promise, prices, locations): caches in every process drop the shop's entries. */
export async function bumpConfigVersion(tx: Tx, shopId: string): Promise<void> {
  await tx.run(`UPDATE "Shop" SET "configVersion" = "configVersion" + 1, "updatedAt" = ? WHERE "id" = ?`, sqlTime(), shopId);
}

async function ensureDefaultChannels(tx: Tx, shopId: string): Promise<void> {
  for (const channel of DEFAULT_CHANNELS) await ensureChannel(tx, shopId, channel.kind, channel.name);
}

export async function ensureChannel(q: Queryable, shopId: string, kind: ChannelKind, name: string, config: object = {}): Promise<ChannelRow> {
  const now = sqlTime();
  await q.run(`INSERT INTO "Channel" ("id","shopId","kind","name","config","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?) ON CONFLICT ("shopId","kind","name") DO NOTHING`, newId(), shopId, kind, name, JSON.stringify(config), now, now);
  return channelRow((await q.get<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM "Channel" WHERE "shopId" = ? AND "kind" = ? AND "name" = ?`, shopId, kind, name))!);
}

export async function channelById(q: Queryable, shopId: string, channelId: string): Promise<ChannelRow | undefined> {
  const row = await q.get<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM "Channel" WHERE "shopId" = ? AND "id" = ?`, shopId, channelId);
  return row && channelRow(row);
}

/** The channel a kind's orders land in when no specific one is named (the oldest of that kind). */
export async function defaultChannel(q: Queryable, shopId: string, kind: ChannelKind): Promise<ChannelRow | undefined> {
  const row = await q.get<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM "Channel" WHERE "shopId" = ? AND "kind" = ? ORDER BY "createdAt", "id" LIMIT 1`, shopId, kind);
  return row && channelRow(row);
}

export async function listChannels(q: Queryable, shopId: string): Promise<ChannelRow[]> {
  return (await q.all<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM "Channel" WHERE "shopId" = ? ORDER BY "kind", "name"`, shopId)).map(channelRow);
}

/** Cross-shop, for scheduling only (which shops the reconciliation poll visits). */
export async function listInstalledShopDomainsAcrossShops(q: Queryable): Promise<string[]> {
  return (await q.all<{ domain: string }>(`SELECT "domain" FROM "Shop" WHERE "status" = 'installed' ORDER BY "domain"`)).map((s) => s.domain);
}

/** A shop with one of its channels (or none: `channelId` null), as the intake path checks them. */
export interface ShopChannelRow {
  shopId: string;
  shopDomain: string;
  status: string;
  configVersion: number;
  channelId: string | null;
  kind: string | null;
  active: unknown;
}

const SHOP_CHANNEL = `SELECT s."id" AS "shopId", s."domain" AS "shopDomain", s."status", s."configVersion", c."id" AS "channelId", c."kind", c."active" FROM "Shop" s LEFT JOIN "Channel" c ON c."shopId" = s."id"`;

export async function shopChannelById(q: Queryable, shopId: string, channelId: string): Promise<ShopChannelRow | undefined> {
  return q.get<ShopChannelRow>(`${SHOP_CHANNEL} AND c."id" = ? WHERE s."id" = ?`, channelId, shopId);
}

/** The shop (by domain) with its oldest channel of a kind. */
export async function shopChannelOfKind(q: Queryable, shopDomain: string, kind: string): Promise<ShopChannelRow | undefined> {
  return q.get<ShopChannelRow>(`${SHOP_CHANNEL} AND c."kind" = ? WHERE s."domain" = ? ORDER BY c."createdAt", c."id" LIMIT 1`, kind, shopDomain);
}
