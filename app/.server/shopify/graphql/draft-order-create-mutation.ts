import type { DraftOrderInput } from "~/domain/orders/draft-order";

// Creates a draft order (a phone order to invoice from Shopify). Problems Shopify finds with the input
// (a variant it no longer has, an address it cannot read) come back in userErrors with no draft made.
export const DRAFT_ORDER_CREATE_MUTATION = `#graphql
  mutation DraftOrderCreate($input: DraftOrderInput!) {
    draftOrderCreate(input: $input) {
      draftOrder {
        id
        legacyResourceId
        name
        status
        invoiceUrl
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface DraftOrderCreateVariables {
  input: DraftOrderInput;
}

export interface DraftOrderCreateResult {
  draftOrderCreate: {
    draftOrder: {
      id: string;
      legacyResourceId: string;
      name: string;
      status: string;
      invoiceUrl: string | null;
      totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
    } | null;
    userErrors: { field: string[] | null; message: string }[];
  } | null;
}
