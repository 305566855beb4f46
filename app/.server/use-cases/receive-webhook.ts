import { recordWebhook } from "../db/webhook-inbox";
import { env } from "../env";
import { enqueueWebhookProcessing } from "../jobs/queue";
import { verifyWebhook, type HeaderSource, type RawBody } from "../shopify/verify-webhook";

// Verify → record in the inbox → enqueue → answer. Nothing else happens inline: Shopify wants a
// reply within 5 s, and every retry or duplicate must cost almost nothing.

export async function receiveWebhook(request: Request, expectedTopic: string): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const { status, body } = await acceptWebhook(request.headers, Buffer.from(await request.arrayBuffer()), expectedTopic);
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
  // A duplicate whose first copy never got processed is enqueued again (same job id: no double work).
  if (outcome.kind === "new" || outcome.status === "received") {
    await enqueueWebhookProcessing(outcome.id, check.shopDomain, check.eventId);
  }
  return { status: 200, body: null };
}
