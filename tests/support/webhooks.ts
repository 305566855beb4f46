import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

// Test-side helpers for webhooks: the subscriptions declared in shopify.app.toml and signed requests.

export interface Subscription {
  topic: string;
  uri: string;
  handledBy: string;
}

/** Every [[webhooks.subscriptions]] block of shopify.app.toml with its `# Handled by:` comment. */
export function declaredSubscriptions(tomlPath = "shopify.app.toml"): Subscription[] {
  const text = readFileSync(tomlPath, "utf8");
  const blocks = text.split(/\n(?=\s*# Handled by:)/).slice(1);
  return blocks.flatMap((block) => {
    const handledBy = /# Handled by:\s*(\S+)/.exec(block)?.[1] ?? "";
    const topics = /topics\s*=\s*\[([^\]]*)\]/.exec(block)?.[1] ?? "";
    const uri = /uri\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? "";
    return [...topics.matchAll(/"([^"]+)"/g)].map((m) => ({ topic: m[1], uri, handledBy }));
  });
}

export interface SignedWebhook {
  topic: string;
  shop: string;
  body: string;
  secret?: string;
  eventId?: string;
  webhookId?: string;
  hmac?: string | null; // null = omit the header
  url?: string;
  /** X-Shopify-Triggered-At; default now. */
  triggeredAt?: string;
}

export function signWebhookBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function webhookRequest(w: SignedWebhook): Request {
  const secret = w.secret ?? process.env.SHOPIFY_API_SECRET!;
  const headers = new Headers({
    "content-type": "application/json",
    "x-shopify-topic": w.topic,
    "x-shopify-shop-domain": w.shop,
    "x-shopify-webhook-id": w.webhookId ?? randomUUID(),
    "x-shopify-event-id": w.eventId ?? randomUUID(),
    "x-shopify-triggered-at": w.triggeredAt ?? new Date().toISOString(),
    "x-shopify-api-version": "2026-01",
  });
  const hmac = w.hmac === undefined ? signWebhookBody(w.body, secret) : w.hmac;
  if (hmac !== null) headers.set("x-shopify-hmac-sha256", hmac);
  return new Request(w.url ?? `http://127.0.0.1:3999/webhooks/${w.topic.replace("/", "_")}`, { method: "POST", headers, body: w.body });
}
