import { env } from "../env";

// Adjustments to the document headers Shopify's library sets, for running against a local admin.
// Both are driven by explicit configuration and change nothing when it is unset (production).

/**
 * Shopify's library restricts framing to the shop's admin origins (CSP frame-ancestors). The local
 * stand-in admin lives elsewhere (http://127.0.0.1:…), so the demo names it in FRAME_ANCESTORS_EXTRA.
 */
export function allowExtraFrameAncestors(headers: Headers, extra = env().FRAME_ANCESTORS_EXTRA): void {
  if (!extra) return;
  const csp = headers.get("Content-Security-Policy");
  if (!csp || !csp.includes("frame-ancestors")) return;
  const origins = extra.split(/[\s,]+/).filter((o) => /^https?:\/\/[\w.-]+(:\d+)?$/.test(o));
  if (origins.length === 0) return;
  headers.set("Content-Security-Policy", csp.replace(/frame-ancestors([^;]*)/, (_all, list: string) => `frame-ancestors${list} ${origins.join(" ")}`));
}

/** The library preloads App Bridge from Shopify's CDN; preload the configured APP_BRIDGE_URL instead. */
export function preloadConfiguredAppBridge(headers: Headers, appBridgeUrl = env().APP_BRIDGE_URL): void {
  const link = headers.get("Link");
  if (!appBridgeUrl || !link) return;
  headers.set("Link", link.replace("https://cdn.shopify.com/shopifycloud/app-bridge.js", appBridgeUrl));
}
