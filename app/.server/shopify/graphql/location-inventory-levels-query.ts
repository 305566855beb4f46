// One page of a location's inventory levels: each item stocked there and its physical on hand. Per level:
// the level (1) + its item (1) + its quantities (1) = 3 points, so 250 a page costs 753 of the 1,000 a query
// may ask for; the location is the one asked about, so it is not selected per level (that would cost 1,003).
export const LOCATION_INVENTORY_LEVELS_QUERY = `#graphql
  query LocationInventoryLevels($locationId: ID!, $first: Int!, $after: String) {
    location(id: $locationId) {
      id
      inventoryLevels(first: $first, after: $after) {
        nodes {
          id
          item {
            id
          }
          quantities(names: ["on_hand"]) {
            name
            quantity
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export interface LocationInventoryLevelNode {
  id: string;
  item: { id: string };
  quantities: { name: string; quantity: number }[];
}

export interface LocationInventoryLevelsResult {
  location: { id: string; inventoryLevels: { nodes: LocationInventoryLevelNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null;
}
