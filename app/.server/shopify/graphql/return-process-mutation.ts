import { RETURN_FIELDS, type ReturnPayload } from "./return-fields";

// The returns-processing operation of 2026-01 (returnRefund is deprecated): the received units of an OPEN return
// processed; the refund itself (financialTransfer) is left to the merchant in Shopify — see ADR 0027.
export const RETURN_PROCESS_MUTATION = `#graphql
  mutation ReturnProcess($input: ReturnProcessInput!) {
    returnProcess(input: $input) {
      return {${RETURN_FIELDS}}
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface ReturnProcessResult {
  returnProcess: ReturnPayload | null;
}
