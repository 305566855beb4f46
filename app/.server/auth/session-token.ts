import { createHmac, timingSafeEqual } from "node:crypto";

// A structural check of a Shopify session token (HS256 JWT): signed with our secret, for our API key, with an
// expiry, for a shop (`dest` a shop domain, `iss` that shop's admin). Expiry itself is left to Shopify's
// library, which answers a stale token on a document load by bouncing through App Bridge for a fresh one
// (what a reloaded iframe needs); a token that no clock can make valid never gets that.

export type TokenCheck = { ok: true; shop: string; expired: boolean } | { ok: false; reason: string };

/** Shopify's shop domains (as its library accepts them): one label, then one of these. */
const SHOP_DOMAINS = ["myshopify.com", "shopify.com", "myshopify.io", "shop.dev"];

/** A shop's domain (my-shop.myshopify.com), also under a configured custom domain (SHOP_CUSTOM_DOMAIN). */
export function isShopDomain(host: string, extraDomains: readonly string[] = []): boolean {
  const dot = host.indexOf(".");
  if (dot <= 0 || !/^[a-zA-Z0-9][a-zA-Z0-9-_]*$/.test(host.slice(0, dot))) return false;
  const domain = host.slice(dot + 1).toLowerCase();
  return SHOP_DOMAINS.includes(domain) || extraDomains.some((d) => d.toLowerCase() === domain);
}

export function checkSessionToken(token: string, apiKey: string, secret: string, now = Date.now(), extraDomains: readonly string[] = []): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [head, body, signature] = parts;
  let header: { alg?: string };
  let claims: { aud?: unknown; dest?: unknown; iss?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "unreadable token" };
  }
  if (header.alg !== "HS256") return { ok: false, reason: "unexpected algorithm" };
  const expected = createHmac("sha256", secret).update(`${head}.${body}`).digest();
  const received = Buffer.from(signature, "base64url");
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) return { ok: false, reason: "bad signature" };
  if (claims.aud !== apiKey) return { ok: false, reason: "wrong audience" };
  if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp)) return { ok: false, reason: "no expiry" };
  const shop = typeof claims.dest === "string" ? /^https:\/\/([^/?#]+)$/.exec(claims.dest)?.[1] : undefined;
  if (!shop) return { ok: false, reason: "no destination shop" };
  if (!isShopDomain(shop, extraDomains)) return { ok: false, reason: "destination is not a shop domain" };
  if (claims.iss !== `https://${shop}/admin`) return { ok: false, reason: "iss and dest disagree" };
  return { ok: true, shop, expired: claims.exp * 1000 < now };
}

/** Throws 401 when the request carries a session token (header or id_token) that no clock can make valid. */
export function rejectForgedSessionToken(request: Request, apiKey: string, secret: string, extraDomains: readonly string[] = []): void {
  const header = request.headers.get("authorization");
  const token = header?.startsWith("Bearer ") ? header.slice(7) : new URL(request.url).searchParams.get("id_token");
  if (!token) return;
  const check = checkSessionToken(token, apiKey, secret, Date.now(), extraDomains);
  if (!check.ok) throw new Response(`Invalid session token: ${check.reason}`, { status: 401 });
}
