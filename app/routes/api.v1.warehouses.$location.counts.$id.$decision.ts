import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { approveCount, declineCount, recountCount } from "~/.server/use-cases/cycle-counts";

const body = z.object({ by: z.string().max(120).optional() }).strict();

// POST /api/v1/warehouses/:location/counts/:id/approve | decline | recount { by? } — approve posts the variances to the
// bin and the location's on hand (once); decline closes the count, nothing moves; recount closes it unapplied and
// opens a new count of the bin.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const text = await request.clone().text();
    const parsed = body.safeParse(text.trim() === "" ? {} : await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "COUNT.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    const by = parsed.data.by ?? null;
    const [location, id] = [params.location!, params.id!];
    switch (params.decision) {
      case "approve":
        return cors(Response.json(await approveCount(shop.id, location, id, by)));
      case "decline":
        return cors(Response.json(await declineCount(shop.id, location, id, by)));
      case "recount":
        return cors(Response.json(await recountCount(shop.id, location, id, by), { status: 201 }));
      default:
        throw new AppError("not_found", "COUNT.UNKNOWN_DECISION", `A count is approved, declined or recounted (got ${JSON.stringify(params.decision)})`);
    }
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
