import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { customerAccountJson, customerAccountMethodNotAllowed, customerAccountPreflight, customerSession, ORDER_NOT_FOUND } from "~/.server/api/customer-account-http";
import { requestReturnFromCustomerAccount, returnOptionsForCustomerAccount } from "~/.server/use-cases/customer-account-orders";

// "Start a return" on the order status page (ADR 0028, 0036). Same session and ownership checks as the journey
// (401 / the same 404).
// GET  /customer-account/orders/:orderGid/returns → { reasons, lines: [{ lineItemId, title, returnable, … }], returns }
// POST /customer-account/orders/:orderGid/returns { lines: [{ lineItemId, quantity, reason }], note? }
//   → 201 { return: { number, status, labelUrl, lines }, created: true } (200 with created: false for the same
//   request again); 400/422 with the reasons for a request the order or the policy refuses.

const body = z.object({
  lines: z.array(z.object({ lineItemId: z.string().max(100), quantity: z.number().int().min(1).max(100_000), reason: z.string().trim().min(1).max(80) }).strict()).min(1).max(250),
  note: z.string().trim().max(2000).optional(),
}).strict();

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return customerAccountMethodNotAllowed(["POST"]);
  const session = await customerSession(request);
  if (session instanceof Response) return session;
  // Ownership first: someone else's order is the same 404 whatever the body says.
  const access = await returnOptionsForCustomerAccount(session, params.orderGid ?? "");
  if (access.kind === "not_found") return ORDER_NOT_FOUND();
  const text = (await request.text()).slice(0, 10_000);
  let parsed: z.SafeParseReturnType<unknown, z.infer<typeof body>>;
  try {
    parsed = body.safeParse(text.trim() === "" ? {} : JSON.parse(text));
  } catch {
    return customerAccountJson({ error: { type: "invalid_data", code: "BODY.INVALID_JSON", message: "The body must be JSON." } }, 400);
  }
  if (!parsed.success) return customerAccountJson({ error: { type: "invalid_data", code: "BODY.INVALID", message: parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ") } }, 400);
  const result = await requestReturnFromCustomerAccount(session, params.orderGid ?? "", parsed.data);
  if (result.kind === "not_found") return ORDER_NOT_FOUND();
  if (result.kind === "refused") {
    return customerAccountJson({ error: { type: result.status === 409 ? "conflict" : "invalid_data", code: result.status === 409 ? "RETURNS.NOT_POSSIBLE" : "RETURNS.REFUSED", message: result.error } }, result.status);
  }
  return customerAccountJson({ return: result.rma, created: result.created }, result.created ? 201 : 200);
}

// Remix hands OPTIONS (the CORS preflight of the extension's worker) to the loader: it is not a mutation method.
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (request.method === "OPTIONS") return customerAccountPreflight();
  if (request.method !== "GET" && request.method !== "HEAD") return customerAccountMethodNotAllowed(["GET", "POST"]);
  const session = await customerSession(request);
  if (session instanceof Response) return session;
  const result = await returnOptionsForCustomerAccount(session, params.orderGid ?? "");
  return result.kind === "found" ? customerAccountJson(result.options) : ORDER_NOT_FOUND();
}
