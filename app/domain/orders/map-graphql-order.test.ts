import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigInts } from "../shared/safe-json";
import { mapGraphqlOrder, type GraphqlOrderInput } from "./map-graphql-order";
import { mapShopifyOrder } from "./map-shopify-order";

// The same order read two ways (REST webhook, GraphQL reconciliation poll) must store the same row.
// The sandbox-backed version of this check lives in tests/integration/reconcile-orders.test.ts.

const ORDER = "820982911946154508"; // above 2^53: must survive exactly
const LINE = "466157049";
const VARIANT = "39072856";
const CUSTOMER = "115310627314723954";

const restBody = `{"id":${ORDER},"admin_graphql_api_id":"gid://shopify/Order/${ORDER}","name":"#1001","email":"bob@example.com",
  "contact_email":"bob@example.com","phone":null,"currency":"USD","total_price":"199.65","financial_status":"partially_refunded",
  "created_at":"2026-01-05T10:22:01-05:00","updated_at":"2026-01-06T09:00:00-05:00","cancelled_at":null,
  "customer":{"id":${CUSTOMER},"admin_graphql_api_id":"gid://shopify/Customer/${CUSTOMER}","first_name":"Bob","last_name":"Norman"},
  "shipping_address":{"first_name":"Bob","last_name":"Norman","name":"Bob Norman","address1":"Chestnut Street 92","city":"Louisville",
    "province":"Kentucky","province_code":"KY","country_code":"US","zip":"40202","latitude":45.41634,"longitude":-75.6868},
  "line_items":[{"id":${LINE},"admin_graphql_api_id":"gid://shopify/LineItem/${LINE}","variant_id":${VARIANT},"sku":"IPOD2008RED",
    "title":"IPod Nano - 8GB","quantity":3,"price":"66.55"}],
  "shipping_lines":[{"id":1,"title":"Old method","code":"OLD","is_removed":true},{"id":2,"title":"Express Shipping","code":"EXPRESS","is_removed":false}]}`;

const node: GraphqlOrderInput = {
  id: `gid://shopify/Order/${ORDER}`,
  name: "#1001",
  createdAt: "2026-01-05T15:22:01Z",
  updatedAt: "2026-01-06T14:00:00Z",
  cancelledAt: null,
  email: "bob@example.com",
  phone: null,
  currencyCode: "USD",
  displayFinancialStatus: "PARTIALLY_REFUNDED",
  totalPriceSet: { shopMoney: { amount: "199.65" } },
  customer: { id: `gid://shopify/Customer/${CUSTOMER}`, firstName: "Bob", lastName: "Norman" },
  shippingAddress: {
    name: "Bob Norman", address1: "Chestnut Street 92", city: "Louisville", province: "Kentucky", provinceCode: "KY",
    countryCodeV2: "US", zip: "40202", latitude: 45.41634, longitude: -75.6868,
  },
  shippingLine: { title: "Express Shipping", code: "EXPRESS" },
  lineItems: {
    nodes: [{
      id: `gid://shopify/LineItem/${LINE}`, sku: "IPOD2008RED", title: "IPod Nano - 8GB", quantity: 3,
      variant: { id: `gid://shopify/ProductVariant/${VARIANT}` }, originalUnitPriceSet: { shopMoney: { amount: "66.55" } },
    }],
  },
};

function mapped(input: unknown) {
  const result = mapGraphqlOrder(input);
  if (!result.ok) throw new Error(result.error);
  return result.order;
}

describe("mapGraphqlOrder", () => {
  it("gives the same ChannelOrder as the REST webhook mapper for the same order", () => {
    const rest = mapShopifyOrder(parseJsonKeepingBigInts(restBody));
    if (!rest.ok) throw new Error(rest.error);
    expect(mapped(node)).toEqual(rest.order);
    expect(rest.order.shippingMethod).toBe("Express Shipping"); // the delivery promise at intake reads it
  });

  it("keeps 64-bit ids exact, money in minor units, status lower-cased, times in UTC with milliseconds", () => {
    const order = mapped(node);
    expect(order).toMatchObject({
      externalId: ORDER, customerExternalId: CUSTOMER, totalMinor: 19965, financialStatus: "partially_refunded",
      placedAt: "2026-01-05T15:22:01.000Z", updatedAt: "2026-01-06T14:00:00.000Z", cancelledAt: null,
    });
    expect(order.lines).toEqual([{ externalId: LINE, sku: "IPOD2008RED", variantExternalId: VARIANT, title: "IPod Nano - 8GB", quantity: 3, priceMinor: 6655 }]);
  });

  it("reads currentQuantity (units removed by edits and refunds gone), as the REST mapper reads current_quantity", () => {
    const edited = { ...node, lineItems: { nodes: [{ ...node.lineItems.nodes[0], currentQuantity: 1 }] } };
    expect(mapped(edited).lines[0].quantity).toBe(1);
    const rest = mapShopifyOrder(parseJsonKeepingBigInts(restBody.replace('"quantity":3', '"quantity":3,"current_quantity":1')));
    expect(rest.ok && rest.order.lines[0].quantity).toBe(1);
  });

  it("maps PAID to paid and a cancelled order's time", () => {
    const order = mapped({ ...node, displayFinancialStatus: "PAID", cancelledAt: "2026-01-07T08:00:00Z" });
    expect(order.financialStatus).toBe("paid");
    expect(order.cancelledAt).toBe("2026-01-07T08:00:00.000Z");
  });

  it("uses the currency's own exponent (JPY has no minor unit)", () => {
    const order = mapped({
      ...node, currencyCode: "JPY", totalPriceSet: { shopMoney: { amount: "1500.0" } },
      lineItems: { nodes: [{ ...node.lineItems.nodes[0], originalUnitPriceSet: { shopMoney: { amount: "500.0" } } }] },
    });
    expect([order.currency, order.totalMinor, order.lines[0].priceMinor]).toEqual(["JPY", 1500, 500]);
  });

  it("copes with what a real order may lack: customer, address, variant, SKU, status", () => {
    const order = mapped({
      ...node, customer: null, shippingAddress: null, displayFinancialStatus: null,
      lineItems: { nodes: [{ ...node.lineItems.nodes[0], sku: "", variant: null }] },
    });
    expect(order).toMatchObject({ customerExternalId: null, customerName: null, shipTo: null, financialStatus: null });
    expect(order.lines[0]).toMatchObject({ sku: null, variantExternalId: null });
  });

  it("falls back to the province name and the address name when codes and customer names are missing", () => {
    const order = mapped({
      ...node, customer: { id: node.customer!.id, firstName: null, lastName: null },
      shippingAddress: { ...node.shippingAddress!, provinceCode: null },
    });
    expect(order.customerName).toBe("Bob Norman");
    expect(order.shipTo?.province).toBe("Kentucky");
  });

  it("rejects a malformed node with the offending paths instead of throwing", () => {
    const result = mapGraphqlOrder({ ...node, updatedAt: "yesterday", lineItems: undefined });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/updatedAt/);
      expect(result.error).toMatch(/lineItems/);
    }
  });

  it("refuses quantities and amounts beyond the limits, naming the field", () => {
    const line = node.lineItems.nodes[0];
    const huge = mapGraphqlOrder({ ...node, lineItems: { nodes: [{ ...line, currentQuantity: 1e12 }] } });
    expect(!huge.ok && huge.error).toMatch(/lineItems\.nodes\.0\.currentQuantity: more than the limit of 1000000 units/);
    const negative = mapGraphqlOrder({ ...node, lineItems: { nodes: [{ ...line, originalUnitPriceSet: { shopMoney: { amount: "-66.55" } } }] } });
    expect(!negative.ok && negative.error).toMatch(/lineItems\.nodes\.0\.originalUnitPriceSet\.shopMoney\.amount: "-66\.55" is negative/);
    const rich = mapGraphqlOrder({ ...node, totalPriceSet: { shopMoney: { amount: "1e15" } } });
    expect(!rich.ok && rich.error).toMatch(/totalPriceSet\.shopMoney\.amount: .* is over the limit/);
  });
});
