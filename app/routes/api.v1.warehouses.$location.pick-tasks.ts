import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { readPickTasks } from "~/.server/use-cases/pick-pack-ship";

// GET /api/v1/warehouses/:location/pick-tasks — open pick tasks, each with its lines in route order (bin, SKU, lot,
// units, picked, short), the next line to pick and the route drawn on the map (mapSvg).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await readPickTasks(shop.id, params.location!)));
  } catch (error) {
    return errorResponse(error);
  }
}
