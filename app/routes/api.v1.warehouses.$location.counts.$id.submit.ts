import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { submitCount } from "~/.server/use-cases/cycle-counts";

// Quantities are checked by the use case (a negative count is refused with its own message), not here.
const body = z.object({
  bin: z.string().min(1).max(60),
  lines: z.array(z.object({ sku: z.string().min(1).max(255), lot: z.string().max(120).optional(), quantity: z.number() }).strict()).max(500),
  submissionId: z.string().min(1).max(120),
  worker: z.string().max(120).optional(),
}).strict();

// POST /api/v1/warehouses/:location/counts/:id/submit { bin, lines: [{ sku, lot?, quantity }], submissionId, worker? } —
// a blind count of the scanned bin. It waits for approval: stock does not move. A SKU/lot the bin holds and the lines
// leave out counts as 0. Negative counts, unknown SKUs and the wrong bin are refused, nothing recorded.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "COUNT.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    return cors(Response.json(await submitCount(shop.id, params.location!, params.id!, parsed.data)));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
