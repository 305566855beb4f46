import { database } from "../db/database";
import { clearLevelRecheck, levelsDueForRecheckAcrossShops } from "../db/fulfillment-sql";
import { isTerminalJobError } from "../queues/queue-port";
import { applyShopifyOnHand, readShopifyOnHand } from "./sync-inventory-level";

/**
 * The second look at levels whose on hand differed from Shopify's in a way a webhook on its way could
 * explain (a decrease while fulfillments of open orders were pending, a restock that Shopify's own level
 * update may already have brought): once their settle time has passed, read Shopify's on hand again
 * and apply whatever difference is left, in full. Run by the worker's sweep.
 */
export async function recheckInventoryLevels(opts: { now?: Date; limit?: number; readOnHand?: typeof readShopifyOnHand } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const read = opts.readOnHand ?? readShopifyOnHand;
  const due = await levelsDueForRecheckAcrossShops(database(), now, opts.limit ?? 200);
  for (const level of due) {
    let onHand: number | undefined;
    const readAt = new Date();
    try {
      onHand = await read(level.shopDomain, level.inventoryItemExternalId, level.locationExternalId);
    } catch (error) {
      if (!isTerminalJobError(error)) continue; // Shopify busy or down: the next sweep tries again
      onHand = undefined; // no session any more (uninstalled): nothing to compare with
    }
    if (onHand === undefined) {
      await database().transaction((tx) => clearLevelRecheck(tx, level.shopId, level.variantId, level.locationId));
      continue;
    }
    // The recheck's natural key: this level's recheck that fell due at this time (applied once, even if two sweeps race).
    await applyShopifyOnHand(level, onHand, { final: true, readAt, key: `recheck:${level.variantId}:${level.locationId}:${level.recheckAfter}:${onHand}`, actor: "job:recheck-inventory", now });
  }
  return due.length;
}
