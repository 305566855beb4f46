import { RETURN_FIELDS, type ReturnPayload } from "./return-fields";

// A requested return approved (REQUESTED → OPEN).
export const RETURN_APPROVE_REQUEST_MUTATION = `#graphql
  mutation ReturnApproveRequest($input: ReturnApproveRequestInput!) {
    returnApproveRequest(input: $input) {
      return {${RETURN_FIELDS}}
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface ReturnApproveRequestResult {
  returnApproveRequest: ReturnPayload | null;
}
