// What the app reads back of a Shopify return after each returns mutation.
export const RETURN_FIELDS = `
  id
  name
  status
  returnLineItems(first: 100) {
    nodes {
      id
      quantity
      ... on ReturnLineItem {
        fulfillmentLineItem {
          id
          lineItem {
            id
          }
        }
      }
    }
  }
`;

export interface ShopifyReturnNode {
  id: string;
  name: string;
  status: "CANCELED" | "CLOSED" | "DECLINED" | "OPEN" | "REQUESTED";
  returnLineItems: { nodes: { id: string; quantity: number; fulfillmentLineItem?: { id: string; lineItem: { id: string } } }[] };
}

export interface ReturnUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

export interface ReturnPayload {
  return: ShopifyReturnNode | null;
  userErrors: ReturnUserError[];
}
