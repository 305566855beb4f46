import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { holdOrReleaseFromApi } from "~/.server/use-cases/order-hold-api";

// POST /api/v1/orders/:id/hold — body { "reason": "…" } (required, ≤ 200 characters): the order's fulfillment is held
// (ADR 0037/0038): not released into a pick wave, its Shopify fulfillment orders carry the app's hold. 200 with
// changed: true, or changed: false when it was held already; 404 unknown order; 409 shipped/cancelled; 400 no reason.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    return cors(Response.json(await holdOrReleaseFromApi(shop.id, params.id!, "hold", await readJsonBody(request), { actor: apiActor(caller) })));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
