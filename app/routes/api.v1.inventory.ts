import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { readSkuStock } from "~/.server/use-cases/read-channel-stock";
import { MAX_SKU_LENGTH } from "~/domain/shared/limits";

// GET /api/v1/inventory?sku= — one SKU: on hand / reserved / safety / incoming / available per location, and
// available-to-sell per channel with its buffer and how each figure was reached.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const sku = new URL(request.url).searchParams.get("sku");
    if (!sku || sku.length > MAX_SKU_LENGTH) throw new AppError("invalid_data", "INVENTORY.SKU_REQUIRED", `sku: a SKU of 1 to ${MAX_SKU_LENGTH} characters is required`);
    return cors(Response.json(await readSkuStock(shop.id, sku)));
  } catch (error) {
    return errorResponse(error);
  }
}
