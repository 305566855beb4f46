import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/.server/api/http";
import { checkUnsubscribe, unsubscribeCustomer } from "~/.server/use-cases/unsubscribe-customer";

// RFC 8058 one-click unsubscribe (ADR 0038): the URL in a non-essential notice's List-Unsubscribe header. The mail
// provider POSTs here (body List-Unsubscribe=One-Click) straight to the app, not through the app proxy, so the
// token's HMAC is the only check: it names the shop, the address and the purpose. POST records the opt-out
// (idempotent: 200 again); a GET (someone opening the URL) records nothing and goes to the store's confirm page.

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } });
const NOT_VALID = "This unsubscribe link is not valid.";
const tokenOf = (request: Request) => (new URL(request.url).searchParams.get("token") ?? "").slice(0, 2_000);

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const outcome = await unsubscribeCustomer(tokenOf(request));
  if (outcome.kind === "invalid") return text(NOT_VALID, 404);
  return text(`${outcome.maskedEmail} will no longer receive optional e-mails from this store. Order updates you need (backorders, shipping, returns) still come.`, 200);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const token = tokenOf(request);
  const checked = await checkUnsubscribe(token);
  if (checked.kind === "invalid") return text(NOT_VALID, 404);
  return new Response(null, { status: 303, headers: { Location: `https://${checked.shop.domain}/apps/orders?${new URLSearchParams({ unsubscribe: token })}`, "Cache-Control": "no-store" } });
}
