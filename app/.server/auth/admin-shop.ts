import { authenticate } from "~/shopify.server";
import { ensureShop, type ShopRow } from "../db/shops";
import { env } from "../env";
import { rejectForgedSessionToken } from "./session-token";

// Every admin page and API call resolves the shop from the verified session, never from a parameter.

/** authenticate.admin, after refusing with 401 tokens no clock makes valid (forged, no expiry, not for a shop). */
export async function authenticateAdmin(request: Request) {
  const config = env();
  rejectForgedSessionToken(request, config.SHOPIFY_API_KEY, config.SHOPIFY_API_SECRET, config.SHOP_CUSTOM_DOMAIN ? [config.SHOP_CUSTOM_DOMAIN] : []);
  return authenticate.admin(request);
}

type AdminContext = Awaited<ReturnType<typeof authenticateAdmin>>;

/** The shop of an admin request, and Shopify's `redirect` (keeps an embedded page's parameters). */
export async function requireAdminShop(request: Request): Promise<{ shop: ShopRow; redirect: AdminContext["redirect"] }> {
  const { session, redirect } = await authenticateAdmin(request);
  const shop = await ensureShop(session.shop);
  return { shop, redirect };
}
