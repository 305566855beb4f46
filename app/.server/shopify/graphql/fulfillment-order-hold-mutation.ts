import { FULFILLMENT_ORDER_FIELDS, type FoUserError, type FulfillmentOrderNode } from "./fulfillment-order-fields";

// Puts an FO on hold; with line items only those stay held and the rest goes to a new OPEN FO.
export const FULFILLMENT_ORDER_HOLD_MUTATION = `#graphql
  mutation FulfillmentOrderHold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
    fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
      fulfillmentHold {
        id
        handle
      }
      fulfillmentOrder {${FULFILLMENT_ORDER_FIELDS}}
      remainingFulfillmentOrder {${FULFILLMENT_ORDER_FIELDS}}
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface FulfillmentOrderHoldResult {
  fulfillmentOrderHold: {
    fulfillmentHold: { id: string; handle: string | null } | null;
    fulfillmentOrder: FulfillmentOrderNode | null;
    remainingFulfillmentOrder: FulfillmentOrderNode | null;
    userErrors: FoUserError[];
  } | null;
}
