// Delivers webhooks to the app the way Shopify does: raw JSON body (64-bit ids exact), HMAC-SHA256
// signature, topic/shop/ids headers; with duplicates (same event id, new webhook id), retries
// (same webhook id), deterministic reordering for batches, and a log of every attempt.
import { createHmac, randomUUID } from "node:crypto";
import { toExactJson } from "./exact-json";
import { createRng } from "./prng";

export interface WebhookDelivery {
  shop: string;
  topic: string; // e.g. "orders/create"
  payload: unknown;
  /** Path on the app; default /webhooks/<topic with / → _>. */
  uri?: string;
  eventId?: string;
  webhookId?: string;
  triggeredAt?: string;
  apiVersion?: string;
  /** Deliver the same event this many times (each copy its own webhook id). Default 1. */
  copies?: number;
  /** Retry non-2xx and timeouts: `attempts` in all, waiting delaysMs[i] (last one repeats) before retry i+1. */
  retryUntilOk?: { attempts: number; delaysMs: number[] };
  /** "wrong" signs with another secret, "missing" omits the header: for tests of the app's verification. */
  hmac?: "valid" | "wrong" | "missing";
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  topic: string; shop: string; eventId: string; webhookId: string;
  copy: number; attempt: number; status: number | null; ms: number; error?: string;
}

export interface DeliveryResult { eventId: string; webhookIds: string[]; body: string; attempts: DeliveryAttempt[]; ok: boolean }

/** Shopify retries 8 times over 4 hours; this keeps the shape with compressed delays. */
export const COMPRESSED_SHOPIFY_RETRIES = { attempts: 9, delaysMs: [10, 20, 40, 80, 160, 320, 640, 1280] };

export function signWebhook(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function defaultWebhookUri(topic: string): string {
  return `/webhooks/${topic.replace(/\//g, "_")}`;
}

export class WebhookSender {
  /** Every attempt, in order, for assertions. */
  readonly log: DeliveryAttempt[] = [];

  constructor(private readonly opts: { appUrl: string; apiSecret: string; apiVersion?: string; fetch?: typeof fetch }) {}

  async deliver(d: WebhookDelivery): Promise<DeliveryResult> {
    const eventId = d.eventId ?? randomUUID();
    const body = toExactJson(d.payload);
    const attempts: DeliveryAttempt[] = [];
    const webhookIds: string[] = [];
    for (let copy = 0; copy < (d.copies ?? 1); copy++) {
      const webhookId = copy === 0 && d.webhookId ? d.webhookId : randomUUID();
      webhookIds.push(webhookId);
      attempts.push(...(await this.sendWithRetries(d, body, eventId, webhookId, copy)));
    }
    return { eventId, webhookIds, body, attempts, ok: attempts.some((a) => isOk(a.status)) };
  }

  /**
   * Delivers a list in a deterministic, partly shuffled order with some events delivered twice
   * (the second copy placed later in the sequence), one at a time.
   */
  async deliverBatch(list: WebhookDelivery[], opts: { shuffleFraction?: number; duplicateFraction?: number; seed?: number | string } = {}): Promise<DeliveryResult[]> {
    const rng = createRng(opts.seed ?? 1);
    const withIds = list.map((d) => ({ ...d, eventId: d.eventId ?? randomUUID(), copies: 1 }));
    const queue = [...withIds];
    for (const d of withIds) {
      if (rng.chance(opts.duplicateFraction ?? 0)) {
        const at = queue.indexOf(d) + 1 + rng.int(0, queue.length - queue.indexOf(d) - 1);
        queue.splice(at, 0, { ...d, webhookId: undefined });
      }
    }
    const moved = Math.round((opts.shuffleFraction ?? 0) * queue.length);
    const positions = rng.shuffle(queue.map((_, i) => i)).slice(0, moved).sort((a, b) => a - b);
    const picked = rng.shuffle(positions.map((p) => queue[p]));
    positions.forEach((p, i) => (queue[p] = picked[i]));
    const results: DeliveryResult[] = [];
    for (const d of queue) results.push(await this.deliver(d));
    return results;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private async sendWithRetries(d: WebhookDelivery, body: string, eventId: string, webhookId: string, copy: number): Promise<DeliveryAttempt[]> {
    const retry = d.retryUntilOk ?? { attempts: 1, delaysMs: [] };
    const out: DeliveryAttempt[] = [];
    for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
      if (attempt > 1) await sleep(retry.delaysMs[Math.min(attempt - 2, retry.delaysMs.length - 1)] ?? 0);
      const a = await this.post(d, body, eventId, webhookId, copy, attempt);
      out.push(a);
      this.log.push(a);
      if (isOk(a.status)) break;
    }
    return out;
  }

  private async post(d: WebhookDelivery, body: string, eventId: string, webhookId: string, copy: number, attempt: number): Promise<DeliveryAttempt> {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Shopify-Topic": d.topic,
      "X-Shopify-Shop-Domain": d.shop,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": d.triggeredAt ?? new Date().toISOString(),
      "X-Shopify-API-Version": d.apiVersion ?? this.opts.apiVersion ?? "2026-01",
      "User-Agent": "Shopify-Captain-Hook",
    };
    if (d.hmac !== "missing") headers["X-Shopify-Hmac-Sha256"] = signWebhook(d.hmac === "wrong" ? `${this.opts.apiSecret}-wrong` : this.opts.apiSecret, body);
    const started = performance.now();
    const base = { topic: d.topic, shop: d.shop, eventId, webhookId, copy, attempt };
    try {
      const res = await (this.opts.fetch ?? fetch)(new URL(d.uri ?? defaultWebhookUri(d.topic), this.opts.appUrl), {
        method: "POST", headers, body, signal: AbortSignal.timeout(d.timeoutMs ?? 5000),
      });
      await res.arrayBuffer(); // drain so the connection is reused
      return { ...base, status: res.status, ms: Math.round(performance.now() - started) };
    } catch (error) {
      return { ...base, status: null, ms: Math.round(performance.now() - started), error: (error as Error).name === "TimeoutError" ? "timeout" : String(error) };
    }
  }
}

const isOk = (status: number | null) => status !== null && status >= 200 && status < 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
