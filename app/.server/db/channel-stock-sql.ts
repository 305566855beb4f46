import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { sqlTime } from "./ids";

// What available-to-sell per channel reads: a SKU's levels, recent sales by channel, and measured push lags.
// Every statement takes the shop first.

export interface SkuLevelRow {
  variantId: string;
  locationId: string;
  locationName: string;
  onHand: number;
  reserved: number;
  safety: number;
  incoming: number;
  /** When the earliest incoming unit is expected (open purchase orders); null: none incoming. */
  incomingExpectedAt: string | null;
}

export async function variantOfSku(q: Queryable, shopId: string, sku: string): Promise<{ id: string; sku: string; title: string } | undefined> {
  return q.get(`SELECT "id","sku","title" FROM "Variant" WHERE "shopId" = ? AND "sku" = ? ORDER BY "id" LIMIT 1`, shopId, sku);
}

/** SKUs of variants, by variant id. */
export async function variantSkus(q: Queryable, shopId: string, variantIds: string[]): Promise<Map<string, string>> {
  if (variantIds.length === 0) return new Map();
  const rows = await q.all<{ id: string; sku: string }>(`SELECT "id","sku" FROM "Variant" WHERE "shopId" = ? AND "id" IN (${marks(variantIds.length)})`, shopId, ...variantIds);
  return new Map(rows.map((r) => [r.id, r.sku]));
}

/** The variant's level at every active location (locations without a level count as zero). */
export async function skuLevels(q: Queryable, shopId: string, variantId: string): Promise<SkuLevelRow[]> {
  return q.all<SkuLevelRow>(
    `SELECT ? AS "variantId", l."id" AS "locationId", l."name" AS "locationName", COALESCE(i."onHand", 0) AS "onHand", COALESCE(i."reserved", 0) AS "reserved",
       COALESCE(i."safety", 0) AS "safety", COALESCE(i."incoming", 0) AS "incoming", i."incomingExpectedAt"
     FROM "Location" l LEFT JOIN "InventoryLevel" i ON i."locationId" = l."id" AND i."variantId" = ? AND i."shopId" = l."shopId"
     WHERE l."shopId" = ? AND l."active" = ? ORDER BY l."name", l."id"`,
    variantId, variantId, shopId, true,
  );
}

/** Units of the variant ordered since `since`, per order, with its channel and time (cancelled orders excluded). */
export async function recentSales(q: Queryable, shopId: string, variantId: string, since: Date): Promise<{ channelId: string; placedAt: string; quantity: number }[]> {
  return q.all(
    `SELECT o."channelId", o."placedAt", ol."quantity" FROM "OrderLine" ol JOIN "Order" o ON o."id" = ol."orderId"
     WHERE ol."shopId" = ? AND ol."variantId" = ? AND o."shopId" = ? AND o."placedAt" >= ? AND o."status" <> 'cancelled'`,
    shopId, variantId, shopId, sqlTime(since),
  );
}

/** The same for a page of variants at once, by variant. */
export async function recentSalesOfVariants(q: Queryable, shopId: string, variantIds: string[], since: Date): Promise<Map<string, { channelId: string; placedAt: string; quantity: number }[]>> {
  const byVariant = new Map<string, { channelId: string; placedAt: string; quantity: number }[]>();
  if (variantIds.length === 0) return byVariant;
  const rows = await q.all<{ variantId: string; channelId: string; placedAt: string; quantity: number }>(
    `SELECT ol."variantId", o."channelId", o."placedAt", ol."quantity" FROM "OrderLine" ol JOIN "Order" o ON o."id" = ol."orderId"
     WHERE ol."shopId" = ? AND ol."variantId" IN (${marks(variantIds.length)}) AND o."shopId" = ? AND o."placedAt" >= ? AND o."status" <> 'cancelled'`,
    shopId, ...variantIds, shopId, sqlTime(since),
  );
  for (const { variantId, ...sale } of rows) byVariant.set(variantId, [...(byVariant.get(variantId) ?? []), sale]);
  return byVariant;
}

/** The latest confirmed on-hand pushes' change → confirmed times (Shopify's push lag), newest first. */
export async function recentPushTimes(q: Queryable, shopId: string, limit: number): Promise<{ createdAt: string; sentAt: string }[]> {
  return q.all(`SELECT "createdAt","sentAt" FROM "StockPush" WHERE "shopId" = ? AND "status" = 'sent' AND "sentAt" IS NOT NULL ORDER BY "sentAt" DESC LIMIT ?`, shopId, limit);
}

export async function setChannelConfig(tx: Tx, shopId: string, channelId: string, config: object): Promise<boolean> {
  return (await tx.run(`UPDATE "Channel" SET "config" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, JSON.stringify(config), sqlTime(), shopId, channelId)).changes === 1;
}

/** Units of each variant waiting as backorders (sold, with no stock to reserve: promised to incoming stock). */
export async function backorderedUnits(q: Queryable, shopId: string, variantIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (variantIds.length === 0) return out;
  const rows = await q.all<{ variantId: string; units: number }>(
    `SELECT l."variantId", SUM(a."quantity") AS "units" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
     WHERE a."shopId" = ? AND a."status" = 'backordered' AND l."shopId" = ? AND l."variantId" IN (${marks(variantIds.length)})
     GROUP BY l."variantId"`,
    shopId, shopId, ...variantIds,
  );
  for (const r of rows) out.set(r.variantId, Number(r.units));
  return out;
}

export interface ChannelPushState {
  channelId: string;
  variantId: string;
  pushedQuantity: number | null;
  pushedAt: string | null;
  dirtyAt: string | null;
  lastError: string | null;
  lagMs: number | null;
}

/** Per channel the app sends figures to: each variant's last accepted figure, its lag, and what waits or failed. */
export async function channelPushStates(q: Queryable, shopId: string, variantIds: string[]): Promise<ChannelPushState[]> {
  if (variantIds.length === 0) return [];
  return q.all<ChannelPushState>(
    `SELECT cs."channelId", cs."variantId", cs."pushedQuantity", cs."pushedAt", cs."dirtyAt", cs."lastError",
       (SELECT p."lagMs" FROM "ChannelPush" p WHERE p."channelId" = cs."channelId" AND p."variantId" = cs."variantId" AND p."shopId" = cs."shopId" ORDER BY p."pushedAt" DESC LIMIT 1) AS "lagMs"
     FROM "ChannelStock" cs WHERE cs."shopId" = ? AND cs."variantId" IN (${marks(variantIds.length)})`,
    shopId, ...variantIds,
  );
}
