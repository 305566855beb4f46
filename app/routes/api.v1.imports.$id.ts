import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { MAX_LINES_PAGE, readImport } from "~/.server/use-cases/read-imports";

const query = z.object({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LINES_PAGE).optional(),
  failed: z.enum(["1", "true", "0", "false"]).optional(),
});

// GET /api/v1/imports/:id?after=&limit=&failed=1 — one import of this shop: status, progress, the orders it stored
// ({ externalId, id }), a page of line results ({ line, ok, message }: after line `after`, `failed=1` the refused
// ones only; `nextAfter` for the next page) and `acknowledgement` (X12: the 997). Another shop's import is 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "QUERY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const { after, limit, failed } = parsed.data;
    return cors(Response.json(await readImport(shop.id, String(params.id ?? ""), { after, limit, failedOnly: failed === "1" || failed === "true" })));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
