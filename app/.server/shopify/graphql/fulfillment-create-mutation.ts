// Creating a fulfillment in Shopify for units the warehouse module packed and shipped (ADR 0033): the fulfillment
// order lines of one location, with the carrier and tracking number. `fulfillmentCreate` (not the deprecated
// fulfillmentCreateV2). It takes no idempotency key in 2026-01: the caller reads the order's fulfillments first
// (ORDER_FULFILLMENTS_QUERY) and does not create a second one with the same tracking number.
export const FULFILLMENT_CREATE_MUTATION = `#graphql
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
        status
        trackingInfo(first: 5) {
          company
          number
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface FulfillmentCreateVariables {
  fulfillment: {
    lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[];
    notifyCustomer: boolean;
    trackingInfo: { company: string; number: string };
  };
}

export interface FulfillmentCreateResult {
  fulfillmentCreate: {
    fulfillment: { id: string; status: string; trackingInfo: { company: string | null; number: string | null }[] } | null;
    userErrors: { field: string[] | null; message: string }[];
  } | null;
}
