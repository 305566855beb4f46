import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { MAX_DOCUMENTS_PAGE, partnerDocuments } from "~/.server/use-cases/read-partner-documents";

const query = z.object({ limit: z.coerce.number().int().min(1).max(MAX_DOCUMENTS_PAGE).optional() });

// GET /api/v1/partners/:id/documents?limit= — the EDI documents kept for a trading partner (:id = its id or code),
// newest first: { id, type, direction, documentKey, orderId, controlNumber, createdAt, filename }. The text of one is
// GET /api/v1/partners/:id/documents/:docId.edi (ADR 0022). Another shop's partner is 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "QUERY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const { partner, documents } = await partnerDocuments(shop.id, String(params.id ?? "").slice(0, 64), { take: parsed.data.limit });
    return cors(Response.json({ partner, documents }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
