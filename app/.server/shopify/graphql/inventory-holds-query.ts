// What Shopify's safety_stock and available hold at every location of some inventory items: read back by the
// channel reconciliation (ADR 0013) to find holds someone changed outside the app. 20 items a call.
export const INVENTORY_HOLDS_QUERY = `#graphql
  query InventoryHolds($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        inventoryLevels(first: 25) {
          nodes {
            location {
              id
            }
            quantities(names: ["safety_stock", "available"]) {
              name
              quantity
            }
          }
        }
      }
    }
  }
`;

export interface InventoryHoldsResult {
  nodes: ({ id: string; inventoryLevels: { nodes: { location: { id: string }; quantities: { name: string; quantity: number }[] }[] } } | null)[];
}
