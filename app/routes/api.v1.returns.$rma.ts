import type { LoaderFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { getReturn } from "~/.server/use-cases/read-returns";

// GET /api/v1/returns/:rma — one RMA: lines, statuses, receiving location, label link, exchange, timeline. Another shop's: 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json({ rma: await getReturn(shop.id, String(params.rma ?? "")) }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
