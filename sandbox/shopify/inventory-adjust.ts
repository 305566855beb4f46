// inventoryAdjustQuantities: relative changes ("delta") to `available` or `on_hand`, as API 2026-01 does it:
// compare-and-swap per change (`changeFromQuantity`: an integer must equal the persisted quantity; null or left
// out, no check), a ledger document URI required on every state but `available` and refused on `available`, at
// most one ledger document per call, all-or-nothing validation, and an adjustment group recording each change.
// Unlike inventorySetQuantities, the result may be below zero: Shopify's on hand goes negative when more ships
// than it knew it had, and an adjustment is how that figure is moved (its error codes have no "negative").
import type { UserErr } from "./fulfillment-orders";
import { parseGid } from "./ids";
import { INVENTORY_REASONS, type AdjustmentGroup } from "./inventory-set";
import type { LevelRec, SandboxStore, ShopState } from "./store";

export interface AdjustChangeInput { inventoryItemId: string; locationId: string; delta: number; changeFromQuantity?: number | null; ledgerDocumentUri?: string | null }
export interface AdjustQuantitiesInput { name: string; reason: string; referenceDocumentUri?: string | null; changes: AdjustChangeInput[] }

const ADJUSTABLE = ["available", "on_hand"] as const;
type Adjustable = (typeof ADJUSTABLE)[number];
const LIMIT = 1_000_000_000;
const URI = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

export function adjustInventoryQuantities(
  store: SandboxStore, shop: ShopState, input: AdjustQuantitiesInput,
): { group: AdjustmentGroup | null; userErrors: UserErr[] } {
  const errors: UserErr[] = [];
  const fail = (field: string[], message: string, code: string) => errors.push({ field: ["input", ...field], message, code });
  const name = (ADJUSTABLE as readonly string[]).includes(input.name) ? (input.name as Adjustable) : null;
  if (!name) fail(["name"], "The specified quantity name is invalid.", "INVALID_QUANTITY_NAME");
  if (!INVENTORY_REASONS.includes(input.reason)) fail(["reason"], "The specified reason is invalid.", "INVALID_REASON");
  if (input.referenceDocumentUri && !URI.test(input.referenceDocumentUri)) {
    fail(["referenceDocumentUri"], "The specified reference document is invalid.", "INVALID_REFERENCE_DOCUMENT");
  }
  const documents = new Set<string>();
  const changes = input.changes.map((change, i) => {
    const at = (f: string) => ["changes", String(i), f];
    const item = parseGid(change.inventoryItemId);
    const loc = parseGid(change.locationId);
    const variant = item && item.type === "InventoryItem" ? store.variantByItem(shop, item.id) : undefined;
    const location = loc && loc.type === "Location" ? store.location(shop, loc.id) : undefined;
    if (!variant) fail(at("inventoryItemId"), "The specified inventory item could not be found.", "INVALID_INVENTORY_ITEM");
    if (!location) fail(at("locationId"), "The specified location could not be found.", "INVALID_LOCATION");
    const doc = change.ledgerDocumentUri;
    if (name === "available" && doc) fail(at("ledgerDocumentUri"), "A ledger document URI is not allowed when adjusting available.", "INVALID_AVAILABLE_DOCUMENT");
    if (name === "on_hand" && !doc) fail(at("ledgerDocumentUri"), "A ledger document URI is required except when adjusting available.", "INVALID_QUANTITY_DOCUMENT");
    if (doc) {
      if (doc.startsWith("gid://shopify/")) fail(at("ledgerDocumentUri"), "Internal (gid://shopify/) ledger documents are not allowed to be adjusted via API.", "INTERNAL_LEDGER_DOCUMENT");
      else if (!URI.test(doc)) fail(at("ledgerDocumentUri"), "The specified ledger document is invalid.", "INVALID_LEDGER_DOCUMENT");
      documents.add(doc);
    }
    if (!variant || !location || !name) return null;
    const level = store.level(shop, variant.inventoryItemId, location.id);
    if (!level) {
      fail(at("locationId"), "The specified inventory item is not stocked at the location.", "ITEM_NOT_STOCKED_AT_LOCATION");
      return null;
    }
    if (typeof change.changeFromQuantity === "number" && change.changeFromQuantity !== level.quantities[name]) {
      fail(at("changeFromQuantity"), "The changeFromQuantity value does not match persisted value.", "CHANGE_FROM_QUANTITY_STALE");
    }
    const after = level.quantities[name] + change.delta;
    if (after > LIMIT) fail(at("delta"), `The quantity can't be higher than ${LIMIT}.`, "INVALID_QUANTITY_TOO_HIGH");
    if (after < -LIMIT) fail(at("delta"), `The quantity can't be lower than -${LIMIT}.`, "INVALID_QUANTITY_TOO_LOW");
    return { level, delta: change.delta };
  });
  if (documents.size > 1) fail(["changes"], "Only one ledger document URI is allowed per call.", "MAX_ONE_LEDGER_DOCUMENT");
  if (errors.length > 0 || !name) return { group: null, userErrors: errors };

  const now = store.nowIso();
  const group: AdjustmentGroup = { id: store.newId(), createdAt: now, reason: input.reason, referenceDocumentUri: input.referenceDocumentUri ?? null, changes: [] };
  for (const c of changes) {
    if (!c) continue;
    const q = (c.level as LevelRec).quantities;
    // Adjusting on hand moves available with it (committed stays put); adjusting available moves on hand too.
    q.available += c.delta;
    q.on_hand += c.delta;
    c.level.updatedAt = now;
    const base = { itemId: c.level.inventoryItemId, locationId: c.level.locationId };
    const other = name === "on_hand" ? "available" : "on_hand";
    group.changes.push({ ...base, name, delta: c.delta, quantityAfterChange: q[name] });
    group.changes.push({ ...base, name: other, delta: c.delta, quantityAfterChange: q[other] });
  }
  return { group, userErrors: [] };
}
