// Moves on hand by our batch's delta with compare-and-swap (ADR 0008): `changeFromQuantity` is the figure we expect
// Shopify to hold, so a change made in Shopify meanwhile is refused (CHANGE_FROM_QUANTITY_STALE), never overwritten;
// `@idempotent` makes a re-sent batch (a lost reply) apply once. Both are required from API 2026-04. An adjustment,
// unlike inventorySetQuantities, may start from or end at a figure below zero: Shopify's on hand goes negative when
// more ships than it knew it had, and a receipt must still be able to raise it. `ledgerDocumentUri` (required on
// every quantity but `available`) names the batch.
export const INVENTORY_ADJUST_ON_HAND_MUTATION = `#graphql
  mutation InventoryAdjustOnHand($input: InventoryAdjustQuantitiesInput!, $idempotencyKey: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $idempotencyKey) {
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

export interface InventoryAdjustOnHandVariables {
  input: {
    name: "on_hand";
    reason: string;
    referenceDocumentUri: string | null;
    changes: { inventoryItemId: string; locationId: string; delta: number; changeFromQuantity: number; ledgerDocumentUri: string }[];
  };
  idempotencyKey: string;
}

export interface InventoryAdjustOnHandResult {
  inventoryAdjustQuantities: {
    inventoryAdjustmentGroup: { id: string; reason: string; referenceDocumentUri: string | null; changes: { name: string; delta: number; quantityAfterChange: number | null }[] } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  } | null;
}
