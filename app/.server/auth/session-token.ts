import { createHmac, timingSafeEqual } from "node:crypto";

// A structural check of a Shopify session token (HS256 JWT): signed with our secret, for our API key.
// Expiry is left to Shopify's library, which answers a stale token on a document load by bouncing
// through App Bridge for a fresh one (what a reloaded iframe needs); a forged token never gets that.

export type TokenCheck = { ok: true; shop: string; expired: boolean } | { ok: false; reason: string };

export function checkSessionToken(token: string, apiKey: string, secret: string, now = Date.now()): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [head, body, signature] = parts;
  let header: { alg?: string };
  let claims: { aud?: string; dest?: string; exp?: number };
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
  const shop = claims.dest?.replace(/^https:\/\//, "") ?? "";
  if (!shop) return { ok: false, reason: "no destination shop" };
  return { ok: true, shop, expired: typeof claims.exp !== "number" || claims.exp * 1000 < now };
}

/** Throws 401 when the request carries a session token (header or id_token) that no clock can make valid. */
export function rejectForgedSessionToken(request: Request, apiKey: string, secret: string): void {
  const header = request.headers.get("authorization");
  const token = header?.startsWith("Bearer ") ? header.slice(7) : new URL(request.url).searchParams.get("id_token");
  if (!token) return;
  const check = checkSessionToken(token, apiKey, secret);
  if (!check.ok) throw new Response(`Invalid session token: ${check.reason}`, { status: 401 });
}
