import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxy } from "~/.server/shopify/verify-app-proxy";
import { PORTAL_LIMITS } from "~/domain/portal/journey";
import { action as portalAction, loader as portalLoader } from "~/routes/proxy";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Issue 14, the customer portal through Shopify's app proxy (ADR 0026): only requests Shopify signed for this app
// are answered; a customer who gives their order's number and email sees its journey (partly shipped, the carrier's
// tracking, what waits for stock); a wrong email, an unknown number and another shop's order all get the same
// answer; the 101st lookup from one client within the hour is refused with 429.

const SHOP = "portal.myshopify.com";
const SECRET = process.env.SHOPIFY_API_SECRET!;
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
});
afterAll(() => f.close());

function signed(params: Record<string, string>, opts: { secret?: string; timestamp?: number } = {}): URLSearchParams {
  const q = new URLSearchParams({ shop: SHOP, path_prefix: "/apps/orders", timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)), ...params });
  q.set("signature", signAppProxy(q, opts.secret ?? SECRET));
  return q;
}
const get = (q: URLSearchParams) => portalLoader({ request: new Request(`http://127.0.0.1:3999/proxy?${q}`), params: {}, context: {} }) as Promise<Response>;
const post = (q: URLSearchParams, form: Record<string, string>, client = "203.0.113.7") =>
  portalAction({
    request: new Request(`http://127.0.0.1:3999/proxy?${q}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": `${client}, 10.0.0.1` }, body: new URLSearchParams(form).toString() }),
    params: {}, context: {},
  }) as Promise<Response>;

describe("the customer portal", () => {
  it("answers only requests Shopify signed for this app, recently", async () => {
    const ok = await get(signed({}));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<form method="post" action="/apps/orders">');
    const unsigned = new URLSearchParams({ shop: SHOP, timestamp: String(Math.floor(Date.now() / 1000)) });
    expect((await get(unsigned)).status).toBe(401);
    expect((await get(signed({}, { secret: "another app" }))).status).toBe(401);
    expect((await get(signed({}, { timestamp: Math.floor(Date.now() / 1000) - 7_200 }))).status).toBe(401);
    const forged = signed({});
    forged.set("shop", "other.myshopify.com");
    expect((await post(forged, { number: "#1", email: "a@b.c" })).status).toBe(401);
  });

  it("shows the journey of an order to the customer who placed it: partly shipped with tracking, the rest waiting for stock", async () => {
    const ready = await f.skuWithStock({ newark: 5 });
    const scarce = await f.skuWithStock({ newark: 0 });
    const order = await f.placeOrder([{ sku: ready.sku, quantity: 1 }, { sku: scarce.sku, quantity: 2 }]);
    const [readyLine] = order.line_items;
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { lines: [{ lineItemId: readyLine.id, quantity: 1 }], trackingNumber: "1ZPORTAL01" }));

    const response = await post(signed({}), { number: order.name.replace("#", ""), email: order.email!.toUpperCase() });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`<h1>Order ${order.name}</h1>`);
    expect(page).toContain("Partly shipped: 1 of 3 items are on their way; the rest follow.");
    expect(page).toContain("2 items are on backorder");
    expect(page).toContain('<a href="https://www.ups.com/track?tracknum=1ZPORTAL01" rel="noopener noreferrer">1ZPORTAL01</a>');
    expect(page).not.toContain("Newark"); // where it ships from is ours, not the customer's
  });

  it("says the same, revealing nothing, for a wrong email, an unknown number, a malformed number and another shop's order", async () => {
    const item = await f.skuWithStock({ newark: 5 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    const answer = async (form: Record<string, string>, client: string) => {
      const r = await post(signed({}), form, client);
      return { status: r.status, body: (await r.text()).replace(/value="[^"]*"/g, 'value=""') };
    };
    const wrongEmail = await answer({ number: order.name, email: "someone.else@example.com" }, "198.51.100.1");
    expect(wrongEmail.status).toBe(200);
    expect(wrongEmail.body).toContain("We could not find an order with that number and email address.");
    expect(await answer({ number: "#999999", email: order.email! }, "198.51.100.2")).toEqual(wrongEmail);
    expect(await answer({ number: "<script>", email: order.email! }, "198.51.100.3")).toEqual(wrongEmail);
    // The same order number asked through another shop's proxy (a shop with no data here).
    const other = new URLSearchParams({ shop: "elsewhere.myshopify.com", path_prefix: "/apps/orders", timestamp: String(Math.floor(Date.now() / 1000)) });
    other.set("signature", signAppProxy(other, SECRET));
    const elsewhere = await post(other, { number: order.name, email: order.email! }, "198.51.100.4");
    expect(await elsewhere.text()).not.toContain(`Order ${order.name}`);
  });

  it("refuses the lookup past the limit per client in the window (429), and per order number", async () => {
    const client = "192.0.2.99";
    for (let i = 1; i <= PORTAL_LIMITS.perClient; i++) {
      const r = await post(signed({}), { number: `#${900_000 + i}`, email: "guess@example.com" }, client);
      expect(r.status).toBe(200);
    }
    const refused = await post(signed({}), { number: "#1", email: "guess@example.com" }, client);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(PORTAL_LIMITS.windowMs / 1000));
    expect((await post(signed({}), { number: "#1", email: "guess@example.com" }, "192.0.2.100")).status).toBe(200); // another client

    for (let i = 1; i <= PORTAL_LIMITS.perOrder; i++) await post(signed({}), { number: "#424242", email: `guess${i}@example.com` }, `192.0.2.${i}`);
    expect((await post(signed({}), { number: "424242", email: "last@example.com" }, "192.0.2.200")).status).toBe(429); // #424242 and 424242 are one number
  });
});
