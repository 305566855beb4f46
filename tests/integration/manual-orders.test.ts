import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiOrder } from "~/.server/use-cases/create-api-order";
import { findShopByDomain } from "~/.server/db/shops";
import { database } from "~/.server/db/database";
import { action as orderAction, loader as orderLoader } from "~/routes/app.orders.$id";
import { loader as ordersLoader } from "~/routes/app.orders._index";
import { action as createAction, loader as createLoader } from "~/routes/app.orders.new";
import { completeDraftOrder } from "../../sandbox/shopify/draft-orders";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addSku } from "../support/catalog";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Orders keyed in on the admin's Create order page: taken in through the API's path (reserved and routed as they
// land), once per form however often it is sent, refused whole with every problem listed, and — when asked — drafted
// in Shopify (the stand-in), a refusal there leaving the order as it is and the draft to be tried again.

const SHOP = "manual-orders.myshopify.com";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
const URL_BASE = "http://127.0.0.1:3999";

let f: ShopFixture;
let local: { sku: string; variantId: string };

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  const stocked = await addSku(f.shopId, "LOCAL-ONLY", { [f.site("reno").id]: 10 }); // in our catalog only: no Shopify variant id
  local = { sku: stocked.sku, variantId: stocked.id };
});
afterAll(async () => {
  await f.close();
});

type Problems = { problems: { field: string | null; message: string }[] };
const token = () => mintSessionToken(app, SHOP);

async function newPage() {
  return (await createLoader(bearerArgs("/app/orders/new", token()))) as Awaited<ReturnType<typeof createLoader>>;
}

/** Sends the Create order form as the browser would: a urlencoded form, lines as repeated fields. */
async function submit(fields: Record<string, string>, lines: { sku: string; quantity: string; price?: string }[]): Promise<Response | Problems> {
  const body = new URLSearchParams(fields);
  for (const l of lines) {
    body.append("sku", l.sku);
    body.append("quantity", l.quantity);
    body.append("price", l.price ?? "");
  }
  const request = new Request(`${URL_BASE}/app/orders/new`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  return (await createAction({ request, params: {}, context: {} })) as Response | Problems;
}

const customer = { customerName: "Ada Lovelace", email: "ada@example.com", phone: "+1 775 555 0100", address1: "1 Virginia St", city: "Reno", province: "NV", countryCode: "US", zip: "89501" };

/** The order a successful submit redirected to. */
function orderIdOf(result: Response | Problems): string {
  if (!(result instanceof Response)) throw new Error(`form refused: ${JSON.stringify(result)}`);
  expect(result.status).toBe(302);
  const match = /\/app\/orders\/([^/?]+)/.exec(result.headers.get("location") ?? "");
  if (!match) throw new Error(`no order in ${result.headers.get("location")}`);
  return match[1];
}

const orderPage = async (orderId: string) => (await orderLoader(bearerArgs(`/app/orders/${orderId}`, token(), { id: orderId }))) as Awaited<ReturnType<typeof orderLoader>>;

const counts = async () => ({
  orders: await queryNumber(`SELECT COUNT(*) FROM "Order" WHERE "shopId" = ?`, f.shopId),
  lines: await queryNumber(`SELECT COUNT(*) FROM "OrderLine" WHERE "shopId" = ?`, f.shopId),
  allocations: await queryNumber(`SELECT COUNT(*) FROM "Allocation" WHERE "shopId" = ?`, f.shopId),
  reserved: await queryNumber(`SELECT SUM("reserved") FROM "InventoryLevel" WHERE "shopId" = ?`, f.shopId),
  keys: await queryNumber(`SELECT COUNT(*) FROM "ApiIdempotencyKey" WHERE "shopId" = ?`, f.shopId),
  drafts: f.sandbox.store.shop(SHOP).draftOrders.size,
});

const allocations = (orderId: string) =>
  queryRows<{ sku: string; status: string; locationId: string | null; quantity: number }>(
    `SELECT l."sku" AS "sku", a."status" AS "status", a."locationId" AS "locationId", a."quantity" AS "quantity" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
     WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" <> 'released' ORDER BY l."sku"`,
    f.shopId, orderId,
  );

describe("the Create order page", () => {
  it("is linked from the Orders page and serves a fresh form token each time", async () => {
    const a = await newPage();
    const b = await newPage();
    expect(a.formToken).toMatch(/^[0-9a-f]{32}$/);
    expect(a.formToken).not.toBe(b.formToken);
    expect(a.currency).toBe("USD");
    expect(await ordersLoader(bearerArgs("/app/orders", token()))).toBeTruthy();
  });

  it("takes the order in like an API order: reserved, routed, at the catalog's price unless typed", async () => {
    const mug = await f.skuWithStock({ dallas: 5 });
    const cap = await f.skuWithStock({ reno: 3 });
    const { formToken } = await newPage();
    const orderId = orderIdOf(await submit({ formToken, ...customer }, [{ sku: mug.sku, quantity: "2" }, { sku: "", quantity: "", price: "" }, { sku: cap.sku, quantity: "1", price: "4.50" }]));
    await f.queue.whenIdle(20_000);

    const order = (await queryRow<{ status: string; externalId: string; name: string; customerName: string; email: string; shipCity: string; totalMinor: number }>(
      `SELECT "status","externalId","name","customerName","email","shipCity","totalMinor" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, f.shopId, orderId,
    ))!;
    expect(order).toMatchObject({ externalId: `manual-${formToken}`, name: `M-${formToken.slice(0, 8).toUpperCase()}`, customerName: "Ada Lovelace", email: "ada@example.com", shipCity: "Reno" });
    expect(["reserved", "routed"]).toContain(order.status);
    expect(await allocations(orderId)).toEqual([
      ...[{ sku: mug.sku, status: "reserved", locationId: f.site("dallas").id, quantity: 2 }, { sku: cap.sku, status: "reserved", locationId: f.site("reno").id, quantity: 1 }].sort((x, y) => x.sku.localeCompare(y.sku)),
    ]);
    expect(await f.level(mug.variantId, "dallas")).toEqual({ onHand: 5, reserved: 2 });
    expect(await f.level(cap.variantId, "reno")).toEqual({ onHand: 3, reserved: 1 });

    const catalogPrice = Number((await queryRow<{ priceMinor: number }>(`SELECT "priceMinor" FROM "Variant" WHERE "shopId" = ? AND "id" = ?`, f.shopId, mug.variantId))!.priceMinor);
    const prices = await queryRows<{ sku: string; priceMinor: number }>(`SELECT "sku","priceMinor" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, orderId);
    expect(Object.fromEntries(prices.map((p) => [p.sku, Number(p.priceMinor)]))).toEqual({ [mug.sku]: catalogPrice, [cap.sku]: 450 });
    expect(Number(order.totalMinor)).toBe(2 * catalogPrice + 450);

    const page = await orderPage(orderId);
    expect(page.order).toMatchObject({ channel: "manual" });
    expect(page.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(["order.received", "order.reserved"]));
    expect(page.shopifyDraft).toBeNull();
    expect(page.canCreateShopifyDraft).toBe(true);

    // It is the API's order: the body the form made, posted to the API, answers the same order and reserves nothing more.
    const titles = Object.fromEntries((await queryRows<{ sku: string; title: string }>(`SELECT "sku","title" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, orderId)).map((l) => [l.sku, l.title]));
    const shop = (await findShopByDomain(database(), SHOP))!;
    const again = await createApiOrder(shop, {
      channel: "manual", externalId: order.externalId, name: order.name, email: customer.email, phone: customer.phone, customer: { name: "Ada Lovelace" },
      shipTo: { name: "Ada Lovelace", address1: customer.address1, city: "Reno", province: "NV", countryCode: "US", zip: "89501" },
      lines: [{ sku: mug.sku, title: titles[mug.sku], quantity: 2, priceMinor: catalogPrice }, { sku: cap.sku, title: titles[cap.sku], quantity: 1, priceMinor: 450 }],
    }, { actor: "api" });
    expect([again.created, again.order.id]).toEqual([false, orderId]);
    expect(await f.level(mug.variantId, "dallas")).toEqual({ onHand: 5, reserved: 2 });
  });

  it("makes one order of a form sent twice, even at once, and reserves once", async () => {
    const bag = await f.skuWithStock({ newark: 4 });
    const { formToken } = await newPage();
    const form = { formToken, ...customer, reference: "PHONE-42" };
    const [first, second] = await Promise.all([submit(form, [{ sku: bag.sku, quantity: "3" }]), submit(form, [{ sku: bag.sku, quantity: "3" }])]);
    const third = await submit(form, [{ sku: bag.sku, quantity: "3" }]);
    const ids = [orderIdOf(first), orderIdOf(second), orderIdOf(third)];
    expect(new Set(ids).size).toBe(1);
    expect(await queryNumber(`SELECT COUNT(*) FROM "Order" WHERE "shopId" = ? AND "externalId" = ?`, f.shopId, "PHONE-42")).toBe(1);
    await f.queue.whenIdle(20_000);
    expect(await f.level(bag.variantId, "newark")).toEqual({ onHand: 4, reserved: 3 });

    // The same reference with other content is refused on its field, nothing changed.
    const before = await counts();
    const other = (await submit({ ...form, formToken: (await newPage()).formToken }, [{ sku: bag.sku, quantity: "1" }])) as Problems;
    expect(other.problems).toEqual([{ field: "reference", message: expect.stringMatching(/^Reference: an order PHONE-42 already exists with other content/) }]);
    expect(await counts()).toEqual(before);
  });

  it("lists every problem of a bad form on its field and stores nothing", async () => {
    const mug = await f.skuWithStock({ dallas: 2 });
    const { formToken } = await newPage();
    const before = await counts();
    const result = (await submit(
      { formToken, customerName: "", email: "not-an-email", address1: "1 Main St", city: "", countryCode: "USA", zip: "", reference: "has spaces", createDraft: "on" },
      [{ sku: "NO-SUCH-SKU", quantity: "1" }, { sku: mug.sku, quantity: "zero" }, { sku: mug.sku, quantity: "1", price: "12,50" }],
    )) as Problems;
    expect(result).not.toBeInstanceOf(Response);
    expect(result.problems.map((p) => p.field).sort()).toEqual(["city", "countryCode", "customerName", "email", "lines.0.sku", "lines.1.quantity", "lines.2.price", "reference"].sort());
    expect(result.problems.find((p) => p.field === "lines.0.sku")!.message).toBe("Line 1 SKU: no product of this shop has SKU NO-SUCH-SKU");
    expect(result.problems.find((p) => p.field === "lines.2.price")!.message).toBe("Line 3 unit price: not an amount in USD (e.g. 12.50)");
    expect(await counts()).toEqual(before);

    // A form that lost its token is refused too (it could not be told from a second order).
    const tokenless = (await submit({ ...customer }, [{ sku: mug.sku, quantity: "1" }])) as Problems;
    expect(tokenless.problems).toEqual([{ field: null, message: expect.stringMatching(/lost its token/) }]);
    expect(await counts()).toEqual(before);
  });
});

describe("the Shopify draft order", () => {
  it("reaches Shopify with variant lines by id and other lines as custom items, once, and shows on the order page", async () => {
    const tent = await f.skuWithStock({ reno: 5 });
    const { formToken } = await newPage();
    const form = { formToken, ...customer, createDraft: "on" };
    const lines = [{ sku: tent.sku, quantity: "2", price: "99.00" }, { sku: local.sku, quantity: "1" }];
    const orderId = orderIdOf(await submit(form, lines));
    orderIdOf(await submit(form, lines)); // sent again: same order, no second draft

    const drafts = [...f.sandbox.store.shop(SHOP).draftOrders.values()].filter((d) => d.customAttributes.some((a) => a.key === "oms_order_id" && a.value === orderId));
    expect(drafts).toHaveLength(1);
    const [draft] = drafts;
    const variant = f.sandbox.store.variantBySku(f.sandbox.store.shop(SHOP), tent.sku)!;
    expect(draft.email).toBe("ada@example.com");
    expect(draft.shippingAddress).toMatchObject({ firstName: "Ada", lastName: "Lovelace", address1: "1 Virginia St", city: "Reno", provinceCode: "NV", countryCode: "US", zip: "89501" });
    expect(draft.lineItems.map((l) => [l.variantId, l.sku, l.quantity, l.unitCents, l.custom])).toEqual([
      [variant.id, tent.sku, 2, 9900n, false],
      [null, local.sku, 1, 1000n, true],
    ]);

    const page = await orderPage(orderId);
    expect(page.shopifyDraft).toMatchObject({ status: "created", name: draft.name, draftOrderId: `gid://shopify/DraftOrder/${draft.id}`, legacyId: String(draft.id) });
    expect(page.canCreateShopifyDraft).toBe(false);
    expect(page.timeline.find((e) => e.action === "order.shopify_draft_created")!.sentence).toBe(`Draft order ${draft.name} created in Shopify.`);

    // Asking again from the order page sends nothing: the order has its draft.
    const before = await counts();
    const again = await draftFromOrderPage(orderId);
    expect(again).toEqual({ draft: { kind: "exists" }, shipProblems: [] });
    expect(await counts()).toEqual(before);
  });

  it("keeps the order when Shopify refuses, says why on the order page, and can be tried again", async () => {
    const lamp = await f.skuWithStock({ dallas: 3 });
    const state = f.sandbox.store.shop(SHOP);
    const index = state.variants.findIndex((v) => v.sku === lamp.sku);
    const [gone] = state.variants.splice(index, 1); // deleted in Shopify since our catalog last synced
    const draftsBefore = state.draftOrders.size;

    const { formToken } = await newPage();
    const orderId = orderIdOf(await submit({ formToken, ...customer, createDraft: "on" }, [{ sku: lamp.sku, quantity: "1" }]));
    await f.queue.whenIdle(20_000);
    expect(state.draftOrders.size).toBe(draftsBefore);
    expect(await allocations(orderId)).toEqual([{ sku: lamp.sku, status: "reserved", locationId: f.site("dallas").id, quantity: 1 }]);

    const page = await orderPage(orderId);
    expect(page.shopifyDraft).toMatchObject({ status: "failed", message: expect.stringMatching(/^lineItems\.0\.variantId: Product with ID gid:\/\/shopify\/ProductVariant\/\d+ is no longer available\.$/) });
    expect(page.canCreateShopifyDraft).toBe(true);
    expect(page.timeline.find((e) => e.action === "order.shopify_draft_failed")!.sentence).toMatch(/^Shopify did not create a draft order: lineItems\.0\.variantId/);

    state.variants.splice(index, 0, gone); // back in Shopify: trying again from the order page makes the draft
    const retried = await draftFromOrderPage(orderId);
    expect(retried).toMatchObject({ draft: { kind: "created", name: expect.stringMatching(/^#D\d+$/) } });
    expect(state.draftOrders.size).toBe(draftsBefore + 1);
    expect((await orderPage(orderId)).shopifyDraft).toMatchObject({ status: "created" });
  });
});

describe("a completed Shopify draft", () => {
  const shopifyOrderOf = async (externalId: bigint) =>
    (await queryRow<{ id: string; status: string }>(`SELECT o."id", o."status" FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" WHERE o."shopId" = ? AND c."kind" = 'shopify' AND o."externalId" = ?`, f.shopId, String(externalId)))!;

  it("becomes the sale: the manual order gives way and its stock is reserved once, for the Shopify order", async () => {
    const kettle = await f.skuWithStock({ reno: 3 });
    const { formToken } = await newPage();
    const manualId = orderIdOf(await submit({ formToken, ...customer, createDraft: "on" }, [{ sku: kettle.sku, quantity: "2" }]));
    expect(await f.level(kettle.variantId, "reno")).toEqual({ onHand: 3, reserved: 2 });
    const draft = [...f.sandbox.store.shop(SHOP).draftOrders.values()].find((d) => d.customAttributes.some((a) => a.key === "oms_order_id" && a.value === manualId))!;

    const completed = completeDraftOrder(f.sandbox.store, SHOP, draft.id, f.sandbox.orders(SHOP));
    expect(completed.note_attributes).toEqual([{ name: "oms_order_id", value: manualId }]);
    await f.deliver("orders/create", completed);

    const sale = await shopifyOrderOf(completed.id);
    expect(sale.status).not.toBe("backordered"); // both units are its own, not 1 reserved + 1 waiting
    expect(await allocations(sale.id)).toEqual([{ sku: kettle.sku, status: "reserved", locationId: f.site("reno").id, quantity: 2 }]);
    expect(await f.level(kettle.variantId, "reno")).toEqual({ onHand: 3, reserved: 2 });
    expect((await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, f.shopId, manualId))!.status).toBe("cancelled");
    expect(await allocations(manualId)).toEqual([]);
    expect((await orderPage(manualId)).timeline.find((e) => e.action === "order.superseded")!.sentence).toBe(`Its Shopify draft was completed as order ${completed.name}: that order is the sale now, and this one gave its stock to it.`);

    await f.deliver("orders/create", completed); // redelivered: nothing changes
    expect(await f.level(kettle.variantId, "reno")).toEqual({ onHand: 3, reserved: 2 });
  });

  it("naming an order that cannot give way (unknown here): the Shopify order is taken in as usual and the merchant is told", async () => {
    const kettle = await f.skuWithStock({ reno: 3 });
    const order = f.sandbox.orders(SHOP).create({ lines: [{ sku: kettle.sku, quantity: 1 }], noteAttributes: [{ name: "oms_order_id", value: "not-an-order-of-this-shop" }] });
    await f.deliver("orders/create", order);
    const sale = await shopifyOrderOf(order.id);
    expect(await allocations(sale.id)).toEqual([{ sku: kettle.sku, status: "reserved", locationId: f.site("reno").id, quantity: 1 }]);
    expect((await orderPage(sale.id)).timeline.find((e) => e.action === "order.draft_completed_not_linked")!.sentence).toMatch(/which was kept \(no such order in this shop\)/);
  });
});

async function draftFromOrderPage(orderId: string) {
  const request = new Request(`${URL_BASE}/app/orders/${orderId}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "createShopifyDraft" }).toString(),
  });
  return orderAction({ request, params: { id: orderId }, context: {} });
}
