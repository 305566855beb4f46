import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appProxyMessage, signAppProxy, verifyAppProxy } from "./verify-app-proxy";

const SECRET = "hush";
const NOW = new Date("2026-12-05T12:00:00Z");
const ts = String(NOW.getTime() / 1000);

describe("app proxy signatures", () => {
  it("signs what Shopify's documentation signs: sorted key=value pairs, multi-values joined by commas, no separator", () => {
    // Shopify's documented example: extra=1&extra=2&path_prefix=%2Fapps%2Fawesome_reviews&shop=shop-name.myshopify.com&timestamp=1317327555
    const params = new URLSearchParams("shop=shop-name.myshopify.com&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&extra=1&extra=2");
    expect(appProxyMessage(params)).toBe("extra=1,2path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555");
    expect(signAppProxy(params, SECRET)).toBe(createHmac("sha256", SECRET).update("extra=1,2path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555").digest("hex"));
  });

  it("accepts a request Shopify signed and says which shop and customer it is for", () => {
    const params = new URLSearchParams({ shop: "demo.myshopify.com", path_prefix: "/apps/orders", timestamp: ts, logged_in_customer_id: "42" });
    params.set("signature", signAppProxy(params, SECRET));
    expect(verifyAppProxy(params, SECRET, NOW)).toEqual({ ok: true, shopDomain: "demo.myshopify.com", customerId: "42" });
  });

  it("refuses a missing, altered or foreign signature, another shop, and a stale link", () => {
    const params = new URLSearchParams({ shop: "demo.myshopify.com", path_prefix: "/apps/orders", timestamp: ts });
    expect(verifyAppProxy(params, SECRET, NOW)).toMatchObject({ ok: false, reason: "missing or malformed signature" });
    params.set("signature", signAppProxy(params, "another app's secret"));
    expect(verifyAppProxy(params, SECRET, NOW)).toMatchObject({ ok: false, reason: "signature does not match" });
    params.set("signature", signAppProxy(params, SECRET));
    const tampered = new URLSearchParams(params);
    tampered.set("shop", "other.myshopify.com");
    expect(verifyAppProxy(tampered, SECRET, NOW)).toMatchObject({ ok: false, reason: "signature does not match" });
    expect(verifyAppProxy(params, SECRET, new Date(NOW.getTime() + 3_600_000))).toMatchObject({ ok: false, reason: "timestamp missing or too far from now" });
  });
});
