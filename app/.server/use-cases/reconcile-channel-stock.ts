import { judgeDrift } from "~/domain/inventory/channel-drift";
import { SpApiError, spApiClient, type SpApiClient } from "../channels/amazon/sp-api-client";
import { amazonConnection } from "../db/amazon-sql";
import { lowerSince, markChecked, markForRepair, recordDrift, sentFiguresToCheck, shopifyVariantsToCheck, type DriftRow } from "../db/channel-reconcile-sql";
import { holdLevels, setHeldInShopify, type HoldLevelRow } from "../db/channel-sync-sql";
import { database } from "../db/database";
import { findShopById, type ChannelRow } from "../db/shops";
import { enqueueChannelStockSync } from "../jobs/queue";
import { adminGraphql, throttledWaitMs } from "../shopify/admin-graphql";
import { INVENTORY_HOLDS_QUERY, type InventoryHoldsResult } from "../shopify/graphql/inventory-holds-query";
import { pushedChannels } from "./sync-channel-stock";

// Channel reconciliation (ADR 0013), scheduled per shop: read back what each channel shows for a slice of SKUs
// (the least recently checked first), compare it with what the app last set, and repair what drifted: the
// figure is marked dirty and the pusher sends the right one. What was found is kept for the sync-health card.

/** Variants read back from Shopify per run (20 items a query). */
const SHOPIFY_SLICE = 500;
/** Listings read back from Amazon per run (getListingsItem: 5 per second). */
const AMAZON_SLICE = 25;
/** A figure Amazon accepted shows to buyers after a delay: only figures older than this are read back. */
const AMAZON_SETTLE_MS = 15 * 60_000;
/** A lower figure on Amazon standing this long is not one of its own sales on its way to us. */
const CONFIRM_LOWER_MS = 30 * 60_000;

export interface ChannelReconciliation {
  channelId: string;
  kind: string;
  checked: number;
  repaired: number;
  watching: number;
}

export async function reconcileChannelStock(shopId: string, opts: { now?: Date; amazonClient?: (channelId: string) => SpApiClient } = {}): Promise<ChannelReconciliation[]> {
  const now = opts.now ?? new Date();
  const shop = await findShopById(database(), shopId);
  if (!shop || shop.status !== "installed") return [];
  const results: ChannelReconciliation[] = [];
  for (const channel of await pushedChannels(shopId)) {
    if (channel.kind === "shopify") results.push(await reconcileShopify(shopId, shop.domain, channel, now));
    else if (channel.kind === "amazon") results.push(await reconcileAmazon(shopId, channel, now, opts.amazonClient));
  }
  if (results.some((r) => r.repaired > 0)) await enqueueChannelStockSync({ shopId });
  return results;
}

/** Shopify: the app is safety_stock's only writer, so a level whose hold differs was changed outside the app. */
async function reconcileShopify(shopId: string, shopDomain: string, channel: ChannelRow, now: Date): Promise<ChannelReconciliation> {
  const db = database();
  const result: ChannelReconciliation = { channelId: channel.id, kind: channel.kind, checked: 0, repaired: 0, watching: 0 };
  const variantIds = await shopifyVariantsToCheck(db, shopId, channel.id, SHOPIFY_SLICE);
  if (variantIds.length === 0) return result;
  const levels = (await holdLevels(db, shopId, variantIds)).filter((l) => l.inventoryItemExternalId);
  const byItem = new Map<string, HoldLevelRow[]>();
  for (const l of levels) {
    const gid = `gid://shopify/InventoryItem/${l.inventoryItemExternalId}`;
    byItem.set(gid, [...(byItem.get(gid) ?? []), l]);
  }
  const items = [...byItem.keys()];
  const drift: DriftRow[] = [];
  const adopt: { variantId: string; locationId: string; units: number }[] = [];
  for (let i = 0; i < items.length; i += 20) {
    const read = await readHolds(shopDomain, items.slice(i, i + 20));
    for (const node of read.nodes) {
      if (!node) continue;
      for (const level of byItem.get(node.id) ?? []) {
        const shopifyLevel = node.inventoryLevels.nodes.find((n) => n.location.id === `gid://shopify/Location/${level.locationExternalId}`);
        if (!shopifyLevel) continue; // not stocked there in Shopify: nothing held, nothing to compare
        const shown = shopifyLevel.quantities.find((q) => q.name === "safety_stock")?.quantity ?? 0;
        const verdict = judgeDrift({ expected: level.heldInShopify, shown, soleWriter: true, lowerSince: null, now, confirmAfterMs: CONFIRM_LOWER_MS });
        if (verdict.kind !== "repair") continue;
        drift.push({ channelId: channel.id, variantId: level.variantId, locationId: level.locationId, expected: level.heldInShopify, shown, action: "repaired" });
        adopt.push({ variantId: level.variantId, locationId: level.locationId, units: shown });
      }
    }
  }
  await db.transaction(async (tx) => {
    // Take Shopify's figure as the one to move from (compare-and-set), and send the right hold again.
    await setHeldInShopify(tx, shopId, adopt);
    await markForRepair(tx, shopId, channel.id, [...new Set(adopt.map((a) => a.variantId))].map((variantId) => ({ variantId, shown: null })), now);
    await recordDrift(tx, shopId, drift, now);
    await markChecked(tx, shopId, channel.id, variantIds, now);
  });
  result.checked = variantIds.length;
  result.repaired = new Set(adopt.map((a) => a.variantId)).size;
  return result;
}

async function readHolds(shopDomain: string, ids: string[]): Promise<InventoryHoldsResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await adminGraphql<InventoryHoldsResult>(shopDomain, INVENTORY_HOLDS_QUERY, { ids });
    } catch (error) {
      const wait = throttledWaitMs(error);
      if (wait === undefined || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Amazon: its own orders lower a listing's quantity before they reach us, so a lower figure is watched first. */
async function reconcileAmazon(shopId: string, channel: ChannelRow, now: Date, clientFor?: (channelId: string) => SpApiClient): Promise<ChannelReconciliation> {
  const db = database();
  const result: ChannelReconciliation = { channelId: channel.id, kind: channel.kind, checked: 0, repaired: 0, watching: 0 };
  const connection = await amazonConnection(db, shopId, channel.id);
  if (!connection) return result;
  const client = clientFor?.(channel.id) ?? spApiClient({ key: channel.id, sellerId: connection.sellerId, marketplaceId: connection.marketplaceId, refreshToken: connection.refreshToken });
  const figures = await sentFiguresToCheck(db, shopId, channel.id, new Date(now.getTime() - AMAZON_SETTLE_MS), AMAZON_SLICE);
  if (figures.length === 0) return result;
  const lower = await lowerSince(db, shopId, channel.id, figures.map((f) => f.variantId));
  const drift: DriftRow[] = [];
  const repairs: { variantId: string; shown: number }[] = [];
  const checked: string[] = [];
  for (const f of figures) {
    const shown = await shownOnAmazon(client, f.sku);
    checked.push(f.variantId);
    if (shown === undefined) continue; // no longer listed: the next push says so
    const verdict = judgeDrift({ expected: f.pushedQuantity, shown, soleWriter: false, lowerSince: lower.get(f.variantId) ?? null, now, confirmAfterMs: CONFIRM_LOWER_MS });
    if (verdict.kind === "in-sync") continue;
    drift.push({ channelId: channel.id, variantId: f.variantId, locationId: null, expected: f.pushedQuantity, shown, action: verdict.kind === "repair" ? "repaired" : "watching" });
    if (verdict.kind === "repair") repairs.push({ variantId: f.variantId, shown });
  }
  await db.transaction(async (tx) => {
    await markForRepair(tx, shopId, channel.id, repairs, now);
    await recordDrift(tx, shopId, drift, now);
    await markChecked(tx, shopId, channel.id, checked, now);
  });
  result.checked = checked.length;
  result.repaired = repairs.length;
  result.watching = drift.length - repairs.length;
  return result;
}

/** The listing's seller-fulfilled quantity as buyers see it; undefined when the SKU is not listed. */
async function shownOnAmazon(client: SpApiClient, sku: string): Promise<number | undefined> {
  const { sellerId, marketplaceId } = client.credentials;
  try {
    const item = await client.call<{ fulfillmentAvailability?: { fulfillmentChannelCode: string; quantity?: number }[] }>(
      "getListingsItem", "GET", `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}/${encodeURIComponent(sku)}`,
      { query: { marketplaceIds: marketplaceId, includedData: "fulfillmentAvailability" } },
    );
    return item.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === "DEFAULT")?.quantity ?? 0;
  } catch (error) {
    if (error instanceof SpApiError && error.status === 404) return undefined;
    throw error;
  }
}
