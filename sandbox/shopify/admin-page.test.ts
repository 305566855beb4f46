import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminHost, signAdminQuery } from "./admin-page";
import { startTestSandbox, TEST_APP, TEST_SHOP } from "./test-support";

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox({ appUrl: "http://127.0.0.1:3999" });
});
afterEach(() => sandbox.close());

// Shopify's own library decides whether the admin's signed app URL and id_token are genuine.
const shopify = shopifyApi({
  apiKey: TEST_APP.apiKey, apiSecretKey: TEST_APP.apiSecret, apiVersion: ApiVersion.January26,
  hostName: "127.0.0.1:3999", hostScheme: "http", isEmbeddedApp: true, logger: { level: LogSeverity.Error, log: async () => {} },
});

async function iframeSrc(path = "/app"): Promise<URL> {
  const res = await fetch(`${sandbox.url}/admin/apps?shop=${TEST_SHOP}&path=${encodeURIComponent(path)}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain("Demo OMS Outfitters");
  const src = /<iframe id="app-frame"[^>]* src="([^"]+)"/.exec(html)![1].replace(/&#38;/g, "&");
  return new URL(src);
}

describe("stand-in admin", () => {
  it("loads the app with a query Shopify's library accepts as signed, and a valid id_token", async () => {
    const src = await iframeSrc("/app/orders");
    expect(`${src.origin}${src.pathname}`).toBe("http://127.0.0.1:3999/app/orders");
    const q = Object.fromEntries(src.searchParams);
    expect(q).toMatchObject({ embedded: "1", shop: TEST_SHOP, locale: "en", host: adminHost(TEST_SHOP) });
    expect(Buffer.from(q.host, "base64").toString()).toBe("admin.shopify.com/store/demo-oms");
    expect(await shopify.utils.validateHmac(q)).toBe(true);
    expect(await shopify.utils.validateHmac({ ...q, shop: "evil.myshopify.com" })).toBe(false);
    const payload = await shopify.session.decodeSessionToken(q.id_token);
    expect(payload).toMatchObject({ dest: `https://${TEST_SHOP}`, iss: `https://${TEST_SHOP}/admin`, aud: TEST_APP.apiKey });
    expect(shopify.utils.sanitizeHost(q.host)).toBe(q.host);
  });

  it("mints fresh session tokens for the stand-in App Bridge and serves its script", async () => {
    const res = await fetch(`${sandbox.url}/admin/session-token`, { method: "POST", body: JSON.stringify({ shop: TEST_SHOP }) });
    const { token } = (await res.json()) as { token: string };
    expect(await shopify.session.decodeSessionToken(token)).toMatchObject({ dest: `https://${TEST_SHOP}` });
    expect((await fetch(`${sandbox.url}/admin/session-token`, { method: "POST", body: JSON.stringify({ shop: "x.myshopify.com" }) })).status).toBe(404);
    const js = await fetch(`${sandbox.url}/app-bridge.js`);
    expect(js.headers.get("content-type")).toContain("javascript");
    const text = await js.text();
    for (const piece of ["idToken", "shopify-reload", "shopify:navigate", "ui-nav-menu", "Authorization"]) expect(text).toContain(piece);
  });

  it("signs like Shopify: sorted keys, hmac and signature excluded", () => {
    const a = signAdminQuery({ shop: "a.myshopify.com", timestamp: "1", embedded: "1" }, "s");
    expect(signAdminQuery({ timestamp: "1", embedded: "1", shop: "a.myshopify.com", hmac: "x" }, "s")).toBe(a);
    expect(signAdminQuery({ shop: "a.myshopify.com", timestamp: "2", embedded: "1" }, "s")).not.toBe(a);
  });
});
