import { recordWebhook } from "../db/webhook-inbox";
import { env } from "../env";
import { enqueueWebhookProcessing } from "../jobs/queue";
import { verifyWebhook } from "../shopify/verify-webhook";

// Verify → record in the inbox → enqueue → answer. Nothing else happens inline: Shopify wants a
// reply within 5 s, and every retry or duplicate must cost almost nothing.

export async function receiveWebhook(request: Request, expectedTopic: string): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const rawBody = await request.text();
  const check = verifyWebhook(request.headers, rawBody, env().SHOPIFY_API_SECRET);
  if (!check.ok) return new Response(check.reason, { status: check.status }); // nothing stored
  if (check.topic !== expectedTopic) {
    return new Response(`This endpoint handles ${expectedTopic}, not ${check.topic}`, { status: 400 });
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
  return new Response(null, { status: 200 });
}
