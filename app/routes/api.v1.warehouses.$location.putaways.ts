import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { readPutaways } from "~/.server/use-cases/confirm-putaway";

// GET /api/v1/warehouses/:location/putaways — open putaways (SKU, lot, units, the bin to take them to) and recent done ones.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await readPutaways(shop.id, params.location!)));
  } catch (error) {
    return errorResponse(error);
  }
}
