import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { database } from "~/.server/db/database";
import { AppError, errorResponse } from "~/.server/errors";
import { receivingView, scanAtReceiving } from "~/.server/use-cases/scan-receiving";

const body = z
  .object({
    code: z.string().min(1).max(120),
    quantity: z.number().int().min(1).max(100_000).optional(),
    condition: z.enum(["good", "damaged"]).optional(),
    lot: z.string().max(60).optional(),
    expiresAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD").optional(),
    scanId: z.string().min(1).max(80),
    worker: z.string().max(120).optional(),
  })
  .strict();

// GET /api/v1/purchase-orders/:number/scans — the order's receiving: per line ordered, good, damaged, over, short and
// outcome; accuracy (lines received as expected ÷ lines, and units).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await receivingView(database(), shop.id, params.number!)));
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /api/v1/purchase-orders/:number/scans { code (SKU or barcode), quantity? (1), condition? (good), lot?, expiresAt?,
// scanId, worker? } — one scan at receiving. Good units are received into the location's receiving bin; damaged ones are
// recorded only. The same scanId again changes nothing (applied: false). Not on the order: 400; order not open or
// location not managed: 409; unknown order: 404.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "RECEIVING.INVALID", `Scan not recorded: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`);
    const d = parsed.data;
    const result = await scanAtReceiving(shop.id, params.number!, { code: d.code, quantity: d.quantity ?? 1, condition: d.condition ?? "good", lot: d.lot, expiresAt: d.expiresAt ? `${d.expiresAt}T00:00:00.000Z` : null, scanId: d.scanId, worker: d.worker });
    return cors(Response.json(result, { status: result.applied ? 201 : 200 }));
  } catch (error) {
    return errorResponse(error);
  }
}
