import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAppProxy } from "../../app/.server/shopify/verify-app-proxy";
import { startShopifySandbox, type ShopifySandbox } from "./server";

// The stand-in storefront's app proxy (/apps/orders): forwards GET and POST to the app's /proxy with Shopify's
// signature (checked here by the app's own verifier), keeps the customer's query and form, hands back the answer.

const SECRET = "proxy-test-secret";
let app: Server;
let sandbox: ShopifySandbox;
const seen: { url: string; method: string; body: string; forwardedFor: string | undefined }[] = [];

beforeAll(async () => {
  app = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", method: req.method ?? "", body, forwardedFor: req.headers["x-forwarded-for"] as string | undefined });
      const check = verifyAppProxy(new URL(req.url ?? "/", "http://app").searchParams, SECRET);
      res.writeHead(check.ok ? 200 : 401, { "Content-Type": "text/html; charset=utf-8" }).end(check.ok ? `hello ${check.shopDomain}` : "refused");
    });
  });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()));
  sandbox = await startShopifySandbox({ apiKey: "k", apiSecret: SECRET, appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((r) => app.close(() => r()));
});

describe("the stand-in's app proxy", () => {
  it("signs what it forwards as Shopify does, keeping the query and the form, and remembers the shop for the form's post", async () => {
    const shop = [...sandbox.store.shops.keys()][0];
    const get = await fetch(`${sandbox.url}/apps/orders?shop=${shop}&label=R1001&t=abc&signature=forged`);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe(`hello ${shop}`);
    const forwarded = new URL(seen[0].url, "http://app");
    expect(forwarded.pathname).toBe("/proxy");
    expect(Object.fromEntries(forwarded.searchParams)).toMatchObject({ shop, label: "R1001", t: "abc", path_prefix: "/apps/orders", logged_in_customer_id: "" });
    expect(seen[0].forwardedFor).toBe("127.0.0.1");
    const cookie = get.headers.get("set-cookie")!.split(";")[0];

    const post = await fetch(`${sandbox.url}/apps/orders`, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: "number=%231001&email=a%40b.c" });
    expect(post.status).toBe(200);
    expect(seen[1]).toMatchObject({ method: "POST", body: "number=%231001&email=a%40b.c" });
    expect(new URL(seen[1].url, "http://app").searchParams.get("shop")).toBe(shop);
    expect((await fetch(`${sandbox.url}/apps/orders?shop=unknown.myshopify.com`)).status).toBe(404);
  });
});
