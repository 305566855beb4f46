// Shopify's own Node library, unchanged, talking to the stand-in through routeShopTrafficTo:
// token exchange, then an Admin GraphQL query, exactly as the app does against real Shopify.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { afterEach, describe, expect, it } from "vitest";
import { routeShopTrafficTo } from "./route-shop-traffic";
import { startTestSandbox, TEST_APP, TEST_SHOP } from "./test-support";

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("@shopify/shopify-api against the sandbox", () => {
  it("exchanges a session token and queries the shop", async () => {
    const sandbox = await startTestSandbox();
    cleanup.push(() => sandbox.close());
    cleanup.push(routeShopTrafficTo(sandbox.url));
    const shopify = shopifyApi({
      apiKey: TEST_APP.apiKey, apiSecretKey: TEST_APP.apiSecret, apiVersion: ApiVersion.January26,
      hostName: "127.0.0.1:3999", hostScheme: "http", isEmbeddedApp: true, logger: { level: LogSeverity.Error, log: async () => {} },
    });
    const { session } = await shopify.auth.tokenExchange({
      shop: TEST_SHOP, sessionToken: sandbox.mintSessionToken(TEST_SHOP), requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    expect(session.accessToken).toMatch(/^shpat_/);
    const client = new shopify.clients.Graphql({ session });
    const response = await client.request<{ shop: { name: string } }>(`query { shop { name } }`);
    expect(response.data?.shop.name).toBe("Demo OMS Outfitters");
    expect(response.extensions).toMatchObject({ cost: { requestedQueryCost: 1, actualQueryCost: 1 } });
  });
});
