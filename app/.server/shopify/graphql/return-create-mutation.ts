import { RETURN_FIELDS, type ReturnPayload } from "./return-fields";

// A return the merchant makes (admin): Shopify opens it at once (OPEN), no approval step.
export const RETURN_CREATE_MUTATION = `#graphql
  mutation ReturnCreate($returnInput: ReturnInput!) {
    returnCreate(returnInput: $returnInput) {
      return {${RETURN_FIELDS}}
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface ReturnCreateResult {
  returnCreate: ReturnPayload | null;
}
