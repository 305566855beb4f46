import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { labourPeriod, readLabour } from "~/.server/use-cases/labour-report";

// GET /api/v1/warehouses/:location/labour?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the last 7 days) — picks/hour,
// lines/hour, mean pack time and receiving throughput per worker and day, per worker, per day and in total; hours are
// active time (gaps between a worker's scans, each capped at 10 minutes; ADR 0034).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const q = new URL(request.url).searchParams;
    return cors(Response.json(await readLabour(shop.id, params.location!, labourPeriod(q.get("from"), q.get("to")))));
  } catch (error) {
    return errorResponse(error);
  }
}
