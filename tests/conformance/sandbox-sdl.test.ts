import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { orderFactory } from "../../sandbox/shopify/order-factory";
import { sandboxSchema, sandboxSdl } from "../../sandbox/shopify/schema";
import { compareSdlToSchema } from "../../sandbox/shopify/sdl-conformance";
import { SandboxStore } from "../../sandbox/shopify/store";

// The local Shopify stand-in may only say what Shopify says: its SDL against the real Admin schema
// (API 2026-01 SDL, the version the app pins), and its order webhook payloads against Shopify's documented sample.
const FIXTURES = path.resolve("../shared/fixtures");
const SCHEMA = path.join(FIXTURES, "shopify_admin_graphql_schema/admin_schema_2026-01.graphql");
const ORDER_SAMPLE = path.join(FIXTURES, "shopify_webhooks/shopify_docs_samples_2026-04/orders__create.payload.json");

function fixture(file: string): Buffer {
  if (!existsSync(file)) throw new Error(`Shopify fixture missing at ${file}: this suite needs ../shared/fixtures beside the repo`);
  return readFileSync(file);
}

let cached: GraphQLSchema | undefined;
function realSchema(): GraphQLSchema {
  cached ??= buildSchema(fixture(SCHEMA).toString("utf8"));
  return cached;
}

describe("sandbox SDL against Shopify's real Admin schema", () => {
  it("every type, field, argument, enum value and directive exists there with the same type", () => {
    // No directive allowed to be missing: 2026-01 has @idempotent(key:).
    const mismatches = compareSdlToSchema(sandboxSdl(), realSchema(), { allowDirectives: [] });
    expect(mismatches.map((m) => `${m.path}: ${m.problem}`)).toEqual([]);
  });

  it("the check can fail", () => {
    const broken = sandboxSdl().replace("type Shop implements Node {", "type Shop implements Node {\n  nameThatDoesNotExist: String");
    expect(compareSdlToSchema(broken, realSchema())).toEqual([{ path: "Shop.nameThatDoesNotExist", problem: "field does not exist in the real schema" }]);
  });

  it("inventorySetQuantities with changeFromQuantity (explicit null too) and @idempotent validates there and here", () => {
    const mutation = parse(`mutation Variables($input: InventorySetQuantitiesInput!, $key: String!) {
        inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id } userErrors { code field message } } }
      mutation Literal { inventorySetQuantities(input: { name: "on_hand", reason: "correction", quantities: [
        { inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 3, changeFromQuantity: null }] }) { userErrors { code } } }`);
    expect(validate(realSchema(), mutation)).toEqual([]);
    expect(validate(sandboxSchema(), mutation)).toEqual([]);
  });

  it("a query written for the sandbox also validates against the real schema", () => {
    const query = parse(`query { orders(first: 5, query: "updated_at:>2026-01-01T00:00:00Z", sortKey: UPDATED_AT) {
      nodes { id name updatedAt totalPriceSet { shopMoney { amount currencyCode } } shippingAddress { latitude longitude }
        fulfillmentOrders(first: 5) { nodes { id status assignedLocation { location { id } } lineItems(first: 10) { nodes { id remainingQuantity lineItem { id sku } } } } } } } }`);
    expect(validate(realSchema(), query)).toEqual([]);
  });
});

describe("sandbox order webhooks against Shopify's documented orders/create sample", () => {
  const sample = JSON.parse(fixture(ORDER_SAMPLE).toString("utf8")) as Record<string, unknown> & { line_items: Record<string, unknown>[]; customer: Record<string, unknown> };
  const store = new SandboxStore();
  store.addShop(demoShopSeed());
  const order = orderFactory(store, "demo-oms.myshopify.com", 1).create() as unknown as typeof sample;

  it("carries every top-level field of the sample", () => {
    expect(Object.keys(sample).filter((k) => !(k in order))).toEqual([]);
  });

  it("carries every line item and customer field of the sample", () => {
    expect(Object.keys(sample.line_items[0]).filter((k) => !(k in order.line_items[0]))).toEqual([]);
    expect(Object.keys(sample.customer).filter((k) => !(k in order.customer))).toEqual([]);
  });

  it("uses the same value types for the sample's scalar fields", () => {
    const typeOf = (v: unknown) => (v === null ? "null" : typeof v === "bigint" ? "number" : typeof v);
    const differing = Object.entries(sample)
      .filter(([k, v]) => v !== null && order[k] !== null && typeof v !== "object")
      .filter(([k, v]) => typeOf(v) !== typeOf(order[k]))
      .map(([k]) => k);
    expect(differing).toEqual([]);
  });
});
