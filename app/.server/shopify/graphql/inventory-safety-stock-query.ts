// What Shopify's safety_stock holds at a level now: read when a hold move was refused as stale (someone else
// changed the state), so the next move starts from Shopify's figure.
export const INVENTORY_SAFETY_STOCK_QUERY = `#graphql
  query InventorySafetyStock($item: ID!, $location: ID!) {
    inventoryItem(id: $item) {
      inventoryLevel(locationId: $location) {
        quantities(names: ["safety_stock"]) {
          name
          quantity
        }
      }
    }
  }
`;

export interface InventorySafetyStockResult {
  inventoryItem: { inventoryLevel: { quantities: { name: string; quantity: number }[] } | null } | null;
}
