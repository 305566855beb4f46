import { env } from "../env";

// Shopify's library restricts framing to the shop's admin origins (CSP frame-ancestors). The local
// stand-in admin lives elsewhere (http://127.0.0.1:…), so the demo names it in FRAME_ANCESTORS_EXTRA.
// Unset in production: nothing changes.

export function allowExtraFrameAncestors(headers: Headers, extra = env().FRAME_ANCESTORS_EXTRA): void {
  if (!extra) return;
  const csp = headers.get("Content-Security-Policy");
  if (!csp || !csp.includes("frame-ancestors")) return;
  const origins = extra.split(/[\s,]+/).filter((o) => /^https?:\/\/[\w.-]+(:\d+)?$/.test(o));
  if (origins.length === 0) return;
  headers.set("Content-Security-Policy", csp.replace(/frame-ancestors([^;]*)/, (_all, list: string) => `frame-ancestors${list} ${origins.join(" ")}`));
}
