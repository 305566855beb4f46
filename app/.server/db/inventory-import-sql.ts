import type { Queryable } from "./engine/types";
import { marks } from "./engine/sql-dialect";

// Where Shopify's inventory levels land when the shop sync imports them: our location for a Shopify
// location and our variants for its inventory items (legacy numeric ids, as stored). Scoped by shop.

export interface LevelImportTargets {
  locationId: string;
  /** Our variant id by Shopify inventory item id; an item we do not mirror is absent. */
  variantIds: Map<string, string>;
}

/** Undefined when the location is not ours. */
export async function levelImportTargets(q: Queryable, shopId: string, locationExternalId: string, inventoryItemExternalIds: readonly string[]): Promise<LevelImportTargets | undefined> {
  const location = await q.get<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND "externalId" = ?`, shopId, locationExternalId);
  if (!location) return undefined;
  const items = [...new Set(inventoryItemExternalIds)];
  const rows = items.length === 0 ? [] : await q.all<{ id: string; inventoryItemExternalId: string }>(
    `SELECT "id", "inventoryItemExternalId" FROM "Variant" WHERE "shopId" = ? AND "inventoryItemExternalId" IN (${marks(items.length)})`,
    shopId, ...items,
  );
  return { locationId: location.id, variantIds: new Map(rows.map((r) => [r.inventoryItemExternalId, r.id])) };
}
