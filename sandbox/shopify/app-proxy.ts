// The storefront's app proxy, as Shopify runs it (ADR 0026, 0036): a customer opens https://{shop}/apps/orders on the
// shop's own domain; Shopify forwards the request to the app's proxy URL (shopify.app.toml: application_url + /proxy)
// with `shop`, `path_prefix`, `timestamp`, `logged_in_customer_id` and a `signature` (hex HMAC-SHA256 with the app's
// secret of the other parameters, `key=value` sorted by key, several values joined by commas, no separator), and
// hands the app's answer back. Here the storefront is the stand-in: `/apps/orders…` on its address. The shop is the
// request's myshopify Host or `?shop=` (remembered in a cookie for the form posts that follow), else the first shop.
import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendText, shopFromRequest } from "./http-util";
import type { SandboxStore } from "./store";

export const APP_PROXY_PREFIX = "/apps/orders";
const COOKIE = "sandbox_storefront_shop";

/** Shopify's app proxy signature over the query (every parameter but `signature`). */
export function appProxySignature(params: URLSearchParams, secret: string): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of params) if (key !== "signature") values.set(key, [...(values.get(key) ?? []), value]);
  const message = [...values.keys()].sort().map((key) => `${key}=${values.get(key)!.join(",")}`).join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export function createAppProxyHandler(opts: { store: SandboxStore; apiSecret: string; appUrl: string; proxyPath?: string }) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const cookieShop = /(?:^|;\s*)sandbox_storefront_shop=([a-z0-9.-]+)/.exec(String(req.headers.cookie ?? ""))?.[1];
    const asked = url.searchParams.get("shop") ?? shopFromRequest(req) ?? cookieShop ?? [...opts.store.shops.keys()][0];
    if (!asked || !opts.store.shops.has(asked)) return sendText(res, 404, "No such shop", "text/plain; charset=utf-8");
    const query = new URLSearchParams();
    for (const [key, value] of url.searchParams) if (!["shop", "signature", "path_prefix", "timestamp", "logged_in_customer_id"].includes(key)) query.append(key, value);
    query.set("shop", asked);
    query.set("logged_in_customer_id", "");
    query.set("path_prefix", APP_PROXY_PREFIX);
    query.set("timestamp", String(Math.floor(opts.store.now().getTime() / 1000)));
    query.set("signature", appProxySignature(query, opts.apiSecret));
    const subpath = url.pathname.slice(APP_PROXY_PREFIX.length);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req, 1024 * 1024);
    const answer = await fetch(`${opts.appUrl}${opts.proxyPath ?? "/proxy"}${subpath}?${query}`, {
      method: req.method,
      headers: { "Content-Type": String(req.headers["content-type"] ?? "text/plain"), "X-Forwarded-For": req.socket.remoteAddress ?? "127.0.0.1", "User-Agent": String(req.headers["user-agent"] ?? "") },
      body,
      redirect: "manual",
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    const headers: Record<string, string> = { "Content-Length": String(bytes.length), "Set-Cookie": `${COOKIE}=${asked}; Path=${APP_PROXY_PREFIX}; SameSite=Lax` };
    for (const name of ["content-type", "content-disposition", "cache-control", "retry-after", "location"]) {
      const value = answer.headers.get(name);
      if (value) headers[name] = value;
    }
    res.writeHead(answer.status, headers);
    res.end(bytes);
  };
}
