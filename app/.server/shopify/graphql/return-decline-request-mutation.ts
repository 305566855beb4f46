import { RETURN_FIELDS, type ReturnPayload } from "./return-fields";

// A requested return declined (REQUESTED → DECLINED), with Shopify's reason and our note.
export const RETURN_DECLINE_REQUEST_MUTATION = `#graphql
  mutation ReturnDeclineRequest($input: ReturnDeclineRequestInput!) {
    returnDeclineRequest(input: $input) {
      return {${RETURN_FIELDS}}
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface ReturnDeclineRequestResult {
  returnDeclineRequest: ReturnPayload | null;
}
