// What happens to an order after it is placed, as Shopify does it to its own state, each returning the
// webhook payload Shopify sends: fulfillments (fulfillments/create), their cancellation
// (fulfillments/update), refunds with restock types (refunds/create), order edits (orders/edited),
// and stock changes made in Shopify (inventory_levels/update). Ids are BigInt: send with toExactJson.
import { gid } from "./ids";
import { find, touch } from "./order-factory";
import { formatInZone, moneySet, type RestLineItem } from "./order-payload";
import type { FulfillmentOrderRec, FulfillmentRec, SandboxStore, ShopState } from "./store";

export type RestFulfillmentPayload = Record<string, unknown> & { id: bigint; order_id: bigint; status: string; location_id: bigint; line_items: RestLineItem[] };
export type RestRefundPayload = Record<string, unknown> & { id: bigint; order_id: bigint; refund_line_items: Record<string, unknown>[] };
export interface OrderEditPayload {
  order_edit: Record<string, unknown> & { id: bigint; order_id: bigint; line_items: { additions: { id: bigint; delta: number }[]; removals: { id: bigint; delta: number }[] } };
}

const openFo = (fo: FulfillmentOrderRec) => fo.status === "OPEN" || fo.status === "IN_PROGRESS";

/**
 * Ships units of one open fulfillment order (the one at `locationId`, else the first): on hand and
 * committed go down at its location, the FO's remaining quantities too (CLOSED when nothing is left).
 * Without `lines`, everything the FO still holds.
 */
export function fulfillOrder(
  store: SandboxStore, shopDomain: string, orderId: bigint,
  opts: { locationId?: bigint; lines?: { lineItemId: bigint; quantity: number }[]; trackingNumber?: string } = {},
): RestFulfillmentPayload {
  const { shop, stored } = find(store, shopDomain, orderId);
  const fo = store.fulfillmentOrdersOf(shop, orderId).find((f) => openFo(f) && (opts.locationId === undefined || f.locationId === opts.locationId));
  if (!fo) throw new Error(`order ${orderId} has no open fulfillment order${opts.locationId ? ` at ${opts.locationId}` : ""}`);
  const wanted = opts.lines ?? fo.lineItems.filter((l) => l.remainingQuantity > 0).map((l) => ({ lineItemId: l.lineItemId, quantity: l.remainingQuantity }));
  const rec: FulfillmentRec = { id: store.newId(), orderId, fulfillmentOrderId: fo.id, locationId: fo.locationId, status: "success", lines: [], createdAt: store.nowIso(), updatedAt: store.nowIso() };
  for (const w of wanted) {
    const line = fo.lineItems.find((l) => l.lineItemId === w.lineItemId);
    if (!line || line.remainingQuantity < w.quantity) throw new Error(`fulfillment order ${fo.id} cannot ship ${w.quantity} of line ${w.lineItemId}`);
    line.remainingQuantity -= w.quantity;
    store.adjustOnHand(shop, line.inventoryItemId, fo.locationId, -w.quantity, { committed: -w.quantity });
    rec.lines.push({ lineItemId: w.lineItemId, foLineId: line.id, inventoryItemId: line.inventoryItemId, quantity: w.quantity });
    const li = stored.payload.line_items.find((l) => l.id === w.lineItemId)!;
    li.fulfillable_quantity -= w.quantity;
  }
  if (fo.lineItems.every((l) => l.remainingQuantity === 0)) fo.status = "CLOSED";
  fo.updatedAt = store.nowIso();
  shop.fulfillments.set(rec.id, rec);
  refreshFulfillmentStatus(store, shop, orderId);
  touch(store, shop, stored);
  return fulfillmentPayload(store, shop, rec, opts.trackingNumber);
}

export interface FulfillmentCreateArg {
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null }[];
  notifyCustomer?: boolean | null;
  trackingInfo?: { company?: string | null; number?: string | null; numbers?: string[] | null; url?: string | null; urls?: string[] | null } | null;
}

type UserErr = { field: string[] | null; message: string };

/**
 * fulfillmentCreate, as Shopify applies it: fulfillment order lines (every remaining unit of an FO whose lines are
 * left out) of one order and one location, each FO OPEN or IN_PROGRESS, quantities within what remains. On hand
 * and committed go down at the location; an FO with nothing left is CLOSED, else IN_PROGRESS. Problems come back
 * as userErrors and change nothing.
 */
export function createFulfillment(store: SandboxStore, shop: ShopState, input: FulfillmentCreateArg): { ok: true; value: FulfillmentRec } | { ok: false; errors: UserErr[] } {
  const fail = (field: string[], message: string) => ({ ok: false as const, errors: [{ field, message }] });
  const groups = input.lineItemsByFulfillmentOrder ?? [];
  if (groups.length === 0) return fail(["fulfillment", "lineItemsByFulfillmentOrder"], "Line items by fulfillment order can't be blank.");
  const plan: { fo: FulfillmentOrderRec; line: FulfillmentOrderRec["lineItems"][number]; quantity: number }[] = [];
  for (const [i, g] of groups.entries()) {
    const foIdOf = /^gid:\/\/shopify\/FulfillmentOrder\/(\d+)$/.exec(g.fulfillmentOrderId);
    const fo = foIdOf ? shop.fulfillmentOrders.get(BigInt(foIdOf[1])) : undefined;
    const path = ["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderId"];
    if (!fo) return fail(path, "Fulfillment order does not exist.");
    if (!openFo(fo)) return fail(path, `Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.`);
    if (plan.length > 0 && plan[0].fo.orderId !== fo.orderId) return fail(path, "All fulfillment orders must belong to the same order.");
    if (plan.length > 0 && plan[0].fo.locationId !== fo.locationId) return fail(path, "All fulfillment orders must be assigned to the same location.");
    const wanted = g.fulfillmentOrderLineItems && g.fulfillmentOrderLineItems.length > 0
      ? g.fulfillmentOrderLineItems
      : fo.lineItems.filter((l) => l.remainingQuantity > 0).map((l) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${l.id}`, quantity: l.remainingQuantity }));
    for (const w of wanted) {
      const lineId = /^gid:\/\/shopify\/FulfillmentOrderLineItem\/(\d+)$/.exec(w.id);
      const line = lineId ? fo.lineItems.find((l) => l.id === BigInt(lineId[1])) : undefined;
      if (!line) return fail(["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderLineItems"], `Fulfillment order line item ${w.id} does not belong to fulfillment order ${fo.id}.`);
      const already = plan.filter((p) => p.line === line).reduce((n, p) => n + p.quantity, 0);
      if (!Number.isInteger(w.quantity) || w.quantity <= 0 || already + w.quantity > line.remainingQuantity) {
        return fail(["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderLineItems"], `Invalid quantity ${w.quantity} for fulfillment order line item ${line.id} (remaining ${line.remainingQuantity - already}).`);
      }
      plan.push({ fo, line, quantity: w.quantity });
    }
  }
  if (plan.length === 0) return fail(["fulfillment", "lineItemsByFulfillmentOrder"], "Nothing is left to fulfill on these fulfillment orders.");
  const first = plan[0].fo;
  const stored = shop.orders.get(first.orderId)!;
  const t = input.trackingInfo;
  const numbers = t ? [...(t.number ? [t.number] : []), ...(t.numbers ?? [])] : [];
  const urls = t ? [...(t.url ? [t.url] : []), ...(t.urls ?? [])] : [];
  const rec: FulfillmentRec = {
    id: store.newId(), orderId: first.orderId, fulfillmentOrderId: first.id, locationId: first.locationId, status: "success", lines: [], createdAt: store.nowIso(), updatedAt: store.nowIso(),
    tracking: numbers.map((number, i) => ({ company: t?.company ?? null, number, url: urls[i] ?? null })),
  };
  for (const p of plan) {
    p.line.remainingQuantity -= p.quantity;
    store.adjustOnHand(shop, p.line.inventoryItemId, p.fo.locationId, -p.quantity, { committed: -p.quantity });
    rec.lines.push({ lineItemId: p.line.lineItemId, foLineId: p.line.id, inventoryItemId: p.line.inventoryItemId, quantity: p.quantity, foId: p.fo.id });
    stored.payload.line_items.find((l) => l.id === p.line.lineItemId)!.fulfillable_quantity -= p.quantity;
  }
  for (const fo of new Set(plan.map((p) => p.fo))) {
    fo.status = fo.lineItems.every((l) => l.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
    fo.updatedAt = store.nowIso();
  }
  shop.fulfillments.set(rec.id, rec);
  refreshFulfillmentStatus(store, shop, first.orderId);
  touch(store, shop, stored);
  return { ok: true, value: rec };
}

/** Cancels a fulfillment: its units are back on hand and committed, its FO open again (fulfillments/update). */
export function cancelFulfillment(store: SandboxStore, shopDomain: string, fulfillmentId: bigint): RestFulfillmentPayload {
  const shop = store.shop(shopDomain);
  const rec = shop.fulfillments.get(fulfillmentId);
  if (!rec) throw new Error(`no fulfillment ${fulfillmentId} in ${shopDomain}`);
  const { stored } = find(store, shopDomain, rec.orderId);
  if (rec.status !== "cancelled") {
    for (const l of rec.lines) {
      const fo = shop.fulfillmentOrders.get(l.foId ?? rec.fulfillmentOrderId)!;
      fo.lineItems.find((x) => x.id === l.foLineId)!.remainingQuantity += l.quantity;
      store.adjustOnHand(shop, l.inventoryItemId, rec.locationId, l.quantity, { committed: l.quantity });
      stored.payload.line_items.find((x) => x.id === l.lineItemId)!.fulfillable_quantity += l.quantity;
      fo.status = "OPEN";
      fo.updatedAt = store.nowIso();
    }
    rec.status = "cancelled";
    rec.updatedAt = store.nowIso();
    refreshFulfillmentStatus(store, shop, rec.orderId);
    touch(store, shop, stored);
  }
  return fulfillmentPayload(store, shop, rec);
}

export interface RefundLineInput {
  lineItemId: bigint;
  quantity: number;
  restockType: "cancel" | "return" | "no_restock";
  /** Where returned units are restocked; default the location they shipped from. */
  locationId?: bigint;
}

/**
 * A refund with restock types, applied as Shopify does: `cancel` takes unshipped units off their FO and
 * un-commits them (available again), `return` puts shipped units back on hand at the location, and every
 * refunded unit leaves the line's current_quantity.
 */
export function refundOrder(store: SandboxStore, shopDomain: string, orderId: bigint, lines: RefundLineInput[], opts: { note?: string } = {}): RestRefundPayload {
  const { shop, stored } = find(store, shopDomain, orderId);
  const p = stored.payload;
  const refundId = store.newId();
  const at = formatInZone(store.now(), shop.ianaTimezone);
  const refundLines = lines.map((r) => {
    const li = p.line_items.find((l) => l.id === r.lineItemId);
    if (!li || li.current_quantity < r.quantity) throw new Error(`cannot refund ${r.quantity} of line ${r.lineItemId}`);
    let locationId: bigint | null = null;
    if (r.restockType === "cancel" || r.restockType === "no_restock") {
      let left = r.quantity;
      for (const fo of store.fulfillmentOrdersOf(shop, orderId).filter((f) => openFo(f) || f.status === "ON_HOLD")) {
        const line = fo.lineItems.find((l) => l.lineItemId === r.lineItemId);
        if (!line || left === 0) continue;
        const n = Math.min(left, line.remainingQuantity);
        line.remainingQuantity -= n;
        line.totalQuantity -= n;
        left -= n;
        if (r.restockType === "cancel") store.commit(shop, line.inventoryItemId, fo.locationId, -n);
        else store.adjustOnHand(shop, line.inventoryItemId, fo.locationId, -n, { committed: -n }); // written off
        if (r.restockType === "cancel") locationId = fo.locationId;
        if (fo.lineItems.every((l) => l.remainingQuantity === 0)) fo.status = "CLOSED";
      }
      li.fulfillable_quantity = Math.max(0, li.fulfillable_quantity - r.quantity);
    } else {
      const shippedFrom = [...shop.fulfillments.values()].find((f) => f.orderId === orderId && f.status === "success" && f.lines.some((l) => l.lineItemId === r.lineItemId));
      locationId = r.locationId ?? shippedFrom?.locationId ?? null;
      const variant = li.variant_id === null ? undefined : store.variant(shop, li.variant_id);
      if (locationId !== null && variant) store.adjustOnHand(shop, variant.inventoryItemId, locationId, r.quantity);
    }
    li.current_quantity -= r.quantity;
    const amount = (Number(li.price) * r.quantity).toFixed(2);
    return {
      id: store.newId(), quantity: r.quantity, line_item_id: li.id, location_id: locationId, restock_type: r.restockType,
      subtotal: Number(amount), total_tax: 0, subtotal_set: moneySet(amount, p.currency), total_tax_set: moneySet("0.00", p.currency), line_item: { ...li },
    };
  });
  refreshFulfillmentStatus(store, shop, orderId);
  touch(store, shop, stored);
  const refund: RestRefundPayload = {
    id: refundId, order_id: orderId, created_at: at, note: opts.note ?? null, user_id: null, processed_at: at, duties: [],
    total_duties_set: moneySet("0.00", p.currency), return: null, restock: lines.some((l) => l.restockType !== "no_restock"),
    refund_shipping_lines: [], admin_graphql_api_id: gid("Refund", refundId), order_adjustments: [], refund_line_items: refundLines, transactions: [],
  };
  p.refunds = [...((p.refunds as unknown[] | undefined) ?? []), refund];
  return refund;
}

/**
 * An order edit: `add` appends new line items (committed on the first open FO), `setQuantity` changes a
 * line's current quantity (units removed leave its FO and are un-committed). Returns orders/edited's payload.
 */
export function editOrder(
  store: SandboxStore, shopDomain: string, orderId: bigint,
  edit: { add?: { sku: string; quantity: number }[]; setQuantity?: { lineItemId: bigint; quantity: number }[] },
): OrderEditPayload {
  const { shop, stored } = find(store, shopDomain, orderId);
  const p = stored.payload;
  const fo = store.fulfillmentOrdersOf(shop, orderId).find(openFo);
  const additions: { id: bigint; delta: number }[] = [];
  const removals: { id: bigint; delta: number }[] = [];
  for (const a of edit.add ?? []) {
    const variant = store.variantBySku(shop, a.sku);
    if (!variant) throw new Error(`unknown SKU ${a.sku}`);
    const product = store.product(shop, variant.productId)!;
    const id = store.newId();
    p.line_items.push({
      id, admin_graphql_api_id: gid("LineItem", id), variant_id: variant.id, product_id: product.id, sku: variant.sku, title: product.title,
      variant_title: variant.title, name: `${product.title} - ${variant.title}`, vendor: product.vendor, quantity: a.quantity, current_quantity: a.quantity,
      fulfillable_quantity: a.quantity, price: variant.price, price_set: moneySet(variant.price, p.currency), grams: variant.weightGrams,
      fulfillment_service: "manual", fulfillment_status: null, requires_shipping: true, taxable: true, gift_card: false, properties: [],
      tax_lines: [], duties: [], discount_allocations: [], total_discount: "0.00", variant_inventory_management: "shopify",
    });
    if (fo) {
      fo.lineItems.push({ id: store.newId(), lineItemId: id, variantId: variant.id, inventoryItemId: variant.inventoryItemId, sku: variant.sku, totalQuantity: a.quantity, remainingQuantity: a.quantity });
      store.commit(shop, variant.inventoryItemId, fo.locationId, a.quantity);
    }
    additions.push({ id, delta: a.quantity });
  }
  for (const s of edit.setQuantity ?? []) {
    const li = p.line_items.find((l) => l.id === s.lineItemId);
    if (!li) throw new Error(`no line ${s.lineItemId}`);
    const delta = s.quantity - li.current_quantity;
    if (delta === 0) continue;
    const foLine = store.fulfillmentOrdersOf(shop, orderId).filter(openFo).flatMap((f) => f.lineItems.map((l) => ({ f, l }))).find((x) => x.l.lineItemId === li.id);
    if (delta < 0 && (!foLine || foLine.l.remainingQuantity < -delta)) throw new Error(`line ${li.id} has fewer than ${-delta} unshipped units`);
    if (foLine) {
      foLine.l.remainingQuantity += delta;
      foLine.l.totalQuantity += delta;
      store.commit(shop, foLine.l.inventoryItemId, foLine.f.locationId, delta);
    }
    li.current_quantity = s.quantity;
    li.fulfillable_quantity = Math.max(0, li.fulfillable_quantity + delta);
    (delta > 0 ? additions : removals).push({ id: li.id, delta: Math.abs(delta) });
  }
  touch(store, shop, stored);
  const at = formatInZone(store.now(), shop.ianaTimezone);
  return {
    order_edit: {
      id: store.newId(), app_id: null, created_at: at, committed_at: at, notify_customer: false, order_id: orderId, staff_note: "", user_id: null,
      line_items: { additions, removals }, discounts: { line_item: { additions: [], removals: [] } }, shipping_lines: { additions: [], removals: [] },
    },
  };
}

/** Shopify's REST inventory_levels/update payload for an item at a location (available as Shopify counts it). */
export function inventoryLevelPayload(store: SandboxStore, shopDomain: string, inventoryItemId: bigint, locationId: bigint): Record<string, unknown> {
  const level = store.level(store.shop(shopDomain), inventoryItemId, locationId);
  return {
    inventory_item_id: inventoryItemId, location_id: locationId, available: level?.quantities.available ?? null, updated_at: level?.updatedAt ?? store.nowIso(),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${inventoryItemId}`,
  };
}

function refreshFulfillmentStatus(store: SandboxStore, shop: ShopState, orderId: bigint): void {
  const p = shop.orders.get(orderId)!.payload;
  for (const li of p.line_items) {
    const shipped = [...shop.fulfillments.values()].filter((f) => f.orderId === orderId && f.status === "success").flatMap((f) => f.lines).filter((l) => l.lineItemId === li.id).reduce((s, l) => s + l.quantity, 0);
    li.fulfillment_status = shipped === 0 ? null : shipped >= li.current_quantity ? "fulfilled" : "partial";
  }
  const statuses = p.line_items.filter((li) => li.current_quantity > 0).map((li) => li.fulfillment_status);
  p.fulfillment_status = statuses.length > 0 && statuses.every((s) => s === "fulfilled") ? "fulfilled" : statuses.some((s) => s) ? "partial" : null;
  p.fulfillments = [...shop.fulfillments.values()].filter((f) => f.orderId === orderId).map((f) => fulfillmentPayload(store, shop, f));
}

function fulfillmentPayload(store: SandboxStore, shop: ShopState, rec: FulfillmentRec, trackingNumber = `1Z${String(rec.id).slice(-10)}`): RestFulfillmentPayload {
  const p = shop.orders.get(rec.orderId)!.payload;
  const index = [...shop.fulfillments.values()].filter((f) => f.orderId === rec.orderId).indexOf(rec) + 1;
  return {
    id: rec.id, order_id: rec.orderId, status: rec.status, created_at: formatInZone(new Date(rec.createdAt), shop.ianaTimezone),
    service: "manual", updated_at: formatInZone(new Date(rec.updatedAt), shop.ianaTimezone), tracking_company: "UPS", shipment_status: null,
    location_id: rec.locationId, origin_address: null, email: p.email, destination: p.shipping_address,
    line_items: rec.lines.map((l) => ({ ...p.line_items.find((li) => li.id === l.lineItemId)!, quantity: l.quantity })),
    tracking_number: trackingNumber, tracking_numbers: [trackingNumber], tracking_url: `https://www.ups.com/track?tracknum=${trackingNumber}`,
    tracking_urls: [`https://www.ups.com/track?tracknum=${trackingNumber}`], receipt: {}, name: `${p.name}.${index}`, admin_graphql_api_id: gid("Fulfillment", rec.id),
  };
}
