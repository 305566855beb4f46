import { database } from "../app/.server/db/database";
import { findShopByDomain } from "../app/.server/db/shops";
import { createApiOrder } from "../app/.server/use-cases/create-api-order";
import { shipOrder } from "../app/.server/use-cases/ship-order";

// The demo's returns story (issue 14, ADR 0036): a shipped order a customer can return in the portal, and a later
// order for the same SKU waiting for stock, so the returned unit — once received and restocked — visibly goes to the
// waiting backorder. Both are manual-channel orders taken in through the API's path (reserved as they land), the
// first shipped as a merchant records a shipment. Made once per demo database (the first order's externalId is the key).

export const RETURNS_DEMO_EMAIL = "rosa.returns@example.com";
const RETURNED_ID = "DEMO-RETURN-1";
const WAITING_ID = "DEMO-BACKORDER-1";

export interface ReturnsStory {
  sku: string;
  shipped: { name: string; email: string };
  waiting: { name: string; backordered: number };
}

export async function seedReturnsStory(shopDomain: string, opts: { timeoutMs?: number } = {}): Promise<ReturnsStory | null> {
  const db = database();
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) return null;
  const existing = await db.all<{ externalId: string; name: string; sku: string | null; email: string | null }>(
    `SELECT o."externalId", o."name", MIN(l."sku") AS "sku", o."email" FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id" AND l."shopId" = o."shopId"
     WHERE o."shopId" = ? AND o."externalId" IN (?, ?) GROUP BY o."externalId", o."name", o."email"`,
    shop.id, RETURNED_ID, WAITING_ID,
  );
  const returned = existing.find((o) => o.externalId === RETURNED_ID);
  const waiting = existing.find((o) => o.externalId === WAITING_ID);
  if (returned && waiting) return { sku: returned.sku ?? "", shipped: { name: returned.name, email: returned.email ?? RETURNS_DEMO_EMAIL }, waiting: { name: waiting.name, backordered: await backordered(shop.id, waiting.name) } };

  // A SKU stocked at one location only, with few units: the waiting order needs only a few to run out.
  const pick = await db.get<{ sku: string; title: string; available: number }>(
    `SELECT v."sku", MIN(COALESCE(p."title" || ' — ', '') || v."title") AS "title", SUM(il."onHand" - il."reserved") AS "available"
     FROM "Variant" v JOIN "InventoryLevel" il ON il."variantId" = v."id" AND il."shopId" = v."shopId" LEFT JOIN "Product" p ON p."id" = v."productId" AND p."shopId" = v."shopId"
     WHERE v."shopId" = ? AND il."onHand" > 0 GROUP BY v."id", v."sku" HAVING COUNT(*) = 1 AND SUM(il."onHand" - il."reserved") BETWEEN 2 AND 20
     ORDER BY SUM(il."onHand" - il."reserved"), v."sku" LIMIT 1`,
    shop.id,
  );
  if (!pick) return null;
  const shipTo = { name: "Rosa Returns", address1: "1 Market St", city: "Philadelphia", province: "PA", countryCode: "US", zip: "19103", latitude: 39.9526, longitude: -75.1652 };
  const first = await createApiOrder(shop, {
    channel: "manual", externalId: RETURNED_ID, name: "#DEMO-RETURN", email: RETURNS_DEMO_EMAIL, customer: { name: "Rosa Returns" }, shipTo,
    lines: [{ sku: pick.sku, title: pick.title, quantity: 1, priceMinor: 4900 }],
  }, { actor: "demo" });
  // Routing settles in the in-process queue: ship once the unit is reserved at a location.
  const until = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    try {
      await shipOrder(shop.id, first.order.id, { carrier: "UPS", trackingNumber: "1ZDEMORETURN01" }, { actor: "demo" });
      break;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const left = await db.get<{ available: number }>(
    `SELECT SUM(il."onHand" - il."reserved") AS "available" FROM "InventoryLevel" il JOIN "Variant" v ON v."id" = il."variantId" AND v."shopId" = il."shopId" WHERE v."shopId" = ? AND v."sku" = ?`,
    shop.id, pick.sku,
  );
  const second = await createApiOrder(shop, {
    channel: "manual", externalId: WAITING_ID, name: "#DEMO-WAITING", email: "walter.waiting@example.com", customer: { name: "Walter Waiting" }, shipTo,
    lines: [{ sku: pick.sku, title: pick.title, quantity: Math.max(0, Number(left?.available ?? 0)) + 1, priceMinor: 4900 }],
  }, { actor: "demo" });
  return { sku: pick.sku, shipped: { name: first.order.name, email: RETURNS_DEMO_EMAIL }, waiting: { name: second.order.name, backordered: await backordered(shop.id, second.order.name) } };
}

/** Units of the order waiting for stock (backordered allocations). */
export async function backordered(shopId: string, orderName: string): Promise<number> {
  const row = await database().get<{ n: number | null }>(
    `SELECT SUM(a."quantity") AS "n" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" AND l."shopId" = a."shopId" JOIN "Order" o ON o."id" = l."orderId" AND o."shopId" = l."shopId"
     WHERE o."shopId" = ? AND o."name" = ? AND a."status" = 'backordered'`,
    shopId, orderName,
  );
  return Number(row?.n ?? 0);
}
