import type { LoaderFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { priceListOf } from "~/.server/use-cases/partner-price-lists";

// GET /api/v1/partners/:id/items.csv — a trading partner's items (sku, buyer_part_number, unit_price) as the CSV a
// price list is uploaded as on the Channels page (ADR 0018).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const { filename, text } = await priceListOf(shop.id, String(params.id ?? "").slice(0, 64));
    return cors(new Response(text, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"` } }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
