import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { editOrder, fulfillOrder, refundOrder } from "../../sandbox/shopify/order-events";
import { cancelOrder, updateOrder } from "../../sandbox/shopify/order-factory";
import type { RestOrderPayload } from "../../sandbox/shopify/order-payload";
import { queryRow, queryRows } from "../support/db-query";
import { findStoredValues } from "../support/find-values";
import { startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// customers/redact removes a customer from every place the app keeps them: the orders' columns, the raw
// webhook bodies of every topic that mentioned them (and the compliance requests themselves), audit rows
// and logs; a late webhook about them does not bring anything back. customers/data_request names every
// field held, per order and per webhook body.

const SHOP = "privacy-test.myshopify.com";
const PERSON = {
  customerId: 5550123498765432101n,
  first: "Xanthippe",
  last: "Quorridge",
  email: "xanthippe.quorridge@privacy-test.example",
  phone: "+15550137788",
  street: "77 Zephyrine Mews",
  zip: "ZQ9 8XW",
};
const VALUES = [PERSON.first, PERSON.last, PERSON.email, PERSON.phone, PERSON.street, PERSON.zip, String(PERSON.customerId)];

let f: ShopFixture;
const logged: string[] = [];

/** The order as Shopify has it, made this customer's (the store keeps the object: GraphQL reads see it too). */
function makeTheirs(order: RestOrderPayload): RestOrderPayload {
  const address = { first_name: PERSON.first, last_name: PERSON.last, name: `${PERSON.first} ${PERSON.last}`, address1: PERSON.street, zip: PERSON.zip, phone: PERSON.phone, province: "Texas", province_code: "TX" };
  Object.assign(order.shipping_address!, address);
  Object.assign(order.billing_address as object, address);
  order.email = order.contact_email = PERSON.email;
  order.phone = PERSON.phone;
  Object.assign(order.customer!, { id: PERSON.customerId, admin_graphql_api_id: `gid://shopify/Customer/${PERSON.customerId}`, first_name: PERSON.first, last_name: PERSON.last, email: PERSON.email, phone: PERSON.phone });
  Object.assign(order.customer!.default_address as object, { ...address, customer_id: PERSON.customerId });
  return order;
}

const compliance = (extra: object) => ({ shop_id: 1, shop_domain: SHOP, customer: { id: PERSON.customerId, email: PERSON.email, phone: PERSON.phone }, ...extra });

beforeAll(async () => {
  for (const method of ["log", "info", "warn"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
  f = await startShopFixture(SHOP);
});
afterAll(async () => {
  await f.close();
  vi.restoreAllMocks();
});

describe("customers/redact", () => {
  let first: RestOrderPayload;
  let second: RestOrderPayload;

  it("seeds the customer through every topic that can mention them, and the data request names every field held", async () => {
    const item = await f.skuWithStock({ newark: 10 });
    first = makeTheirs(f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 3 }] }));
    await f.deliver("orders/create", first);
    await f.deliver("orders/updated", updateOrder(f.sandbox.store, SHOP, first.id, { note: "leave at the door" }));
    await f.deliver("orders/edited", editOrder(f.sandbox.store, SHOP, first.id, { setQuantity: [{ lineItemId: first.line_items[0].id, quantity: 2 }] }));
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, first.id, { lines: [{ lineItemId: first.line_items[0].id, quantity: 1 }] }));
    await f.deliver("refunds/create", refundOrder(f.sandbox.store, SHOP, first.id, [{ lineItemId: first.line_items[0].id, quantity: 1, restockType: "cancel" }]));
    second = makeTheirs(f.sandbox.orders(SHOP).create({ lines: [{ sku: item.sku, quantity: 1 }] }));
    await f.deliver("orders/create", second);
    await f.deliver("orders/cancelled", cancelOrder(f.sandbox.store, SHOP, second.id));

    const held = await queryRows<{ email: string | null; shipZip: string | null }>(`SELECT "email","shipZip" FROM "Order" WHERE "shopId" = ? AND "customerExternalId" = ?`, f.shopId, String(PERSON.customerId));
    expect(held).toEqual([{ email: PERSON.email, shipZip: PERSON.zip }, { email: PERSON.email, shipZip: PERSON.zip }]);
    const failed = await queryRows(`SELECT "topic","error" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "status" <> 'processed'`, SHOP);
    expect(failed).toEqual([]);

    await f.deliver("customers/data_request", compliance({ orders_requested: [first.id, second.id], data_request: { id: 9911 } }));
    const request = await queryRow<{ data: string }>(`SELECT "data" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'customer.data_requested'`, f.shopId);
    const summary = JSON.parse(request!.data) as { orders: { externalId: string; fieldsHeld: string[] }[]; webhooks: { topic: string; fieldsHeld: string[] }[] };
    const everyOrderField = ["customerExternalId", "email", "phone", "customerName", "shipAddress1", "shipCity", "shipZip", "shipLatitude", "shipLongitude", "shipProvince", "shipCountryCode"];
    expect(summary.orders.map((o) => [o.externalId, [...o.fieldsHeld].sort()])).toEqual([first, second].map((o) => [String(o.id), [...everyOrderField].sort()]));
    expect(summary.webhooks.map((w) => w.topic).sort()).toEqual(["fulfillments/create", "orders/cancelled", "orders/create", "orders/create", "orders/updated"]);
    const created = summary.webhooks.find((w) => w.topic === "orders/create")!;
    expect(created.fieldsHeld).toEqual(expect.arrayContaining(["email", "phone", "customer.id", "customer.first_name", "shipping_address.address1", "shipping_address.zip", "shipping_address.province_code", "shipping_address.country_code", "billing_address.address1"]));
    expect(summary.webhooks.find((w) => w.topic === "fulfillments/create")!.fieldsHeld).toEqual(expect.arrayContaining(["email", "destination.address1", "destination.zip"]));
    expect(request!.data).not.toContain(PERSON.email);
  });

  it("then leaves none of the customer's values in any column of any table, nor in what the app logged", async () => {
    await f.deliver("customers/redact", compliance({ orders_to_redact: [first.id, second.id] }));

    expect(await findStoredValues(VALUES)).toEqual([]);
    // The orders stay for accounting, anonymised; the region stays.
    const orders = await queryRows(`SELECT "externalId","email","customerName","shipZip","shipProvince","shipCountryCode",CASE WHEN "redactedAt" IS NOT NULL THEN 1 ELSE 0 END AS "redacted" FROM "Order" WHERE "shopId" = ? AND "externalId" IN (?,?) ORDER BY "placedAt", "externalId"`, f.shopId, String(first.id), String(second.id));
    expect(orders).toEqual([first, second].map((o) => ({ externalId: String(o.id), email: null, customerName: null, shipZip: null, shipProvince: "TX", shipCountryCode: "US", redacted: 1 })));
    expect(logged.filter((line) => VALUES.some((v) => line.toLowerCase().includes(v.toLowerCase())))).toEqual([]);
  });

  it("a late orders/updated about the customer does not bring anything back", async () => {
    await f.deliver("orders/updated", updateOrder(f.sandbox.store, SHOP, first.id, { note: "late change", tags: "vip" }));
    expect(await queryRow(`SELECT "status","error" FROM "WebhookInbox" WHERE "shopDomain" = ? ORDER BY "receivedAt" DESC LIMIT 1`, SHOP)).toEqual({ status: "processed", error: null });
    expect(await findStoredValues(VALUES)).toEqual([]);
    // Still the same order, updated (not dropped): anonymised.
    expect(await queryRow(`SELECT "email","customerExternalId","shipAddress1" FROM "Order" WHERE "shopId" = ? AND "externalId" = ?`, f.shopId, String(first.id))).toEqual({ email: null, customerExternalId: null, shipAddress1: null });
    expect(logged.filter((line) => VALUES.some((v) => line.toLowerCase().includes(v.toLowerCase())))).toEqual([]);
  });
});
