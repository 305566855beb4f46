import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { openCountsByHand, readCountQueue } from "~/.server/use-cases/cycle-counts";

// GET /api/v1/warehouses/:location/counts — the cycle counts: open tasks, counts awaiting approval (with expected,
// counted and variance per SKU and lot) and the last decided ones (ADR 0034).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await readCountQueue(shop.id, params.location!)));
  } catch (error) {
    return errorResponse(error);
  }
}

const body = z.object({ bin: z.string().min(1).max(60).optional(), sku: z.string().min(1).max(255).optional(), sourceKey: z.string().min(1).max(200), worker: z.string().max(120).optional() }).strict();

// POST /api/v1/warehouses/:location/counts { bin? | sku?, sourceKey, worker? } — opens a count of the bin, or of every
// bin holding the SKU. The same sourceKey for the same bin opens nothing new (created: 0, the same ids).
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "COUNT.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    const result = await openCountsByHand(shop.id, params.location!, parsed.data);
    return cors(Response.json(result, { status: result.created > 0 ? 201 : 200 }));
  } catch (error) {
    return errorResponse(error);
  }
}
