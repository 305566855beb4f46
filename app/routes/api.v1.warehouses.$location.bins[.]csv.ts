import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed, onlyMethods, readBodyWithin } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { importBinsCsv } from "~/.server/use-cases/manage-warehouse";

const MAX_BYTES = 2 * 1024 * 1024;

// POST /api/v1/warehouses/:location/bins.csv — CSV with header bin,zone,yM,capacity: bins added or updated by code.
// 200 { imported } when every row is good; otherwise 422 with every bad row and its file line, nothing imported.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const raw = await readBodyWithin(request, MAX_BYTES);
    if (raw === null) throw new AppError("invalid_data", "WAREHOUSE.CSV_TOO_LARGE", `A bin file is at most ${MAX_BYTES} bytes`);
    const result = await importBinsCsv(shop.id, params.location!, raw.toString("utf8"));
    if (result.errors.length > 0) {
      return cors(Response.json({ error: { type: "invalid_data", code: "WAREHOUSE.CSV_ROWS_INVALID", message: `${result.errors.length} bad row(s); nothing was imported`, details: { errors: result.errors } } }, { status: 422 }));
    }
    return cors(Response.json(result));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
