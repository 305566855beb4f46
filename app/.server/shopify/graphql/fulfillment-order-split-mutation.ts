import { FULFILLMENT_ORDER_FIELDS, type FoUserError, type FulfillmentOrderNode } from "./fulfillment-order-fields";

// Splits the given units of an FO into a new FO at the same location (returned as remainingFulfillmentOrder).
export const FULFILLMENT_ORDER_SPLIT_MUTATION = `#graphql
  mutation FulfillmentOrderSplit($fulfillmentOrderSplits: [FulfillmentOrderSplitInput!]!) {
    fulfillmentOrderSplit(fulfillmentOrderSplits: $fulfillmentOrderSplits) {
      fulfillmentOrderSplits {
        fulfillmentOrder {${FULFILLMENT_ORDER_FIELDS}}
        remainingFulfillmentOrder {${FULFILLMENT_ORDER_FIELDS}}
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface FulfillmentOrderSplitResult {
  fulfillmentOrderSplit: {
    fulfillmentOrderSplits: Array<{ fulfillmentOrder: FulfillmentOrderNode; remainingFulfillmentOrder: FulfillmentOrderNode }> | null;
    userErrors: FoUserError[];
  } | null;
}
