import { z } from "zod";
import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
import { grouped } from "../db/group-commit";
import { addOnHand, auditSql } from "../db/pipeline-sql";
import { sql, stmt } from "../db/sql";
import { AppError } from "../errors";
import { adminGraphql } from "../shopify/admin-graphql";
import { INVENTORY_LEVEL_ON_HAND_QUERY, type InventoryLevelOnHandResult } from "../shopify/graphql/inventory-level-on-hand-query";
import { fillBackorders } from "./allocate-order";
import { enqueueReallocations } from "./ingest-channel-order";

// inventory_levels/update: Shopify's `available` moves whenever an order commits stock, so it is not
// read. The level's physical `on_hand` is fetched instead; more on hand in Shopify than here is an
// external stock arrival (a receipt or adjustment made in Shopify) and goes to the oldest backorders.
// Less is recorded as drift for reconciliation rather than applied blindly: shipments reduce on hand
// there before our fulfillment handling does here.

const payload = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/),
  updated_at: z.string(),
});

export async function syncInventoryLevel(shopDomain: string, raw: string): Promise<{ outcome: "arrival" | "drift" | "unchanged" | "unknown"; delta: number }> {
  const parsed = payload.safeParse(parseJsonKeepingBigInts(raw));
  if (!parsed.success) throw new AppError("invalid_data", "INVENTORY.INVALID_PAYLOAD", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const [, locationExternalId, inventoryItemExternalId] = /InventoryLevel\/(\d+)\?inventory_item_id=(\d+)/.exec(parsed.data.admin_graphql_api_id)!;
  const conn = sql();
  const target = stmt(conn, `SELECT s."id" AS "shopId", v."id" AS "variantId", l."id" AS "locationId" FROM "Shop" s JOIN "Variant" v ON v."shopId" = s."id" AND v."inventoryItemExternalId" = ? JOIN "Location" l ON l."shopId" = s."id" AND l."externalId" = ? WHERE s."domain" = ?`).get(
    inventoryItemExternalId, locationExternalId, shopDomain,
  ) as { shopId: string; variantId: string; locationId: string } | undefined;
  if (!target) return { outcome: "unknown", delta: 0 }; // not an item or location we mirror

  const result = await adminGraphql<InventoryLevelOnHandResult>(shopDomain, INVENTORY_LEVEL_ON_HAND_QUERY, {
    inventoryItemId: `gid://shopify/InventoryItem/${inventoryItemExternalId}`,
    locationId: `gid://shopify/Location/${locationExternalId}`,
  });
  const shopifyOnHand = result.inventoryItem?.inventoryLevel?.quantities.find((q) => q.name === "on_hand")?.quantity;
  if (shopifyOnHand === undefined) return { outcome: "unknown", delta: 0 };

  const ctx = { db: conn, shopId: target.shopId, now: new Date(), actor: "webhook:inventory_levels/update" };
  const outcome = await grouped(conn, () => {
    const ours = (stmt(conn, `SELECT "onHand" FROM "InventoryLevel" WHERE "variantId" = ? AND "locationId" = ?`).get(target.variantId, target.locationId) as { onHand: number } | undefined)?.onHand ?? 0;
    const delta = shopifyOnHand - ours;
    if (delta === 0) return { outcome: "unchanged" as const, delta, filled: [] };
    if (delta < 0) {
      auditSql(conn, target.shopId, ctx.actor, "inventory.drift_detected", { type: "variant", id: target.variantId }, { locationId: target.locationId, shopifyOnHand, ours });
      return { outcome: "drift" as const, delta, filled: [] };
    }
    const key = `shopify-on-hand:${inventoryItemExternalId}:${locationExternalId}:${shopifyOnHand}:${parsed.data.updated_at}`;
    if (!addOnHand(conn, target.shopId, target.variantId, target.locationId, delta, "external_increase", key, { type: "inventory_level", id: parsed.data.admin_graphql_api_id })) return { outcome: "unchanged" as const, delta: 0, filled: [] };
    return { outcome: "arrival" as const, delta, filled: fillBackorders(ctx, [target.variantId]) };
  });
  await enqueueReallocations(target.shopId, outcome.filled);
  return { outcome: outcome.outcome, delta: outcome.delta };
}
