import type { LoaderFunctionArgs } from "@remix-run/node";
import { serializeShop } from "~/.server/api/serialize";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";

export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json({ shop: serializeShop(shop) }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);
