import { z } from "zod";
import { requireAdminShop } from "../../app/.server/auth/admin-shop";
import { listLocations } from "../../app/.server/db/catalog";
import { database, type Queryable } from "../../app/.server/db/database";
import { marks } from "../../app/.server/db/engine/sql-dialect";
import type { OrderFilter, OrderRow, OrderWithLines } from "../../app/.server/db/orders";
import { formatMinorUnits } from "../../app/domain/shared/money";

// The baseline of orders_list_p95_ms: the same page loads answered the way an ORM's
// `order.findMany({ where, include: { channel, lines: { include: { allocations: { include: { location } } } } },
// orderBy: [{ placedAt: "desc" }, { id: "desc" }], skip: page × 25, take: 25 })` issues them (Prisma, which this
// project used before): one statement that filters (relation filters as IN sub-selects), sorts and skips with
// OFFSET, then one IN query per included relation. Same authentication, same locations list, same mapping
// as the page's loader (app/routes/app.orders._index.tsx); a page is named by its number, not a cursor.

const query = z.object({
  channel: z.enum(["shopify", "amazon", "wholesale", "manual"]).optional().catch(undefined),
  status: z.string().max(40).optional(),
  page: z.coerce.number().int().min(0).optional(),
  location: z.string().max(40).optional(),
});

const PAGE = 25;

/** The page's loader with the naive query (the same return shape, `nextPage` for `nextCursor`). */
export async function naiveOrdersLoader(request: Request) {
  const { shop } = await requireAdminShop(request);
  const params = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const filter: OrderFilter = { channelKind: params.channel, status: params.status || undefined, locationId: params.location || undefined, take: PAGE };
  const q = database();
  const [{ orders, hasMore }, locations] = await Promise.all([naiveListOrders(q, shop.id, filter, (params.page ?? 0) * PAGE), listLocations(q, shop.id)]);
  return {
    nextPage: hasMore ? (params.page ?? 0) + 1 : null,
    locations: locations.map((l) => ({ label: l.name, value: l.id })),
    orders: orders.map((o) => ({
      id: o.id,
      name: o.name,
      channel: o.channel.kind,
      status: o.status,
      placedAt: o.placedAt,
      customer: o.customerName ?? "—",
      destination: [o.shipCity, o.shipProvince, o.shipCountryCode].filter(Boolean).join(", ") || "—",
      units: o.lines.reduce((sum, l) => sum + l.quantity, 0),
      total: formatMinorUnits(o.totalMinor, o.currency),
    })),
  };
}

const ORDER_COLUMNS = `"id","shopId","channelId","externalId","name","status","financialStatus","currency","totalMinor","customerExternalId","email","phone","customerName","shipAddress1","shipCity","shipProvince","shipCountryCode","shipZip","shipLatitude","shipLongitude","placedAt","promisedBy","externalUpdatedAt","externalTriggeredAt","cancelledAt","redactedAt","createdAt","updatedAt"`;

/** Filter, sort, OFFSET; then the relations by IN lists, as the ORM issues them. */
export async function naiveListOrders(q: Queryable, shopId: string, filter: OrderFilter, offset: number): Promise<{ orders: OrderWithLines[]; hasMore: boolean }> {
  const take = filter.take ?? 50;
  const where = [`"shopId" = ?`];
  const params: unknown[] = [shopId];
  if (filter.channelKind) {
    where.push(`"channelId" IN (SELECT "t1"."id" FROM "Channel" AS "t1" WHERE "t1"."kind" = ? AND "t1"."id" IS NOT NULL)`);
    params.push(filter.channelKind);
  }
  if (filter.externalId) {
    where.push(`"externalId" = ?`);
    params.push(filter.externalId);
  }
  if (filter.status) {
    where.push(`"status" = ?`);
    params.push(filter.status);
  }
  if (filter.locationId) {
    where.push(`"id" IN (SELECT "t2"."orderId" FROM "OrderLine" AS "t2" WHERE "t2"."id" IN (SELECT "t3"."orderLineId" FROM "Allocation" AS "t3"
      WHERE "t3"."locationId" = ? AND "t3"."status" IN ('reserved','fulfilled') AND "t3"."orderLineId" IS NOT NULL) AND "t2"."orderId" IS NOT NULL)`);
    params.push(filter.locationId);
  }
  const rows = await q.all<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM "Order" WHERE ${where.join(" AND ")} ORDER BY "placedAt" DESC, "id" DESC LIMIT ? OFFSET ?`, ...params, take + 1, offset);
  const page = rows.slice(0, take);
  if (page.length === 0) return { orders: [], hasMore: false };
  const channelIds = [...new Set(page.map((o) => o.channelId))];
  const channels = await q.all<{ id: string; kind: string; name: string }>(`SELECT "id","kind","name" FROM "Channel" WHERE "id" IN (${marks(channelIds.length)})`, ...channelIds);
  const lines = await q.all<{ id: string; orderId: string; externalId: string; variantId: string | null; sku: string | null; title: string; quantity: number; priceMinor: number; createdAt: string }>(
    `SELECT "id","orderId","externalId","variantId","sku","title","quantity","priceMinor","createdAt" FROM "OrderLine" WHERE "orderId" IN (${marks(page.length)}) ORDER BY "createdAt", "id"`,
    ...page.map((o) => o.id),
  );
  const allocations = lines.length === 0 ? [] : await q.all<{ id: string; orderLineId: string; locationId: string | null; quantity: number; status: string; decisionId: string | null; createdAt: string }>(
    `SELECT "id","orderLineId","locationId","quantity","status","decisionId","createdAt" FROM "Allocation" WHERE "orderLineId" IN (${marks(lines.length)}) ORDER BY "createdAt", "id"`,
    ...lines.map((l) => l.id),
  );
  const locationIds = [...new Set(allocations.flatMap((a) => (a.locationId ? [a.locationId] : [])))];
  const locations = locationIds.length === 0 ? [] : await q.all<{ id: string; name: string; externalId: string }>(`SELECT "id","name","externalId" FROM "Location" WHERE "id" IN (${marks(locationIds.length)})`, ...locationIds);
  const channelById = new Map(channels.map((c) => [c.id, c]));
  const locationById = new Map(locations.map((l) => [l.id, l]));
  const allocationsByLine = group(allocations, (a) => a.orderLineId);
  const linesByOrder = group(lines, (l) => l.orderId);
  return {
    hasMore: rows.length > take,
    orders: page.map((o) => ({
      ...o,
      channel: { kind: channelById.get(o.channelId)!.kind, name: channelById.get(o.channelId)!.name },
      lines: (linesByOrder.get(o.id) ?? []).map((l) => ({
        ...l,
        allocations: (allocationsByLine.get(l.id) ?? []).map(({ orderLineId: _, ...a }) => {
          const location = a.locationId ? locationById.get(a.locationId) : undefined;
          return { ...a, location: location ? { name: location.name, externalId: location.externalId } : null };
        }),
      })),
    })),
  };
}

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}
