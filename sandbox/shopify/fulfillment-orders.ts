// Fulfillment order rules (move, split, hold, release) over the store. Business problems come back
// as userErrors, the way Shopify's mutations report them, never as thrown errors.
import type { FulfillmentHoldRec, FulfillmentOrderRec, SandboxStore, ShopState } from "./store";

export interface UserErr { field: string[] | null; message: string; code: string | null }
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: UserErr[] };
export interface LineInput { id: bigint; quantity: number }

const err = (field: string[] | null, message: string, code: string | null = null): { ok: false; errors: UserErr[] } =>
  ({ ok: false, errors: [{ field, message, code }] });
const MOVABLE = new Set(["OPEN", "SCHEDULED", "ON_HOLD"]);
const HOLDABLE = new Set(["OPEN", "SCHEDULED", "IN_PROGRESS", "ON_HOLD"]);
const MAX_HOLDS = 10;

/** Reassigns whole or partial lines to another location. All remaining lines → the FO itself moves. */
export function moveFulfillmentOrder(
  store: SandboxStore, shop: ShopState, id: bigint, newLocationId: bigint | null, lines?: LineInput[] | null,
): Outcome<{ moved: FulfillmentOrderRec; original: FulfillmentOrderRec }> {
  const fo = shop.fulfillmentOrders.get(id);
  if (!fo) return err(["id"], "Fulfillment order does not exist.");
  if (!MOVABLE.has(fo.status)) return err(["id"], `Cannot move a fulfillment order with status ${fo.status}.`);
  const location = newLocationId === null ? undefined : store.location(shop, newLocationId);
  if (!location || !location.isActive) return err(["newLocationId"], "Location could not be found.");
  if (location.id === fo.locationId) return err(["newLocationId"], "Cannot move a fulfillment order to the location it is already assigned to.");
  const take = quantitiesToTake(fo, lines, "fulfillmentOrderLineItems");
  if (!take.ok) return take;
  for (const line of fo.lineItems) {
    if (!take.value.has(line.id) || line.inventoryItemId === null) continue;
    if (!store.level(shop, line.inventoryItemId, location.id)) {
      return err(["newLocationId"], `The item with SKU ${line.sku ?? line.lineItemId} is not stocked at ${location.name}.`);
    }
  }
  if (takesEverything(fo, take.value)) {
    for (const line of fo.lineItems) {
      store.commit(shop, line.inventoryItemId, fo.locationId, -line.remainingQuantity);
      store.commit(shop, line.inventoryItemId, location.id, line.remainingQuantity);
    }
    fo.locationId = location.id;
    fo.updatedAt = store.nowIso();
    return { ok: true, value: { moved: fo, original: fo } };
  }
  const moved = carve(store, shop, fo, take.value, location.id);
  return { ok: true, value: { moved, original: fo } };
}

/** Moves the given lines and quantities into a new FO at the same location; the original keeps the rest. */
export function splitFulfillmentOrder(
  store: SandboxStore, shop: ShopState, id: bigint, lines: LineInput[], path: string[],
): Outcome<{ original: FulfillmentOrderRec; created: FulfillmentOrderRec }> {
  const fo = shop.fulfillmentOrders.get(id);
  if (!fo) return err([...path, "fulfillmentOrderId"], "Fulfillment order does not exist.", "FULFILLMENT_ORDER_NOT_FOUND");
  if (lines.length === 0) return err([...path, "fulfillmentOrderLineItems"], "No line items provided to split.", "NO_LINE_ITEMS_PROVIDED_TO_SPLIT");
  if (!MOVABLE.has(fo.status)) return err([...path, "fulfillmentOrderId"], `Cannot split a fulfillment order with status ${fo.status}.`);
  const take = quantitiesToTake(fo, lines, path.concat("fulfillmentOrderLineItems").join("."));
  if (!take.ok) return { ok: false, errors: take.errors.map((e) => ({ ...e, code: "INVALID_LINE_ITEM_QUANTITY" })) };
  if (takesEverything(fo, take.value)) {
    return err([...path, "fulfillmentOrderLineItems"], "Cannot split all line items and quantities of a fulfillment order.", "INVALID_LINE_ITEM_QUANTITY");
  }
  return { ok: true, value: { original: fo, created: carve(store, shop, fo, take.value, fo.locationId) } };
}

/** Puts an FO ON_HOLD. With lines, only those stay held; the rest move to a new OPEN FO. */
export function holdFulfillmentOrder(
  store: SandboxStore, shop: ShopState, id: bigint,
  hold: { reason: string; reasonNotes?: string | null; handle?: string | null; lines?: LineInput[] | null },
): Outcome<{ fo: FulfillmentOrderRec; hold: FulfillmentHoldRec; remaining: FulfillmentOrderRec | null }> {
  const fo = shop.fulfillmentOrders.get(id);
  if (!fo) return err(["id"], "Fulfillment order does not exist.", "FULFILLMENT_ORDER_NOT_FOUND");
  if (!HOLDABLE.has(fo.status)) {
    return err(["id"], `The fulfillment order's status must be OPEN, IN_PROGRESS, SCHEDULED or ON_HOLD (it is ${fo.status}).`);
  }
  if (fo.holds.length >= MAX_HOLDS) return err(["id"], "The maximum number of fulfillment holds was reached.", "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED");
  if (hold.handle && fo.holds.some((h) => h.handle === hold.handle)) {
    return err(["fulfillmentHold", "handle"], "The handle provided for the fulfillment hold is already in use.", "DUPLICATE_FULFILLMENT_HOLD_HANDLE");
  }
  let remaining: FulfillmentOrderRec | null = null;
  if (hold.lines && hold.lines.length > 0) {
    const keep = quantitiesToTake(fo, hold.lines, "fulfillmentHold.fulfillmentOrderLineItems");
    if (!keep.ok) return { ok: false, errors: keep.errors.map((e) => ({ ...e, code: "INVALID_LINE_ITEM_QUANTITY" })) };
    if (!takesEverything(fo, keep.value)) {
      const rest = new Map<bigint, number>();
      for (const line of fo.lineItems) rest.set(line.id, line.remainingQuantity - (keep.value.get(line.id) ?? 0));
      remaining = carve(store, shop, fo, rest, fo.locationId);
    }
  }
  const rec: FulfillmentHoldRec = { id: store.newId(), reason: hold.reason, reasonNotes: hold.reasonNotes ?? null, handle: hold.handle ?? null };
  fo.holds.push(rec);
  fo.status = "ON_HOLD";
  fo.updatedAt = store.nowIso();
  return { ok: true, value: { fo, hold: rec, remaining } };
}

/** Releases all holds (or the listed ones); with none left the FO is OPEN again. */
export function releaseFulfillmentOrderHold(
  store: SandboxStore, shop: ShopState, id: bigint, holdIds?: bigint[] | null,
): Outcome<FulfillmentOrderRec> {
  const fo = shop.fulfillmentOrders.get(id);
  if (!fo) return err(["id"], "Fulfillment order does not exist.", "FULFILLMENT_ORDER_NOT_FOUND");
  if (fo.status !== "ON_HOLD") return err(["id"], "The fulfillment order is not on hold.");
  if (holdIds && holdIds.some((h) => !fo.holds.some((x) => x.id === h))) return err(["holdIds"], "Fulfillment hold does not exist.");
  fo.holds = holdIds && holdIds.length > 0 ? fo.holds.filter((h) => !holdIds.includes(h.id)) : [];
  if (fo.holds.length === 0) fo.status = "OPEN";
  fo.updatedAt = store.nowIso();
  return { ok: true, value: fo };
}

/** Validates line inputs against the FO: known line ids, 1..remaining units. Omitted → everything. */
function quantitiesToTake(fo: FulfillmentOrderRec, lines: LineInput[] | null | undefined, field: string): Outcome<Map<bigint, number>> {
  const take = new Map<bigint, number>();
  if (!lines || lines.length === 0) {
    for (const line of fo.lineItems) take.set(line.id, line.remainingQuantity);
    return { ok: true, value: take };
  }
  for (const input of lines) {
    const line = fo.lineItems.find((l) => l.id === input.id);
    if (!line) return err(field.split("."), `Fulfillment order line item ${input.id} does not belong to fulfillment order ${fo.id}.`);
    const total = (take.get(line.id) ?? 0) + input.quantity;
    if (input.quantity <= 0 || total > line.remainingQuantity) {
      return err(field.split("."), `Invalid quantity ${input.quantity} for fulfillment order line item ${input.id} (remaining ${line.remainingQuantity}).`);
    }
    take.set(line.id, total);
  }
  return { ok: true, value: take };
}

function takesEverything(fo: FulfillmentOrderRec, take: Map<bigint, number>): boolean {
  return fo.lineItems.every((l) => (take.get(l.id) ?? 0) === l.remainingQuantity);
}

/** Cuts the given quantities out of `fo` into a new OPEN FO at `locationId`, moving committed stock along. */
function carve(store: SandboxStore, shop: ShopState, fo: FulfillmentOrderRec, take: Map<bigint, number>, locationId: bigint): FulfillmentOrderRec {
  const now = store.nowIso();
  const created: FulfillmentOrderRec = {
    id: store.newId(), orderId: fo.orderId, locationId, status: "OPEN", holds: [], lineItems: [], createdAt: now, updatedAt: now,
  };
  for (const line of fo.lineItems) {
    const qty = take.get(line.id) ?? 0;
    if (qty <= 0) continue;
    line.totalQuantity -= qty;
    line.remainingQuantity -= qty;
    created.lineItems.push({ ...line, id: store.newId(), totalQuantity: qty, remainingQuantity: qty });
    if (locationId !== fo.locationId) {
      store.commit(shop, line.inventoryItemId, fo.locationId, -qty);
      store.commit(shop, line.inventoryItemId, locationId, qty);
    }
  }
  fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
  fo.updatedAt = now;
  shop.fulfillmentOrders.set(created.id, created);
  return created;
}
