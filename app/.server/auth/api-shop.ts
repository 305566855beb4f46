import { looksLikeApiKey } from "~/domain/api/api-key";
import { authenticateAdmin } from "./admin-shop";
import { authenticateApiKey, type ApiKeyCaller } from "./api-key-auth";
import { database } from "../db/database";
import { findShopByDomain, type ShopRow } from "../db/shops";

// /api/v1: `Authorization: Bearer` carries either an API key made in Settings (`oms_…`, ADR 0014) or a Shopify
// session token, validated exactly as App Bridge requests are (signature with the app secret, audience = our
// API key, expiry). Either way the shop comes from the credential, never from the request.

export interface ApiShop {
  shop: ShopRow;
  cors: (r: Response) => Response;
  /** Who calls: the admin (session token) or an integration (its API key), e.g. for the audit trail. */
  caller: { kind: "session" } | ({ kind: "api_key" } & ApiKeyCaller);
}

const noCors = (r: Response) => r;

export async function requireApiShop(request: Request): Promise<ApiShop> {
  const header = request.headers.get("authorization");
  if (!header?.startsWith("Bearer ")) {
    throw Response.json({ error: { type: "not_allowed", code: "AUTH.MISSING_TOKEN", message: "Send an API key or a Shopify session token as Authorization: Bearer <token>." } }, { status: 401 });
  }
  const token = header.slice(7).trim();
  if (looksLikeApiKey(token)) {
    // Server-to-server: no browser origin to answer CORS for.
    const { shop, caller } = await authenticateApiKey(request, token);
    return { shop, cors: noCors, caller: { kind: "api_key", ...caller } };
  }
  const { session, cors } = await authenticateAdmin(request);
  const shop = await findShopByDomain(database(), session.shop);
  // Only an installed shop reads or writes through the API (an uninstalled shop's token is refused too).
  if (!shop || shop.status !== "installed") throw Response.json({ error: { type: "not_found", code: "SHOP.NOT_INSTALLED", message: "This shop has no data here yet." } }, { status: 404 });
  return { shop, cors, caller: { kind: "session" } };
}

/** The audit trail's actor for an API caller. */
export function apiActor(caller: ApiShop["caller"]): string {
  return caller.kind === "api_key" ? `api_key:${caller.prefix}` : "api";
}
