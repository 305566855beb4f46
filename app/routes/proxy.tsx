import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readForm } from "~/.server/api/http";
import { env } from "~/.server/env";
import { journeyPage, lookupForm, refusedPage } from "~/.server/portal/portal-page";
import { verifyAppProxy } from "~/.server/shopify/verify-app-proxy";
import { lookupOrderForCustomer } from "~/.server/use-cases/portal-lookup";
import { PORTAL_LIMITS } from "~/domain/portal/journey";

// The customer portal behind Shopify's app proxy (shopify.app.toml [app_proxy]: https://{shop}/apps/orders → /proxy;
// ADR 0026). Every request must carry Shopify's signature for this app; GET shows the lookup form, POST (order number
// and email) shows the order's journey, or the same "not found" whatever was wrong, or 429 past the lookup limit.

const NOT_FOUND = "We could not find an order with that number and email address. Check both and try again.";
const html = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Robots-Tag": "noindex", ...headers } });

function checked(request: Request): { ok: true; shopDomain: string; customerId: string | null; action: string } | { ok: false; response: Response } {
  const url = new URL(request.url);
  const check = verifyAppProxy(url.searchParams, env().SHOPIFY_API_SECRET);
  if (!check.ok) return { ok: false, response: html(refusedPage("This page opens from the store only."), 401) };
  // The form posts back through the proxy, to the path the customer sees (Shopify signs it afresh).
  const prefix = url.searchParams.get("path_prefix") ?? "/apps/orders";
  return { ok: true, shopDomain: check.shopDomain, customerId: check.customerId, action: /^\/[A-Za-z0-9/_-]{1,100}$/.test(prefix) ? prefix : "/apps/orders" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const c = checked(request);
  if (!c.ok) return c.response;
  return html(lookupForm({ action: c.action }));
}

export async function action({ request }: ActionFunctionArgs) {
  const c = checked(request);
  if (!c.ok) return c.response;
  if (request.method !== "POST") return html(refusedPage("Use the form."), 405, { Allow: "GET, POST" });
  const form = await readForm(request);
  const number = String(form.get("number") ?? "").slice(0, 64);
  const email = String(form.get("email") ?? "").slice(0, 254);
  // Shopify's proxy puts the customer's address first in X-Forwarded-For; a signed-in customer is known by id.
  const address = (request.headers.get("x-forwarded-for") ?? "").split(",")[0].trim() || "unknown";
  const client = c.customerId ? `customer:${c.customerId}` : `address:${address}`;
  const result = await lookupOrderForCustomer(c.shopDomain, { number, email, client });
  if (result.kind === "throttled") return html(refusedPage("Too many lookups from here: try again in an hour."), 429, { "Retry-After": String(PORTAL_LIMITS.windowMs / 1000) });
  if (result.kind === "found") return html(journeyPage(result.journey, { action: c.action }));
  return html(lookupForm({ action: c.action, number, email, problem: NOT_FOUND }));
}
