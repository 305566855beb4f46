import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { releaseWave } from "~/.server/use-cases/pick-pack-ship";

const body = z.object({ capacityItems: z.number().int().min(1).max(500).optional(), maxOrders: z.number().int().min(1).max(300).optional() }).strict();

// POST /api/v1/warehouses/:location/waves { capacityItems?, maxOrders? } — releases the first wave of the location's
// routed orders into pick tasks (lines in the order of the drawn route); the orders move routed → picking (ADR 0033).
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    // No body (or an empty one) releases with the defaults; a body that is not JSON is refused.
    const raw = request.headers.get("content-length") === "0" || !request.body ? {} : await readJsonBody(request);
    const parsed = body.safeParse(raw);
    if (!parsed.success) throw new AppError("invalid_data", "WAVE.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    return cors(Response.json(await releaseWave(shop.id, params.location!, { actor: apiActor(caller), ...parsed.data })));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
