import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { ordersCsv } from "~/.server/use-cases/export-orders-csv";
import { ORDER_STATUSES } from "~/domain/orders/status-machine";

const query = z
  .object({
    channel: z.enum(["shopify", "amazon", "wholesale", "manual"]).optional(),
    externalId: z.string().min(1).max(64).optional(),
    status: z.enum(ORDER_STATUSES).optional(),
  })
  .strict();

// GET /api/v1/orders.csv?channel=&externalId=&status= — the shop's orders (newest first) as CSV for a spreadsheet:
// one row per order line with the order's columns repeated, prices as decimals, where each line's units are held.
// Streamed a page at a time; the filters are GET /api/v1/orders's, plus status. A read-scoped API key will do.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "QUERY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; "));
    const { channel, externalId, status } = parsed.data;
    const { filename, stream } = ordersCsv(shop.id, { channelKind: channel, externalId, status });
    return cors(new Response(stream, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" } }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
