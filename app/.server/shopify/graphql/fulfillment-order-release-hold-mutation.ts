import { FULFILLMENT_ORDER_FIELDS, type FoUserError, type FulfillmentOrderNode } from "./fulfillment-order-fields";

// Releases an FO's holds (all of them, or the listed ones); with none left it is OPEN again.
export const FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION = `#graphql
  mutation FulfillmentOrderReleaseHold($id: ID!, $holdIds: [ID!]) {
    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
      fulfillmentOrder {${FULFILLMENT_ORDER_FIELDS}}
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface FulfillmentOrderReleaseHoldResult {
  fulfillmentOrderReleaseHold: {
    fulfillmentOrder: FulfillmentOrderNode | null;
    userErrors: FoUserError[];
  } | null;
}
