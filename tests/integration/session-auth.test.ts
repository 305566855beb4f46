import { beforeAll, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ensureShop } from "~/.server/db/shops";
import { ingestShopifyOrder } from "~/.server/use-cases/ingest-shopify-order";
import { bearerArgs, BROWSER_UA, statusOf } from "../support/requests";
import { mintSessionToken, type MintSessionTokenOptions } from "../../sandbox/shopify/session-token";
import { shopifyOrderBody } from "../support/orders";
import { loader as apiOrders } from "~/routes/api.v1.orders";
import { loader as apiShop } from "~/routes/api.v1.shop";
import { loader as dashboard } from "~/routes/app._index";
import { loader as ordersPage } from "~/routes/app.orders._index";
import { addSession } from "../support/sessions";

// Session tokens are validated like App Bridge requests on /app/* and /api/v1/*; a token for shop A
// never returns shop B's rows.

const A = "shop-a.myshopify.com";
const B = "shop-b.myshopify.com";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
const BROWSER = BROWSER_UA;
const HOST = Buffer.from("admin.shopify.com/store/x").toString("base64").replace(/=+$/, "");

const token = (shop: string, opts: MintSessionTokenOptions = {}) => mintSessionToken(app, shop, opts);

const bearer = (path: string, tokenValue: string) => bearerArgs(path, tokenValue);

function documentLoad(path: string, shop: string, idToken: string): LoaderFunctionArgs {
  const url = `http://127.0.0.1:3999${path}?embedded=1&shop=${shop}&host=${HOST}&id_token=${idToken}`;
  return { request: new Request(url, { headers: { "User-Agent": BROWSER } }), params: {}, context: {} };
}


async function json(run: () => Promise<Response>) {
  const response = await run();
  expect(response.status).toBe(200);
  return response.json();
}

beforeAll(async () => {
  for (const shop of [A, B]) {
    await ensureShop(shop);
    // An offline session that is already there (as after install): no token exchange needed.
    await addSession({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: `shpat_${shop}`, scope: process.env.SCOPES ?? "read_orders", expires: new Date(Date.now() + 86_400_000), refreshToken: "r", refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000) });
  }
  await ingestShopifyOrder(A, shopifyOrderBody({ id: "1111111111111111111", email: "a@example.com" }));
  await ingestShopifyOrder(A, shopifyOrderBody({ id: "1111111111111111112", email: "a2@example.com" }));
  await ingestShopifyOrder(B, shopifyOrderBody({ id: "2222222222222222221", email: "b@example.com" }));
});

describe("/api/v1 with a Shopify session token", () => {
  it("GET /api/v1/shop answers for the token's shop", async () => {
    const body = await json(() => apiShop(bearer("/api/v1/shop", token(A))));
    expect(body.shop.domain).toBe(A);
  });

  it("GET /api/v1/orders returns only the token's shop's orders, with lines", async () => {
    const body = await json(() => apiOrders(bearer("/api/v1/orders", token(A))));
    expect(body.orders.map((o: { externalId: string }) => o.externalId).sort()).toEqual(["1111111111111111111", "1111111111111111112"]);
    expect(body.orders[0].lines[0]).toMatchObject({ sku: "TEST-SKU-1", quantity: 2, priceMinor: 2125 });
    const forB = await json(() => apiOrders(bearer("/api/v1/orders", token(B))));
    expect(forB.orders.map((o: { externalId: string }) => o.externalId)).toEqual(["2222222222222222221"]);
  });

  it("filters by channel and external id, and never reaches another shop's order", async () => {
    const hit = await json(() => apiOrders(bearer("/api/v1/orders?channel=shopify&externalId=1111111111111111112", token(A))));
    expect(hit.orders).toHaveLength(1);
    expect(hit.orders[0].name).toMatch(/^#\d+/);
    const other = await json(() => apiOrders(bearer("/api/v1/orders?externalId=2222222222222222221", token(A))));
    expect(other.orders).toEqual([]);
    const amazon = await json(() => apiOrders(bearer("/api/v1/orders?channel=amazon", token(A))));
    expect(amazon.orders).toEqual([]);
  });

  it("rejects a bad query with a clear 400", async () => {
    const response = await apiOrders(bearer("/api/v1/orders?channel=fax", token(A)));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("QUERY.INVALID");
  });

  it("answers 401 without a token", async () => {
    const request = new Request("http://127.0.0.1:3999/api/v1/orders", { headers: { "User-Agent": BROWSER } });
    expect(await statusOf(() => apiOrders({ request, params: {}, context: {} }))).toBe(401);
  });
});

const BAD_TOKENS: [string, MintSessionTokenOptions][] = [
  ["wrong audience", { audience: "some-other-app" }],
  ["expired", { expired: true }],
  ["signed with another secret", { secret: "not-our-secret" }],
];

describe.each(BAD_TOKENS)("a session token that is %s", (_label, opts) => {
  it("gets 401 on /api/v1/*", async () => {
    expect(await statusOf(() => apiShop(bearer("/api/v1/shop", token(A, opts))))).toBe(401);
    expect(await statusOf(() => apiOrders(bearer("/api/v1/orders", token(A, opts))))).toBe(401);
  });

  it("gets 401 on /app/* data requests (Bearer, as App Bridge sends them)", async () => {
    expect(await statusOf(() => dashboard(bearer("/app", token(A, opts))))).toBe(401);
    expect(await statusOf(() => ordersPage(bearer("/app/orders", token(A, opts))))).toBe(401);
  });

  it("never gets data on an /app/* document load (id_token in the URL)", async () => {
    const status = await statusOf(() => dashboard(documentLoad("/app", A, token(A, opts))));
    if (opts.expired) {
      // Stale but genuine (a reloaded iframe): Shopify's library bounces through App Bridge for a fresh one.
      expect(status).toBe(302);
    } else {
      expect(status).toBe(401);
    }
  });
});

describe("an expired token on a document load", () => {
  it("is sent to the App Bridge bounce page, which carries no shop data", async () => {
    try {
      await dashboard(documentLoad("/app", A, token(A, { expired: true })));
      expect.unreachable("the loader must not answer with data");
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).headers.get("location")).toMatch(/^\/auth\/session-token\?/);
    }
  });
});

describe("the admin pages", () => {
  it("show the token's shop's data only", async () => {
    const page = (await ordersPage(bearer("/app/orders", token(B)))) as { orders: { name: string }[] };
    expect(page.orders).toHaveLength(1);
    const dash = (await dashboard(bearer("/app", token(A)))) as { ordersTodayTotal: number; recentOrders: unknown[] };
    expect(dash.recentOrders).toHaveLength(2);
  });
});
