import { describe, expect, it } from "vitest";
import { allowExtraFrameAncestors } from "./frame-ancestors";

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
