// POST /admin/oauth/access_token — Shopify's token exchange (session token → offline or online
// access token, optionally expiring with a refresh token) and refresh_token grants.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseFormOrJson, readBody, sendJson, shopFromRequest } from "./http-util";
import { verifySessionToken } from "./session-token";
import type { SandboxStore } from "./store";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
/** Lifetimes Shopify uses for expiring offline tokens (1 h) and their refresh tokens (90 days), and online tokens (~1 day). */
export const EXPIRING_TOKEN_SEC = 3600;
export const REFRESH_TOKEN_SEC = 90 * 24 * 3600;
export const ONLINE_TOKEN_SEC = 86399;

export interface TokenExchangeOptions { store: SandboxStore; apiKey: string; apiSecret: string; scopes: string }

export function createTokenExchangeHandler(opts: TokenExchangeOptions) {
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
    sendJson(res, status, { error, error_description: description });

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const shopDomain = shopFromRequest(req);
    const shop = shopDomain ? opts.store.findShop(shopDomain) : undefined;
    if (!shop) return sendJson(res, 404, { errors: "Not Found" });
    if (req.method !== "POST") return sendJson(res, 405, { errors: "Method Not Allowed" });
    const body = parseFormOrJson(req, await readBody(req));
    if (!body) return oauthError(res, 400, "invalid_request", "The request body could not be parsed.");
    const param = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
    if (param("client_id") !== opts.apiKey || param("client_secret") !== opts.apiSecret) {
      return oauthError(res, 401, "invalid_client", "Client authentication failed: the client_id or client_secret is invalid.");
    }

    if (param("grant_type") === "refresh_token") {
      const old = [...opts.store.tokens.values()].find((t) => t.refreshToken === param("refresh_token") && t.shop === shop.domain);
      if (!old || (old.refreshExpiresAt !== null && old.refreshExpiresAt <= opts.store.now().getTime())) {
        return oauthError(res, 400, "invalid_grant", "The refresh token is invalid or expired.");
      }
      opts.store.revokeToken(old.token); // refreshing rotates both tokens
      const fresh = opts.store.issueToken(shop.domain, { scope: old.scope, expiresInSec: EXPIRING_TOKEN_SEC, refreshInSec: REFRESH_TOKEN_SEC });
      return sendJson(res, 200, {
        access_token: fresh.token, expires_in: EXPIRING_TOKEN_SEC, refresh_token: fresh.refreshToken,
        refresh_token_expires_in: REFRESH_TOKEN_SEC, scope: fresh.scope,
      });
    }

    if (param("grant_type") !== TOKEN_EXCHANGE_GRANT) {
      return oauthError(res, 400, "unsupported_grant_type", "The grant type is not supported.");
    }
    if (param("subject_token_type") !== ID_TOKEN_TYPE) {
      return oauthError(res, 400, "invalid_subject_token_type", "The subject token type is not supported.");
    }
    const verified = verifySessionToken(param("subject_token"), opts, { now: opts.store.now(), shop: shop.domain });
    if (!verified.ok) {
      return oauthError(res, 400, "invalid_subject_token", "Token exchange cannot be performed due to an invalid subject token.");
    }
    const requested = param("requested_token_type") || OFFLINE_TOKEN_TYPE;
    if (requested === ONLINE_TOKEN_TYPE) {
      const userId = Number(verified.claims.sub);
      const token = opts.store.issueToken(shop.domain, { kind: "online", scope: opts.scopes, expiresInSec: ONLINE_TOKEN_SEC, userId });
      return sendJson(res, 200, {
        access_token: token.token, scope: opts.scopes, expires_in: ONLINE_TOKEN_SEC, associated_user_scope: opts.scopes,
        session: verified.claims.sid,
        associated_user: {
          id: userId, first_name: "Sandbox", last_name: `Staff ${userId}`, email: `staff${userId}@${shop.domain.replace(".myshopify.com", "")}.example`,
          account_owner: userId === 1, locale: "en", collaborator: false, email_verified: true,
        },
      });
    }
    if (requested !== OFFLINE_TOKEN_TYPE) {
      return oauthError(res, 400, "invalid_request", "The requested token type is not supported.");
    }
    const expiring = param("expiring") === "1" || body.expiring === 1 || body.expiring === true;
    const token = opts.store.issueToken(shop.domain, {
      scope: opts.scopes, expiresInSec: expiring ? EXPIRING_TOKEN_SEC : null, refreshInSec: expiring ? REFRESH_TOKEN_SEC : null,
    });
    if (!expiring) return sendJson(res, 200, { access_token: token.token, scope: opts.scopes });
    return sendJson(res, 200, {
      access_token: token.token, expires_in: EXPIRING_TOKEN_SEC, refresh_token: token.refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_SEC, scope: opts.scopes,
    });
  };
}
