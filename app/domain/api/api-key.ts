// API keys for ERPs and integrations (ADR 0014). Pure rules: what a key's text looks like, what a scope lets a
// request do, and when a key's use is worth writing down. Generating, hashing and storing keys is app/.server's.

/** Every key starts so: a bearer that does is taken for an API key (anything else is a Shopify session token). */
export const API_KEY_MARK = "oms_";

/** The prefix: 12 hex characters (48 random bits), stored in clear to find the key and to name it in Settings. */
const PREFIX = /^[0-9a-f]{12}$/;
/** The secret: 32 random bytes as base64url (43 characters, no padding). */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export const API_KEY_SCOPES = ["read", "write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export type ParsedApiKey = { ok: true; prefix: string; secret: string } | { ok: false; reason: string };

/** True when a bearer token claims to be one of our keys (it is then checked as one, never as a session token). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_MARK);
}

/** The full text of a key: `oms_<prefix>_<secret>`. */
export function formatApiKey(prefix: string, secret: string): string {
  return `${API_KEY_MARK}${prefix}_${secret}`;
}

/** A key's text split into its prefix and secret, or why it is not one (the secret may itself hold `_`). */
export function parseApiKey(text: string): ParsedApiKey {
  if (!looksLikeApiKey(text)) return { ok: false, reason: `does not start with ${API_KEY_MARK}` };
  const rest = text.slice(API_KEY_MARK.length);
  const cut = rest.indexOf("_");
  if (cut < 0) return { ok: false, reason: "no secret after the prefix" };
  const prefix = rest.slice(0, cut);
  const secret = rest.slice(cut + 1);
  if (!PREFIX.test(prefix)) return { ok: false, reason: "the prefix is not 12 hex characters" };
  if (!SECRET.test(secret)) return { ok: false, reason: "the secret is not 43 base64url characters" };
  return { ok: true, prefix, secret };
}

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === "string" && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** Methods that only read: what a read key may call. */
const READ_METHODS = new Set(["GET", "HEAD"]);

/** A read key may only read (GET, HEAD); a write key may call everything. */
export function scopeAllows(scope: ApiKeyScope, method: string): boolean {
  return scope === "write" || READ_METHODS.has(method.toUpperCase());
}

/** How often a key's last use is written: at most once a minute, not a write per request. */
export const LAST_USED_EVERY_MS = 60_000;

/** Whether a use of the key at `now` should be recorded, given the last one recorded (UTC ISO or null). */
export function shouldRecordUse(lastUsedAt: string | null, now: Date, everyMs = LAST_USED_EVERY_MS): boolean {
  if (!lastUsedAt) return true;
  const last = Date.parse(lastUsedAt);
  return Number.isNaN(last) || now.getTime() - last >= everyMs;
}

/** The longest name a key may be given (what the merchant calls the integration: "NetSuite", "3PL feed"). */
export const MAX_API_KEY_NAME_LENGTH = 80;
