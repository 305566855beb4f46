// Holds the Shopify channel's buffer and what Shopify cannot see (other channels' reservations, our safety stock)
// in Shopify's `safety_stock` state (ADR 0010): units move between `available` and `safety_stock` at one location,
// so on hand (the physical count) never changes. The app is the only writer of safety_stock, so that terminal
// carries the compare-and-set figure (`changeFromQuantity` = what we last set); `available` is Shopify's own
// (orders commit from it) and carries an explicit null: no check. `@idempotent` makes a re-sent batch apply once.
export const INVENTORY_HOLD_MUTATION = `#graphql
  mutation InventoryHold($input: InventoryMoveQuantitiesInput!, $idempotencyKey: String!) {
    inventoryMoveQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
        changes(quantityNames: ["safety_stock"]) {
          name
          delta
          quantityAfterChange
          item { id }
          location { id }
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

export interface HoldTerminal {
  locationId: string;
  name: "available" | "safety_stock";
  changeFromQuantity: number | null;
  ledgerDocumentUri?: string;
}

export interface InventoryHoldVariables {
  input: {
    reason: "safety_stock";
    referenceDocumentUri: string;
    changes: { inventoryItemId: string; quantity: number; from: HoldTerminal; to: HoldTerminal }[];
  };
  idempotencyKey: string;
}

export interface InventoryHoldResult {
  inventoryMoveQuantities: {
    inventoryAdjustmentGroup: { id: string; changes: { name: string; delta: number; quantityAfterChange: number | null; item: { id: string } | null; location: { id: string } | null }[] } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  } | null;
}
