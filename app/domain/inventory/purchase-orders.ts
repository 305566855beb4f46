import { MAX_LINE_QUANTITY } from "../shared/limits";

// Purchase orders (issue 11): units ordered from a supplier for one location, expected on a date. Pure rules:
// what makes an order valid, its status moves, what a level's incoming is (Σ over open orders' lines of
// max(0, ordered − received)) with the earliest date it is expected, and what a receipt against an order
// changes (received up, over-receipt kept, the order received once every line is complete). Each returns the
// changes to make; the use cases load, call and apply.

export const PURCHASE_ORDER_STATUSES = ["draft", "open", "received", "cancelled"] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

/** An order number: what an ERP prints, safe in a URL path (/api/v1/purchase-orders/<number>/cancel). */
export const PURCHASE_ORDER_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Lines on one purchase order. */
export const MAX_PURCHASE_ORDER_LINES = 500;

// ---- validating a new order -----------------------------------------------------------------------------

export interface PurchaseOrderDraft {
  number: string;
  supplier: string;
  /** The location as the client named it (for the message). */
  location: string;
  /** Our id of that location; null when it names none of the shop's. */
  locationId: string | null;
  /** A calendar day (YYYY-MM-DD, taken as 00:00 UTC) or an ISO time with its zone. */
  expectedAt: string;
  lines: { sku: string; quantity: number }[];
  /** Created as a draft (no incoming yet) or open (default). */
  status?: "draft" | "open";
}

export interface ValidPurchaseOrder {
  number: string;
  supplier: string;
  locationId: string;
  /** UTC ISO time. */
  expectedAt: string;
  status: "draft" | "open";
  lines: { lineNumber: number; sku: string; variantId: string; ordered: number }[];
}

export type PurchaseOrderCheck = { ok: true; order: ValidPurchaseOrder } | { ok: false; errors: string[] };

/** A calendar day or an ISO time with a zone, as UTC ISO; null when it is neither (or no such day). */
export function parseExpectedAt(text: string): string | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return date.toISOString().slice(0, 10) === text ? date.toISOString() : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * A new order checked whole: every problem is listed (number, supplier, location, expected date, each line's
 * SKU and quantity), so a client fixes them in one go. `variantIdBySku`: the shop's variants of the SKUs named.
 * An expected date before today (UTC) is refused: it cannot be promised.
 */
export function validatePurchaseOrder(draft: PurchaseOrderDraft, variantIdBySku: ReadonlyMap<string, string>, now: Date): PurchaseOrderCheck {
  const errors: string[] = [];
  if (!PURCHASE_ORDER_NUMBER.test(draft.number)) errors.push(`number: ${JSON.stringify(draft.number)} is not an order number (1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit)`);
  if (draft.supplier.trim() === "") errors.push("supplier: required");
  if (draft.locationId === null) errors.push(`location: no location ${JSON.stringify(draft.location)} in this shop`);
  const expectedAt = parseExpectedAt(draft.expectedAt);
  if (expectedAt === null) errors.push(`expectedAt: ${JSON.stringify(draft.expectedAt)} is not a date (YYYY-MM-DD) or an ISO time with its zone`);
  else if (expectedAt.slice(0, 10) < now.toISOString().slice(0, 10)) errors.push(`expectedAt: ${expectedAt.slice(0, 10)} is in the past`);
  if (draft.lines.length === 0) errors.push("lines: at least one line");
  if (draft.lines.length > MAX_PURCHASE_ORDER_LINES) errors.push(`lines: more than the limit of ${MAX_PURCHASE_ORDER_LINES} lines`);
  const seen = new Map<string, number>();
  const lines: ValidPurchaseOrder["lines"] = [];
  for (const [index, line] of draft.lines.entries()) {
    const at = `lines.${index}`;
    const variantId = variantIdBySku.get(line.sku);
    if (!variantId) errors.push(`${at}.sku: no SKU ${JSON.stringify(line.sku)} in this shop`);
    const first = seen.get(line.sku);
    if (first !== undefined) errors.push(`${at}.sku: ${JSON.stringify(line.sku)} is already on line ${first + 1} (one line per SKU)`);
    else seen.set(line.sku, index);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) errors.push(`${at}.quantity: a whole number of at least 1, got ${line.quantity}`);
    else if (line.quantity > MAX_LINE_QUANTITY) errors.push(`${at}.quantity: more than the limit of ${MAX_LINE_QUANTITY} units on one line`);
    if (variantId) lines.push({ lineNumber: index + 1, sku: line.sku, variantId, ordered: line.quantity });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, order: { number: draft.number, supplier: draft.supplier.trim(), locationId: draft.locationId!, expectedAt: expectedAt!, status: draft.status ?? "open", lines } };
}

/** Whether a stored order is the one described again (a create posted twice is one order). */
export function sameOrder(stored: { supplier: string; locationId: string; expectedAt: string; lines: { variantId: string; ordered: number }[] }, order: ValidPurchaseOrder): boolean {
  if (stored.supplier !== order.supplier || stored.locationId !== order.locationId || Date.parse(stored.expectedAt) !== Date.parse(order.expectedAt)) return false;
  if (stored.lines.length !== order.lines.length) return false;
  return order.lines.every((l, i) => stored.lines[i].variantId === l.variantId && stored.lines[i].ordered === l.ordered);
}

// ---- status ----------------------------------------------------------------------------------------------

export type PurchaseOrderAction = "open" | "cancel";

export type Transition = { ok: true; to: PurchaseOrderStatus; changed: boolean } | { ok: false; reason: string };

/**
 * draft → open (its units become incoming), draft | open → cancelled (what is still to come is no longer
 * incoming; what was received stays). Asking for the status it already has changes nothing; a received
 * order neither opens again nor cancels.
 */
export function transitionPurchaseOrder(status: PurchaseOrderStatus, action: PurchaseOrderAction): Transition {
  const to: PurchaseOrderStatus = action === "open" ? "open" : "cancelled";
  if (status === to) return { ok: true, to, changed: false };
  if (action === "open" && status === "draft") return { ok: true, to, changed: true };
  if (action === "cancel" && (status === "draft" || status === "open")) return { ok: true, to, changed: true };
  return { ok: false, reason: `is ${status}; it cannot be ${action === "open" ? "opened" : "cancelled"}` };
}

// ---- incoming ----------------------------------------------------------------------------------------------

export interface OrderLineUnits {
  variantId: string;
  ordered: number;
  received: number;
}

export interface OrderUnits {
  status: PurchaseOrderStatus;
  locationId: string;
  expectedAt: string;
  lines: readonly OrderLineUnits[];
}

/** Units of a line still to come: never below zero (an over-receipt does not make negative incoming). */
export function outstanding(line: OrderLineUnits): number {
  return Math.max(0, line.ordered - line.received);
}

export interface IncomingFigure {
  variantId: string;
  locationId: string;
  incoming: number;
  /** The earliest expected date of an open order with units still to come here; null when none. */
  expectedAt: string | null;
}

export const levelKey = (variantId: string, locationId: string) => `${variantId}|${locationId}`;

/** Incoming per (variant, location): Σ over open orders' lines of what is still to come, with the earliest date. */
export function incomingByLevel(orders: readonly OrderUnits[]): Map<string, IncomingFigure> {
  const out = new Map<string, IncomingFigure>();
  for (const order of orders) {
    if (order.status !== "open") continue;
    for (const line of order.lines) {
      const units = outstanding(line);
      if (units === 0) continue;
      const key = levelKey(line.variantId, order.locationId);
      const figure = out.get(key) ?? { variantId: line.variantId, locationId: order.locationId, incoming: 0, expectedAt: null };
      figure.incoming += units;
      if (figure.expectedAt === null || Date.parse(order.expectedAt) < Date.parse(figure.expectedAt)) figure.expectedAt = order.expectedAt;
      out.set(key, figure);
    }
  }
  return out;
}

export interface StoredIncoming {
  variantId: string;
  locationId: string;
  incoming: number;
  incomingExpectedAt: string | null;
}

export interface IncomingChange {
  variantId: string;
  locationId: string;
  from: number;
  to: number;
  /** to − from: the ledger entry's delta (0 when only the date moved: no entry). */
  delta: number;
  expectedAt: string | null;
}

/**
 * What to write to the given levels so their stored incoming (and its date) matches the orders: recomputed
 * from every open order's lines at those levels, never moved by a delta of its own. Levels already right
 * are left out.
 */
export function incomingChanges(levels: readonly StoredIncoming[], orders: readonly OrderUnits[]): IncomingChange[] {
  const target = incomingByLevel(orders);
  const changes: IncomingChange[] = [];
  for (const level of levels) {
    const want = target.get(levelKey(level.variantId, level.locationId));
    const to = want?.incoming ?? 0;
    const expectedAt = want?.expectedAt ?? null;
    const sameDate = expectedAt === null ? level.incomingExpectedAt === null : level.incomingExpectedAt !== null && Date.parse(level.incomingExpectedAt) === Date.parse(expectedAt);
    if (to === level.incoming && sameDate) continue;
    changes.push({ variantId: level.variantId, locationId: level.locationId, from: level.incoming, to, delta: to - level.incoming, expectedAt });
  }
  return changes;
}

// ---- receiving against an order ------------------------------------------------------------------------------

export interface ReceivableOrder {
  number: string;
  status: PurchaseOrderStatus;
  locationId: string;
  lines: readonly ({ id: string; lineNumber: number } & OrderLineUnits)[];
}

export interface ReceiptAgainstOrder {
  /** The receipt's line number (1-based): with its reference, the natural key of what it counts. */
  receiptLine: number;
  sku: string;
  variantId: string;
  locationId: string;
  quantity: number;
}

export interface ReceiptCount {
  receiptLine: number;
  purchaseOrderLineId: string;
  quantity: number;
  /** Units of this receipt line beyond what the order line still expected (recorded, not refused). */
  overReceived: number;
}

export type OrderReceipt =
  | { ok: true; counts: ReceiptCount[]; received: { lineId: string; received: number }[]; status: PurchaseOrderStatus; completed: boolean }
  | { ok: false; errors: string[] };

/**
 * A receipt counted against an open order: each line must be a SKU of the order, at its location; received
 * rises by the units (more than ordered is kept and reported as over-receipt), and the order is received once
 * every line has all it ordered. A received order takes further units as over-receipt; a draft or a cancelled
 * one takes none.
 */
export function receiveAgainstOrder(order: ReceivableOrder, receipt: readonly ReceiptAgainstOrder[]): OrderReceipt {
  const errors: string[] = [];
  if (order.status === "draft") errors.push(`purchase order ${order.number} is a draft: open it before receiving against it`);
  if (order.status === "cancelled") errors.push(`purchase order ${order.number} is cancelled`);
  const received = new Map(order.lines.map((l) => [l.id, l.received]));
  const counts: ReceiptCount[] = [];
  for (const r of receipt) {
    const line = order.lines.find((l) => l.variantId === r.variantId);
    if (!line) {
      errors.push(`Line ${r.receiptLine}: SKU ${JSON.stringify(r.sku)} is not on purchase order ${order.number}`);
      continue;
    }
    if (r.locationId !== order.locationId) {
      errors.push(`Line ${r.receiptLine}: purchase order ${order.number} is delivered to another location`);
      continue;
    }
    const before = received.get(line.id)!;
    const stillExpected = Math.max(0, line.ordered - before);
    received.set(line.id, before + r.quantity);
    counts.push({ receiptLine: r.receiptLine, purchaseOrderLineId: line.id, quantity: r.quantity, overReceived: Math.max(0, r.quantity - stillExpected) });
  }
  if (errors.length > 0) return { ok: false, errors };
  const complete = order.lines.every((l) => received.get(l.id)! >= l.ordered);
  const status: PurchaseOrderStatus = order.status === "open" && complete ? "received" : order.status;
  return {
    ok: true,
    counts,
    received: order.lines.filter((l) => received.get(l.id) !== l.received).map((l) => ({ lineId: l.id, received: received.get(l.id)! })),
    status,
    completed: status !== order.status,
  };
}
