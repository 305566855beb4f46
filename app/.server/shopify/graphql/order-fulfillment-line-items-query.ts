// An order's fulfillments with their fulfillment line items: a return names the shipped units by these ids.
export const ORDER_FULFILLMENT_LINE_ITEMS_QUERY = `#graphql
  query OrderFulfillmentLineItems($id: ID!) {
    order(id: $id) {
      id
      fulfillments(first: 50) {
        id
        fulfillmentLineItems(first: 100) {
          nodes {
            id
            quantity
            lineItem {
              id
            }
          }
        }
      }
    }
  }
`;

export interface OrderFulfillmentLineItemsResult {
  order: { id: string; fulfillments: { id: string; fulfillmentLineItems: { nodes: { id: string; quantity: number | null; lineItem: { id: string } }[] } }[] } | null;
}
