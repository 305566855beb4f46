import { describe, expect, it } from "vitest";
import { allowExtraFrameAncestors, preloadConfiguredAppBridge } from "./document-headers";

describe("allowExtraFrameAncestors", () => {
  const base = "frame-ancestors https://demo.myshopify.com https://admin.shopify.com;";
  it("adds the configured origin to Shopify's frame-ancestors", () => {
    const headers = new Headers({ "Content-Security-Policy": base });
    allowExtraFrameAncestors(headers, "http://127.0.0.1:3001");
    expect(headers.get("Content-Security-Policy")).toBe("frame-ancestors https://demo.myshopify.com https://admin.shopify.com http://127.0.0.1:3001;");
  });
  it("changes nothing when unset or when the value is not an origin", () => {
    for (const extra of [undefined, "", "javascript:alert(1)", "*"]) {
      const headers = new Headers({ "Content-Security-Policy": base });
      allowExtraFrameAncestors(headers, extra);
      expect(headers.get("Content-Security-Policy")).toBe(base);
    }
  });
});

describe("preloadConfiguredAppBridge", () => {
  const cdn = '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";';
  it("points the preload at the configured App Bridge", () => {
    const headers = new Headers({ Link: cdn });
    preloadConfiguredAppBridge(headers, "http://127.0.0.1:3001/app-bridge.js");
    expect(headers.get("Link")).toBe('<http://127.0.0.1:3001/app-bridge.js>; rel="preload"; as="script";');
  });
  it("keeps Shopify's CDN when nothing is configured", () => {
    const headers = new Headers({ Link: cdn });
    preloadConfiguredAppBridge(headers, undefined);
    expect(headers.get("Link")).toBe(cdn);
  });
});
