import { createHmac, timingSafeEqual } from "node:crypto";

// Requests Shopify forwards through the app proxy (https://{shop}/apps/{subpath}/…) carry `shop`, `path_prefix`,
// `timestamp`, `logged_in_customer_id` and `signature`: the hex HMAC-SHA256, with the app's secret, of every other
// query parameter as `key=value` (several values of one key joined by commas), sorted by key and concatenated with
// no separator. A request whose signature does not match, or whose timestamp is too far from now (a replayed
// link), did not come through Shopify for this app.

export type AppProxyCheck = { ok: true; shopDomain: string; customerId: string | null } | { ok: false; reason: string };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;
/** How far a request's timestamp may be from now. */
export const APP_PROXY_MAX_AGE_S = 900;

/** The string Shopify signs: `key=value` pairs of every parameter but `signature`, sorted by key, no separator. */
export function appProxyMessage(params: URLSearchParams): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return [...values.keys()].sort().map((key) => `${key}=${values.get(key)!.join(",")}`).join("");
}

export function signAppProxy(params: URLSearchParams, secret: string): string {
  return createHmac("sha256", secret).update(appProxyMessage(params)).digest("hex");
}

export function verifyAppProxy(params: URLSearchParams, secret: string, now = new Date()): AppProxyCheck {
  const signature = params.get("signature");
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return { ok: false, reason: "missing or malformed signature" };
  const expected = Buffer.from(signAppProxy(params, secret), "hex");
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature does not match" };
  const shop = params.get("shop") ?? "";
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, reason: "missing or invalid shop" };
  const timestamp = Number(params.get("timestamp"));
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > APP_PROXY_MAX_AGE_S) return { ok: false, reason: "timestamp missing or too far from now" };
  const customer = params.get("logged_in_customer_id");
  return { ok: true, shopDomain: shop.toLowerCase(), customerId: customer && /^\d+$/.test(customer) ? customer : null };
}
