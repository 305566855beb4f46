import { FULFILLMENT_ORDER_FIELDS, type FulfillmentOrderNode, type PageInfo } from "./fulfillment-order-fields";

// An order's fulfillment orders with their location, holds and lines, a page of FOs at a time.
export const ORDER_FULFILLMENT_ORDERS_QUERY = `#graphql
  query OrderFulfillmentOrders($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      id
      fulfillmentOrders(first: $first, after: $after) {
        nodes {${FULFILLMENT_ORDER_FIELDS}}
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export const FULFILLMENT_ORDERS_PAGE = 10;

export interface OrderFulfillmentOrdersVariables {
  id: string;
  first: number;
  after: string | null;
}

export interface OrderFulfillmentOrdersResult {
  order: { id: string; fulfillmentOrders: { nodes: FulfillmentOrderNode[]; pageInfo: PageInfo } } | null;
}
