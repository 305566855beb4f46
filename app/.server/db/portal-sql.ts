import type { FulfillmentTracking } from "~/domain/fulfillment/map-shopify-fulfillment";
import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// What the customer portal reads and counts (ADR 0026). Every statement takes the shop.

/** Keeps a fulfillment's carrier and tracking (the latest payload wins). */
export async function upsertFulfillmentTracking(tx: Tx, shopId: string, orderId: string, fulfillmentExternalId: string, tracking: FulfillmentTracking, shippedAt: string | null): Promise<void> {
  await tx.run(
    `INSERT INTO "FulfillmentTracking" ("id","shopId","orderId","fulfillmentExternalId","company","numbers","urls","shippedAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?)
     ON CONFLICT ("shopId","fulfillmentExternalId") DO UPDATE SET "company" = excluded."company", "numbers" = excluded."numbers", "urls" = excluded."urls",
       "shippedAt" = COALESCE("FulfillmentTracking"."shippedAt", excluded."shippedAt"), "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, orderId, fulfillmentExternalId, tracking.company, JSON.stringify(tracking.numbers), JSON.stringify(tracking.urls), shippedAt === null ? null : sqlTime(new Date(shippedAt)), sqlTime(),
  );
}

export interface PortalOrderRow {
  id: string;
  name: string;
  email: string | null;
  status: string;
  placedAt: string;
  promisedBy: string | null;
  cancelledAt: string | null;
  redactedAt: string | null;
  shipCity: string | null;
}

/** The shop's orders named so (a customer types #1001 or 1001): the caller checks the email. */
export async function ordersByName(q: Queryable, shopId: string, names: string[]): Promise<PortalOrderRow[]> {
  if (names.length === 0) return [];
  return q.all<PortalOrderRow>(
    `SELECT "id","name","email","status","placedAt","promisedBy","cancelledAt","redactedAt","shipCity" FROM "Order" WHERE "shopId" = ? AND "name" IN (${marks(names.length)}) ORDER BY "placedAt" DESC LIMIT 5`,
    shopId, ...names,
  );
}

export interface PortalShipmentRow {
  source: "fulfillment" | "shipment";
  key: string;
  carrier: string | null;
  numbers: string[];
  urls: string[];
  shippedAt: string | null;
  units: number;
}

/** What left for the order: channel fulfillments still standing (with their tracking, when known) and shipments we recorded. */
export async function portalShipments(q: Queryable, shopId: string, orderId: string): Promise<PortalShipmentRow[]> {
  const fulfilled = await q.all<{ fulfillmentExternalId: string; units: number | string; company: string | null; numbers: string | null; urls: string | null; shippedAt: string | null; createdAt: string }>(
    `SELECT f."fulfillmentExternalId", SUM(f."quantity") AS "units", t."company", t."numbers", t."urls", t."shippedAt", MIN(f."createdAt") AS "createdAt"
     FROM "FulfillmentLine" f LEFT JOIN "FulfillmentTracking" t ON t."shopId" = f."shopId" AND t."fulfillmentExternalId" = f."fulfillmentExternalId"
     WHERE f."shopId" = ? AND f."orderId" = ? AND f."status" = 'consumed' AND f."fulfillmentExternalId" NOT LIKE 'shipment:%'
     GROUP BY f."fulfillmentExternalId", t."company", t."numbers", t."urls", t."shippedAt" ORDER BY MIN(f."createdAt")`,
    shopId, orderId,
  );
  const ours = await q.all<{ id: string; carrier: string; trackingNumber: string | null; shippedAt: string; lines: string }>(
    `SELECT "id","carrier","trackingNumber","shippedAt","lines" FROM "Shipment" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "shippedAt", "id"`,
    shopId, orderId,
  );
  return [
    ...fulfilled.map((r): PortalShipmentRow => ({
      source: "fulfillment", key: r.fulfillmentExternalId, carrier: r.company, numbers: JSON.parse(r.numbers ?? "[]") as string[], urls: JSON.parse(r.urls ?? "[]") as string[],
      shippedAt: r.shippedAt ?? r.createdAt, units: Number(r.units),
    })),
    ...ours.map((r): PortalShipmentRow => ({
      source: "shipment", key: r.id, carrier: r.carrier, numbers: r.trackingNumber ? [r.trackingNumber] : [], urls: [], shippedAt: r.shippedAt,
      units: (JSON.parse(r.lines) as { quantity: number }[]).reduce((n, l) => n + l.quantity, 0),
    })),
  ];
}

/** Units of the order per state (reserved, backordered, fulfilled…) and, for backordered ones, the earliest incoming date of their SKU. */
export async function portalUnits(q: Queryable, shopId: string, orderId: string): Promise<{ ordered: number; byStatus: Record<string, number>; backorderExpectedAt: string | null }> {
  const ordered = await q.get<{ n: number | string | null }>(`SELECT SUM("quantity") AS "n" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, shopId, orderId);
  const rows = await q.all<{ status: string; units: number | string }>(
    `SELECT a."status", SUM(a."quantity") AS "units" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? GROUP BY a."status"`,
    shopId, orderId,
  );
  const expected = await q.get<{ at: string | null }>(
    `SELECT MIN(i."incomingExpectedAt") AS "at" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "InventoryLevel" i ON i."shopId" = l."shopId" AND i."variantId" = l."variantId"
     WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'backordered' AND i."incoming" > 0 AND i."incomingExpectedAt" IS NOT NULL`,
    shopId, orderId,
  );
  return { ordered: Number(ordered?.n ?? 0), byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.units)])), backorderExpectedAt: expected?.at ?? null };
}

/**
 * Counts one lookup in each bucket's current window and returns the counts after it. Windows older than a day
 * are dropped as it goes.
 */
export async function countLookup(tx: Tx, shopId: string, buckets: string[], windowAt: Date): Promise<number[]> {
  const at = sqlTime(windowAt);
  await tx.run(`DELETE FROM "PortalThrottle" WHERE "shopId" = ? AND "windowAt" < ?`, shopId, sqlTime(new Date(windowAt.getTime() - 86_400_000)));
  const counts: number[] = [];
  for (const bucket of buckets) {
    await tx.run(
      `INSERT INTO "PortalThrottle" ("shopId","bucket","windowAt","count") VALUES (?,?,?,1) ON CONFLICT ("shopId","bucket","windowAt") DO UPDATE SET "count" = "PortalThrottle"."count" + 1`,
      shopId, bucket, at,
    );
    counts.push(Number((await tx.get<{ count: number | string }>(`SELECT "count" FROM "PortalThrottle" WHERE "shopId" = ? AND "bucket" = ? AND "windowAt" = ?`, shopId, bucket, at))!.count));
  }
  return counts;
}
