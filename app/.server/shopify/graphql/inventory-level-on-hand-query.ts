export const INVENTORY_LEVEL_ON_HAND_QUERY = `#graphql
  query InventoryLevelOnHand($inventoryItemId: ID!, $locationId: ID!) {
    inventoryItem(id: $inventoryItemId) {
      id
      inventoryLevel(locationId: $locationId) {
        id
        quantities(names: ["on_hand"]) {
          name
          quantity
        }
      }
    }
  }
`;

export interface InventoryLevelOnHandResult {
  inventoryItem: { id: string; inventoryLevel: { id: string; quantities: { name: string; quantity: number }[] } | null } | null;
}
