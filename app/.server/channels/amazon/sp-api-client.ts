import { gunzipSync } from "node:zlib";
import { env } from "../../env";
import { AppError } from "../../errors";

// A small Selling Partner API client (ADR 0011): Login with Amazon refresh-token exchange with the access token
// cached until a minute before it expires, JSON calls with `x-amz-access-token`, and Amazon's failure modes
// handled where they belong: 429 waits by the operation's rate (the `x-amzn-RateLimit-Limit` header) and tries
// again, 5xx and timeouts are retried a few times with backoff, and anything else is an SpApiError the caller
// reads. `fetch` is looked up at each call, never captured.

export interface AmazonCredentials {
  /** Which authorisation this is (the channel id): the access token cache's key. */
  key: string;
  sellerId: string;
  marketplaceId: string;
  refreshToken: string;
}

export class SpApiError extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
    readonly body: unknown,
  ) {
    super(`SP-API ${operation} answered ${status}: ${summarise(body)}`);
    this.name = "SpApiError";
  }
}

function summarise(body: unknown): string {
  const errors = (body as { errors?: { code?: string; message?: string; details?: string }[] } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => `${e.code ?? "Error"}: ${e.message ?? ""}${e.details ? ` (${e.details})` : ""}`).join("; ");
  return typeof body === "string" ? body.slice(0, 300) : JSON.stringify(body ?? null).slice(0, 300);
}

/** Regions by marketplace (Amazon's endpoint table); a marketplace not listed here goes to North America. */
const EU = ["A1RKKUPIHCS9HS", "A1F83G8C2ARO7P", "A13V1IB3VIYZZH", "AMEN7PMS3EDWL", "A1805IZSGTT6HS", "A1PA6795UKMFR9", "APJ6JRA9NG5V4", "A2NODRKZP88ZB9", "AE08WJ6YKNBMC", "A1C3SOZRARQ6R3", "ARBP9OOSHTCHU", "A33AVAJ2PDY3EV", "A17E79C6D8DWNP", "A2VIGQ35RCS4UG", "A21TJRUUN4KGV", "A28R8C7NBKEWEA"];
const FE = ["A19VAU5U5O7RUS", "A39IBJ37TRP1C6", "A1VC38T7YXB528"];

export function spApiEndpoint(marketplaceId: string): string {
  const override = env().AMAZON_SP_API_ENDPOINT;
  if (override) return override.replace(/\/$/, "");
  if (EU.includes(marketplaceId)) return "https://sellingpartnerapi-eu.amazon.com";
  if (FE.includes(marketplaceId)) return "https://sellingpartnerapi-fe.amazon.com";
  return "https://sellingpartnerapi-na.amazon.com";
}

function lwaEndpoint(): string {
  return env().AMAZON_LWA_ENDPOINT?.replace(/\/$/, "") ?? "https://api.amazon.com/auth/o2/token";
}

function appCredentials(): { clientId: string; clientSecret: string } {
  const { AMAZON_LWA_CLIENT_ID: clientId, AMAZON_LWA_CLIENT_SECRET: clientSecret } = env();
  if (!clientId || !clientSecret) throw new AppError("unexpected_state", "AMAZON_NOT_CONFIGURED", "AMAZON_LWA_CLIENT_ID and AMAZON_LWA_CLIENT_SECRET are not set: the app cannot call Amazon.");
  return { clientId, clientSecret };
}

const tokens = new Map<string, { token: string; expiresAt: number }>();
const REQUEST_TIMEOUT_MS = 30_000;

/** An access token for the seller's authorisation: exchanged once, reused until a minute before it expires. */
export async function accessToken(credentials: Pick<AmazonCredentials, "key" | "refreshToken">, opts: { fresh?: boolean } = {}): Promise<string> {
  const cached = tokens.get(credentials.key);
  if (cached && !opts.fresh && cached.expiresAt - 60_000 > Date.now()) return cached.token;
  const { clientId, clientSecret } = appCredentials();
  const response = await fetch(lwaEndpoint(), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: credentials.refreshToken, client_id: clientId, client_secret: clientSecret }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => null)) as { access_token?: string; expires_in?: number; error?: string; error_description?: string } | null;
  if (!response.ok || !body?.access_token) {
    const reason = body?.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ""}` : `HTTP ${response.status}`;
    throw new SpApiError(response.status, "lwa.token", { errors: [{ code: body?.error ?? "LwaError", message: `Login with Amazon refused the seller's authorisation (${reason})` }] });
  }
  tokens.set(credentials.key, { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1_000 });
  return body.access_token;
}

/** Forget a cached token (the seller re-authorised, or the channel was disconnected). */
export function forgetAccessToken(key: string): void {
  tokens.delete(key);
}

export interface CallOptions {
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** How often a 429 is waited out before giving up (default 8). */
  throttleRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * False for a call that must not be applied twice (confirmShipment): a timeout, a reset connection or a 5xx
   * is thrown at once, as the request may have been applied, and the caller reads back before trying again.
   * A 429 is still waited out (Amazon refused it unapplied). Default true.
   */
  repeatable?: boolean;
}

export interface SpApiClient {
  readonly credentials: AmazonCredentials;
  call<T>(operation: string, method: string, path: string, opts?: CallOptions): Promise<T>;
  /** PUT a document to a presigned URL (feed upload). */
  upload(url: string, contentType: string, content: string): Promise<void>;
  /** GET a document from a presigned URL, gunzipped when Amazon says so. */
  download(url: string, compressionAlgorithm?: string): Promise<string>;
  /** The same, as bytes with the Content-Type Amazon gave (a report's text need not be UTF-8). */
  downloadBytes(url: string, compressionAlgorithm?: string): Promise<{ bytes: Buffer; contentType: string | null }>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long to wait after a 429: one request's worth of the operation's rate, at least 250 ms, at most 2 min. */
export function throttleWaitMs(rateLimitHeader: string | null, attempt: number): number {
  const rate = Number(rateLimitHeader);
  const base = Number.isFinite(rate) && rate > 0 ? 1_000 / rate : 1_000 * 2 ** attempt;
  return Math.min(120_000, Math.max(250, Math.ceil(base)));
}

async function downloadBytes(url: string, compressionAlgorithm?: string): Promise<{ bytes: Buffer; contentType: string | null }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (!response.ok) throw new SpApiError(response.status, "document.download", await response.text());
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes: compressionAlgorithm === "GZIP" ? gunzipSync(bytes) : bytes, contentType: response.headers.get("content-type") };
}

export function spApiClient(credentials: AmazonCredentials): SpApiClient {
  const endpoint = spApiEndpoint(credentials.marketplaceId);
  return {
    credentials,
    async call<T>(operation: string, method: string, path: string, opts: CallOptions = {}): Promise<T> {
      const sleep = opts.sleep ?? defaultSleep;
      const url = new URL(endpoint + path);
      for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, Array.isArray(v) ? v.join(",") : v);
      let throttled = 0;
      let failures = 0;
      let refreshed = false;
      for (;;) {
        let response: Response;
        try {
          const token = await accessToken(credentials, { fresh: false });
          response = await fetch(url, {
            method,
            headers: { "x-amz-access-token": token, accept: "application/json", ...(opts.body === undefined ? {} : { "content-type": "application/json" }) },
            body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
        } catch (error) {
          if (error instanceof SpApiError) throw error;
          if (opts.repeatable === false) throw new SpApiError(0, operation, (error as Error).message);
          // A timeout or a reset connection: the request may or may not have been applied. Every call this
          // client makes is safe to repeat (a quantity set, a read, a new document), so try again a little later.
          if (++failures > 3) throw new SpApiError(0, operation, (error as Error).message);
          await sleep(250 * 2 ** failures);
          continue;
        }
        const text = await response.text();
        const body = text ? safeJson(text) : undefined;
        if (response.ok) return body as T;
        if (response.status === 429 && throttled < (opts.throttleRetries ?? 8)) {
          await sleep(throttleWaitMs(response.headers.get("x-amzn-RateLimit-Limit"), throttled++));
          continue;
        }
        if (response.status >= 500 && opts.repeatable !== false && ++failures <= 3) {
          await sleep(250 * 2 ** failures);
          continue;
        }
        if (response.status === 403 && !refreshed) {
          // An access token Amazon no longer takes (revoked, clock skew): exchange again once.
          refreshed = true;
          await accessToken(credentials, { fresh: true });
          continue;
        }
        throw new SpApiError(response.status, operation, body);
      }
    },
    async upload(url, contentType, content) {
      const response = await fetch(url, { method: "PUT", headers: { "content-type": contentType }, body: content, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      if (!response.ok) throw new SpApiError(response.status, "feedDocument.upload", await response.text());
    },
    async download(url, compressionAlgorithm) {
      return (await downloadBytes(url, compressionAlgorithm)).bytes.toString("utf8");
    },
    downloadBytes,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
