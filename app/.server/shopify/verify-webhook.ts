import { createHmac, timingSafeEqual } from "node:crypto";

// Shopify webhook verification on the raw body: base64(HMAC-SHA256(app secret, body)) must equal
// X-Shopify-Hmac-Sha256. Done here rather than through authenticate.webhook so the hot path needs no
// session lookup and the body stays byte-exact (64-bit ids) for the inbox.

export type WebhookCheck =
  | { ok: true; shopDomain: string; topic: string; webhookId: string; eventId: string; apiVersion: string | null; triggeredAt: Date | null }
  | { ok: false; status: 400 | 401; reason: string };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

/** What verification reads headers through: a fetch `Headers`, or a thin view of node's (lean intake). */
export interface HeaderSource {
  get(name: string): string | null;
}

/** The raw body as received: bytes (preferred: nothing is decoded on the hot path) or a string. */
export type RawBody = Buffer | string;

export function verifyWebhook(headers: HeaderSource, rawBody: RawBody, secret: string): WebhookCheck {
  const hmac = headers.get("x-shopify-hmac-sha256");
  if (!hmac) return { ok: false, status: 401, reason: "missing X-Shopify-Hmac-Sha256" };
  if (!hmacMatches(rawBody, hmac, secret)) return { ok: false, status: 401, reason: "HMAC does not match" };

  const shopDomain = headers.get("x-shopify-shop-domain");
  const topic = headers.get("x-shopify-topic");
  const webhookId = headers.get("x-shopify-webhook-id");
  if (!shopDomain || !SHOP_DOMAIN.test(shopDomain)) return { ok: false, status: 400, reason: "missing or invalid X-Shopify-Shop-Domain" };
  if (!topic) return { ok: false, status: 400, reason: "missing X-Shopify-Topic" };
  if (!webhookId) return { ok: false, status: 400, reason: "missing X-Shopify-Webhook-Id" };
  if (rawBody.length === 0) return { ok: false, status: 400, reason: "empty body" };

  const triggered = headers.get("x-shopify-triggered-at");
  const triggeredAt = triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : null;
  return {
    ok: true,
    shopDomain: shopDomain.toLowerCase(),
    topic: normaliseTopic(topic),
    webhookId,
    // Shopify's guidance: dedupe on the event id; older API versions send none, so the webhook id stands in.
    eventId: headers.get("x-shopify-event-id") || webhookId,
    apiVersion: headers.get("x-shopify-api-version"),
    triggeredAt,
  };
}

export function hmacMatches(rawBody: RawBody, receivedBase64: string, secret: string): boolean {
  const hmac = createHmac("sha256", secret);
  const expected = (typeof rawBody === "string" ? hmac.update(rawBody, "utf8") : hmac.update(rawBody)).digest();
  const received = Buffer.from(receivedBase64, "base64");
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** "ORDERS_CREATE" and "orders/create" name the same topic. */
export function normaliseTopic(topic: string): string {
  const lower = topic.toLowerCase();
  return lower.includes("/") ? lower : lower.replace("_", "/");
}
