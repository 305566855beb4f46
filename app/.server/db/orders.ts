import type { Queryable } from "./engine/types";
import { marks } from "./engine/sql-dialect";

// Reading orders (writes go through the intake pipeline: use-cases/ingest-channel-order.ts).

export interface OrderFilter {
  channelKind?: string;
  externalId?: string;
  status?: string;
  /** Only orders with units reserved or fulfilled at this location ("Ships from"). */
  locationId?: string;
  /** The first order of the page, as the previous page's `nextCursor` named it. */
  cursor?: string;
  take?: number;
}

export interface OrderRow {
  id: string;
  shopId: string;
  channelId: string;
  externalId: string;
  name: string;
  status: string;
  financialStatus: string | null;
  currency: string;
  totalMinor: number;
  customerExternalId: string | null;
  email: string | null;
  phone: string | null;
  customerName: string | null;
  shipAddress1: string | null;
  shipCity: string | null;
  shipProvince: string | null;
  shipCountryCode: string | null;
  shipZip: string | null;
  shipLatitude: number | null;
  shipLongitude: number | null;
  placedAt: string;
  promisedBy: string | null;
  externalUpdatedAt: string | null;
  externalTriggeredAt: string | null;
  cancelledAt: string | null;
  redactedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderLineRow {
  id: string;
  orderId: string;
  externalId: string;
  variantId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  priceMinor: number;
  createdAt: string;
}

export interface AllocationView {
  id: string;
  locationId: string | null;
  quantity: number;
  status: string;
  decisionId: string | null;
  createdAt: string;
  /** null for a backorder (no location) or a location no longer stored. */
  location: { name: string; externalId: string } | null;
}

export interface OrderWithLines extends OrderRow {
  channel: { kind: string; name: string };
  lines: (OrderLineRow & { allocations: AllocationView[] })[];
}

const ORDER_COLUMNS = [
  "id", "shopId", "channelId", "externalId", "name", "status", "financialStatus", "currency", "totalMinor", "customerExternalId", "email", "phone", "customerName",
  "shipAddress1", "shipCity", "shipProvince", "shipCountryCode", "shipZip", "shipLatitude", "shipLongitude", "placedAt", "promisedBy", "externalUpdatedAt",
  "externalTriggeredAt", "cancelledAt", "redactedAt", "createdAt", "updatedAt",
].map((c) => `o."${c}"`).join(",");

type OrderWithChannelRow = OrderRow & { channelKind: string; channelName: string };

/**
 * Newest first (placedAt, then id), keyset-paginated, always within one shop: the page's orders, then one
 * statement for their lines and allocations. The cursor is the next page's first order, whose (placedAt, id)
 * bounds the page. Each statement is shaped so that the index that serves it is the one both planners take —
 * PostgreSQL from its statistics, SQLite without any (the app never runs ANALYZE there, so its planner counts
 * equality terms per index and breaks ties its own way; EXPLAIN QUERY PLAN at 200,000 orders in
 * bench/orders-list):
 * - no filter (shopId, placedAt); a status (shopId, status, placedAt), walked newest first;
 * - a channel kind alone: one statement per channel of the kind on (shopId, channelId, placedAt), merged here
 *   (SQLite sorts every order of the kind for `channelId IN (…)`, 0.9 s for 44,000 Amazon orders);
 * - a channel kind with a status: walked by the status, the kind an IN sub-select (with `channelId = ?` SQLite
 *   ties the two indexes and walked a whole channel for its few backordered orders);
 * - an externalId: a point look-up in (shopId, channelId, externalId) per channel of the shop (or of the kind);
 * - a location: see `atLocation`.
 */
export async function listOrders(q: Queryable, shopId: string, filter: OrderFilter = {}): Promise<{ orders: OrderWithLines[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(filter.take ?? 50, 1), 250);
  const common: Where = { sql: [`o."shopId" = @shop`], params: [] };
  if (filter.status) {
    common.sql.push(`o."status" = ?`);
    common.params.push(filter.status);
  }
  if (filter.cursor) {
    const cursorPlacedAt = `(SELECT c."placedAt" FROM "Order" c WHERE c."shopId" = @shop AND c."id" = @cursor)`;
    common.sql.push(`o."placedAt" <= ${cursorPlacedAt} AND (o."placedAt" < ${cursorPlacedAt} OR o."id" <= @cursor)`);
  }
  // One or more statements whose pages are merged: per channel, or one.
  let variants: Where[] = [common];
  if (filter.externalId || (filter.channelKind && !filter.status)) {
    const channels = filter.channelKind
      ? await q.all<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = ?`, shopId, filter.channelKind)
      : await q.all<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ?`, shopId);
    variants = channels.map((c) => (filter.externalId
      ? { sql: [...common.sql, `o."channelId" = ?`, `o."externalId" = ?`], params: [...common.params, c.id, filter.externalId] }
      : { sql: [...common.sql, `o."channelId" = ?`], params: [...common.params, c.id] }));
  } else if (filter.channelKind) {
    variants = [{ sql: [...common.sql, `o."channelId" IN (SELECT k."id" FROM "Channel" k WHERE k."shopId" = @shop AND k."kind" = ?)`], params: [...common.params, filter.channelKind] }];
  }
  const named = { shop: shopId, cursor: filter.cursor ?? null };
  let pages: OrderWithChannelRow[][];
  if (filter.locationId && !filter.externalId) {
    const at = await atLocation(q, shopId, filter.locationId);
    pages = await Promise.all(variants.map((w) => at(w, named, take + 1)));
  } else {
    const location = filter.locationId ? [{ sql: [`${SHIPS_FROM} o."id")`], params: [filter.locationId] }] : [];
    pages = await Promise.all(variants.map((w) => pageOf(q, `"Order" o`, [], and(w, ...location), named, take + 1)));
  }
  const rows = pages.length === 1 ? pages[0] : pages.flat().sort(newestFirst).slice(0, take + 1);
  const hasMore = rows.length > take;
  const page = hasMore ? rows.slice(0, take) : rows;
  const lines = await linesOfOrders(q, shopId, page.map((o) => o.id), { openOnly: false });
  return { orders: page.map((o) => withLines(o, lines)), nextCursor: hasMore ? rows[take].id : null };
}

/** Conditions on Order `o` (AND-ed) and their positional values. */
interface Where {
  sql: string[];
  params: unknown[];
}

type Named = { shop: string; cursor: string | null };

const and = (...parts: Where[]): Where => ({ sql: parts.flatMap((p) => p.sql), params: parts.flatMap((p) => p.params) });

/** The page's order, as the statements sort: placedAt descending (ISO text on both), then id descending. */
const newestFirst = (a: OrderRow, b: OrderRow) => (a.placedAt < b.placedAt ? 1 : a.placedAt > b.placedAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Up to `limit` orders from `from` (which names Order `o`; its own values first), newest first. */
function pageOf(q: Queryable, from: string, fromParams: unknown[], where: Where, named: Named, limit: number): Promise<OrderWithChannelRow[]> {
  return q.all<OrderWithChannelRow>(
    `SELECT ${ORDER_COLUMNS}, ch."kind" AS "channelKind", ch."name" AS "channelName"
     FROM ${from} JOIN "Channel" ch ON ch."id" = o."channelId"
     WHERE ${where.sql.join(" AND ")}
     ORDER BY o."placedAt" DESC, o."id" DESC LIMIT ?`,
    named, ...fromParams, ...where.params, limit,
  );
}

/** "Ships from": the order has units reserved or fulfilled at the location (one `?`), to be closed with the order id and `)`. */
const SHIPS_FROM = `EXISTS (SELECT 1 FROM "OrderLine" l JOIN "Allocation" a ON a."orderLineId" = l."id"
  WHERE l."shopId" = @shop AND a."locationId" = ? AND a."status" IN ('reserved','fulfilled') AND l."orderId" =`;

/** Up to this many allocations, a location's orders are collected from its allocations and sorted. */
const SPARSE_LOCATION = 5_000;
/** A busy location's page is first looked for among this many newest candidate orders. */
const LOCATION_WINDOW = 2_000;

/**
 * The orders of a page that ship from a location. No index orders a location's orders by time, so each of
 * two ways can be slow: walking the newest orders and probing each (fast when many ship from there, a walk
 * through history when few do — a store closed a year ago), or collecting the location's orders from its
 * allocations and sorting them (fast when few, slow when many). A bounded count of its allocations picks:
 * under SPARSE_LOCATION, collect; otherwise walk the newest LOCATION_WINDOW candidates first, and only when
 * they hold less than a page (and there are more candidates) collect after all. Both constants were set from
 * the costs (a probe ≈ two index look-ups, a collected allocation ≈ three), not fitted to a benchmark.
 * The probes go through the allocations by line ((orderLineId, status)): an equality on Allocation."shopId"
 * here would let SQLite take (shopId, locationId, status) and read the location's every allocation per order.
 */
async function atLocation(q: Queryable, shopId: string, locationId: string): Promise<(where: Where, named: Named, limit: number) => Promise<OrderWithChannelRow[]>> {
  const probe = await q.get<{ n: number }>(
    `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "Allocation" WHERE "shopId" = ? AND "locationId" = ? AND "status" IN ('reserved','fulfilled') LIMIT ?) AS "sample"`,
    shopId, locationId, SPARSE_LOCATION,
  );
  // The location's orders (SQLite keeps the left side of a CROSS JOIN outside: collect first, then look up).
  const collect = (where: Where, named: Named, limit: number) =>
    pageOf(q, `(SELECT DISTINCT l."orderId" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
        WHERE a."shopId" = @shop AND a."locationId" = ? AND a."status" IN ('reserved','fulfilled') AND l."shopId" = @shop) AS "at"
      CROSS JOIN "Order" o`, [locationId], and({ sql: [`o."id" = "at"."orderId"`], params: [] }, where), named, limit);
  if (Number(probe?.n ?? 0) < SPARSE_LOCATION) return collect;
  return async (where, named, limit) => {
    const windowed = await pageOf(
      q, `(SELECT o.* FROM "Order" o WHERE ${where.sql.join(" AND ")} ORDER BY o."placedAt" DESC, o."id" DESC LIMIT ?) AS o`, [...where.params, LOCATION_WINDOW],
      { sql: [`${SHIPS_FROM} o."id")`], params: [locationId] }, named, limit,
    );
    if (windowed.length >= limit) return windowed;
    const candidates = await q.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "Order" o WHERE ${where.sql.join(" AND ")} LIMIT ?) AS "w"`, named, ...where.params, LOCATION_WINDOW);
    return Number(candidates?.n ?? 0) < LOCATION_WINDOW ? windowed : collect(where, named, limit);
  };
}

/** One order with its lines and their open allocations (released ones left out), for the order page. */
export async function orderWithLines(q: Queryable, shopId: string, orderId: string): Promise<OrderWithLines | undefined> {
  const row = await q.get<OrderWithChannelRow>(
    `SELECT ${ORDER_COLUMNS}, ch."kind" AS "channelKind", ch."name" AS "channelName" FROM "Order" o JOIN "Channel" ch ON ch."id" = o."channelId" WHERE o."shopId" = ? AND o."id" = ?`,
    shopId, orderId,
  );
  if (!row) return undefined;
  return withLines(row, await linesOfOrders(q, shopId, [row.id], { openOnly: true }));
}

function withLines({ channelKind, channelName, ...order }: OrderWithChannelRow, lines: Map<string, OrderWithLines["lines"]>): OrderWithLines {
  return { ...order, channel: { kind: channelKind, name: channelName }, lines: lines.get(order.id) ?? [] };
}

interface LineAllocationRow extends OrderLineRow {
  allocationId: string | null;
  locationId: string | null;
  allocationQuantity: number | null;
  allocationStatus: string | null;
  decisionId: string | null;
  allocationCreatedAt: string | null;
  locationName: string | null;
  locationExternalId: string | null;
}

/**
 * Lines of these orders (oldest first) with their allocations and where those are, in one statement. The shop
 * scopes the lines; allocations are reached through them by `orderLineId` alone, as elsewhere: an equality on
 * Allocation."shopId" here ties, for SQLite's planner (no statistics), the (shopId, locationId, status) index
 * with (orderLineId, status), and it took the first: every allocation of the shop read per line (11 s for one
 * Orders page at 200,000 orders; EXPLAIN QUERY PLAN in bench/orders-list).
 */
async function linesOfOrders(q: Queryable, shopId: string, orderIds: string[], opts: { openOnly: boolean }): Promise<Map<string, OrderWithLines["lines"]>> {
  const byOrder = new Map<string, OrderWithLines["lines"]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await q.all<LineAllocationRow>(
    `SELECT l."id", l."orderId", l."externalId", l."variantId", l."sku", l."title", l."quantity", l."priceMinor", l."createdAt",
            a."id" AS "allocationId", a."locationId", a."quantity" AS "allocationQuantity", a."status" AS "allocationStatus", a."decisionId", a."createdAt" AS "allocationCreatedAt",
            loc."name" AS "locationName", loc."externalId" AS "locationExternalId"
     FROM "OrderLine" l
     LEFT JOIN "Allocation" a ON a."orderLineId" = l."id"${opts.openOnly ? ` AND a."status" <> 'released'` : ""}
     LEFT JOIN "Location" loc ON loc."id" = a."locationId" AND loc."shopId" = l."shopId"
     WHERE l."shopId" = ? AND l."orderId" IN (${marks(orderIds.length)})
     ORDER BY l."orderId", l."createdAt", l."id", a."createdAt", a."id"`,
    shopId, ...orderIds,
  );
  let current: OrderWithLines["lines"][number] | undefined;
  for (const r of rows) {
    if (current?.id !== r.id) {
      current = { id: r.id, orderId: r.orderId, externalId: r.externalId, variantId: r.variantId, sku: r.sku, title: r.title, quantity: r.quantity, priceMinor: r.priceMinor, createdAt: r.createdAt, allocations: [] };
      pushTo(byOrder, r.orderId, current);
    }
    if (r.allocationId === null) continue;
    current.allocations.push({
      id: r.allocationId, locationId: r.locationId, quantity: r.allocationQuantity!, status: r.allocationStatus!, decisionId: r.decisionId, createdAt: r.allocationCreatedAt!,
      location: r.locationName !== null ? { name: r.locationName, externalId: r.locationExternalId! } : null,
    });
  }
  return byOrder;
}

/** Orders placed since `since`, counted per channel kind (kinds without orders are absent). */
export async function ordersByChannelSince(q: Queryable, shopId: string, since: Date): Promise<Record<string, number>> {
  const rows = await q.all<{ kind: string; orders: number }>(
    `SELECT ch."kind", COUNT(*) AS "orders" FROM "Order" o JOIN "Channel" ch ON ch."id" = o."channelId" WHERE o."shopId" = ? AND o."placedAt" >= ? GROUP BY ch."kind"`,
    shopId, since,
  );
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.orders)]));
}

/** How many orders each channel of the shop has stored (channels without orders are absent). */
export async function orderCountsByChannel(q: Queryable, shopId: string): Promise<Map<string, number>> {
  const rows = await q.all<{ channelId: string; orders: number }>(`SELECT "channelId", COUNT(*) AS "orders" FROM "Order" WHERE "shopId" = ? GROUP BY "channelId"`, shopId);
  return new Map(rows.map((r) => [r.channelId, Number(r.orders)]));
}

export async function countBackorderedOrders(q: Queryable, shopId: string): Promise<number> {
  const row = await q.get<{ orders: number }>(
    `SELECT COUNT(DISTINCT l."orderId") AS "orders" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE a."shopId" = ? AND a."status" = 'backordered' AND l."shopId" = ?`,
    shopId, shopId,
  );
  return Number(row?.orders ?? 0);
}

export interface RecentOrderRow {
  id: string;
  name: string;
  placedAt: string;
  totalMinor: number;
  currency: string;
  status: string;
  channelKind: string;
  lineCount: number;
}

/** The newest orders with their channel and number of lines (the dashboard). */
export async function recentOrders(q: Queryable, shopId: string, take: number): Promise<RecentOrderRow[]> {
  const rows = await q.all<RecentOrderRow>(
    `SELECT o."id", o."name", o."placedAt", o."totalMinor", o."currency", o."status", ch."kind" AS "channelKind",
            (SELECT COUNT(*) FROM "OrderLine" l WHERE l."shopId" = o."shopId" AND l."orderId" = o."id") AS "lineCount"
     FROM "Order" o JOIN "Channel" ch ON ch."id" = o."channelId" WHERE o."shopId" = ? ORDER BY o."placedAt" DESC, o."id" DESC LIMIT ?`,
    shopId, take,
  );
  return rows.map((r) => ({ ...r, lineCount: Number(r.lineCount) }));
}

export interface RoutingDecisionRow {
  id: string;
  shopId: string;
  orderId: string;
  ruleSetId: string | null;
  method: string;
  decidedBy: string;
  totalCostMinor: number;
  shipments: number;
  unitsAllocated: number;
  unitsBackordered: number;
  meetsPromise: boolean | null;
  /** The encoded decision (domain/routing decodeDecision). */
  explanation: string;
  createdAt: string;
  dispatchedAt: string | null;
}

const DECISION_COLUMNS = `"id","shopId","orderId","ruleSetId","method","decidedBy","totalCostMinor","shipments","unitsAllocated","unitsBackordered","meetsPromise","explanation","createdAt","dispatchedAt"`;

const decisionRow = (row: RoutingDecisionRow): RoutingDecisionRow => ({ ...row, meetsPromise: row.meetsPromise === null ? null : Boolean(row.meetsPromise) });

/** Every routing of the order, newest (the one in force) first. */
export async function decisionsOfOrder(q: Queryable, shopId: string, orderId: string): Promise<RoutingDecisionRow[]> {
  return (await q.all<RoutingDecisionRow>(`SELECT ${DECISION_COLUMNS} FROM "RoutingDecision" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "createdAt" DESC, "id" DESC`, shopId, orderId)).map(decisionRow);
}

/** The decision in force (the newest) of each of these orders that has one. */
export async function latestDecisionsOfOrders(q: Queryable, shopId: string, orderIds: string[]): Promise<Map<string, RoutingDecisionRow>> {
  const latest = new Map<string, RoutingDecisionRow>();
  if (orderIds.length === 0) return latest;
  const rows = await q.all<RoutingDecisionRow>(
    `SELECT ${DECISION_COLUMNS} FROM "RoutingDecision" WHERE "shopId" = ? AND "orderId" IN (${marks(orderIds.length)}) ORDER BY "orderId", "createdAt" DESC, "id" DESC`,
    shopId, ...orderIds,
  );
  for (const row of rows) if (!latest.has(row.orderId)) latest.set(row.orderId, decisionRow(row));
  return latest;
}

export interface ReplayLine {
  id: string;
  quantity: number;
  variantId: string | null;
  /** The matched variant (null when the line has none): only such a line can hold stock. */
  variant: { sku: string; weightGrams: number } | null;
  /** What the line holds now (reserved allocations). */
  allocations: { locationId: string | null; quantity: number }[];
}

export interface ReplayOrder {
  id: string;
  placedAt: string;
  promisedBy: string | null;
  shipLatitude: number | null;
  shipLongitude: number | null;
  shipCountryCode: string | null;
  shipZip: string | null;
  lines: ReplayLine[];
}

/** The shop's last `take` orders that are not cancelled (newest first), as the routing simulation replays them. */
export async function ordersForReplay(q: Queryable, shopId: string, take: number): Promise<ReplayOrder[]> {
  const orders = await q.all<Omit<ReplayOrder, "lines">>(
    `SELECT "id","placedAt","promisedBy","shipLatitude","shipLongitude","shipCountryCode","shipZip" FROM "Order"
     WHERE "shopId" = ? AND "status" <> 'cancelled' ORDER BY "placedAt" DESC, "id" DESC LIMIT ?`,
    shopId, take,
  );
  const lines = new Map<string, ReplayLine[]>();
  for (let i = 0; i < orders.length; i += IN_CHUNK) {
    const ids = orders.slice(i, i + IN_CHUNK).map((o) => o.id);
    const rows = await q.all<{ id: string; orderId: string; quantity: number; variantId: string | null; variantSku: string | null; weightGrams: number | null; locationId: string | null; allocated: number | null }>(
      `SELECT l."id", l."orderId", l."quantity", l."variantId", v."sku" AS "variantSku", v."weightGrams", a."locationId", a."quantity" AS "allocated"
       FROM "OrderLine" l
       LEFT JOIN "Variant" v ON v."id" = l."variantId" AND v."shopId" = l."shopId"
       LEFT JOIN "Allocation" a ON a."orderLineId" = l."id" AND a."shopId" = l."shopId" AND a."status" = 'reserved'
       WHERE l."shopId" = ? AND l."orderId" IN (${marks(ids.length)})
       ORDER BY l."orderId", l."createdAt", l."id", a."createdAt", a."id"`,
      shopId, ...ids,
    );
    let current: ReplayLine | undefined;
    for (const r of rows) {
      if (current?.id !== r.id) {
        current = { id: r.id, quantity: r.quantity, variantId: r.variantId, variant: r.variantSku !== null ? { sku: r.variantSku, weightGrams: r.weightGrams ?? 0 } : null, allocations: [] };
        pushTo(lines, r.orderId, current);
      }
      if (r.allocated !== null) current.allocations.push({ locationId: r.locationId, quantity: r.allocated });
    }
  }
  return orders.map((o) => ({ ...o, lines: lines.get(o.id) ?? [] }));
}

/** Ids per IN list: far below both dialects' parameter limits. */
const IN_CHUNK = 1_000;

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
