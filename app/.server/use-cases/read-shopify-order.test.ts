import { describe, expect, it } from "vitest";
import type { GraphqlOrderNode, OrdersUpdatedSinceVariables } from "../shopify/graphql/orders-updated-since-query";
import { readShopifyOrder, type GraphqlFn } from "./read-shopify-order";

const line = (n: number) => ({ id: `gid://shopify/LineItem/${n}`, sku: `S${n}`, title: `T${n}`, quantity: 2, currentQuantity: 1, variant: null, originalUnitPriceSet: { shopMoney: { amount: "1.00" } } });
const order = (updatedAt: string, lines: number[], next: string | null): GraphqlOrderNode => ({
  id: "gid://shopify/Order/77", name: "#1", createdAt: "2026-01-01T00:00:00Z", updatedAt, cancelledAt: null, email: null, phone: null, currencyCode: "USD",
  displayFinancialStatus: "PAID", totalPriceSet: { shopMoney: { amount: "1.00" } }, customer: null, shippingAddress: null,
  lineItems: { nodes: lines.map(line), pageInfo: { hasNextPage: next !== null, endCursor: next } },
});

describe("readShopifyOrder", () => {
  it("asks for the order by id and reads every line, starting again if the order changed between pages", async () => {
    const calls: OrdersUpdatedSinceVariables[] = [];
    const pages = [order("2026-01-02T00:00:00Z", [1], "c1"), order("2026-01-02T00:00:05Z", [9], null), order("2026-01-02T00:00:05Z", [1], "c1"), order("2026-01-02T00:00:05Z", [2], null)];
    const graphql = (async (_shop: string, _query: string, variables: Record<string, unknown>) => {
      calls.push(variables as unknown as OrdersUpdatedSinceVariables);
      return { orders: { nodes: [pages.shift()!], pageInfo: { hasNextPage: false, endCursor: null } } };
    }) as GraphqlFn;
    const node = await readShopifyOrder("s.myshopify.com", "77", graphql);
    expect(node?.lineItems.nodes.map((l) => l.id)).toEqual(["gid://shopify/LineItem/1", "gid://shopify/LineItem/2"]);
    expect(calls.map((c) => [c.query, c.lineItemsAfter])).toEqual([["id:77", null], ["id:77", "c1"], ["id:77", null], ["id:77", "c1"]]);
    expect(calls[0].first).toBe(1);
  });

  it("is null when Shopify has no such order", async () => {
    const graphql = (async () => ({ orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } })) as GraphqlFn;
    expect(await readShopifyOrder("s.myshopify.com", "78", graphql)).toBeNull();
  });
});
