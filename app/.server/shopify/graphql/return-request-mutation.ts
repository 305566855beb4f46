import { RETURN_FIELDS, type ReturnPayload } from "./return-fields";

// A customer's return request (portal, customer account): Shopify holds it as REQUESTED until approved or declined.
export const RETURN_REQUEST_MUTATION = `#graphql
  mutation ReturnRequest($input: ReturnRequestInput!) {
    returnRequest(input: $input) {
      return {${RETURN_FIELDS}}
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface ReturnRequestResult {
  returnRequest: ReturnPayload | null;
}
