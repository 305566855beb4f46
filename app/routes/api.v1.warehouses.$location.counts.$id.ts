import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { readCount } from "~/.server/use-cases/cycle-counts";

// GET /api/v1/warehouses/:location/counts/:id — one count with its lines (expected, counted, variance) once submitted.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await readCount(shop.id, params.location!, params.id!)));
  } catch (error) {
    return errorResponse(error);
  }
}
