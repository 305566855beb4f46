import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { compareSdlToSchema } from "./sdl-conformance";
import { sandboxSchema } from "./schema";

// The check against Shopify's real schema lives in tests/conformance/sandbox-sdl.test.ts; here the
// comparison itself is tested on small schemas so we know it can fail.
const real = buildSchema(`
  schema { query: QueryRoot }
  type QueryRoot { shop: Shop! orders(first: Int, query: String, sortKey: OrderSortKeys = PROCESSED_AT): [Order!]! order(id: ID!): Order }
  type Shop { id: ID! name: String! }
  type Order { id: ID! email: String }
  enum OrderSortKeys { ID PROCESSED_AT UPDATED_AT }
  input Thing { a: ID! b: Int }
`);

describe("compareSdlToSchema", () => {
  it("accepts a true subset", () => {
    const ours = `schema { query: QueryRoot } type QueryRoot { shop: Shop! orders(first: Int, sortKey: OrderSortKeys = PROCESSED_AT): [Order!]! }
      type Shop { id: ID! } type Order { email: String } enum OrderSortKeys { ID PROCESSED_AT }`;
    expect(compareSdlToSchema(ours, real)).toEqual([]);
  });

  it("reports every kind of mismatch", () => {
    const ours = `schema { query: Query } type Query { shop: Shop }
      type Shop { id: ID! name: String nickname: String } type Extra { id: ID! }
      enum OrderSortKeys { ID BOGUS } input Thing { b: Int c: Int }`;
    const problems = compareSdlToSchema(ours, real).map((m) => `${m.path}: ${m.problem}`);
    expect(problems).toEqual(expect.arrayContaining([
      "schema.query: root type is Query, real is QueryRoot",
      "Query: type does not exist in the real schema",
      "Shop.name: type is String, real is String!",
      "Shop.nickname: field does not exist in the real schema",
      "Extra: type does not exist in the real schema",
      "OrderSortKeys.BOGUS: enum value does not exist in the real schema",
      "Thing.c: input field does not exist in the real schema",
      "Thing.a: required input field of the real schema is missing",
    ]));
  });

  it("checks arguments: type, default and required ones left out", () => {
    const ours = `schema { query: QueryRoot } type QueryRoot { orders(first: String, sortKey: OrderSortKeys = ID): [Order!]! order: Order }
      type Order { id: ID! } enum OrderSortKeys { ID }`;
    const problems = compareSdlToSchema(ours, real).map((m) => `${m.path}: ${m.problem}`);
    expect(problems).toEqual(expect.arrayContaining([
      "QueryRoot.orders(first): type is String, real is Int",
      'QueryRoot.orders(sortKey): default is "ID", real is "PROCESSED_AT"',
      "QueryRoot.order(id): required argument of the real schema is missing",
    ]));
  });

  it("the sandbox SDL parses and keeps Shopify's root type names", () => {
    const schema = sandboxSchema();
    expect(schema.getQueryType()?.name).toBe("QueryRoot");
    expect(schema.getMutationType()?.name).toBe("Mutation");
    expect(schema.getDirective("idempotent")).toBeDefined();
  });
});
