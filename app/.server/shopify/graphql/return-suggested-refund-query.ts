// What Shopify suggests refunding for the processed units of a return (2026-01 returns processing): the amount and
// the order transactions to refund it against (their parent SALE/CAPTURE). returnProcess then issues that refund as
// its financialTransfer (ADR 0035); the deprecated suggestedRefund / returnRefund are not used.
export const RETURN_SUGGESTED_REFUND_QUERY = `#graphql
  query ReturnSuggestedRefund($id: ID!, $returnLineItems: [SuggestedOutcomeReturnLineItemInput!]!) {
    return(id: $id) {
      id
      suggestedFinancialOutcome(returnLineItems: $returnLineItems, exchangeLineItems: []) {
        financialTransfer {
          __typename
          ... on RefundReturnOutcome {
            amount {
              presentmentMoney {
                amount
                currencyCode
              }
            }
            suggestedTransactions {
              gateway
              kind
              amountSet {
                presentmentMoney {
                  amount
                  currencyCode
                }
              }
              parentTransaction {
                id
                kind
              }
            }
          }
        }
      }
    }
  }
`;

interface Money {
  amount: string;
  currencyCode: string;
}

export interface ReturnSuggestedRefundResult {
  return: {
    id: string;
    suggestedFinancialOutcome: {
      financialTransfer:
        | { __typename: "RefundReturnOutcome"; amount: { presentmentMoney: Money }; suggestedTransactions: { gateway: string | null; kind: string; amountSet: { presentmentMoney: Money }; parentTransaction: { id: string; kind: string } | null }[] }
        | { __typename: "InvoiceReturnOutcome" }
        | null;
    } | null;
  } | null;
}
