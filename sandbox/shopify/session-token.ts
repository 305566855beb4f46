// Shopify session tokens (the id_token App Bridge hands the embedded app): HS256 JWTs signed with
// the app secret. Minting for the stand-in admin and tests (including deliberately bad ones),
// and verifying for the token-exchange endpoint. node:crypto only.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export interface SessionTokenClaims {
  iss: string; dest: string; aud: string; sub: string; exp: number; nbf: number; iat: number; jti: string; sid: string;
}

export interface MintSessionTokenOptions {
  /** Staff user id (the `sub` claim); default 1. */
  userId?: number | string;
  sid?: string;
  now?: Date;
  /** Lifetime in seconds; default 60 as Shopify's. */
  ttlSec?: number;
  // Deliberately bad tokens, for tests:
  audience?: string; // wrong aud
  expired?: boolean; // exp already in the past
  secret?: string; // signed with another secret
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function mintSessionToken(app: { apiKey: string; apiSecret: string }, shop: string, opts: MintSessionTokenOptions = {}): string {
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const ttl = opts.ttlSec ?? 60;
  const claims: SessionTokenClaims = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: opts.audience ?? app.apiKey,
    sub: String(opts.userId ?? 1),
    exp: opts.expired ? now - 120 : now + ttl,
    nbf: opts.expired ? now - 120 - ttl : now,
    iat: opts.expired ? now - 120 - ttl : now,
    jti: randomUUID(),
    sid: opts.sid ?? randomUUID().replace(/-/g, ""),
  };
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", opts.secret ?? app.apiSecret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

export type VerifyResult = { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string };

/** Checks signature, alg, audience, exp/nbf (with Shopify's 10 s leeway) and that iss and dest name the same shop. */
export function verifySessionToken(
  token: string, app: { apiKey: string; apiSecret: string }, opts: { now?: Date; shop?: string } = {},
): VerifyResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  const [head, body, signature] = parts;
  let header: { alg?: string };
  let claims: SessionTokenClaims;
  try {
    header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  if (header.alg !== "HS256") return { ok: false, reason: "unexpected algorithm" };
  const expected = createHmac("sha256", app.apiSecret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad signature" };
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const leeway = 10;
  if (claims.aud !== app.apiKey) return { ok: false, reason: "wrong audience" };
  if (typeof claims.exp !== "number" || claims.exp + leeway < now) return { ok: false, reason: "expired" };
  if (typeof claims.nbf === "number" && claims.nbf - leeway > now) return { ok: false, reason: "not yet valid" };
  const destShop = /^https:\/\/([^/]+)$/.exec(claims.dest ?? "")?.[1];
  if (!destShop || claims.iss !== `https://${destShop}/admin`) return { ok: false, reason: "iss and dest disagree" };
  if (opts.shop && destShop !== opts.shop) return { ok: false, reason: "dest is another shop" };
  return { ok: true, claims };
}
