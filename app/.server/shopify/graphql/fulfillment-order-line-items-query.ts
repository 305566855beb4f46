import { FULFILLMENT_ORDER_LINE_FIELDS, type FulfillmentOrderLineNode, type PageInfo } from "./fulfillment-order-fields";

// The further lines of one fulfillment order, for FOs with more lines than the order query reads.
export const FULFILLMENT_ORDER_LINE_ITEMS_QUERY = `#graphql
  query FulfillmentOrderLineItems($id: ID!, $first: Int!, $after: String) {
    fulfillmentOrder(id: $id) {
      id
      lineItems(first: $first, after: $after) {
        nodes {${FULFILLMENT_ORDER_LINE_FIELDS}}
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export interface FulfillmentOrderLineItemsResult {
  fulfillmentOrder: { id: string; lineItems: { nodes: FulfillmentOrderLineNode[]; pageInfo: PageInfo } } | null;
}
