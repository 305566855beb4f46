import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { serializeOrder } from "~/.server/api/serialize";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { database } from "~/.server/db/database";
import { listOrders } from "~/.server/db/orders";
import { AppError, errorResponse } from "~/.server/errors";
import { latestDecisions } from "~/.server/use-cases/get-order-detail";

const query = z.object({
  channel: z.enum(["shopify", "amazon", "wholesale", "manual"]).optional(),
  externalId: z.string().min(1).max(64).optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(250).optional(),
});

// GET /api/v1/orders?channel=&externalId=&cursor=&limit= — the shop's stored orders with lines, their
// allocations and the routing decision in force (summary + full explanation).
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "QUERY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const { channel, externalId, cursor, limit } = parsed.data;
    const { orders, nextCursor } = await listOrders(database(), shop.id, { channelKind: channel, externalId, cursor, take: limit ?? 50 });
    const routing = await latestDecisions(shop.id, orders.map((o) => o.id));
    return cors(Response.json({ orders: orders.map((o) => serializeOrder(o, routing.get(o.id))), nextCursor }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
