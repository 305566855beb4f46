import { queryRows } from "./db-query";

// Everything observable of a shop's orders and stock, in terms two shops can be compared by (external ids and
// SKUs, never our generated ids): the batch intake must leave exactly what the per-order path leaves (ADR 0032).

const ID = /\bc[0-9a-z]{12,}\b/g; // our generated ids (db/ids.ts), inside audit data

export async function observableState(shopId: string) {
  const orders = await queryRows(`SELECT o."externalId", o."status", o."name", o."placedAt", o."promisedBy", o."externalUpdatedAt", o."cancelledAt", o."email", o."customerName", o."redactedAt" IS NOT NULL AS "redacted"
    FROM "Order" o WHERE o."shopId" = ? ORDER BY o."externalId"`, shopId);
  const lines = await queryRows(`SELECT o."externalId" AS "order", l."externalId" AS "line", l."sku", v."sku" AS "variantSku", l."title", l."quantity", l."priceMinor"
    FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" LEFT JOIN "Variant" v ON v."id" = l."variantId" WHERE l."shopId" = ? ORDER BY 1, 2`, shopId);
  const allocations = await queryRows(`SELECT o."externalId" AS "order", l."externalId" AS "line", loc."externalId" AS "location", a."status", SUM(a."quantity") AS "quantity", COUNT(*) AS "rows"
    FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId" LEFT JOIN "Location" loc ON loc."id" = a."locationId"
    WHERE a."shopId" = ? GROUP BY o."externalId", l."externalId", loc."externalId", a."status" ORDER BY 1, 2, 3, 4`, shopId);
  const levels = await queryRows(`SELECT v."sku", loc."externalId" AS "location", i."onHand", i."reserved", i."safety", i."onHand" - i."reserved" - i."safety" AS "available"
    FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" JOIN "Location" loc ON loc."id" = i."locationId" WHERE i."shopId" = ? ORDER BY 1, 2`, shopId);
  const ledger = await queryRows(`SELECT v."sku", loc."externalId" AS "location", e."bucket", e."reason", SUM(e."delta") AS "delta", COUNT(*) AS "rows"
    FROM "InventoryLedgerEntry" e JOIN "Variant" v ON v."id" = e."variantId" JOIN "Location" loc ON loc."id" = e."locationId" WHERE e."shopId" = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, shopId);
  const decisions = await queryRows(`SELECT o."externalId" AS "order", d."method", d."decidedBy", d."totalCostMinor", d."shipments", d."unitsAllocated", d."unitsBackordered", d."meetsPromise"
    FROM "RoutingDecision" d JOIN "Order" o ON o."id" = d."orderId" WHERE d."shopId" = ? ORDER BY 1, 2, 3, 4`, shopId);
  const load = await queryRows(`SELECT loc."externalId" AS "location", d."day", SUM(d."orders") AS "orders" FROM "LocationLoad" d JOIN "Location" loc ON loc."id" = d."locationId" WHERE d."shopId" = ? GROUP BY 1, 2 ORDER BY 1, 2`, shopId);
  const audit = (await queryRows<{ order: string; action: string; data: string; actor: string }>(`SELECT o."externalId" AS "order", e."action", e."data", e."actor" FROM "AuditEvent" e JOIN "Order" o ON o."id" = e."subjectId" AND e."subjectType" = 'order' WHERE e."shopId" = ?`, shopId))
    .map((r) => ({ ...r, actor: r.actor.replace(ID, "<id>"), data: r.data.replace(ID, "<id>") }))
    .sort((a, b) => (a.order + a.action + a.data < b.order + b.action + b.data ? -1 : 1));
  const fulfillments = await queryRows(`SELECT o."externalId" AS "order", fl."lineExternalId" AS "line", fl."status", SUM(fl."quantity") AS "quantity"
    FROM "FulfillmentLine" fl JOIN "Order" o ON o."id" = fl."orderId" WHERE fl."shopId" = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, shopId);
  return normalise({ orders, lines, allocations, levels, ledger, decisions, load, audit, fulfillments });
}

export type ObservableState = Awaited<ReturnType<typeof observableState>>;

/** Numbers as numbers and booleans as booleans, whatever the driver returned (PostgreSQL's SUM is text/bigint). */
function normalise<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? Number(v) : typeof v === "string" && /^-?\d+$/.test(v) && v.length < 15 ? Number(v) : v === true ? 1 : v === false ? 0 : v)));
}

/** Invariants of any shop's stock: ledger sums = levels, open reservations = reserved, nothing negative. */
export async function stockInvariants(shopId: string): Promise<string[]> {
  const problems: string[] = [];
  const levels = await queryRows<{ sku: string; variantId: string; locationId: string; onHand: number; reserved: number; available: number }>(`SELECT v."sku", i."variantId", i."locationId", i."onHand", i."reserved", i."onHand" - i."reserved" - i."safety" AS "available" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" WHERE i."shopId" = ?`, shopId);
  const ledger = new Map((await queryRows<{ k: string; n: number }>(`SELECT "variantId" || '@' || "locationId" || '@' || "bucket" AS "k", SUM("delta") AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ? GROUP BY "variantId", "locationId", "bucket"`, shopId)).map((r) => [r.k, Number(r.n)]));
  const open = new Map((await queryRows<{ k: string; n: number }>(`SELECT l."variantId" || '@' || a."locationId" AS "k", SUM(a."quantity") AS "n" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE a."shopId" = ? AND a."status" = 'reserved' GROUP BY l."variantId", a."locationId"`, shopId)).map((r) => [r.k, Number(r.n)]));
  for (const l of levels) {
    const key = `${l.variantId}@${l.locationId}`;
    const at = `${l.sku}@${l.locationId}`;
    if (Number(l.available) < 0) problems.push(`${at}: available ${l.available}`);
    if ((ledger.get(`${key}@reserved`) ?? 0) !== Number(l.reserved)) problems.push(`${at}: reserved ${l.reserved}, ledger ${ledger.get(`${key}@reserved`) ?? 0}`);
    if ((ledger.get(`${key}@on_hand`) ?? 0) !== Number(l.onHand)) problems.push(`${at}: on hand ${l.onHand}, ledger ${ledger.get(`${key}@on_hand`) ?? 0}`);
    if ((open.get(key) ?? 0) !== Number(l.reserved)) problems.push(`${at}: reserved ${l.reserved}, open allocations ${open.get(key) ?? 0}`);
  }
  return problems;
}
