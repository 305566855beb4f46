import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed, onlyMethods } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { holdOrReleaseFromApi } from "~/.server/use-cases/order-hold-api";

// POST /api/v1/orders/:id/release — the order's fulfillment hold is released (ADR 0037/0038); in Shopify the app's
// hold goes and the order's current routing is re-applied. 200 with changed: true, or changed: false when it was not
// held; 404 unknown order. No body needed.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    return cors(Response.json(await holdOrReleaseFromApi(shop.id, params.id!, "release", null, { actor: apiActor(caller) })));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
