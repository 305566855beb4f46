import { clearLevelRecheck, levelsDueForRecheck } from "../db/fulfillment-sql";
import { newId, sql } from "../db/sql";
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
  const due = levelsDueForRecheck(sql(), now, opts.limit ?? 200);
  for (const level of due) {
    let onHand: number | undefined;
    try {
      onHand = await read(level.shopDomain, level.inventoryItemExternalId, level.locationExternalId);
    } catch (error) {
      if (!isTerminalJobError(error)) continue; // Shopify busy or down: the next sweep tries again
      onHand = undefined; // no session any more (uninstalled): nothing to compare with
    }
    if (onHand === undefined) {
      clearLevelRecheck(sql(), level.shopId, level.variantId, level.locationId);
      continue;
    }
    await applyShopifyOnHand(level, onHand, { final: true, key: `recheck:${level.variantId}:${level.locationId}:${newId()}`, actor: "job:recheck-inventory", now });
  }
  return due.length;
}
