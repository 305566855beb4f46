import { RETURN_FIELDS, type ReturnPayload } from "./return-fields";

// The returns-processing operation of 2026-01 (returnRefund is deprecated): the received units of an OPEN return
// processed and, for a refunded RMA, the money refunded in the same call as its financialTransfer.issueRefund against
// the order transactions Shopify suggested (Return.suggestedFinancialOutcome) — ADR 0035.
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

/** A refund against one order transaction (its parent SALE or CAPTURE), in the order's presentment currency. */
export interface RefundTransaction {
  parentId: string;
  amount: string;
  currencyCode: string;
}

/** The ReturnProcessInput variables: the units processed and, when there is money to give back, the refund. */
export function returnProcessInput(input: { returnId: string; lines: { id: string; quantity: number }[]; refund: RefundTransaction[]; note: string }): Record<string, unknown> {
  return {
    returnId: input.returnId,
    returnLineItems: input.lines.map((l) => ({ id: l.id, quantity: l.quantity })),
    notifyCustomer: false,
    note: input.note,
    ...(input.refund.length > 0 ? { financialTransfer: { issueRefund: { orderTransactions: input.refund.map((t) => ({ parentId: t.parentId, transactionAmount: { amount: t.amount, currencyCode: t.currencyCode } })) } } } : {}),
  };
}
