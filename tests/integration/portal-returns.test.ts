import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { saveReturnPolicy } from "~/.server/db/returns-sql";
import { labelToken } from "~/.server/portal/portal-tokens";
import { setCarrierPort } from "~/.server/returns/carrier-port";
import { signAppProxy } from "~/.server/shopify/verify-app-proxy";
import { defaultReturnPolicy } from "~/domain/returns/policy";
import { action as portalAction, loader as portalLoader } from "~/routes/proxy";
import { sandboxCarrier, sandboxTrackingNumber } from "../../sandbox/returns/sandbox-carrier";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { queryNumber, queryRow } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Issue 14, "Start a return" in the app-proxy portal (ADR 0036): a customer who found their shipped order picks
// lines, quantities and reasons; the signed request becomes an RMA (source portal) with its prepaid label, shown
// through the proxy by a link only the app can make. A wrong signature, a changed or foreign ticket, a guessed label
// link are refused and create nothing.

const SHOP = "portal-returns.myshopify.com";
const SECRET = process.env.SHOPIFY_API_SECRET!;
let f: ShopFixture;

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  setCarrierPort(sandboxCarrier());
  await database().transaction((tx) => saveReturnPolicy(tx, f.shopId, { ...defaultReturnPolicy(), receivingLocationIds: [f.site("newark").id] }));
});
afterAll(async () => {
  setCarrierPort(null);
  await f.close();
});

function signed(params: Record<string, string> = {}, opts: { secret?: string; shop?: string } = {}): URLSearchParams {
  const q = new URLSearchParams({ shop: opts.shop ?? SHOP, path_prefix: "/apps/orders", timestamp: String(Math.floor(Date.now() / 1000)), ...params });
  q.set("signature", signAppProxy(q, opts.secret ?? SECRET));
  return q;
}
const get = (q: URLSearchParams, client = "203.0.113.9") =>
  portalLoader({ request: new Request(`http://127.0.0.1:3999/proxy?${q}`, { headers: { "X-Forwarded-For": client } }), params: {}, context: {} }) as Promise<Response>;
const post = (q: URLSearchParams, form: Record<string, string>, client = "203.0.113.9") =>
  portalAction({
    request: new Request(`http://127.0.0.1:3999/proxy?${q}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": client }, body: new URLSearchParams(form).toString() }),
    params: {}, context: {},
  }) as Promise<Response>;

/** A shipped order of 2 units, looked up in the portal: its page, the form's hidden ticket and its line id. */
async function foundShippedOrder() {
  const item = await f.skuWithStock({ newark: 5 });
  const order = await f.placeOrder([{ sku: item.sku, quantity: 2 }]);
  await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site("newark").shopifyId }));
  const state = await orderState(f, order.id);
  const line = (await queryRow<{ id: string }>(`SELECT "id" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, state.orderId))!;
  const page = await (await post(signed(), { number: order.name, email: order.email! })).text();
  const ticket = /name="ticket" value="([^"]+)"/.exec(page)?.[1];
  return { order, orderId: state.orderId, lineId: line.id, sku: item.sku, page, ticket: ticket! };
}

const returnsOf = (orderId: string) => queryNumber(`SELECT COUNT(*) FROM "ReturnRequest" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, orderId);

describe("starting a return in the portal", () => {
  it("lists the returnable lines with quantity and reason, and a signed return request gives an RMA with a working label link", async () => {
    const o = await foundShippedOrder();
    expect(o.page).toContain("<h2>Returns</h2>");
    expect(o.page).toContain(`<select name="qty_${o.lineId}"`);
    expect(o.page).toContain('<option value="2">2</option>');
    expect(o.page).not.toContain('<option value="3">3</option>');
    expect(o.page).toContain('<option value="wrong_size">Wrong size</option>');
    expect(o.ticket).toMatch(new RegExp(`^${o.orderId}\\.\\d+\\.`));

    const answer = await post(signed(), { intent: "return", ticket: o.ticket, [`qty_${o.lineId}`]: "1", [`reason_${o.lineId}`]: "wrong_size" });
    expect(answer.status).toBe(201);
    const page = await answer.text();
    const rma = (await queryRow<{ number: string; source: string; status: string }>(`SELECT "number","source","status" FROM "ReturnRequest" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, o.orderId))!;
    expect(rma).toMatchObject({ source: "portal", status: "requested" });
    expect(page).toContain(`<h1>Return ${rma.number}</h1>`);
    expect(page).toContain('data-status="requested"');
    expect(page).toContain(`1 × `);
    const href = /<a href="([^"]+)">Download your prepaid return label \(PDF\)<\/a>/.exec(page)?.[1].replaceAll("&amp;", "&");
    expect(href).toBe(`/apps/orders?label=${rma.number}&t=${labelToken(SECRET, SHOP, rma.number)}`);
    expect(page).toContain(sandboxTrackingNumber(f.shopId, rma.number));

    // The link, as Shopify's proxy forwards it (signed afresh), answers the PDF.
    const link = new URL(href!, "https://portal-returns.myshopify.com");
    const pdf = await get(signed(Object.fromEntries(link.searchParams)));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    // A guessed or another RMA's token opens nothing; the same request sent again is the same RMA.
    expect((await get(signed({ label: rma.number, t: labelToken(SECRET, SHOP, "R1") }))).status).toBe(404);
    expect((await get(signed({ label: rma.number }))).status).toBe(404);
    const again = await post(signed(), { intent: "return", ticket: o.ticket, [`qty_${o.lineId}`]: "1", [`reason_${o.lineId}`]: "wrong_size" });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("This return was already requested.");
    expect(await returnsOf(o.orderId)).toBe(1);
    // Looked up again, the order shows its return and offers only the unit left.
    const later = await (await post(signed(), { number: o.order.name, email: o.order.email! })).text();
    expect(later).toContain(`<strong>${rma.number}</strong> — Requested`);
    expect(later).not.toContain('<option value="2">2</option>');
  });

  it("refuses a request with a wrong or missing signature, creating nothing", async () => {
    const o = await foundShippedOrder();
    const form = { intent: "return", ticket: o.ticket, [`qty_${o.lineId}`]: "1", [`reason_${o.lineId}`]: "damaged" };
    expect((await post(signed({}, { secret: "another app" }), form)).status).toBe(401);
    const unsigned = new URLSearchParams({ shop: SHOP, path_prefix: "/apps/orders", timestamp: String(Math.floor(Date.now() / 1000)) });
    expect((await post(unsigned, form)).status).toBe(401);
    const tamperedQuery = signed();
    tamperedQuery.set("logged_in_customer_id", "42");
    expect((await post(tamperedQuery, form)).status).toBe(401);
    expect((await get(signed({ label: "R1001", t: labelToken(SECRET, SHOP, "R1001") }, { secret: "another app" }))).status).toBe(401);
    expect(await returnsOf(o.orderId)).toBe(0);
  });

  it("refuses a tampered order: a ticket changed to name another order, forged, expired or from another shop", async () => {
    const mine = await foundShippedOrder();
    const theirs = await foundShippedOrder();
    const [, expires, mac] = mine.ticket.split(".");
    const attempts = [
      `${theirs.orderId}.${expires}.${mac}`, // someone else's order under my ticket's signature
      `${mine.orderId}.${Number(expires) + 3_600_000}.${mac}`, // a longer life
      `${mine.orderId}.${expires}.${"A".repeat(mac.length)}`,
      `${mine.orderId}.${Date.now() - 1000}.${mac}`,
      "",
    ];
    for (const ticket of attempts) {
      const r = await post(signed(), { intent: "return", ticket, [`qty_${theirs.lineId}`]: "1", [`reason_${theirs.lineId}`]: "damaged" });
      expect(r.status, ticket).toBe(403);
      expect(await r.text()).toContain("This return form has expired or is not valid.");
    }
    // My valid ticket with their line: the line is not part of my order.
    const foreignLine = await post(signed(), { intent: "return", ticket: mine.ticket, [`qty_${theirs.lineId}`]: "1", [`reason_${theirs.lineId}`]: "damaged" });
    expect(foreignLine.status).toBe(422);
    expect(await foreignLine.text()).toContain("is not a line of this order");
    // The same valid ticket through another shop's proxy.
    const elsewhere = await post(signed({}, { shop: "elsewhere.myshopify.com" }), { intent: "return", ticket: mine.ticket, [`qty_${mine.lineId}`]: "1", [`reason_${mine.lineId}`]: "damaged" });
    expect(elsewhere.status).toBe(403);
    expect(await returnsOf(mine.orderId)).toBe(0);
    expect(await returnsOf(theirs.orderId)).toBe(0);
  });

  it("refuses more than can be returned and a reason the policy does not list, and asks for at least one item", async () => {
    const o = await foundShippedOrder();
    const tooMany = await post(signed(), { intent: "return", ticket: o.ticket, [`qty_${o.lineId}`]: "3", [`reason_${o.lineId}`]: "damaged" });
    expect(tooMany.status).toBe(422);
    expect(await tooMany.text()).toContain("only 2 can be returned");
    const badReason = await post(signed(), { intent: "return", ticket: o.ticket, [`qty_${o.lineId}`]: "1", [`reason_${o.lineId}`]: "free money" });
    expect(badReason.status).toBe(422);
    const none = await post(signed(), { intent: "return", ticket: o.ticket, [`qty_${o.lineId}`]: "0", [`reason_${o.lineId}`]: "damaged" });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain("Choose at least one item");
    expect(await returnsOf(o.orderId)).toBe(0);
  });
});
