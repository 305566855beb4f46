import { errors, jwtVerify } from "jose";

// Requests from the customer-account UI extension (extensions/order-status-journey, ADR 0028) carry the session
// token Shopify gives the extension (`shopify.sessionToken.get()`) as a Bearer token: a JWT signed HS256 with the
// app's secret, `aud` our API key, `dest` the shop's domain, `sub` the signed-in customer's GID, `exp`/`nbf`
// a few minutes apart. Verified with jose (the library @shopify/shopify-api verifies admin session tokens with),
// allowing the same 10 s of clock skew. Anything wrong is one answer: not a session of this app.

export type CustomerSession = { ok: true; shopDomain: string; customerId: string | null } | { ok: false; reason: string };

/** Seconds of clock difference tolerated on `exp` and `nbf` (as @shopify/shopify-api does for admin tokens). */
export const SESSION_TOKEN_LEEWAY_S = 10;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d{1,20})$/;

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header.trim());
  return match ? match[1] : null;
}

export async function verifyCustomerSessionToken(token: string | null, app: { apiKey: string; apiSecret: string }, now = new Date()): Promise<CustomerSession> {
  if (!token) return { ok: false, reason: "no session token" };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(app.apiSecret), {
      algorithms: ["HS256"],
      audience: app.apiKey,
      clockTolerance: SESSION_TOKEN_LEEWAY_S,
      currentDate: now,
      requiredClaims: ["exp", "nbf", "dest"],
    }));
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JOSEError ? error.code : "malformed token" };
  }
  // Customer-account tokens name the shop bare (shop.myshopify.com); admin ones as https://shop.myshopify.com.
  const dest = typeof payload.dest === "string" ? payload.dest.replace(/^https:\/\//, "") : "";
  if (!SHOP_DOMAIN.test(dest)) return { ok: false, reason: "dest is not a shop" };
  const sub = typeof payload.sub === "string" ? CUSTOMER_GID.exec(payload.sub) : null;
  return { ok: true, shopDomain: dest.toLowerCase(), customerId: sub ? sub[1] : null };
}
