import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { deleteWebhookEndpoint, listWebhookEndpoints, resendWebhookDelivery, resumeWebhookEndpoint, updateWebhookEndpoint, webhookDeliveries } from "~/.server/use-cases/manage-webhook-endpoints";

const patch = z.object({ url: z.string().max(2048).optional(), topics: z.array(z.string().max(64)).max(50).optional() }).strict();
const post = z.discriminatedUnion("intent", [z.object({ intent: z.literal("resume") }).strict(), z.object({ intent: z.literal("resend"), deliveryId: z.string().min(1).max(64) }).strict()]);
const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");

// GET /api/v1/webhook-endpoints/:id — the endpoint and its latest deliveries (status, attempts, response code).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const endpoint = (await listWebhookEndpoints(shop.id)).find((e) => e.id === params.id);
    if (!endpoint) throw new AppError("not_found", "WEBHOOK.ENDPOINT_NOT_FOUND", `No webhook endpoint ${params.id}`);
    return cors(Response.json({ endpoint, deliveries: await webhookDeliveries(shop.id, { endpointId: endpoint.id, limit: 100 }) }));
  } catch (error) {
    return errorResponse(error);
  }
}

// PATCH { url?, topics? } changes it; DELETE removes it and its log; POST { intent: "resume" } after a pause, or
// { intent: "resend", deliveryId } sends a sent or failed delivery again (same event id).
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (!["PATCH", "DELETE", "POST"].includes(request.method)) return methodNotAllowed(["GET", "PATCH", "DELETE", "POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    const id = params.id!;
    if (request.method === "DELETE") {
      await deleteWebhookEndpoint(shop.id, id, apiActor(caller));
      return cors(new Response(null, { status: 204 }));
    }
    if (request.method === "PATCH") {
      const parsed = patch.safeParse(await readJsonBody(request));
      if (!parsed.success) throw new AppError("invalid_data", "WEBHOOK.INVALID", issues(parsed.error));
      return cors(Response.json({ endpoint: await updateWebhookEndpoint(shop.id, id, parsed.data, apiActor(caller)) }));
    }
    const parsed = post.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "WEBHOOK.INVALID", issues(parsed.error));
    if (parsed.data.intent === "resume") return cors(Response.json({ endpoint: await resumeWebhookEndpoint(shop.id, id, apiActor(caller)) }));
    return cors(Response.json({ delivery: await resendWebhookDelivery(shop.id, parsed.data.deliveryId, apiActor(caller), { endpointId: id }) }));
  } catch (error) {
    return errorResponse(error);
  }
}
