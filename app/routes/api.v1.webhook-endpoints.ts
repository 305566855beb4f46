import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { createWebhookEndpoint, listWebhookEndpoints } from "~/.server/use-cases/manage-webhook-endpoints";
import { WEBHOOK_TOPICS } from "~/domain/integrations/events";

// The rules (https, known topics) in app/domain/integrations and manage-webhook-endpoints.ts; types and sizes here.
const body = z.object({ url: z.string().max(2048), topics: z.array(z.string().max(64)).max(WEBHOOK_TOPICS.length) }).strict();
const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");

// GET /api/v1/webhook-endpoints — the shop's endpoints (never their secrets) and the topics there are.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json({ endpoints: await listWebhookEndpoints(shop.id), topics: WEBHOOK_TOPICS }));
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /api/v1/webhook-endpoints — { url, topics }: 201 with the endpoint and its signing `secret`, shown this once.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "WEBHOOK.INVALID", `Endpoint not registered: ${issues(parsed.error)}`);
    return cors(Response.json(await createWebhookEndpoint(shop.id, parsed.data, apiActor(caller)), { status: 201 }));
  } catch (error) {
    return errorResponse(error);
  }
}
