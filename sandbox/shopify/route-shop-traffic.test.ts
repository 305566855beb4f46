import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getGlobalDispatcher } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { routeShopTrafficTo } from "./route-shop-traffic";
import { startTestSandbox, TEST_SHOP } from "./test-support";

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("routeShopTrafficTo", () => {
  it("sends https://<shop>.myshopify.com to the sandbox with the shop as Host, via global fetch", async () => {
    const sandbox = await startTestSandbox();
    cleanup.push(() => sandbox.close());
    const before = getGlobalDispatcher();
    const uninstall = routeShopTrafficTo(sandbox.url);
    const res = await fetch(`https://${TEST_SHOP}/admin/api/2026-01/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": sandbox.token },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-shopify-api-version")).toBe("2026-01");
    expect(await res.json()).toMatchObject({ data: { shop: { myshopifyDomain: TEST_SHOP } } });
    uninstall();
    expect(getGlobalDispatcher()).toBe(before);
  });

  it("passes other traffic through unchanged", async () => {
    const server: Server = createServer((req, res) => res.end(`host=${req.headers.host}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise((resolve) => server.close(resolve)));
    const sandbox = await startTestSandbox();
    cleanup.push(() => sandbox.close());
    cleanup.push(routeShopTrafficTo(sandbox.url));
    const port = (server.address() as AddressInfo).port;
    expect(await (await fetch(`http://127.0.0.1:${port}/x`)).text()).toBe(`host=127.0.0.1:${port}`);
  });
});
