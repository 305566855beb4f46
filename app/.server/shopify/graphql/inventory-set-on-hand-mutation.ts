// Sets on hand with compare-and-set (ADR 0008): `changeFromQuantity` is the figure we expect Shopify to hold, so a
// change made in Shopify meanwhile is refused (CHANGE_FROM_QUANTITY_STALE), never overwritten; `@idempotent`
// makes a re-sent batch (a lost reply) apply once. Both are required from API 2026-04.
export const INVENTORY_SET_ON_HAND_MUTATION = `#graphql
  mutation InventorySetOnHand($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
        reason
        referenceDocumentUri
        changes(quantityNames: ["on_hand"]) {
          name
          delta
          quantityAfterChange
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface InventorySetOnHandVariables {
  input: {
    name: "on_hand";
    reason: string;
    referenceDocumentUri: string | null;
    quantities: { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number }[];
  };
  idempotencyKey: string;
}

export interface InventorySetOnHandResult {
  inventorySetQuantities: {
    inventoryAdjustmentGroup: { id: string; reason: string; referenceDocumentUri: string | null; changes: { name: string; delta: number; quantityAfterChange: number | null }[] } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  } | null;
}
