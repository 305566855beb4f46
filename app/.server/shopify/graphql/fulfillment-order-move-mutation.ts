import { FULFILLMENT_ORDER_FIELDS, type FoUserError, type FulfillmentOrderNode } from "./fulfillment-order-fields";

// Moves a whole FO (no line items) or some of its units (a new FO) to another location.
export const FULFILLMENT_ORDER_MOVE_MUTATION = `#graphql
  mutation FulfillmentOrderMove($id: ID!, $newLocationId: ID!, $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $newLocationId, fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
      movedFulfillmentOrder {${FULFILLMENT_ORDER_FIELDS}}
      originalFulfillmentOrder {${FULFILLMENT_ORDER_FIELDS}}
      userErrors {
        field
        message
      }
    }
  }
`;

export interface FulfillmentOrderMoveResult {
  fulfillmentOrderMove: {
    movedFulfillmentOrder: FulfillmentOrderNode | null;
    originalFulfillmentOrder: FulfillmentOrderNode | null;
    userErrors: FoUserError[];
  } | null;
}
