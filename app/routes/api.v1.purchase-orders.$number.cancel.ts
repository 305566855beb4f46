import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed, onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { changePurchaseOrderStatus } from "~/.server/use-cases/change-purchase-order-status";

// POST /api/v1/purchase-orders/:number/cancel — the order is cancelled: what is still to come is no longer incoming (what was received stays).
// Asked again, it answers 200 with changed: false; a received order answers 409; an unknown number, 404.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await changePurchaseOrderStatus(shop.id, params.number!, "cancel")));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
