// Login with Amazon: `POST /auth/o2/token` trades the app's refresh token (+ client id/secret) for an access
// token that lives 3600 s by the sandbox clock; every SP-API call must carry a live one in
// `x-amz-access-token`, else 403 in Amazon's ErrorList shape.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorList, readBody, sendJson, type AmazonError } from "./http";

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  /** The refresh token(s) the seller authorised the app with. */
  refreshToken: string | string[];
}

export const ACCESS_TOKEN_TTL_SECONDS = 3600;

export class LwaTokens {
  private readonly tokens = new Map<string, { expiresAt: number }>();
  /** Token requests answered, successful or not (what a caching test asserts on). */
  exchanges = 0;

  constructor(
    readonly credentials: LwaCredentials,
    private readonly now: () => number,
  ) {}

  /** Mints an access token directly (skipping the exchange). */
  issue(ttlSeconds = ACCESS_TOKEN_TTL_SECONDS): string {
    const token = `Atza|${randomBytes(48).toString("base64url")}`;
    this.tokens.set(token, { expiresAt: this.now() + ttlSeconds * 1000 });
    return token;
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  /** undefined when the header holds a live token; else the 403 error Amazon returns. */
  check(header: string | string[] | undefined): AmazonError | undefined {
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) return { code: "Unauthorized", message: "Access to requested resource is denied.", details: "" };
    const entry = this.tokens.get(token);
    if (!entry) return { code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided is revoked, malformed or invalid." };
    if (this.now() >= entry.expiresAt) return { code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." };
    return undefined;
  }

  private refreshTokens(): string[] {
    const r = this.credentials.refreshToken;
    return Array.isArray(r) ? r : [r];
  }

  /** The exchange itself (form fields in, status + body out), kept free of HTTP for unit tests. */
  exchange(form: URLSearchParams): { status: number; body: Record<string, unknown> } {
    this.exchanges += 1;
    const grantType = form.get("grant_type");
    const fail = (error: string, description: string) => ({ status: 400, body: { error, error_description: description } });
    if (!grantType) return fail("invalid_request", "The request is missing a required parameter : grant_type");
    if (grantType !== "refresh_token") return fail("unsupported_grant_type", `The authorization grant type is not supported by the sandbox: ${grantType}`);
    for (const field of ["refresh_token", "client_id", "client_secret"]) {
      if (!form.get(field)) return fail("invalid_request", `The request is missing a required parameter : ${field}`);
    }
    if (form.get("client_id") !== this.credentials.clientId || form.get("client_secret") !== this.credentials.clientSecret) {
      return fail("invalid_client", "Client authentication failed");
    }
    const refreshToken = form.get("refresh_token")!;
    if (!this.refreshTokens().includes(refreshToken)) return fail("invalid_grant", "The request has an invalid grant parameter : refresh_token");
    return {
      status: 200,
      body: { access_token: this.issue(), refresh_token: refreshToken, token_type: "bearer", expires_in: ACCESS_TOKEN_TTL_SECONDS },
    };
  }
}

export function createLwaHandler(tokens: LwaTokens) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST") return sendJson(res, 405, { error: "invalid_request", error_description: "Use POST" });
    const type = String(req.headers["content-type"] ?? "");
    const body = await readBody(req, 64 * 1024);
    if (!type.includes("application/x-www-form-urlencoded")) {
      return sendJson(res, 400, { error: "invalid_request", error_description: "Content-Type must be application/x-www-form-urlencoded" });
    }
    const result = tokens.exchange(new URLSearchParams(body));
    sendJson(res, result.status, result.body, { "Cache-Control": "no-store" });
  };
}

/** The SP-API 403 body for a failed token check. */
export function unauthorizedBody(error: AmazonError) {
  return errorList(error.code, error.message, error.details);
}
