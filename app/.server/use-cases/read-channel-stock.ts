import { bufferFor, checkChannelConfig, PUSHED_CHANNEL_KINDS, type BufferSetting, type ChannelConfig } from "~/domain/channels/channel-config";
import { available } from "~/domain/inventory/availability";
import { availableToSell, bufferUnits, hourlyDemand, p95, type AvailableToSell, type DemandSignal, type LevelFigures } from "~/domain/inventory/available-to-sell";
import { inventoryOverview, listLocations } from "../db/catalog";
import { channelById, listChannels, type ChannelRow } from "../db/shops";
import { backorderedUnits, channelPushStates, recentPushTimes, recentSales, recentSalesOfVariants, setChannelConfig, skuLevels, variantOfSku } from "../db/channel-stock-sql";
import { markChannelDirty, recentChannelLags } from "../db/channel-sync-sql";
import { amazonConnection } from "../db/amazon-sql";
import { enqueueChannelStockSync } from "../jobs/queue";
import type { Queryable } from "../db/engine/types";
import { database } from "../db/database";
import { AppError } from "../errors";

// Per-location figures and per-channel available-to-sell for one SKU, each with how it was reached; and the
// channel buffer setting (GET /api/v1/inventory?sku=, PUT /api/v1/channels/:id/buffer).

/** Hours of sales history read: the longest velocity window an adaptive buffer may set. */
const VELOCITY_HOURS = 7 * 24;
/** Confirmed pushes the push lag's p95 is measured over. */
const LAG_SAMPLE = 200;

export interface SkuStock {
  sku: string;
  title: string;
  locations: { id: string; name: string; onHand: number; reserved: number; safety: number; incoming: number; incomingExpectedAt: string | null; available: number }[];
  channels: ChannelFigure[];
}

export async function readSkuStock(shopId: string, sku: string, now = new Date()): Promise<SkuStock> {
  const q = database();
  const variant = await variantOfSku(q, shopId, sku);
  if (!variant) throw new AppError("not_found", "INVENTORY.UNKNOWN_SKU", `No SKU ${JSON.stringify(sku)} in this shop`);
  const [levels, channels, sales, backordered] = await Promise.all([
    skuLevels(q, shopId, variant.id),
    listChannels(q, shopId),
    recentSales(q, shopId, variant.id, new Date(now.getTime() - VELOCITY_HOURS * 3_600_000)),
    backorderedUnits(q, shopId, [variant.id]),
  ]);
  const lags = await channelLags(q, shopId, channels);
  return {
    sku: variant.sku,
    title: variant.title,
    locations: levels.map((l) => ({ id: l.locationId, name: l.locationName, onHand: l.onHand, reserved: l.reserved, safety: l.safety, incoming: l.incoming, incomingExpectedAt: l.incomingExpectedAt, available: available(l) })),
    channels: channelFigures(variant.sku, levels, channels, sales, lags, now, backordered.get(variant.id) ?? 0),
  };
}

type ChannelFigure = { id: string; kind: string; name: string; bufferSetting: BufferSetting } & AvailableToSell;

/** Every active channel's ATS for one SKU, from its levels at every location and the other channels' recent sales. */
function channelFigures(sku: string, levels: readonly LevelFigures[], channels: ChannelRow[], sales: { channelId: string; placedAt: string; quantity: number }[], lags: ReadonlyMap<string, number | null>, now: Date, backordered: number): ChannelFigure[] {
  return channels.filter((c) => c.active).map((channel) => {
    const config = configOf(channel);
    const setting = bufferFor(config, sku);
    const window = setting.kind === "adaptive" ? setting.windowHours : VELOCITY_HOURS;
    const signal: DemandSignal = { ...otherChannelsDemand(sales, channel.id, now, window), lagP95Minutes: lags.get(channel.id) ?? null };
    const ats = availableToSell(levels, { locationIds: config.locationIds, preorders: config.preorders, promisedIncoming: backordered }, (units) => bufferUnits(setting, units, signal));
    return { id: channel.id, kind: channel.kind, name: channel.name, bufferSetting: setting, ...ats };
  });
}

/**
 * Each active channel's p95 lag from a stock change to buyers seeing its figure, in minutes: the measured lag to
 * the channel accepting it (ChannelPush), plus, for Amazon, the time Amazon takes to show an accepted quantity,
 * which it does not report (ADR 0011). For Shopify, before any available-to-sell push was measured, its on-hand
 * pushes' lag. Null: not measured yet (an adaptive buffer then holds its maximum).
 */
async function channelLags(q: Queryable, shopId: string, channels: ChannelRow[]): Promise<Map<string, number | null>> {
  const lags = new Map<string, number | null>();
  for (const channel of channels.filter((c) => c.active)) {
    const measured = p95((await recentChannelLags(q, shopId, channel.id, LAG_SAMPLE)).map((ms) => ms / 60_000));
    const accepted = measured ?? (channel.kind === "shopify" ? onHandPushLagMinutes(await recentPushTimes(q, shopId, LAG_SAMPLE)) : null);
    lags.set(channel.id, accepted === null ? null : accepted + (channel.kind === "amazon" ? AMAZON_VISIBILITY_MINUTES : 0));
  }
  return lags;
}

/**
 * Amazon answers a quantity update at once but shows it to buyers minutes later, and reports neither when nor
 * how long: the lag its buffer covers adds this allowance (the oversell bench models 5–15 minutes).
 */
const AMAZON_VISIBILITY_MINUTES = 15;

const onHandPushLagMinutes = (pushes: { createdAt: string; sentAt: string }[]) => p95(pushes.map((p) => (Date.parse(p.sentAt) - Date.parse(p.createdAt)) / 60_000));

/** One channel's available to sell for several variants, from their levels (the pusher): the same figures the pages show. */
export async function channelFiguresOf(shopId: string, channel: ChannelRow, variants: { id: string; sku: string; levels: LevelFigures[] }[], now = new Date()): Promise<Map<string, ChannelFigure>> {
  const q = database();
  const [sales, lags, backordered] = await Promise.all([
    recentSalesOfVariants(q, shopId, variants.map((v) => v.id), new Date(now.getTime() - VELOCITY_HOURS * 3_600_000)),
    channelLags(q, shopId, [channel]),
    backorderedUnits(q, shopId, variants.map((v) => v.id)),
  ]);
  return new Map(variants.map((v) => [v.id, channelFigures(v.sku, v.levels, [channel], sales.get(v.id) ?? [], lags, now, backordered.get(v.id) ?? 0)[0]]));
}

/** One channel's figure for a SKU on the Inventory page, with what the channel was last sent (pushed channels). */
export interface ChannelCell {
  ats: number;
  explanation: string;
  push: { quantity: number | null; at: string | null; lagMs: number | null; waitingSince: string | null; error: string | null } | null;
}

export interface InventoryPage {
  locations: { id: string; name: string }[];
  channels: { id: string; kind: string; name: string }[];
  rows: { sku: string; title: string; byLocation: Record<string, { onHand: number; reserved: number; available: number; incoming: number }>; ats: Record<string, ChannelCell> }[];
  hasNext: boolean;
}

/** The Inventory page: a page of SKUs (searched by SKU or title), each with its figures per location and ATS per channel. */
export async function readInventoryPage(shopId: string, opts: { query?: string; page?: number; pageSize?: number } = {}, now = new Date()): Promise<InventoryPage> {
  const q = database();
  const size = opts.pageSize ?? 50;
  const page = Math.max(1, opts.page ?? 1);
  const [locations, channels, variants] = await Promise.all([
    listLocations(q, shopId),
    listChannels(q, shopId),
    inventoryOverview(q, shopId, { take: size + 1, skip: (page - 1) * size, query: opts.query }),
  ]);
  const shown = variants.slice(0, size);
  const [sales, backordered, pushes] = await Promise.all([
    recentSalesOfVariants(q, shopId, shown.map((v) => v.id), new Date(now.getTime() - VELOCITY_HOURS * 3_600_000)),
    backorderedUnits(q, shopId, shown.map((v) => v.id)),
    channelPushStates(q, shopId, shown.map((v) => v.id)),
  ]);
  const pushOf = new Map(pushes.map((p) => [`${p.channelId}:${p.variantId}`, p]));
  const active = locations.filter((l) => l.active);
  const lags = await channelLags(q, shopId, channels);
  return {
    locations: active.map((l) => ({ id: l.id, name: l.name })),
    channels: channels.filter((c) => c.active).map((c) => ({ id: c.id, kind: c.kind, name: c.name })),
    rows: shown.map((v) => {
      const levels = active.map((l) => v.inventoryLevels.find((lvl) => lvl.locationId === l.id) ?? { locationId: l.id, onHand: 0, reserved: 0, safety: 0, incoming: 0 });
      const figures = channelFigures(v.sku, levels, channels, sales.get(v.id) ?? [], lags, now, backordered.get(v.id) ?? 0);
      return {
        sku: v.sku,
        title: `${v.product.title} — ${v.title}`,
        byLocation: Object.fromEntries(v.inventoryLevels.map((lvl) => [lvl.locationId, { onHand: lvl.onHand, reserved: lvl.reserved, available: available(lvl), incoming: lvl.incoming }])),
        ats: Object.fromEntries(figures.map((f): [string, ChannelCell] => {
          const p = pushOf.get(`${f.id}:${v.id}`);
          const push = p ? { quantity: p.pushedQuantity, at: p.pushedAt, lagMs: p.lagMs === null ? null : Number(p.lagMs), waitingSince: p.dirtyAt, error: p.dirtyAt ? p.lastError : null } : null;
          return [f.id, { ats: f.ats, explanation: f.explanation, push }];
        })),
      };
    }),
    hasNext: variants.length > size,
  };
}

/** How fast the other channels sell the SKU: hourly units over the window, empty hours included. */
function otherChannelsDemand(sales: { channelId: string; placedAt: string; quantity: number }[], channelId: string, now: Date, windowHours: number): Pick<DemandSignal, "otherChannelsPerHour" | "otherChannelsStdPerHour"> {
  const hours = new Array<number>(windowHours).fill(0);
  for (const s of sales) {
    if (s.channelId === channelId) continue;
    const ago = Math.floor((now.getTime() - Date.parse(s.placedAt)) / 3_600_000);
    if (ago >= 0 && ago < windowHours) hours[ago] += s.quantity;
  }
  const { perHour, stdPerHour } = hourlyDemand(hours);
  return { otherChannelsPerHour: perHour, otherChannelsStdPerHour: stdPerHour };
}

function configOf(channel: ChannelRow): ChannelConfig {
  const check = checkChannelConfig(JSON.parse(channel.config || "{}"));
  if (!check.ok) throw new AppError("unexpected_state", "CHANNEL.CONFIG_INVALID", `Channel ${channel.name}: ${check.errors.join("; ")}`);
  return check.config;
}

/** Set a channel's buffer, or one SKU's buffer on it (`buffer: null` removes a SKU's own and it follows the channel's again). */
export async function setChannelBuffer(shopId: string, channelId: string, change: { sku?: string; buffer: unknown }): Promise<ChannelConfig> {
  const config = await database().transaction(async (tx) => {
    const channel = await channelById(tx, shopId, channelId);
    if (!channel) throw new AppError("not_found", "CHANNEL.NOT_FOUND", `No channel ${channelId} in this shop`);
    const current = configOf(channel);
    const next = change.sku === undefined ? { ...current, buffer: change.buffer } : { ...current, skuBuffers: withSku(current.skuBuffers, change.sku, change.buffer) };
    if (change.sku === undefined && change.buffer === null) throw new AppError("invalid_data", "CHANNEL.BUFFER_INVALID", "buffer: a channel's own buffer cannot be removed (set { kind: \"units\", units: 0 } for none)");
    const check = checkChannelConfig(next);
    if (!check.ok) throw new AppError("invalid_data", "CHANNEL.BUFFER_INVALID", check.errors.join("; "));
    await setChannelConfig(tx, shopId, channelId, check.config);
    if (await pushedTo(tx, shopId, channel)) await markChannelDirty(tx, shopId, channelId); // every figure on the channel may have changed
    return check.config;
  });
  await enqueueChannelStockSync({ shopId });
  return config;
}

/** Whether the app sends this channel its figures: a pushed kind, and for Amazon a seller who authorised the app. */
async function pushedTo(q: Queryable, shopId: string, channel: ChannelRow): Promise<boolean> {
  if (!(PUSHED_CHANNEL_KINDS as readonly string[]).includes(channel.kind)) return false;
  return channel.kind !== "amazon" || (await amazonConnection(q, shopId, channel.id)) !== undefined;
}

function withSku(buffers: Record<string, BufferSetting>, sku: string, buffer: unknown): Record<string, unknown> {
  const { [sku]: _old, ...rest } = buffers;
  return buffer === null ? rest : { ...rest, [sku]: buffer };
}

/** The channel's own settings (which locations feed it, pre-orders, its buffer), checked; its SKU buffers are kept. */
export async function updateChannelSettings(shopId: string, channelId: string, settings: { locationIds: string[] | null; preorders: boolean; buffer: unknown }): Promise<ChannelConfig> {
  const config = await database().transaction(async (tx) => {
    const channel = await channelById(tx, shopId, channelId);
    if (!channel) throw new AppError("not_found", "CHANNEL.NOT_FOUND", `No channel ${channelId} in this shop`);
    const check = checkChannelConfig({ ...configOf(channel), locationIds: settings.locationIds, preorders: settings.preorders, buffer: settings.buffer });
    if (!check.ok) throw new AppError("invalid_data", "CHANNEL.SETTINGS_INVALID", check.errors.join("; "));
    const known = new Set((await listLocations(tx, shopId)).map((l) => l.id));
    const unknown = (check.config.locationIds ?? []).filter((id) => !known.has(id));
    if (unknown.length > 0) throw new AppError("invalid_data", "CHANNEL.SETTINGS_INVALID", `locationIds: not locations of this shop: ${unknown.join(", ")}`);
    await setChannelConfig(tx, shopId, channelId, check.config);
    if (await pushedTo(tx, shopId, channel)) await markChannelDirty(tx, shopId, channelId);
    return check.config;
  });
  await enqueueChannelStockSync({ shopId });
  return config;
}

/** A channel's settings as the Channels page shows them. */
export function channelSettingsOf(channel: ChannelRow): ChannelConfig {
  return configOf(channel);
}
