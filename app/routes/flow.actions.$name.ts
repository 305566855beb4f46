import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed, onlyMethods } from "~/.server/api/http";
import { errorResponse } from "~/.server/errors";
import { runFlowAction } from "~/.server/use-cases/run-flow-action";

// POST /flow/actions/:name — Shopify Flow runs one of the app's actions (extensions/flow-action-<name>): the raw
// body's X-Shopify-Hmac-Sha256 is checked (401), the shop is the verified body's, each action run acts once (ADR 0031).
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const answer = await runFlowAction(params.name ?? "", await request.text(), request.headers.get("x-shopify-hmac-sha256"));
    return Response.json(answer.body, { status: answer.status, headers: answer.status === 503 ? { "Retry-After": "5" } : undefined });
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
