import type { LoaderFunctionArgs } from "@remix-run/node";
import { customerAccountJson, customerAccountMethodNotAllowed, customerAccountPreflight, customerSession, ORDER_NOT_FOUND } from "~/.server/api/customer-account-http";
import { customerOrderJourney } from "~/.server/use-cases/customer-account-orders";

// GET /customer-account/orders/:orderGid/journey (the GID URL-encoded) — what the customer-account extension on the
// order status page shows (ADR 0028): { journey: { name, placedOn, state, units, steps, backorder, shipments } },
// the same journey as the app-proxy portal, as facts the extension words in the customer's language. The Bearer
// session token must be this app's, for the shop that took the order and the customer who placed it: a bad token
// is 401, any order they may not see is the same 404.

// Remix hands OPTIONS (the CORS preflight of the extension's worker) to the loader: it is not a mutation method.
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (request.method === "OPTIONS") return customerAccountPreflight();
  const session = await customerSession(request);
  if (session instanceof Response) return session;
  const result = await customerOrderJourney(session, params.orderGid ?? "");
  return result.kind === "found" ? customerAccountJson({ journey: result.journey }) : ORDER_NOT_FOUND();
}

export function action() {
  return customerAccountMethodNotAllowed(["GET"]);
}
