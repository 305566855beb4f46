import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { customerAccountJson, customerAccountMethodNotAllowed, customerAccountPreflight, customerSession, ORDER_NOT_FOUND } from "~/.server/api/customer-account-http";
import { requestReturnFromCustomerAccount } from "~/.server/use-cases/customer-account-orders";

// POST /customer-account/orders/:orderGid/returns {reason?} — "Start a return" on the order status page (ADR 0028).
// Same session and ownership checks as the journey (401 / the same 404). Until returns exist server-side a found
// order answers 501 with a message the extension shows; the returns workflow takes the request here later.

const body = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return customerAccountMethodNotAllowed(["POST"]);
  const session = await customerSession(request);
  if (session instanceof Response) return session;
  const result = await requestReturnFromCustomerAccount(session, params.orderGid ?? "");
  if (result.kind === "not_found") return ORDER_NOT_FOUND();
  const text = (await request.text()).slice(0, 10_000);
  let parsed: z.SafeParseReturnType<unknown, z.infer<typeof body>>;
  try {
    parsed = body.safeParse(text.trim() === "" ? {} : JSON.parse(text));
  } catch {
    return customerAccountJson({ error: { type: "invalid_data", code: "BODY.INVALID_JSON", message: "The body must be JSON." } }, 400);
  }
  if (!parsed.success) return customerAccountJson({ error: { type: "invalid_data", code: "BODY.INVALID", message: parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ") } }, 400);
  return customerAccountJson({ error: { type: "not_implemented", code: "RETURNS.NOT_AVAILABLE", message: "Returns cannot be started online yet. Contact the store to return items from this order." } }, 501);
}

// Remix hands OPTIONS (the CORS preflight of the extension's worker) to the loader: it is not a mutation method.
export function loader({ request }: LoaderFunctionArgs) {
  return request.method === "OPTIONS" ? customerAccountPreflight() : customerAccountMethodNotAllowed(["POST"]);
}
