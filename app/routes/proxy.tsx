import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readForm } from "~/.server/api/http";
import { env } from "~/.server/env";
import { journeyPage, lookupForm, refusedPage, returnFormPage, returnStartedPage, unsubscribeConfirmPage, unsubscribedPage } from "~/.server/portal/portal-page";
import { portalLabelPath, returnTicket } from "~/.server/portal/portal-tokens";
import { verifyAppProxy } from "~/.server/shopify/verify-app-proxy";
import { lookupOrderForCustomer, portalReturnLabel, startPortalReturn } from "~/.server/use-cases/portal-lookup";
import { checkUnsubscribe, unsubscribeCustomer } from "~/.server/use-cases/unsubscribe-customer";
import { PORTAL_LIMITS } from "~/domain/portal/journey";

// The customer portal behind Shopify's app proxy (shopify.app.toml [app_proxy]: https://{shop}/apps/orders → /proxy;
// ADR 0026). Every request must carry Shopify's signature for this app; GET shows the lookup form, POST (order number
// and email) shows the order's journey, or the same "not found" whatever was wrong, or 429 past the lookup limit.
// A found order's page offers "Start a return" (ADR 0036): the form carries a signed ticket naming the order; the
// answer shows the RMA and a link to its prepaid label, `?label=<RMA>&t=<token>` under the same proxy path.
// `?unsubscribe=<token>` (ADR 0038, the link in a non-essential e-mail) shows a confirm button; its POST (intent
// unsubscribe) records the opt-out. The token must name the shop Shopify signed the request for.

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

const BAD_UNSUBSCRIBE = () => html(refusedPage("This unsubscribe link is not valid."), 404);

const TOO_MANY = () => html(refusedPage("Too many lookups from here: try again in an hour."), 429, { "Retry-After": String(PORTAL_LIMITS.windowMs / 1000) });

/** Shopify's proxy puts the customer's address first in X-Forwarded-For; a signed-in customer is known by id. */
function clientOf(request: Request, customerId: string | null): string {
  const address = (request.headers.get("x-forwarded-for") ?? "").split(",")[0].trim() || "unknown";
  return customerId ? `customer:${customerId}` : `address:${address}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const c = checked(request);
  if (!c.ok) return c.response;
  const url = new URL(request.url);
  const unsubscribe = url.searchParams.get("unsubscribe");
  if (unsubscribe !== null) {
    const token = unsubscribe.slice(0, 2_000);
    const u = await checkUnsubscribe(token, { proxyShopDomain: c.shopDomain });
    if (u.kind === "invalid") return BAD_UNSUBSCRIBE();
    return html(unsubscribeConfirmPage({ action: c.action, token, shopName: u.shop.name, maskedEmail: u.maskedEmail, alreadyOptedOut: u.alreadyOptedOut }));
  }
  const rma = url.searchParams.get("label");
  if (rma !== null) {
    const label = await portalReturnLabel(c.shopDomain, { number: rma.slice(0, 40), token: url.searchParams.get("t") ?? "", client: clientOf(request, c.customerId) });
    if (label.kind === "throttled") return TOO_MANY();
    if (label.kind === "not_found") return html(refusedPage("This label link is not valid."), 404);
    return new Response(new Uint8Array(label.pdf), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="return-label-${label.number}.pdf"`, "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" },
    });
  }
  return html(lookupForm({ action: c.action }));
}

export async function action({ request }: ActionFunctionArgs) {
  const c = checked(request);
  if (!c.ok) return c.response;
  if (request.method !== "POST") return html(refusedPage("Use the form."), 405, { Allow: "GET, POST" });
  const form = await readForm(request);
  const secret = env().SHOPIFY_API_SECRET;
  const labelPath = (rma: string, hasLabel: boolean) => (hasLabel ? portalLabelPath(secret, c.shopDomain, c.action, rma) : null);
  const client = clientOf(request, c.customerId);
  if (form.get("intent") === "unsubscribe") {
    const u = await unsubscribeCustomer(String(form.get("token") ?? "").slice(0, 2_000), { proxyShopDomain: c.shopDomain });
    if (u.kind === "invalid") return BAD_UNSUBSCRIBE();
    return html(unsubscribedPage({ shopName: u.shopName, maskedEmail: u.maskedEmail }));
  }
  if (form.get("intent") === "return") {
    const lines: { orderLineId: string; quantity: number; reason: string }[] = [];
    for (const [key, value] of form.entries()) {
      if (!key.startsWith("qty_") || lines.length >= 250) continue;
      if (String(value) === "0") continue; // the line's quantity select left at 0: not returned
      const orderLineId = key.slice(4, 80);
      lines.push({ orderLineId, quantity: Number(String(value).slice(0, 12)), reason: String(form.get(`reason_${orderLineId}`) ?? "").slice(0, 80) });
    }
    const ticket = String(form.get("ticket") ?? "");
    const started = await startPortalReturn(c.shopDomain, { ticket, client, lines });
    if (started.kind === "throttled") return TOO_MANY();
    if (started.kind === "bad_ticket" || started.kind === "unknown_shop") return html(lookupForm({ action: c.action, problem: "This return form has expired or is not valid. Look up your order again." }), 403);
    if (started.kind === "refused") {
      return html(refusedReturnPage(started, { action: c.action, ticket, labelPath }), started.status === 409 ? 409 : 422);
    }
    return html(returnStartedPage(started.rma, { action: c.action, created: started.created, labelPath: labelPath(started.rma.number, started.rma.label !== null) }), started.created ? 201 : 200);
  }
  const number = String(form.get("number") ?? "").slice(0, 64);
  const email = String(form.get("email") ?? "").slice(0, 254);
  const result = await lookupOrderForCustomer(c.shopDomain, { number, email, client });
  if (result.kind === "throttled") return TOO_MANY();
  if (result.kind === "found") {
    const returns = result.returns ? { options: result.returns, ticket: returnTicket(secret, c.shopDomain, result.orderId), labelPath } : undefined;
    return html(journeyPage(result.journey, { action: c.action, returns }));
  }
  return html(lookupForm({ action: c.action, number, email, problem: NOT_FOUND }));
}

function refusedReturnPage(r: Extract<Awaited<ReturnType<typeof startPortalReturn>>, { kind: "refused" }>, opts: { action: string; ticket: string; labelPath: (rma: string, hasLabel: boolean) => string | null }): string {
  return returnFormPage(r.orderName, { options: r.returns, ticket: opts.ticket, labelPath: opts.labelPath, problem: r.error }, opts.action);
}
