import type { Shop } from "@prisma/client";
import { authenticate } from "~/shopify.server";
import { ensureShop } from "../db/shops";

// Every admin page and API call resolves the shop from the verified session, never from a parameter.

export async function requireAdminShop(request: Request): Promise<{ shop: Shop }> {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  return { shop };
}
