import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { serializeOrder } from "~/.server/api/serialize";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { database } from "~/.server/db/database";
import { listOrders } from "~/.server/db/orders";
import { AppError, errorResponse } from "~/.server/errors";
import { createApiOrder } from "~/.server/use-cases/create-api-order";
import { latestDecisions } from "~/.server/use-cases/get-order-detail";
import { apiOrderSchema, schemaProblems } from "~/domain/orders/api-order";

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

/** A client's Idempotency-Key: printable ASCII, at most 255 characters (a UUID is the usual choice). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

// POST /api/v1/orders — a manual or wholesale order from an ERP or integration (body: app/domain/orders/api-order.ts),
// reserved as it lands. 201 with the order; the same Idempotency-Key (or, without one, the same externalId) with
// the same body answers 200 with the same order (created: false); with another body, 409. Anything wrong: 400
// listing every problem, nothing stored. An API key needs the write scope.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    const parsed = apiOrderSchema.safeParse(await readJsonBody(request));
    const idempotencyKey = request.headers.get("idempotency-key") ?? undefined;
    const problems = parsed.success ? [] : schemaProblems(parsed.error);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) problems.push("Idempotency-Key: 1–255 printable ASCII characters, no spaces");
    if (!parsed.success || problems.length) throw new AppError("invalid_data", "ORDER.INVALID", `Order not taken in: ${problems.join("; ")}`, { problems });
    const result = await createApiOrder(shop, parsed.data, { idempotencyKey, actor: apiActor(caller) });
    return cors(Response.json({ created: result.created, order: serializeOrder(result.order, result.routing) }, { status: result.created ? 201 : 200 }));
  } catch (error) {
    return errorResponse(error);
  }
}
