import { z } from "zod";
import { shopifyChannel } from "../channels/shopify/shopify-channel";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { readingBasis } from "~/domain/inventory/on-hand-push";
import { afterChangeApplied, claimUnexplained } from "~/domain/inventory/unexplained-change";
import { clearLevelRecheck, levelByExternalIds, levelExternalIds, levelOf, markLevelRecheck, mirrorShopifyDecrease, openChannelUnits, setLevelRecheck, setUnexplained, unexplainedOf } from "../db/fulfillment-sql";
import { openPushes, pushConfirmedSince } from "../db/stock-push-sql";
import { addOnHand, ledgerKeyUsed } from "../db/pipeline-sql";
import { env } from "../env";
import { AppError } from "../errors";
import { adminGraphql } from "../shopify/admin-graphql";
import { parseWebhookBody } from "../shopify/parse-webhook-body";
import { INVENTORY_LEVEL_ON_HAND_QUERY, type InventoryLevelOnHandResult } from "../shopify/graphql/inventory-level-on-hand-query";
import { fillBackorders, type AllocationContext, type Reallocation } from "./allocate-order";
import { resolveShortfall } from "./fit-allocations";
import { enqueueReallocations } from "./dispatch-reallocations";

// inventory_levels/update: Shopify's `available` moves whenever an order commits stock, so it is not
// read. The level's physical `on_hand` is fetched instead and compared with ours:
// - more in Shopify: an external arrival (a receipt or adjustment made in Shopify) → oldest backorders.
// - less in Shopify: shipments are consumed by fulfillments/create (which lowers our on hand too), so the
//   update that follows a processed fulfillment agrees with us. A decrease nothing explains is applied as
//   an external decrease, in full, below zero when Shopify's figure is (Shopify's on hand goes negative when more
//   ships than it knew it had; ours mirrors it so a later write-back starts from the figure Shopify holds);
//   reservations that no longer fit go elsewhere or wait (resolveShortfall). The part
//   of a decrease that an open Shopify order's fulfillment — not processed yet — could explain waits
//   INVENTORY_SETTLE_MS (InventoryLevel.recheckAfter) and the worker's sweep applies whatever is left then.

const payload = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/),
  updated_at: z.string(),
});

export interface LevelTarget {
  shopId: string;
  shopDomain: string;
  variantId: string;
  locationId: string;
}

export type LevelSyncResult = { outcome: "arrival" | "decrease" | "deferred" | "unchanged" | "unknown"; delta: number; deferred?: number };

export async function syncInventoryLevel(shopDomain: string, raw: string): Promise<LevelSyncResult> {
  const parsed = payload.safeParse(parseWebhookBody(raw, "inventory_levels/update"));
  if (!parsed.success) throw new AppError("invalid_data", "INVENTORY.INVALID_PAYLOAD", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const [, locationExternalId, inventoryItemExternalId] = /InventoryLevel\/(\d+)\?inventory_item_id=(\d+)/.exec(parsed.data.admin_graphql_api_id)!;
  const target: LevelTarget | undefined = await levelByExternalIds(database(), shopDomain, inventoryItemExternalId, locationExternalId);
  if (!target) return { outcome: "unknown", delta: 0 }; // not an item or location we mirror

  const readAt = new Date(); // before the read: a push of ours confirmed after this may or may not be in the figure
  const shopifyOnHand = await readShopifyOnHand(shopDomain, inventoryItemExternalId, locationExternalId);
  if (shopifyOnHand === undefined) return { outcome: "unknown", delta: 0 };
  const key = `shopify-on-hand:${inventoryItemExternalId}:${locationExternalId}:${shopifyOnHand}:${parsed.data.updated_at}`;
  return applyShopifyOnHand(target, shopifyOnHand, { final: false, readAt, key, actor: "webhook:inventory_levels/update", ref: { type: "inventory_level", id: parsed.data.admin_graphql_api_id } });
}

/** Shopify's physical on hand of an item at a location (undefined when the item is not stocked there). */
export async function readShopifyOnHand(shopDomain: string, inventoryItemExternalId: string, locationExternalId: string): Promise<number | undefined> {
  const result = await adminGraphql<InventoryLevelOnHandResult>(shopDomain, INVENTORY_LEVEL_ON_HAND_QUERY, {
    inventoryItemId: `gid://shopify/InventoryItem/${inventoryItemExternalId}`,
    locationId: `gid://shopify/Location/${locationExternalId}`,
  });
  return result.inventoryItem?.inventoryLevel?.quantities.find((q) => q.name === "on_hand")?.quantity;
}

/**
 * Bring our on hand to Shopify's. `final` (the recheck after the settle time) applies a decrease in full;
 * otherwise the part that fulfillments of open Shopify orders could still explain waits for them. Our own
 * on-hand writes not yet in Shopify are allowed for (ADR 0008): Shopify is compared with our figure minus them,
 * and while one is in flight, or was confirmed after `readAt` (when the reading was taken), the reading cannot
 * be told from our own write: the level is looked at again later instead.
 */
export async function applyShopifyOnHand(
  target: LevelTarget, shopifyOnHand: number, opts: { final: boolean; key: string; actor: string; ref?: { type: string; id: string }; now?: Date; readAt?: Date },
): Promise<LevelSyncResult> {
  const { shopId, variantId, locationId } = target;
  const channel = await shopifyChannel(target.shopDomain);
  const result = await database().transaction(async (tx): Promise<LevelSyncResult & { reallocated: Reallocation[] }> => {
    const ctx: AllocationContext = { tx, shopId, now: opts.now ?? new Date(), actor: opts.actor };
    const onHand = (await levelOf(tx, shopId, variantId, locationId))?.onHand ?? 0;
    const confirmedSince = opts.readAt ? await pushConfirmedSince(tx, shopId, variantId, locationId, opts.readAt) : false;
    const basis = readingBasis(onHand, await openPushes(tx, shopId, variantId, locationId), confirmedSince);
    if (basis.kind === "wait") {
      await setLevelRecheck(tx, shopId, variantId, locationId, new Date(ctx.now.getTime() + env().INVENTORY_SETTLE_MS));
      return { outcome: "deferred", delta: 0, deferred: 0, reallocated: [] };
    }
    const ours = basis.ours;
    const delta = shopifyOnHand - ours;
    if (opts.final || delta === 0) await clearLevelRecheck(tx, shopId, variantId, locationId);
    if (delta === 0) return { outcome: "unchanged", delta, reallocated: [] };
    if (delta > 0) {
      if (!(await addOnHand(tx, shopId, variantId, locationId, delta, "external_increase", opts.key, opts.ref))) return { outcome: "unchanged", delta: 0, reallocated: [] };
      // Until a restock Shopify reports claims them, these units may be a cancelled shipment or a return whose webhook is on its way.
      await setUnexplained(tx, shopId, variantId, locationId, "increase", afterChangeApplied(await unexplainedOf(tx, shopId, variantId, locationId, "increase"), delta, ctx.now, env().INVENTORY_UNEXPLAINED_WINDOW_MS));
      return { outcome: "arrival", delta, reallocated: await fillBackorders(ctx, [variantId]) };
    }
    // The key names this reading of Shopify's level (item, location, its on hand and time): a redelivery of
    // the same reading, once applied, changes nothing, whatever our level did since.
    const decreaseKey = `${opts.key}:decrease`;
    if (await ledgerKeyUsed(tx, shopId, decreaseKey)) return { outcome: "unchanged", delta: 0, reallocated: [] };
    const deferred = opts.final ? 0 : Math.min(-delta, await openChannelUnits(tx, shopId, channel.channelId, variantId));
    const now = -delta - deferred;
    const reallocated: Reallocation[] = [];
    if (now > 0) {
      const taken = await mirrorShopifyDecrease(tx, shopId, variantId, locationId, now, decreaseKey, opts.ref);
      // Until a fulfillment Shopify reports claims them, these units may be a shipment whose webhook is still on its way.
      await setUnexplained(tx, shopId, variantId, locationId, "decrease", afterChangeApplied(await unexplainedOf(tx, shopId, variantId, locationId, "decrease"), taken, ctx.now, env().INVENTORY_UNEXPLAINED_WINDOW_MS));
      await audit(tx, shopId, ctx.actor, "inventory.external_decrease", { type: "variant", id: variantId }, { locationId, shopifyOnHand, ours, applied: taken, deferred });
      reallocated.push(...(await resolveShortfall(ctx, variantId, locationId)));
    }
    if (deferred > 0) {
      await markLevelRecheck(tx, shopId, variantId, locationId, new Date(ctx.now.getTime() + env().INVENTORY_SETTLE_MS));
      await audit(tx, shopId, ctx.actor, "inventory.decrease_deferred", { type: "variant", id: variantId }, { locationId, shopifyOnHand, ours, deferred, reason: "open Shopify orders may have shipped it" });
    }
    return { outcome: now > 0 ? "decrease" : "deferred", delta: now > 0 ? -now : 0, deferred, reallocated };
  });
  await enqueueReallocations(shopId, result.reallocated);
  const { reallocated: _done, ...outcome } = result;
  return outcome;
}

/**
 * Units that come back on hand (a cancelled shipment, a refund's returned units), added once. When Shopify restocked
 * them itself (`claims` given), the part that an increase already read from Shopify added (its level update
 * processed first) is claimed instead of added again, and the level is marked to be read right after commit
 * (confirmClaimedLevel) with a recheck in case that read fails. Either way the level gets a recheck: Shopify's own
 * update for the restock may still be on its way. The caller applies each event once. Returns the units claimed.
 */
export async function restockUnits(
  ctx: AllocationContext, variantId: string, locationId: string, units: number, reason: string, key: string, ref: { type: string; id: string },
  claims: Map<string, { variantId: string; locationId: string }> | null,
): Promise<number> {
  const { tx, shopId } = ctx;
  let add = units;
  let claimed = 0;
  if (claims) {
    const claim = claimUnexplained(await unexplainedOf(tx, shopId, variantId, locationId, "increase"), units, ctx.now);
    if (claim.claimed > 0) {
      ({ claimed, apply: add } = claim);
      await setUnexplained(tx, shopId, variantId, locationId, "increase", claim.left);
      await audit(tx, shopId, ctx.actor, "inventory.increase_explained", { type: "variant", id: variantId }, { locationId, [ref.type]: ref.id, units: claimed });
      claims.set(`${variantId}:${locationId}`, { variantId, locationId });
    }
  }
  if (add > 0) await addOnHand(tx, shopId, variantId, locationId, add, reason, key, ref);
  await markLevelRecheck(tx, shopId, variantId, locationId, new Date(ctx.now.getTime() + env().INVENTORY_SETTLE_MS));
  return claimed;
}

/**
 * An event Shopify reports (a shipment, a cancelled shipment, a restocking refund) claimed units of an earlier change
 * read from Shopify (unexplained-change.ts). Shopify's figure already includes the event when its webhook arrives, so
 * the level is read at once: if the earlier change was this event, both agree and nothing moves; if it was a real
 * loss or receipt, the reading applies this event's units now rather than after the settle time. Shopify
 * unreachable: the recheck the claim marked does it later.
 */
export async function confirmClaimedLevel(channel: { shopId: string; shopDomain: string }, level: { variantId: string; locationId: string }, ref: { type: string; id: string }): Promise<void> {
  const ids = await levelExternalIds(database(), channel.shopId, level.variantId, level.locationId);
  if (!ids) return;
  try {
    const readAt = new Date();
    const onHand = await readShopifyOnHand(channel.shopDomain, ids.inventoryItemExternalId, ids.locationExternalId);
    if (onHand === undefined) return;
    await applyShopifyOnHand({ shopId: channel.shopId, shopDomain: channel.shopDomain, ...level }, onHand, {
      final: false, readAt, key: `claim-check:${ref.type}:${ref.id}:${level.variantId}:${level.locationId}:${onHand}`, actor: `job:${ref.type}-claim-check`, ref,
    });
  } catch (error) {
    // Left to the recheck (InventoryLevel.recheckAfter), already marked in the claiming transaction.
    console.warn(`[inventory] ${channel.shopDomain}: Shopify's on hand not read after ${ref.type} ${ref.id} claimed an earlier change (the recheck will): ${(error as Error).message}`);
  }
}
