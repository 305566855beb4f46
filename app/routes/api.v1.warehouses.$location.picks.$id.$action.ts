import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { confirmPick, reportShortPick } from "~/.server/use-cases/pick-pack-ship";

const scanId = z.string().min(1).max(80);
const worker = z.string().min(1).max(80).optional();
const confirmBody = z.object({ bin: z.string().min(1).max(40), code: z.string().min(1).max(120), quantity: z.number().int().min(1).optional(), scanId, worker }).strict();
const shortBody = z.object({ bin: z.string().min(1).max(40), found: z.number().int().min(0), scanId, worker }).strict();

// POST /api/v1/warehouses/:location/picks/:id/confirm { bin, code, quantity?, scanId, worker? } — a pick confirmed by
// scanning the bin then the SKU: units move from the bin to the staging bin, once per scan id (applied: false again).
// Wrong bin, wrong SKU or more than the line needs: 409 with the reason, nothing changed.
// POST /api/v1/warehouses/:location/picks/:id/short { bin, found, scanId, worker? } — fewer units in the bin: what
// was found is picked, the rest is re-routed (or backordered), a count of the bin is requested (ADR 0033).
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    const raw = await readJsonBody(request);
    if (params.action === "confirm") {
      const parsed = confirmBody.safeParse(raw);
      if (!parsed.success) throw invalid(parsed.error);
      return cors(Response.json(await confirmPick(shop.id, params.location!, params.id!, parsed.data)));
    }
    if (params.action === "short") {
      const parsed = shortBody.safeParse(raw);
      if (!parsed.success) throw invalid(parsed.error);
      return cors(Response.json(await reportShortPick(shop.id, params.location!, params.id!, parsed.data, { actor: apiActor(caller) })));
    }
    throw new AppError("not_found", "PICK.UNKNOWN_ACTION", `No pick action ${JSON.stringify(params.action)}: use confirm or short`);
  } catch (error) {
    return errorResponse(error);
  }
}

function invalid(error: z.ZodError): AppError {
  return new AppError("invalid_data", "PICK.INVALID", error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
}

export const loader = onlyMethods(["POST"]);
