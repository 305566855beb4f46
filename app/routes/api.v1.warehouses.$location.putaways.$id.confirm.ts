import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { confirmPutaway } from "~/.server/use-cases/confirm-putaway";

const body = z.object({ bin: z.string().min(1).max(40), quantity: z.number().int().min(1).optional(), worker: z.string().max(120).optional() }).strict();

// POST /api/v1/warehouses/:location/putaways/:id/confirm { bin, quantity?, worker? } — the scanned bin: the units move from
// the receiving bin into it (applied: true), once (again: applied: false). Wrong bin, changed quantity, bin full: 409
// with what to do, nothing moved.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "PUTAWAY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    return cors(Response.json(await confirmPutaway(shop.id, params.location!, params.id!, parsed.data)));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
