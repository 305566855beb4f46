import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { listWarehouseLocations } from "~/.server/use-cases/manage-warehouse";

// GET /api/v1/warehouses — the shop's locations and which are managed by the warehouse module (ADR 0029).
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json({ locations: await listWarehouseLocations(shop.id) }));
  } catch (error) {
    return errorResponse(error);
  }
}
