import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { readWarehouse } from "~/.server/use-cases/manage-warehouse";

// GET /api/v1/warehouses/:location/bins — every bin (code, zone, aisle, bay, level, side, yM, capacity, used) with its
// stock per SKU and lot, and per SKU the location's on hand against the sum of its bins (`agrees`).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await readWarehouse(shop.id, params.location!)));
  } catch (error) {
    return errorResponse(error);
  }
}
