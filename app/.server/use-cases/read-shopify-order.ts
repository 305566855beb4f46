import { legacyIdFromGid } from "~/domain/shared/safe-json";
import { adminGraphql } from "../shopify/admin-graphql";
import {
  ORDERS_UPDATED_SINCE_QUERY, SINGLE_QUERY_MAX_COST, ordersUpdatedSinceCost, type GraphqlOrderNode, type OrdersUpdatedSinceResult, type OrdersUpdatedSinceVariables,
} from "../shopify/graphql/orders-updated-since-query";

export type GraphqlFn = <T>(shopDomain: string, query: string, variables: Record<string, unknown>) => Promise<T>;

/** The most lines one read can ask for and stay under Shopify's single-query cost limit. */
const LINES_PER_READ = Math.floor((SINGLE_QUERY_MAX_COST - ordersUpdatedSinceCost(1, 0)) / 4);

/**
 * One order as Admin GraphQL has it now, every line included (null when Shopify has no such order): the
 * same document as the reconciliation poll, asked for `id:<legacy id>`. Lines past the first read are
 * fetched by cursor; if the order changes meanwhile, its lines are read afresh.
 */
export async function readShopifyOrder(shopDomain: string, orderLegacyId: string, graphql: GraphqlFn = adminGraphql): Promise<GraphqlOrderNode | null> {
  const read = async (after: string | null) => {
    const variables: OrdersUpdatedSinceVariables = { first: 1, after: null, query: `id:${orderLegacyId}`, lineItemsFirst: LINES_PER_READ, lineItemsAfter: after };
    const { orders } = await graphql<OrdersUpdatedSinceResult>(shopDomain, ORDERS_UPDATED_SINCE_QUERY, { ...variables });
    return orders.nodes.find((o) => legacyIdFromGid(o.id) === orderLegacyId) ?? null;
  };
  let whole = await read(null);
  for (let reads = 0; whole?.lineItems.pageInfo.hasNextPage; reads += 1) {
    if (reads >= 20) throw new Error(`Order ${orderLegacyId} kept changing while its lines were read`);
    const next: GraphqlOrderNode | null = await read(whole.lineItems.pageInfo.endCursor);
    if (!next) return null;
    whole = next.updatedAt === whole.updatedAt
      ? { ...whole, lineItems: { nodes: [...whole.lineItems.nodes, ...next.lineItems.nodes], pageInfo: next.lineItems.pageInfo } }
      : await read(null); // changed meanwhile: start again
  }
  return whole;
}
