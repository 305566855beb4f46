import type { LoaderFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { partnerDocumentText } from "~/.server/use-cases/read-partner-documents";

// GET /api/v1/partners/:id/documents/:docId.edi — one EDI document of a trading partner (:id = its id or code) as
// the X12 text sent or received, for download (the order page and the partner's documents list use it too).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const { filename, text } = await partnerDocumentText(shop.id, String(params.id ?? "").slice(0, 64), String(params.docId ?? "").slice(0, 64));
    return cors(new Response(text, { headers: { "Content-Type": "application/edi-x12", "Content-Disposition": `attachment; filename="${filename}"` } }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
