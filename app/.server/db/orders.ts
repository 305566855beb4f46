import type { Prisma } from "@prisma/client";
import { db } from "./client";

// Reading orders (writes go through the intake pipeline: use-cases/ingest-channel-order.ts).

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
