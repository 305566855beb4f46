import type { LoaderFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { importLinesCsv } from "~/.server/use-cases/read-imports";

// GET /api/v1/imports/:id/lines.csv[?failed=1] — every line's result (line, ok, message, order) as CSV, for a
// spreadsheet: what was taken in, what was not and why.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const failed = new URL(request.url).searchParams.get("failed");
    const { filename, stream } = await importLinesCsv(shop.id, String(params.id ?? ""), { failedOnly: failed === "1" || failed === "true" });
    return cors(new Response(stream, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"` } }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
