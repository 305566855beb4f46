// Local stand-in for Shopify's App Bridge CDN script (demo and e2e only). Loaded in the app
// iframe as <script src="<sandbox>/app-bridge.js" data-api-key="...">. Provides window.shopify
// (config, idToken, toast, loading), adds "Authorization: Bearer <id token>" to same-origin
// fetches, handles the /auth/session-token bounce (shopify-reload), and mirrors <ui-nav-menu>
// into the stand-in admin's left nav. Tokens come from the parent admin page over postMessage.
(function () {
  "use strict";
  if (window.shopify && window.shopify.__sandbox) return;
  var script = document.currentScript;
  var sandboxOrigin = new URL(script ? script.src : location.href).origin;
  var params = new URLSearchParams(location.search);
  var saved = {};
  try { saved = JSON.parse(sessionStorage.getItem("sandbox-app-bridge") || "{}"); } catch { saved = {}; }
  var meta = document.querySelector('meta[name="shopify-api-key"]');
  var config = {
    apiKey: (script && script.getAttribute("data-api-key")) || (meta && meta.content) || saved.apiKey || "",
    shop: params.get("shop") || saved.shop || "",
    host: params.get("host") || saved.host || "",
    locale: params.get("locale") || saved.locale || "en",
  };
  try { sessionStorage.setItem("sandbox-app-bridge", JSON.stringify(config)); } catch { /* storage may be blocked */ }
  var embedded = window.parent !== window;

  // --- talking to the parent admin page ------------------------------------------------------
  var pending = {};
  var seq = 0;
  function post(type, data) {
    if (embedded) window.parent.postMessage(Object.assign({ source: "sandbox-app-bridge", type: type }, data || {}), sandboxOrigin);
  }
  function ask(type, data) {
    return new Promise(function (resolve, reject) {
      var id = ++seq;
      pending[id] = { resolve: resolve, reject: reject };
      post(type, Object.assign({ id: id }, data));
      setTimeout(function () {
        if (pending[id]) { delete pending[id]; reject(new Error("App Bridge stand-in: the admin did not answer " + type)); }
      }, 10000);
    });
  }
  window.addEventListener("message", function (event) {
    var msg = event.data || {};
    if (event.origin !== sandboxOrigin || msg.source !== "sandbox-admin") return;
    if (msg.type === "reply" && pending[msg.id]) {
      var p = pending[msg.id];
      delete pending[msg.id];
      if (msg.error) p.reject(new Error(msg.error)); else p.resolve(msg);
    } else if (msg.type === "navigate") {
      navigate(msg.href);
    }
  });

  // --- session tokens (cached until 10 s before expiry) -------------------------------------
  var cached = null;
  function expiry(token) {
    try { return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).exp * 1000; } catch { return 0; }
  }
  function idToken() {
    if (cached && expiry(cached) - 10000 > Date.now()) return Promise.resolve(cached);
    var request = embedded
      ? ask("idToken", {}).then(function (r) { return r.token; })
      : fetch(sandboxOrigin + "/admin/session-token", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ shop: config.shop }),
        }).then(function (r) { return r.json(); }).then(function (b) { return b.token; });
    return request.then(function (token) { cached = token; return token; });
  }

  // --- toasts -------------------------------------------------------------------------------
  var toastSeq = 0;
  function showToast(message, opts) {
    opts = opts || {};
    var id = "toast-" + ++toastSeq;
    if (embedded) {
      post("toast", { id: id, message: String(message), isError: !!opts.isError, duration: opts.duration || 5000 });
    } else {
      var el = document.createElement("div");
      el.textContent = String(message);
      el.setAttribute("role", "status");
      el.style.cssText = "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);padding:10px 16px;border-radius:10px;color:#fff;background:" + (opts.isError ? "#c70a24" : "#303030");
      document.body.appendChild(el);
      setTimeout(function () { el.remove(); }, opts.duration || 5000);
    }
    return id;
  }

  // --- fetch: same-origin requests carry the session token, as App Bridge v4 does -------------
  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    if (new URL(request.url, location.href).origin !== location.origin || request.headers.has("Authorization")) {
      return originalFetch(request);
    }
    var retryCopy = request.clone();
    function withToken(req, token) {
      var headers = new Headers(req.headers);
      headers.set("Authorization", "Bearer " + token);
      return originalFetch(new Request(req, { headers: headers }));
    }
    return idToken().then(function (token) { return withToken(request, token); }).then(function (response) {
      var reauth = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
      if (reauth) window.open(reauth, "_top");
      if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
        cached = null; // the app says the token was not good enough: fetch a fresh one, try once more
        return idToken().then(function (token) { return withToken(retryCopy, token); });
      }
      return response;
    });
  };

  // --- navigation: <ui-nav-menu> → admin left nav; admin clicks → shopify:navigate ------------
  var lastNav = "";
  function sendNav() {
    var menu = document.querySelector("ui-nav-menu");
    var items = menu ? Array.prototype.map.call(menu.querySelectorAll("a"), function (a) {
      return { href: a.getAttribute("href"), label: a.textContent.trim(), home: a.getAttribute("rel") === "home" };
    }) : [];
    var key = JSON.stringify(items);
    if (key !== lastNav) { lastNav = key; post("nav", { items: items, path: location.pathname }); }
  }
  function navigate(href) {
    var link = document.querySelector('ui-nav-menu a[href="' + String(href).replace(/"/g, '\\"') + '"]');
    var before = location.pathname + location.search;
    // The Remix AppProvider listens for shopify:navigate and navigates client-side once the next page's loaders
    // answer (the address changes only then, so a slow page must not be taken for an unheard event). A plain page
    // load is the fallback for a page without Remix only: it would drop the embedded session.
    var router = window.__remixRouter;
    if (link) link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, cancelable: true }));
    else if (router) { router.navigate(href); return; }
    if (router) return;
    setTimeout(function () {
      if (location.pathname + location.search === before && location.pathname !== href) location.assign(href);
    }, 300);
  }
  function defineHidden(name, onConnect) {
    if (!window.customElements || customElements.get(name)) return;
    customElements.define(name, class extends HTMLElement {
      connectedCallback() { this.style.display = "none"; if (onConnect) onConnect(this); }
    });
  }
  defineHidden("ui-nav-menu", function () { setTimeout(sendNav, 0); });
  defineHidden("ui-title-bar", function (el) { post("title", { title: el.getAttribute("title") || "" }); });
  function reportLocation() { post("location", { path: location.pathname }); }
  ["pushState", "replaceState"].forEach(function (method) {
    var original = history[method];
    history[method] = function () { var r = original.apply(this, arguments); reportLocation(); return r; };
  });
  window.addEventListener("popstate", reportLocation);
  document.addEventListener("DOMContentLoaded", function () {
    sendNav();
    reportLocation();
    new MutationObserver(sendNav).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  window.shopify = {
    __sandbox: true,
    config: config,
    environment: { embedded: embedded, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: showToast, hide: function () {} },
    loading: function () {},
  };

  // --- the /auth/session-token bounce: come back to shopify-reload with a fresh id_token -------
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, location.href);
      if (target.origin !== location.origin) return; // only ever bounce back into the app itself
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }
})();
