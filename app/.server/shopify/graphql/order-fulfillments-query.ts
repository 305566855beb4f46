// An order's fulfillments with their status and tracking: before creating one, the warehouse's ship job looks for
// the one it may have created already (same tracking number) when a reply was lost (ADR 0033).
export const ORDER_FULFILLMENTS_QUERY = `#graphql
  query OrderFulfillments($id: ID!) {
    order(id: $id) {
      id
      fulfillments(first: 50) {
        id
        status
        trackingInfo(first: 5) {
          company
          number
        }
      }
    }
  }
`;

export interface OrderFulfillmentsResult {
  order: { id: string; fulfillments: { id: string; status: string; trackingInfo: { company: string | null; number: string | null }[] }[] } | null;
}
