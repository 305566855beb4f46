// The stand-in Shopify admin: a page with a top bar, a left nav filled from the embedded app's
// <ui-nav-menu>, toasts, and an iframe that loads the app with the signed query Shopify sends
// (embedded, host, id_token, locale, shop, timestamp, hmac). Also serves /app-bridge.js and
// mints session tokens for it (the app secret never reaches the browser).
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseFormOrJson, readBody, sendJson, sendText } from "./http-util";
import { mintSessionToken } from "./session-token";
import type { SandboxStore } from "./store";

export interface AdminPageOptions { store: SandboxStore; apiKey: string; apiSecret: string; appUrl: string }

/** Hex HMAC-SHA256 of the sorted query (without hmac/signature), as Shopify signs app URLs. */
export function signAdminQuery(params: Record<string, string>, secret: string): string {
  const sorted = new URLSearchParams();
  for (const key of Object.keys(params).filter((k) => k !== "hmac" && k !== "signature").sort((a, b) => a.localeCompare(b))) {
    sorted.append(key, params[key]);
  }
  return createHmac("sha256", secret).update(sorted.toString().replace(/\+/g, "%20")).digest("hex");
}

/** The admin's `host` parameter: base64 of admin.shopify.com/store/<name>, unpadded. */
export function adminHost(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64").replace(/=+$/, "");
}

/** The URL Shopify's admin loads in the app iframe. */
export function embeddedAppUrl(o: { appUrl: string; path: string; shop: string; apiKey: string; apiSecret: string; now?: Date }): string {
  const url = new URL(o.path || "/", o.appUrl);
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  Object.assign(params, {
    embedded: "1", host: adminHost(o.shop), id_token: mintSessionToken(o, o.shop, { now: o.now }), locale: "en",
    session: randomBytes(32).toString("hex"), shop: o.shop, timestamp: String(Math.floor((o.now ?? new Date()).getTime() / 1000)),
  });
  params.hmac = signAdminQuery(params, o.apiSecret);
  url.search = new URLSearchParams(params).toString();
  return url.toString();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Allow-Methods": "POST, OPTIONS" };

export function createAdminPageHandlers(opts: AdminPageOptions) {
  const bridgeJs = readFileSync(new URL("./app-bridge-standin.js", import.meta.url), "utf8");
  return {
    /** GET /admin/apps?shop=<shop>&path=/app */
    page(req: IncomingMessage, res: ServerResponse, url: URL): void {
      const domain = url.searchParams.get("shop") ?? [...opts.store.shops.keys()][0];
      const shop = domain ? opts.store.findShop(domain) : undefined;
      if (!shop) return sendText(res, 404, "Unknown shop", "text/plain");
      const src = embeddedAppUrl({ ...opts, path: url.searchParams.get("path") ?? "/app", shop: shop.domain, now: opts.store.now() });
      sendText(res, 200, adminHtml({ shopName: shop.name, shop: shop.domain, appOrigin: new URL(opts.appUrl).origin, src }), "text/html; charset=utf-8");
    },
    /** GET /app-bridge.js */
    appBridge(_req: IncomingMessage, res: ServerResponse): void {
      sendText(res, 200, bridgeJs, "text/javascript; charset=utf-8", { "Cache-Control": "no-cache", ...CORS });
    },
    /** POST /admin/session-token {shop} → {token}: a fresh session token for the stand-in App Bridge. */
    async sessionToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (req.method === "OPTIONS") return sendText(res, 204, "", "text/plain", CORS);
      const body = parseFormOrJson(req, await readBody(req));
      const shop = typeof body?.shop === "string" ? opts.store.findShop(body.shop) : undefined;
      if (!shop) return sendJson(res, 404, { error: "unknown shop" }, CORS);
      sendJson(res, 200, { token: mintSessionToken(opts, shop.domain, { now: opts.store.now() }) }, { ...CORS, "Cache-Control": "no-store" });
    },
  };
}

function adminHtml(o: { shopName: string; shop: string; appOrigin: string; src: string }): string {
  const data = JSON.stringify({ shop: o.shop, appOrigin: o.appOrigin }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(o.shopName)} · Sandbox admin</title>
<style>
  * { box-sizing: border-box; } body { margin: 0; font: 14px/1.4 -apple-system, "Segoe UI", Roboto, sans-serif; background: #f1f1f1; }
  header { height: 56px; background: #1a1a1a; color: #fff; display: flex; align-items: center; gap: 12px; padding: 0 16px; }
  header .logo { font-weight: 700; color: #95bf47; } header .badge { background: #ffd79d; color: #4f2f00; border-radius: 8px; padding: 1px 8px; font-size: 12px; }
  header .shop { margin-left: auto; } .layout { display: flex; height: calc(100vh - 56px); }
  nav { width: 240px; padding: 12px 8px; background: #ebebeb; border-right: 1px solid #ddd; }
  nav a { display: block; padding: 6px 10px; border-radius: 8px; color: #303030; text-decoration: none; cursor: pointer; }
  nav a:hover { background: #e0e0e0; } nav a.active { background: #fff; font-weight: 600; } nav a.muted { color: #8a8a8a; cursor: default; }
  nav .section { margin: 16px 10px 4px; font-size: 12px; color: #616161; } nav #app-nav a.sub { padding-left: 26px; }
  main { flex: 1; padding: 0; } iframe { width: 100%; height: 100%; border: 0; background: #fff; }
  #toasts { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); display: flex; flex-direction: column; gap: 8px; }
  .toast { background: #303030; color: #fff; padding: 10px 16px; border-radius: 10px; box-shadow: 0 4px 12px rgba(0,0,0,.25); }
  .toast.error { background: #c70a24; }
</style></head>
<body>
<header><span class="logo">shopify</span><span class="badge">Sandbox</span><span class="shop" id="shop-name">${escapeHtml(o.shopName)}</span></header>
<div class="layout">
  <nav><a class="muted">Home</a><a class="muted">Orders</a><a class="muted">Products</a><a class="muted">Customers</a>
    <div class="section">Apps</div><div id="app-nav"></div></nav>
  <main><iframe id="app-frame" title="App" src="${escapeHtml(o.src)}"></iframe></main>
</div>
<div id="toasts" role="status" aria-live="polite"></div>
<script>
(function () {
  var cfg = ${data};
  var frame = document.getElementById("app-frame");
  var nav = document.getElementById("app-nav");
  function send(msg) { frame.contentWindow.postMessage(Object.assign({ source: "sandbox-admin" }, msg), cfg.appOrigin); }
  function toast(message, isError, duration) {
    var el = document.createElement("div");
    el.className = "toast" + (isError ? " error" : "");
    el.textContent = message;
    document.getElementById("toasts").appendChild(el);
    setTimeout(function () { el.remove(); }, duration || 5000);
  }
  function renderNav(items) {
    nav.innerHTML = "";
    items.forEach(function (item) {
      var a = document.createElement("a");
      a.textContent = item.label; a.dataset.href = item.href; a.className = item.home ? "" : "sub";
      a.addEventListener("click", function () { send({ type: "navigate", href: item.href }); markActive(item.href); });
      nav.appendChild(a);
    });
  }
  function markActive(path) {
    Array.prototype.forEach.call(nav.children, function (a) { a.classList.toggle("active", a.dataset.href === path); });
  }
  // Messages from the stand-in App Bridge running in the app iframe.
  window.addEventListener("message", function (event) {
    var msg = event.data || {};
    if (event.origin !== cfg.appOrigin || event.source !== frame.contentWindow || msg.source !== "sandbox-app-bridge") return;
    if (msg.type === "idToken") {
      fetch("/admin/session-token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ shop: cfg.shop }) })
        .then(function (r) { return r.json(); })
        .then(function (body) { send({ type: "reply", id: msg.id, token: body.token }); },
              function (err) { send({ type: "reply", id: msg.id, error: String(err) }); });
    } else if (msg.type === "toast") { toast(msg.message, msg.isError, msg.duration);
    } else if (msg.type === "nav") { renderNav(msg.items || []); if (msg.path) markActive(msg.path);
    } else if (msg.type === "location") { markActive(msg.path);
      var url = new URL(location.href); url.searchParams.set("path", msg.path); history.replaceState(null, "", url);
    } else if (msg.type === "title") { document.title = msg.title + " · Sandbox admin"; }
  });
})();
</script>
</body></html>`;
}
