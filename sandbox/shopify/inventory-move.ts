// inventoryMoveQuantities: moves units between quantity states of one item at one location (on hand stays
// put), as API 2026-01 does it: compare-and-set per terminal (`changeFromQuantity`), a ledger document URI
// required on every state but `available` and refused on `available`, at most two distinct ledger documents
// in one call, all-or-nothing validation, and an adjustment group recording each change.
import type { UserErr } from "./fulfillment-orders";
import { parseGid } from "./ids";
import { INVENTORY_REASONS, type AdjustmentGroup } from "./inventory-set";
import type { LevelRec, SandboxStore, ShopState } from "./store";

export interface MoveTerminalInput { locationId: string; name: string; changeFromQuantity?: number | null; ledgerDocumentUri?: string | null }
export interface MoveChangeInput { inventoryItemId: string; quantity: number; from: MoveTerminalInput; to: MoveTerminalInput }
export interface MoveQuantitiesInput { reason: string; referenceDocumentUri: string; changes: MoveChangeInput[] }

/** The states a move may touch here; `on_hand` and `committed` are Shopify's to change, not an app's. */
const MOVABLE = ["available", "safety_stock"] as const;
type Movable = (typeof MOVABLE)[number];
const MAX_QUANTITY = 2_000_000_000;
const URI = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

export function moveInventoryQuantities(
  store: SandboxStore, shop: ShopState, input: MoveQuantitiesInput,
): { group: AdjustmentGroup | null; userErrors: UserErr[] } {
  const errors: UserErr[] = [];
  const fail = (field: string[], message: string, code: string) => errors.push({ field: ["input", ...field], message, code });
  if (!INVENTORY_REASONS.includes(input.reason)) fail(["reason"], "The specified reason is invalid.", "INVALID_REASON");
  if (!URI.test(input.referenceDocumentUri)) {
    fail(["referenceDocumentUri"], "The specified reference document is invalid.", "INVALID_REFERENCE_DOCUMENT");
  }
  const documents = new Set<string>();
  const moves = input.changes.map((change, i) => {
    const at = (...f: string[]) => ["changes", String(i), ...f];
    const item = parseGid(change.inventoryItemId);
    const variant = item && item.type === "InventoryItem" ? store.variantByItem(shop, item.id) : undefined;
    if (!variant) fail(at("inventoryItemId"), "The specified inventory item could not be found.", "INVALID_INVENTORY_ITEM");
    if (change.from.locationId !== change.to.locationId) fail(at("to", "locationId"), "The quantities can't be moved between different locations.", "DIFFERENT_LOCATIONS");
    const loc = parseGid(change.from.locationId);
    const location = loc && loc.type === "Location" ? store.location(shop, loc.id) : undefined;
    if (!location) fail(at("from", "locationId"), "The specified location could not be found.", "INVALID_LOCATION");
    if (change.from.name === change.to.name) fail(at("to", "name"), "The quantity names for each change can't be the same.", "SAME_QUANTITY_NAME");
    if (change.quantity < 0) fail(at("quantity"), "The quantity can't be negative.", "INVALID_QUANTITY_NEGATIVE");
    if (change.quantity > MAX_QUANTITY) fail(at("quantity"), "The quantity can't be higher than 2,000,000,000.", "INVALID_QUANTITY_TOO_HIGH");
    for (const side of ["from", "to"] as const) {
      const t = change[side];
      if (!(MOVABLE as readonly string[]).includes(t.name)) fail(at(side, "name"), "The specified quantity name is invalid.", "INVALID_QUANTITY_NAME");
      if (t.name === "available" && t.ledgerDocumentUri) fail(at(side, "ledgerDocumentUri"), "A ledger document URI is not allowed when adjusting available.", "INVALID_AVAILABLE_DOCUMENT");
      if (t.name !== "available" && !t.ledgerDocumentUri) fail(at(side, "ledgerDocumentUri"), "A ledger document URI is required except when adjusting available.", "INVALID_QUANTITY_DOCUMENT");
      if (t.ledgerDocumentUri) {
        if (t.ledgerDocumentUri.startsWith("gid://shopify/")) fail(at(side, "ledgerDocumentUri"), "Internal (gid://shopify/) ledger documents are not allowed to be adjusted via API.", "INTERNAL_LEDGER_DOCUMENT");
        else if (!URI.test(t.ledgerDocumentUri)) fail(at(side, "ledgerDocumentUri"), "The specified ledger document is invalid.", "INVALID_LEDGER_DOCUMENT");
        documents.add(t.ledgerDocumentUri);
      }
    }
    if (!variant || !location) return null;
    const level = store.level(shop, variant.inventoryItemId, location.id);
    if (!level) {
      fail(at("from", "locationId"), "The inventory item is not stocked at the location.", "ITEM_NOT_STOCKED_AT_LOCATION");
      return null;
    }
    for (const side of ["from", "to"] as const) {
      const t = change[side];
      if (typeof t.changeFromQuantity === "number" && (MOVABLE as readonly string[]).includes(t.name) && t.changeFromQuantity !== level.quantities[t.name as Movable]) {
        fail(at(side, "changeFromQuantity"), "The changeFromQuantity argument no longer matches the persisted quantity.", "CHANGE_FROM_QUANTITY_STALE");
      }
    }
    return { level, quantity: change.quantity, from: change.from.name as Movable, to: change.to.name as Movable };
  });
  if (documents.size > 2) fail(["changes"], "Only a maximum of 2 ledger document URIs across all changes is allowed.", "MAXIMUM_LEDGER_DOCUMENT_URIS");
  // Applied in order on a scratch copy: a state may not go below zero (Shopify refuses what it cannot move).
  const after = new Map<LevelRec, Record<Movable, number>>();
  for (const [i, m] of moves.entries()) {
    if (!m) continue;
    const q = after.get(m.level) ?? { available: m.level.quantities.available, safety_stock: m.level.quantities.safety_stock };
    q[m.from] -= m.quantity;
    q[m.to] += m.quantity;
    after.set(m.level, q);
    if (m.from === "safety_stock" && q.safety_stock < 0) fail(["changes", String(i), "quantity"], "The quantities couldn't be moved. Try again.", "MOVE_QUANTITIES_FAILED");
  }
  if (errors.length > 0) return { group: null, userErrors: errors };

  const now = store.nowIso();
  const group: AdjustmentGroup = { id: store.newId(), createdAt: now, reason: input.reason, referenceDocumentUri: input.referenceDocumentUri, changes: [] };
  for (const m of moves) {
    if (!m || m.quantity === 0) continue;
    const q = m.level.quantities;
    q[m.from] -= m.quantity;
    q[m.to] += m.quantity;
    m.level.updatedAt = now;
    const base = { itemId: m.level.inventoryItemId, locationId: m.level.locationId };
    group.changes.push({ ...base, name: m.from, delta: -m.quantity, quantityAfterChange: q[m.from] });
    group.changes.push({ ...base, name: m.to, delta: m.quantity, quantityAfterChange: q[m.to] });
  }
  return { group, userErrors: [] };
}
