import type { LoaderFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { importTemplate } from "~/.server/use-cases/import-templates";

// GET /api/v1/imports/templates/csv-po.csv[?partner=<id or code>] — a format's template: its header and two example
// lines with the shop's SKUs (ADR 0018).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const partner = new URL(request.url).searchParams.get("partner");
    const template = await importTemplate(shop.id, String(params.file ?? ""), partner ? partner.slice(0, 64) : null);
    return cors(new Response(template.text, { headers: { "Content-Type": template.contentType, "Content-Disposition": `attachment; filename="${template.filename}"` } }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
