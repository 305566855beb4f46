import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { labelToken } from "~/.server/portal/portal-tokens";
import { setCarrierPort } from "~/.server/returns/carrier-port";
import { sandboxCarrier } from "../../sandbox/returns/sandbox-carrier";
import { queryNumber, queryRow } from "../support/db-query";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { remixRequestHandler } from "../support/remix-app";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Issue 14, the customer-account extension's endpoints (ADR 0028), through the app's route table: the journey of an
// order for the customer who placed it, with a session token as Shopify mints it (HS256 with the app's secret,
// aud = API key, dest = shop, sub = customer GID), signed here with node:crypto, not the library the app verifies
// with. A forged, expired, foreign or missing token is one 401; another customer's, another shop's or an unknown
// order is one 404; every answer carries CORS for the extension's worker; "Start a return" creates an RMA (ADR 0036).

const SHOP = "account-ext.myshopify.com";
const OTHER_SHOP = "account-ext-other.myshopify.com";
const API_KEY = process.env.SHOPIFY_API_KEY!;
const SECRET = process.env.SHOPIFY_API_SECRET!;
const ORIGIN = "https://extensions.shopifycdn.com";
let f: ShopFixture;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  await ensureShop(OTHER_SHOP);
  handle = await remixRequestHandler();
});
afterAll(() => f.close());

interface Claims { dest?: unknown; aud?: unknown; sub?: unknown; exp?: unknown; nbf?: unknown; iat?: unknown }
function token(claims: Claims, opts: { secret?: string; alg?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: `https://${SHOP}`, dest: SHOP, aud: API_KEY, exp: now + 300, nbf: now - 1, iat: now - 1, jti: randomUUID(), sid: randomUUID(), ...claims };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${b64({ alg: opts.alg ?? "HS256", typ: "JWT" })}.${b64(body)}`;
  return `${unsigned}.${createHmac("sha256", opts.secret ?? SECRET).update(unsigned).digest("base64url")}`;
}

const url = (orderGid: string, what: "journey" | "returns") => `http://127.0.0.1:3999/customer-account/orders/${encodeURIComponent(orderGid)}/${what}`;
const call = (orderGid: string, what: "journey" | "returns", bearer: string | null, init: RequestInit = {}) =>
  handle(new Request(url(orderGid, what), { ...init, headers: { Origin: ORIGIN, ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...(init.headers as Record<string, string> | undefined) } }));

async function placed() {
  const item = await f.skuWithStock({ newark: 5 });
  const order = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
  return { order, orderGid: order.admin_graphql_api_id, customerGid: order.customer!.admin_graphql_api_id };
}

describe("the customer-account journey endpoint", () => {
  it("shows the signed-in customer their order: partly shipped with tracking, the rest waiting for stock, never our locations", async () => {
    const ready = await f.skuWithStock({ newark: 5 });
    const scarce = await f.skuWithStock({ newark: 0 });
    const order = await f.placeOrder([{ sku: ready.sku, quantity: 1 }, { sku: scarce.sku, quantity: 2 }]);
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { lines: [{ lineItemId: order.line_items[0].id, quantity: 1 }], trackingNumber: "1ZACCOUNT1" }));

    const response = await call(order.admin_graphql_api_id, "journey", token({ sub: order.customer!.admin_graphql_api_id }));
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    const { journey } = JSON.parse(text);
    expect(journey).toMatchObject({
      name: order.name, state: "partly_shipped", units: { ordered: 3, shipped: 1, backordered: 2 },
      steps: [{ key: "ordered", done: true }, { key: "being_prepared", done: true }, { key: "partly_shipped", done: true }, { key: "delivered", done: false }],
      backorder: { units: 2 },
    });
    expect(journey.shipments).toEqual([expect.objectContaining({ carrier: "UPS", units: 1, tracking: [{ number: "1ZACCOUNT1", url: "https://www.ups.com/track?tracknum=1ZACCOUNT1" }] })]);
    expect(text).not.toMatch(/newark|dallas|reno/i); // where it ships from is ours, not the customer's
  });

  it("accepts a token a few seconds past its expiry (clock skew), not half a minute", async () => {
    const { orderGid, customerGid } = await placed();
    const now = Math.floor(Date.now() / 1000);
    expect((await call(orderGid, "journey", token({ sub: customerGid, exp: now - 3, nbf: now - 60 }))).status).toBe(200);
    expect((await call(orderGid, "journey", token({ sub: customerGid, exp: now - 30, nbf: now - 90 }))).status).toBe(401);
  });

  it("refuses a missing, forged, expired, not-yet-valid or foreign token alike (401), whatever the order", async () => {
    const { orderGid, customerGid } = await placed();
    const now = Math.floor(Date.now() / 1000);
    const bad: [string, string | null][] = [
      ["missing", null],
      ["garbage", "not-a-token"],
      ["another app's secret", token({ sub: customerGid }, { secret: "another app" })],
      ["expired", token({ sub: customerGid, exp: now - 120, nbf: now - 420 })],
      ["not valid yet", token({ sub: customerGid, nbf: now + 120 })],
      ["another app's API key", token({ sub: customerGid, aud: "someone-else" })],
      ["dest not a shop", token({ sub: customerGid, dest: "https://evil.example" })],
      ["no dest", token({ sub: customerGid, dest: undefined })],
      ["alg none", token({ sub: customerGid }, { alg: "none" })],
    ];
    const answers = [] as { status: number; body: string; cors: string | null }[];
    for (const [, bearer] of bad) {
      const r = await call(orderGid, "journey", bearer);
      answers.push({ status: r.status, body: await r.text(), cors: r.headers.get("access-control-allow-origin") });
    }
    expect(answers[0]).toEqual({ status: 401, body: expect.stringContaining("SESSION.INVALID"), cors: "*" });
    for (const [i, a] of answers.entries()) expect(a, bad[i][0]).toEqual(answers[0]);
    // The same for an order that does not exist: a bad token learns nothing about orders.
    const unknown = await call("gid://shopify/Order/999999999", "journey", token({ sub: customerGid }, { secret: "another app" }));
    expect({ status: unknown.status, body: await unknown.text() }).toEqual({ status: 401, body: answers[0].body });
  });

  it("answers another customer's order, another shop's, an unknown one and a token without a customer alike (404)", async () => {
    const mine = await placed();
    const theirs = await placed();
    const answer = async (orderGid: string, claims: Claims) => {
      const r = await call(orderGid, "journey", token(claims));
      return { status: r.status, body: await r.text(), cors: r.headers.get("access-control-allow-origin") };
    };
    const otherCustomer = await answer(theirs.orderGid, { sub: mine.customerGid });
    expect(otherCustomer).toEqual({ status: 404, body: expect.stringContaining("ORDER.NOT_FOUND"), cors: "*" });
    expect(await answer(mine.orderGid, { sub: mine.customerGid, dest: OTHER_SHOP })).toEqual(otherCustomer); // another shop (installed) asking for this shop's order
    expect(await answer(mine.orderGid, { sub: mine.customerGid, dest: "never-installed.myshopify.com" })).toEqual(otherCustomer);
    expect(await answer("gid://shopify/Order/999999999", { sub: mine.customerGid })).toEqual(otherCustomer);
    expect(await answer("1; DROP TABLE", { sub: mine.customerGid })).toEqual(otherCustomer);
    expect(await answer(mine.orderGid, {})).toEqual(otherCustomer); // no signed-in customer
    expect(await answer(mine.orderGid, { sub: "gid://shopify/Customer/abc" })).toEqual(otherCustomer);
    // …while the owner, with the right shop, sees it.
    expect((await answer(mine.orderGid, { sub: mine.customerGid })).status).toBe(200);
  });

  it("answers the CORS preflight of the extension's worker, and refuses other methods with CORS", async () => {
    for (const what of ["journey", "returns"] as const) {
      const pre = await handle(new Request(url("gid://shopify/Order/1", what), {
        method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": what === "journey" ? "GET" : "POST", "Access-Control-Request-Headers": "authorization, content-type" },
      }));
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe("*");
      expect(pre.headers.get("access-control-allow-methods")).toContain(what === "journey" ? "GET" : "POST");
      expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    }
    const { orderGid, customerGid } = await placed();
    const wrong = await call(orderGid, "journey", token({ sub: customerGid }), { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("access-control-allow-origin")).toBe("*");
    expect((await call(orderGid, "returns", token({ sub: customerGid }), { method: "DELETE" })).status).toBe(405);
  });
});

describe("starting a return from the order status page", () => {
  const post = (orderGid: string, bearer: string | null, body: unknown = {}) =>
    call(orderGid, "returns", bearer, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  beforeAll(() => setCarrierPort(sandboxCarrier()));
  afterAll(() => setCarrierPort(null));

  /** A shipped order of 2 units of one line, as Shopify GIDs. */
  async function shipped() {
    const item = await f.skuWithStock({ newark: 5 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site("newark").shopifyId }));
    return { order, orderGid: order.admin_graphql_api_id, customerGid: order.customer!.admin_graphql_api_id, lineItemId: order.line_items[0].admin_graphql_api_id };
  }
  const rmasOf = (shopifyOrderId: number | bigint) =>
    queryNumber(`SELECT COUNT(*) FROM "ReturnRequest" r JOIN "Order" o ON o."id" = r."orderId" WHERE o."shopId" = ? AND o."externalId" = ?`, f.shopId, String(shopifyOrderId));

  it("offers the owner the returnable lines by LineItem GID, and a good token creates the RMA with its label link", async () => {
    const o = await shipped();
    const options = await call(o.orderGid, "returns", token({ sub: o.customerGid }));
    expect(options.status).toBe(200);
    expect(options.headers.get("access-control-allow-origin")).toBe("*");
    const offered = await options.json();
    expect(offered.lines).toEqual([{ lineItemId: o.lineItemId, title: expect.any(String), sku: expect.any(String), returnable: 2, message: null }]);
    expect(offered.reasons).toContainEqual({ code: "wrong_size", label: "Wrong size" });
    expect(offered.returns).toEqual([]);

    const r = await post(o.orderGid, token({ sub: o.customerGid }), { lines: [{ lineItemId: o.lineItemId, quantity: 1, reason: "wrong_size" }] });
    expect(r.status).toBe(201);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    const { return: rma, created } = await r.json();
    expect(created).toBe(true);
    expect(rma).toMatchObject({ number: expect.stringMatching(/^R\d+$/), status: "requested", lines: [{ lineItemId: o.lineItemId, quantity: 1, reason: "wrong_size" }] });
    expect(rma.labelUrl).toBe(`https://${SHOP}/apps/orders?label=${rma.number}&t=${labelToken(SECRET, SHOP, rma.number)}`);
    expect(await queryRow(`SELECT r."source", r."status" FROM "ReturnRequest" r WHERE r."shopId" = ? AND r."number" = ?`, f.shopId, rma.number)).toEqual({ source: "customer_account", status: "requested" });
    // The same request again is the same RMA; the order now offers the one unit left.
    const again = await post(o.orderGid, token({ sub: o.customerGid }), { lines: [{ lineItemId: o.lineItemId, quantity: 1, reason: "wrong_size" }] });
    expect(again.status).toBe(200);
    expect((await again.json()).return.number).toBe(rma.number);
    const after = await (await call(o.orderGid, "returns", token({ sub: o.customerGid }))).json();
    expect(after.lines[0].returnable).toBe(1);
    expect(after.returns).toEqual([{ number: rma.number, status: "requested", createdAt: expect.any(String), labelUrl: rma.labelUrl }]);
    expect(await rmasOf(o.order.id)).toBe(1);
  });

  it("refuses a bad or expired token with the one 401, creating nothing", async () => {
    const o = await shipped();
    const body = { lines: [{ lineItemId: o.lineItemId, quantity: 1, reason: "damaged" }] };
    const now = Math.floor(Date.now() / 1000);
    const answers: { status: number; body: string }[] = [];
    for (const bearer of [null, token({ sub: o.customerGid }, { secret: "another app" }), token({ sub: o.customerGid, exp: now - 60, nbf: now - 400 }), token({ sub: o.customerGid, aud: "someone-else" }), "not.a.token"]) {
      const r = await post(o.orderGid, bearer, body);
      answers.push({ status: r.status, body: await r.text() });
    }
    expect(answers[0].status).toBe(401);
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect((await call(o.orderGid, "returns", token({ sub: o.customerGid, exp: now - 60, nbf: now - 400 }))).status).toBe(401);
    expect(await rmasOf(o.order.id)).toBe(0);
  });

  it("answers another customer's order, another shop's and an unknown order with the same 404, whatever the body", async () => {
    const mine = await shipped();
    const theirs = await shipped();
    const answer = async (orderGid: string, claims: Claims, body: unknown) => {
      const r = await post(orderGid, token(claims), body);
      return { status: r.status, body: await r.text() };
    };
    const good = { lines: [{ lineItemId: theirs.lineItemId, quantity: 1, reason: "damaged" }] };
    const otherCustomer = await answer(theirs.orderGid, { sub: mine.customerGid }, good);
    expect(otherCustomer.status).toBe(404);
    expect(await answer(theirs.orderGid, { sub: mine.customerGid }, "{")).toEqual(otherCustomer); // no hint from body checks either
    expect(await answer(theirs.orderGid, { sub: theirs.customerGid, dest: OTHER_SHOP }, good)).toEqual(otherCustomer);
    expect(await answer("gid://shopify/Order/999999999", { sub: mine.customerGid }, good)).toEqual(otherCustomer);
    expect(await answer(theirs.orderGid, {}, good)).toEqual(otherCustomer);
    expect((await call(theirs.orderGid, "returns", token({ sub: mine.customerGid }))).status).toBe(404);
    expect(await rmasOf(theirs.order.id)).toBe(0);
  });

  it("refuses bad bodies with 400 and what the order or the policy refuses with 422, naming the problem", async () => {
    const mine = await shipped();
    const theirs = await shipped();
    const t = token({ sub: mine.customerGid });
    const notJson = await post(mine.orderGid, t, "{");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("BODY.INVALID_JSON");
    for (const bad of [{}, { refundTo: "me" }, { lines: [] }, { lines: [{ lineItemId: mine.lineItemId, quantity: 0, reason: "damaged" }] }]) {
      const r = await post(mine.orderGid, t, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect((await r.json()).error.code).toBe("BODY.INVALID");
    }
    const foreignLine = await post(mine.orderGid, t, { lines: [{ lineItemId: theirs.lineItemId, quantity: 1, reason: "damaged" }] });
    expect(foreignLine.status).toBe(400);
    expect((await foreignLine.json()).error.message).toContain("is not a line of this order");
    const tooMany = await post(mine.orderGid, t, { lines: [{ lineItemId: mine.lineItemId, quantity: 3, reason: "damaged" }] });
    expect(tooMany.status).toBe(422);
    expect((await tooMany.json()).error).toMatchObject({ code: "RETURNS.REFUSED", message: expect.stringContaining("only 2 can be returned") });
    const badReason = await post(mine.orderGid, t, { lines: [{ lineItemId: mine.lineItemId, quantity: 1, reason: "free money" }] });
    expect(badReason.status).toBe(400);
    expect(await rmasOf(mine.order.id)).toBe(0);
  });
});
