// inventorySetQuantities: absolute "available" or "on_hand" quantities with compare-and-set,
// all-or-nothing validation, and an adjustment group recording each change.
// Compare-and-set per quantity, as in API 2026-01: `changeFromQuantity` given (an integer or an
// explicit null) wins and `compareQuantity` / `ignoreCompareQuantity` are ignored for that quantity;
// left out (the key absent, as graphql-js passes an input field that was not written), the older
// `compareQuantity` rules apply.
import type { UserErr } from "./fulfillment-orders";
import { parseGid } from "./ids";
import type { SandboxStore, ShopState } from "./store";

export interface SetQuantitiesInput {
  reason: string;
  name: string;
  referenceDocumentUri?: string | null;
  ignoreCompareQuantity?: boolean | null;
  quantities: SetQuantityInput[];
}
export interface SetQuantityInput {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  /** Deprecated by Shopify in 2026-01 (removed in 2026-04); ignored when changeFromQuantity is given. */
  compareQuantity?: number | null;
  /** undefined = not given (compareQuantity rules); null = no check; an integer = must equal the persisted quantity. */
  changeFromQuantity?: number | null;
}
export interface AdjustmentChange { name: string; delta: number; quantityAfterChange: number; itemId: bigint; locationId: bigint }
export interface AdjustmentGroup { id: bigint; createdAt: string; reason: string; referenceDocumentUri: string | null; changes: AdjustmentChange[] }

// Shopify's documented reasons for quantity changes.
export const INVENTORY_REASONS = [
  "correction", "cycle_count_available", "damaged", "movement_created", "movement_updated", "movement_received",
  "movement_canceled", "other", "promotion", "quality_control", "received", "reservation_created",
  "reservation_deleted", "reservation_updated", "restock", "safety_stock", "shrinkage",
];
const MAX_QUANTITY = 1_000_000_000;

export function setInventoryQuantities(
  store: SandboxStore, shop: ShopState, input: SetQuantitiesInput,
): { group: AdjustmentGroup | null; userErrors: UserErr[] } {
  const errors: UserErr[] = [];
  const fail = (field: string[], message: string, code: string) => errors.push({ field: ["input", ...field], message, code });
  if (input.name !== "available" && input.name !== "on_hand") {
    fail(["name"], "The quantity name must be either 'available' or 'on_hand'.", "INVALID_NAME");
  }
  if (!INVENTORY_REASONS.includes(input.reason)) fail(["reason"], "The specified reason is invalid.", "INVALID_REASON");
  if (input.referenceDocumentUri && !/^[a-z][a-z0-9+.-]*:\/\//i.test(input.referenceDocumentUri)) {
    fail(["referenceDocumentUri"], "The reference document URI is invalid.", "INVALID_REFERENCE_DOCUMENT");
  }
  const seen = new Set<string>();
  const targets = input.quantities.map((q, i) => {
    const at = (f: string) => ["quantities", String(i), f];
    const item = parseGid(q.inventoryItemId);
    const loc = parseGid(q.locationId);
    const variant = item && item.type === "InventoryItem" ? store.variantByItem(shop, item.id) : undefined;
    const location = loc && loc.type === "Location" ? store.location(shop, loc.id) : undefined;
    if (!variant) fail(at("inventoryItemId"), "The specified inventory item could not be found.", "INVALID_INVENTORY_ITEM");
    if (!location) fail(at("locationId"), "The specified location could not be found.", "INVALID_LOCATION");
    if (!variant || !location) return null;
    const key = `${variant.inventoryItemId}:${location.id}`;
    if (seen.has(key)) {
      fail(at("locationId"), "The combination of inventoryItemId and locationId must be unique.", "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR");
    }
    seen.add(key);
    const level = store.level(shop, variant.inventoryItemId, location.id);
    if (!level) {
      fail(at("locationId"), "The specified inventory item is not stocked at the location.", "ITEM_NOT_STOCKED_AT_LOCATION");
      return null;
    }
    if (q.quantity > MAX_QUANTITY) fail(at("quantity"), `The quantity can't be higher than ${MAX_QUANTITY}.`, "INVALID_QUANTITY_TOO_HIGH");
    if (q.quantity < -MAX_QUANTITY) fail(at("quantity"), `The quantity can't be lower than -${MAX_QUANTITY}.`, "INVALID_QUANTITY_TOO_LOW");
    if (input.name === "on_hand" && q.quantity < 0) fail(at("quantity"), "The on_hand quantity can't be negative.", "INVALID_QUANTITY_NEGATIVE");
    const current = input.name === "on_hand" ? level.quantities.on_hand : level.quantities.available;
    if (q.changeFromQuantity !== undefined) {
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== current) {
        fail(at("changeFromQuantity"), "The changeFromQuantity value does not match persisted value.", "CHANGE_FROM_QUANTITY_STALE");
      }
    } else if (!input.ignoreCompareQuantity) {
      if (q.compareQuantity == null) {
        fail(at("compareQuantity"), "The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.", "COMPARE_QUANTITY_REQUIRED");
      } else if (q.compareQuantity !== current) {
        fail(at("compareQuantity"), "The compareQuantity value does not match persisted value.", "COMPARE_QUANTITY_STALE");
      }
    }
    return { level, quantity: q.quantity };
  });
  if (errors.length > 0) return { group: null, userErrors: errors };

  const now = store.nowIso();
  const group: AdjustmentGroup = { id: store.newId(), createdAt: now, reason: input.reason, referenceDocumentUri: input.referenceDocumentUri ?? null, changes: [] };
  for (const target of targets) {
    if (!target) continue;
    const { level, quantity } = target;
    const q = level.quantities;
    // Setting available or on_hand moves the other by the same delta (committed stays put).
    const delta = input.name === "on_hand" ? quantity - q.on_hand : quantity - q.available;
    q.available += delta;
    q.on_hand += delta;
    level.updatedAt = now;
    const base = { itemId: level.inventoryItemId, locationId: level.locationId };
    const first = input.name === "on_hand" ? "on_hand" : "available";
    const second = first === "on_hand" ? "available" : "on_hand";
    group.changes.push({ ...base, name: first, delta, quantityAfterChange: q[first] });
    group.changes.push({ ...base, name: second, delta, quantityAfterChange: q[second] });
  }
  return { group, userErrors: [] };
}
