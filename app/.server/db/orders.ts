import type { Prisma } from "@prisma/client";
import { isNewer, type ChannelOrder } from "~/domain/orders/channel-order";
import { db } from "./client";

// Orders from every channel, stored once per (shop, channel, external id).

export type UpsertOutcome = { kind: "created" | "updated" | "stale"; orderId: string };

export async function upsertChannelOrder(shopId: string, channelId: string, order: ChannelOrder): Promise<UpsertOutcome> {
  return db().$transaction(async (tx) => {
    const key = { shopId_channelId_externalId: { shopId, channelId, externalId: order.externalId } };
    const existing = await tx.order.findUnique({ where: key, select: { id: true, externalUpdatedAt: true } });
    if (existing && !isNewer(order.updatedAt, existing.externalUpdatedAt?.toISOString())) {
      return { kind: "stale", orderId: existing.id };
    }
    const fields = orderFields(order);
    const saved = existing
      ? await tx.order.update({ where: { id: existing.id }, data: fields, select: { id: true } })
      : await tx.order.create({ data: { shopId, channelId, externalId: order.externalId, ...fields }, select: { id: true } });
    await syncLines(tx, shopId, saved.id, order);
    return { kind: existing ? "updated" : "created", orderId: saved.id };
  });
}

function orderFields(order: ChannelOrder) {
  const ship = order.shipTo;
  return {
    name: order.name,
    currency: order.currency,
    totalMinor: order.totalMinor,
    financialStatus: order.financialStatus,
    email: order.email,
    phone: order.phone,
    customerExternalId: order.customerExternalId,
    customerName: order.customerName,
    shipAddress1: ship?.address1 ?? null,
    shipCity: ship?.city ?? null,
    shipProvince: ship?.province ?? null,
    shipCountryCode: ship?.countryCode ?? null,
    shipZip: ship?.zip ?? null,
    shipLatitude: ship?.latitude ?? null,
    shipLongitude: ship?.longitude ?? null,
    placedAt: new Date(order.placedAt),
    externalUpdatedAt: new Date(order.updatedAt),
    cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
    ...(order.cancelledAt ? { status: "cancelled" } : {}),
  };
}

async function syncLines(tx: Prisma.TransactionClient, shopId: string, orderId: string, order: ChannelOrder): Promise<void> {
  const skus = order.lines.map((l) => l.sku).filter((s): s is string => Boolean(s));
  const variantIds = order.lines.map((l) => l.variantExternalId).filter((v): v is string => Boolean(v));
  const variants = await tx.variant.findMany({
    where: { shopId, OR: [{ sku: { in: skus } }, { externalId: { in: variantIds } }] },
    select: { id: true, sku: true, externalId: true },
  });
  const bySku = new Map(variants.map((v) => [v.sku, v.id]));
  const byExternal = new Map(variants.map((v) => [v.externalId, v.id]));
  for (const line of order.lines) {
    const variantId = (line.variantExternalId && byExternal.get(line.variantExternalId)) || (line.sku && bySku.get(line.sku)) || null;
    const data = { sku: line.sku, title: line.title, quantity: line.quantity, priceMinor: line.priceMinor, variantId };
    await tx.orderLine.upsert({
      where: { orderId_externalId: { orderId, externalId: line.externalId } },
      create: { shopId, orderId, externalId: line.externalId, ...data },
      update: data,
    });
  }
}

export interface OrderFilter {
  channelKind?: string;
  externalId?: string;
  status?: string;
  cursor?: string;
  take?: number;
}

const orderInclude = {
  channel: { select: { kind: true, name: true } },
  lines: { orderBy: { createdAt: "asc" as const }, include: { allocations: { include: { location: { select: { name: true, externalId: true } } } } } },
} satisfies Prisma.OrderInclude;

export type OrderWithLines = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

/** Newest first, cursor-paginated; always within one shop. */
export async function listOrders(shopId: string, filter: OrderFilter = {}): Promise<{ orders: OrderWithLines[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(filter.take ?? 50, 1), 250);
  const rows = await db().order.findMany({
    where: {
      shopId,
      ...(filter.channelKind ? { channel: { kind: filter.channelKind } } : {}),
      ...(filter.externalId ? { externalId: filter.externalId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    },
    include: orderInclude,
    orderBy: [{ placedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 0 } : {}),
  });
  const hasMore = rows.length > take;
  const page = hasMore ? rows.slice(0, take) : rows;
  return { orders: page, nextCursor: hasMore ? rows[take].id : null };
}

export async function ordersByChannelSince(shopId: string, since: Date): Promise<Record<string, number>> {
  const channels = await db().channel.findMany({ where: { shopId }, select: { kind: true, name: true, _count: { select: { orders: { where: { placedAt: { gte: since } } } } } } });
  const counts: Record<string, number> = {};
  for (const c of channels) counts[c.kind] = (counts[c.kind] ?? 0) + c._count.orders;
  return counts;
}

export async function countBackorderedOrders(shopId: string): Promise<number> {
  return db().order.count({ where: { shopId, lines: { some: { allocations: { some: { status: "backordered" } } } } } });
}
