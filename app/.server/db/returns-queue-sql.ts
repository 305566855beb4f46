import type { Queryable } from "./engine/types";
import { marks } from "./engine/sql-dialect";
import type { ReturnRow } from "./returns-sql";

// The admin Returns queue and the dashboard's return figures (ADR 0035). Every statement takes the shop.

export interface ReturnQueueFilter {
  statuses?: string[];
  /** RMAs with at least one line of this reason. */
  reason?: string;
  /** Created at or after / before (ISO instants). */
  from?: string;
  to?: string;
  /** An RMA number (exact, any case) or part of the order's name. */
  search?: string;
  locationId?: string;
  limit: number;
}

/** `LIKE` pattern for "contains", case-insensitive on both dialects, wildcards in the text taken literally. */
const containing = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const COLUMNS = ["id", "orderId", "number", "requestKey", "status", "source", "note", "locationId", "locationReason", "labelCarrier", "labelTracking", "labelIssuedAt", "replacementOrderId", "exchangeExpiresAt", "shopifyReturnId", "shopifySync", "shopifyError", "createdAt", "updatedAt"]
  .map((c) => `r."${c}"`)
  .join(",");

/** The shop's RMAs matching the filter, newest first. */
export async function searchReturnRows(q: Queryable, shopId: string, f: ReturnQueueFilter): Promise<ReturnRow[]> {
  const where: string[] = [];
  const args: unknown[] = [shopId];
  if (f.statuses && f.statuses.length > 0) {
    where.push(`r."status" IN (${marks(f.statuses.length)})`);
    args.push(...f.statuses);
  }
  if (f.reason) {
    where.push(`EXISTS (SELECT 1 FROM "ReturnLine" rl WHERE rl."shopId" = r."shopId" AND rl."returnId" = r."id" AND rl."reason" = ?)`);
    args.push(f.reason);
  }
  if (f.from) {
    where.push(`r."createdAt" >= ?`);
    args.push(f.from);
  }
  if (f.to) {
    where.push(`r."createdAt" < ?`);
    args.push(f.to);
  }
  if (f.locationId) {
    where.push(`r."locationId" = ?`);
    args.push(f.locationId);
  }
  if (f.search) {
    where.push(`(r."number" = ? OR LOWER(o."name") LIKE ? ESCAPE '\\')`);
    args.push(f.search.toUpperCase(), containing(f.search));
  }
  return q.all<ReturnRow>(
    `SELECT ${COLUMNS} FROM "ReturnRequest" r JOIN "Order" o ON o."id" = r."orderId" AND o."shopId" = r."shopId"
     WHERE r."shopId" = ?${where.map((w) => ` AND ${w}`).join("")} ORDER BY r."createdAt" DESC, r."id" DESC LIMIT ?`,
    ...args, f.limit,
  );
}

/** Orders of the shop with this name (e.g. "#1001"; the "#" may be left out) or id, newest first. */
export async function ordersNamed(q: Queryable, shopId: string, name: string): Promise<{ id: string; name: string }[]> {
  const plain = name.trim().replace(/^#/, "");
  return q.all(`SELECT "id","name" FROM "Order" WHERE "shopId" = ? AND ("id" = ? OR "name" = ? OR "name" = ? OR "externalId" = ?) ORDER BY "placedAt" DESC LIMIT 5`, shopId, name.trim(), plain, `#${plain}`, plain);
}

export interface ShippedUnitsRow {
  productId: string;
  title: string;
  units: number;
}

export interface ReturnedUnitsRow {
  productId: string;
  title: string;
  reason: string;
  units: number;
}

/** Units shipped per product on orders placed since `since` (shipped: fulfilled, or fulfilled and returned since). */
export async function shippedUnitsByProduct(q: Queryable, shopId: string, since: string): Promise<ShippedUnitsRow[]> {
  const rows = await q.all<ShippedUnitsRow>(
    `SELECT p."id" AS "productId", p."title", SUM(a."quantity") AS "units"
     FROM "Allocation" a
       JOIN "OrderLine" l ON l."id" = a."orderLineId" AND l."shopId" = a."shopId"
       JOIN "Order" o ON o."id" = l."orderId" AND o."shopId" = l."shopId"
       JOIN "Variant" v ON v."id" = l."variantId" AND v."shopId" = l."shopId"
       JOIN "Product" p ON p."id" = v."productId" AND p."shopId" = v."shopId"
     WHERE a."shopId" = ? AND a."status" IN ('fulfilled','returned') AND o."placedAt" >= ?
     GROUP BY p."id", p."title"`,
    shopId, since,
  );
  return rows.map((r) => ({ ...r, units: Number(r.units) }));
}

/** Units on RMAs (declined ones left out) per product and reason, of orders placed since `since`. */
export async function returnedUnitsByProduct(q: Queryable, shopId: string, since: string): Promise<ReturnedUnitsRow[]> {
  const rows = await q.all<ReturnedUnitsRow>(
    `SELECT p."id" AS "productId", p."title", rl."reason", SUM(rl."quantity") AS "units"
     FROM "ReturnLine" rl
       JOIN "ReturnRequest" r ON r."id" = rl."returnId" AND r."shopId" = rl."shopId"
       JOIN "Order" o ON o."id" = r."orderId" AND o."shopId" = r."shopId"
       JOIN "Variant" v ON v."id" = rl."variantId" AND v."shopId" = rl."shopId"
       JOIN "Product" p ON p."id" = v."productId" AND p."shopId" = v."shopId"
     WHERE rl."shopId" = ? AND r."status" <> 'declined' AND o."placedAt" >= ?
     GROUP BY p."id", p."title", rl."reason"`,
    shopId, since,
  );
  return rows.map((r) => ({ ...r, units: Number(r.units) }));
}
