import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { supplierAccuracy } from "~/.server/use-cases/scan-receiving";

// GET /api/v1/receiving-accuracy?supplier=NAME — a supplier's receiving accuracy over its scanned purchase orders.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const supplier = new URL(request.url).searchParams.get("supplier");
    if (!supplier || supplier.length > 200) throw new AppError("invalid_data", "RECEIVING.SUPPLIER_REQUIRED", "Name the supplier: ?supplier=NAME (at most 200 characters)");
    return cors(Response.json(await supplierAccuracy(shop.id, supplier)));
  } catch (error) {
    return errorResponse(error);
  }
}
