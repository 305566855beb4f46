import { env } from "../env";
import { bearerToken, verifyCustomerSessionToken, type CustomerSession } from "../shopify/verify-customer-session-token";

// HTTP for the customer-account extension's requests (ADR 0028). The extension runs in a web worker on an origin
// Shopify does not promise (it may change without notice), so every answer — refusals too, so the extension can
// read their status — allows any origin; nothing rides on cookies: the caller is who its Bearer session token says.

export const CUSTOMER_ACCOUNT_CORS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Max-Age": "7200",
  Vary: "Origin",
};

export function customerAccountJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...CUSTOMER_ACCOUNT_CORS, "Cache-Control": "no-store", ...headers } });
}

/** The answer to a CORS preflight (OPTIONS). */
export function customerAccountPreflight(): Response {
  return new Response(null, { status: 204, headers: CUSTOMER_ACCOUNT_CORS });
}

/** 405 for a method the route does not take, with CORS so the extension sees it. */
export function customerAccountMethodNotAllowed(allowed: readonly string[]): Response {
  const allow = [...allowed, "OPTIONS"].join(", ");
  return customerAccountJson({ error: { type: "not_allowed", code: "METHOD.NOT_ALLOWED", message: `This endpoint answers ${allow} only.` } }, 405, { Allow: allow });
}

/** One answer for a missing, forged, expired or foreign token: nothing says which. */
export const SESSION_REFUSED = () =>
  customerAccountJson({ error: { type: "not_allowed", code: "SESSION.INVALID", message: "Your session could not be verified: reload the page or sign in again." } }, 401);

/** One answer for an order this customer may not see: unknown, another customer's, another shop's. */
export const ORDER_NOT_FOUND = () => customerAccountJson({ error: { type: "not_found", code: "ORDER.NOT_FOUND", message: "We could not find this order." } }, 404);

/** The verified session of the request, or the 401 to answer. */
export async function customerSession(request: Request): Promise<Extract<CustomerSession, { ok: true }> | Response> {
  const config = env();
  const session = await verifyCustomerSessionToken(bearerToken(request), { apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET });
  return session.ok ? session : SESSION_REFUSED();
}
