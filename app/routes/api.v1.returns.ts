import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { returnRefusal } from "~/.server/returns/http";
import { listReturns } from "~/.server/use-cases/read-returns";
import { requestReturn } from "~/.server/use-cases/request-return";
import { MAX_SKU_LENGTH } from "~/domain/shared/limits";

const body = z
  .object({
    orderId: z.string().min(1).max(64),
    lines: z.array(z.object({ orderLineId: z.string().min(1).max(64), quantity: z.number(), reason: z.string().min(1).max(80), condition: z.string().min(1).max(80).optional(), replacementSku: z.string().min(1).max(MAX_SKU_LENGTH).optional() }).strict()).min(1).max(250),
    note: z.string().max(2000).optional(),
    source: z.enum(["portal", "customer_account", "admin"]).optional(),
  })
  .strict();

const query = z.object({ status: z.string().max(200).optional(), location: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(200).optional() });
const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");

// GET /api/v1/returns?status=approved,in_transit&location=<id>&limit= — the shop's RMAs, newest first (lines, label,
// timeline); with a location and those statuses, what that location should expect (its receiving queue).
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "RETURN.QUERY_INVALID", issues(parsed.error));
    const statuses = parsed.data.status ? parsed.data.status.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
    return cors(Response.json({ returns: await listReturns(shop.id, { statuses, locationId: parsed.data.location, limit: parsed.data.limit }) }));
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /api/v1/returns — { orderId, lines: [{ orderLineId, quantity, reason, condition?, replacementSku? }], note?, source? }:
// 201 with the RMA (number, receiving location, label link); the same order and lines again answer 200 with the same RMA.
// Refused: 400 (shape, unknown line/reason), 404 (no such order), 422 (window, final sale, excluded, too many units).
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "RETURN.INVALID", `Return not requested: ${issues(parsed.error)}`);
    const result = await requestReturn(shop.id, { ...parsed.data, source: parsed.data.source ?? "admin" }, { actor: "api" });
    if (!result.ok) return cors(returnRefusal(result));
    return cors(Response.json({ rma: result.rma, created: result.created }, { status: result.created ? 201 : 200 }));
  } catch (error) {
    return errorResponse(error);
  }
}
