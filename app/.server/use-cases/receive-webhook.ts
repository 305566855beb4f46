import { MAX_WEBHOOK_BODY_BYTES } from "~/domain/shared/limits";
import { methodNotAllowed, readBodyWithin } from "../api/http";
import { recordWebhook } from "../db/webhook-inbox";
import { env } from "../env";
import { enqueueWebhookProcessing, retryWebhookProcessing } from "../jobs/queue";
import { verifyWebhook, type HeaderSource, type RawBody } from "../shopify/verify-webhook";

// Verify → record in the inbox → enqueue → answer. Nothing else happens inline: Shopify wants a
// reply within 5 s, and every retry or duplicate must cost almost nothing.

export async function receiveWebhook(request: Request, expectedTopic: string): Promise<Response> {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const rawBody = await readBodyWithin(request, MAX_WEBHOOK_BODY_BYTES);
  if (!rawBody) return new Response(`A webhook body is at most ${MAX_WEBHOOK_BODY_BYTES} bytes`, { status: 413 });
  const { status, body } = await acceptWebhook(request.headers, rawBody, expectedTopic);
  return new Response(body, { status });
}

/**
 * The same intake for servers that hold the raw body already (server.ts's lean /webhooks handler). The body
 * stays bytes: HMAC over them, stored byte-exact, never decoded here.
 */
export async function acceptWebhook(headers: HeaderSource, rawBody: RawBody, expectedTopic: string): Promise<{ status: number; body: string | null }> {
  const check = verifyWebhook(headers, rawBody, env().SHOPIFY_API_SECRET);
  if (!check.ok) return { status: check.status, body: check.reason }; // nothing stored
  if (check.topic !== expectedTopic) {
    return { status: 400, body: `This endpoint handles ${expectedTopic}, not ${check.topic}` };
  }
  const outcome = await recordWebhook({
    shopDomain: check.shopDomain,
    topic: check.topic,
    eventId: check.eventId,
    webhookId: check.webhookId,
    apiVersion: check.apiVersion,
    triggeredAt: check.triggeredAt,
    payload: rawBody,
  });
  // Stored as held (a shop not installed yet), ignored or dropped (a shop that takes nothing in): answered
  // 200 all the same, so Shopify stops. A redelivery of an event not processed yet (never run, or failed
  // by something transient) runs it again; same job id, so no double work.
  if (outcome.kind === "new" && outcome.status === "received") {
    await enqueueWebhookProcessing(outcome.id, check.shopDomain, check.eventId);
  } else if (outcome.kind === "duplicate" && (outcome.status === "received" || (outcome.status === "failed" && outcome.failure === "transient"))) {
    await retryWebhookProcessing(outcome.id, check.shopDomain, check.eventId);
  }
  return { status: 200, body: null };
}
