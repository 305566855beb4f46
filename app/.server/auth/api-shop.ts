import { authenticateAdmin } from "./admin-shop";
import { database } from "../db/database";
import { findShopByDomain, type ShopRow } from "../db/shops";

// /api/v1: a Shopify session token in `Authorization: Bearer`, validated exactly as App Bridge requests
// are (signature with the app secret, audience = our API key, expiry). The shop comes from the token.

export async function requireApiShop(request: Request): Promise<{ shop: ShopRow; cors: (r: Response) => Response }> {
  if (!request.headers.get("authorization")?.startsWith("Bearer ")) {
    throw Response.json({ error: { type: "not_allowed", code: "AUTH.MISSING_TOKEN", message: "Send a Shopify session token as Authorization: Bearer <token>." } }, { status: 401 });
  }
  const { session, cors } = await authenticateAdmin(request);
  const shop = await findShopByDomain(database(), session.shop);
  // Only an installed shop reads or writes through the API (an uninstalled shop's token is refused too).
  if (!shop || shop.status !== "installed") throw Response.json({ error: { type: "not_found", code: "SHOP.NOT_INSTALLED", message: "This shop has no data here yet." } }, { status: 404 });
  return { shop, cors };
}
