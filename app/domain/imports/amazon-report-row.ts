import { MAX_LINE_QUANTITY, MAX_ORDER_LINES, MAX_SKU_LENGTH } from "../shared/limits";
import { parseMinorUnits } from "../shared/money";
import { parseReportDate, shown } from "./report-dates";

// One line of an Amazon flat-file order report → a checked row (every problem of the line at once, with its
// number), and the checks a file and an order's rows need (amazon-order-report.ts puts them together). Pure.

export type Layout = "all-orders" | "orders-to-ship";

/** Header names as Amazon writes them, and the ones the "orders to ship" layout writes for the same thing. */
export const ALIASES: Record<string, string> = { "order-id": "amazon-order-id", "quantity-purchased": "quantity" };
export const REQUIRED: Record<Layout, string[]> = {
  "all-orders": ["amazon-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel", "sku", "quantity"],
  "orders-to-ship": ["amazon-order-id", "order-item-id", "purchase-date", "sku", "quantity"],
};
const MONEY_COLUMNS = ["item-price", "item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount", "ship-promotion-discount"] as const;
const DISCOUNTS = new Set(["item-promotion-discount", "ship-promotion-discount"]);
/** Order ids are 3-7-7 digits; multi-channel (Non-Amazon) orders have a letter-led first group (S01-…). */
const ORDER_ID = /^[0-9A-Z]{3}-\d{7}-\d{7}$/;
const CURRENCY = /^[A-Z]{3}$/;
const WHOLE = /^\d{1,9}$/;
export const MAX_TEXT = 2_000;

type State = "pending" | "unshipped" | "partially_shipped" | "shipped" | "cancelled";

/** order-status as the reports write it (and as the Orders API does) → what it means here. */
function orderState(raw: string): State | null {
  const s = raw.trim().toLowerCase();
  if (s === "cancelled" || s === "canceled") return "cancelled";
  if (s === "shipped" || s.startsWith("shipped -") || s.startsWith("shipped-")) return "shipped";
  if (s === "shipping" || s === "partiallyshipped" || s === "partially shipped") return "partially_shipped";
  if (s === "unshipped" || s === "unfulfillable" || s === "invoiceunconfirmed") return "unshipped";
  if (s === "pending" || s.startsWith("pending -") || s === "pendingavailability") return "pending";
  return null;
}

export interface Row {
  line: number;
  orderId: string;
  orderItemId: string | null;
  placedAt: string;
  updatedAt: string | null;
  state: State;
  statusText: string;
  fulfilledByAmazon: boolean;
  salesChannel: string | null;
  sku: string | null;
  asin: string | null;
  title: string | null;
  itemStatus: string;
  itemShipped: boolean;
  quantity: number;
  quantityShipped: number | null;
  currency: string | null;
  /** Money columns in minor units of the row's currency (discounts negative), and the item price alone. */
  total: number;
  itemPrice: number;
  serviceLevel: string | null;
  promisedBy: string | null;
  email: string | null;
  phone: string | null;
  recipient: string | null;
  address1: string | null;
  city: string | null;
  state_: string | null;
  zip: string | null;
  country: string | null;
  isBusinessOrder: boolean;
  purchaseOrderNumber: string | null;
  promotionIds: string[];
}

/** The first line as read, for the delimiter check (without reading a 1 MB line whole into a message). */
export function firstLine(text: string): string {
  const end = text.search(/[\r\n]/);
  return end === -1 ? text : text.slice(0, end);
}

/** C0 control characters other than tab and line breaks: binary data, not text. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b) return true;
  }
  return false;
}

export function delimiterProblem(header: string): string | null {
  if (header.includes("\t")) return null;
  if (hasControlCharacters(header.slice(0, 4096))) return "the file is not text (its first line holds binary data): an Amazon order report is tab-separated text";
  const counts = [",", ";", "|"].map((d) => ({ d, n: header.split(d).length - 1 })).sort((a, b) => b.n - a.n);
  const looks = counts[0].n > 0 ? ` — it looks ${counts[0].d === "," ? "comma" : counts[0].d === ";" ? "semicolon" : "pipe"}-separated (${counts[0].n} "${counts[0].d}")` : "";
  return `the file is not tab-separated: its first line has no tab${looks}. Amazon order reports are tab-separated text as Seller Central and the Reports API give them (save from a spreadsheet as "Text (Tab delimited)")`;
}

/** Amounts as reports write them: "14.0", "-2.00", and a decimal comma ("14,00") in some marketplaces' files. */
function amountText(raw: string): string {
  return /^-?\d+,\d{1,2}$/.test(raw) ? raw.replace(",", ".") : raw;
}

function yesNo(raw: string): boolean | null | "bad" {
  const v = raw.trim().toLowerCase();
  if (v === "") return null;
  if (v === "true" || v === "yes" || v === "y" || v === "1") return true;
  if (v === "false" || v === "no" || v === "n" || v === "0") return false;
  return "bad";
}

export interface Columns {
  index: Map<string, number>;
  names: string[];
  layout: Layout;
  count: number;
}

/**
 * One line's record read into a row, or why it is refused. `clean`: the caller knows the whole line is at most
 * MAX_TEXT characters and holds no NUL, so no field needs looking at for either.
 */
export function readRow(record: string[], line: number, cols: Columns, invalidLines: Set<number>, clean = false): { row: Row } | { error: string; orderId: string | null } {
  const get = (name: string): string => {
    const i = cols.index.get(name);
    return i === undefined ? "" : (record[i] ?? "").trim();
  };
  const problems: string[] = [];
  const rawOrderId = get("amazon-order-id");
  const orderId = ORDER_ID.test(rawOrderId) ? rawOrderId : null;
  if (invalidLines.has(line)) return { error: `line ${line}: holds bytes that are not UTF-8 (the file mixes text encodings): save the report as UTF-8`, orderId };
  if (record.length !== cols.count) {
    const hint = record.length < cols.count ? "the line is cut short" : "a value holds a tab";
    return { error: `line ${line}: ${record.length} fields where the header has ${cols.count} (${hint})`, orderId };
  }
  if (!clean) for (const f of record) if (f.length > MAX_TEXT || f.includes("\u0000")) return { error: `line ${line}: ${f.length > MAX_TEXT ? `${cols.names[record.indexOf(f)] || "a value"} is longer than ${MAX_TEXT} characters` : "holds NUL characters (binary data, not text)"}`, orderId };
  if (!orderId) problems.push(rawOrderId === "" ? "amazon-order-id is empty" : `amazon-order-id ${shown(rawOrderId)} is not an Amazon order id (3-7-7 digits)`);

  const placed = parseReportDate(get("purchase-date"));
  if (!placed.ok) problems.push(`purchase-date ${placed.error}`);
  let updatedAt: string | null = null;
  if (cols.index.has("last-updated-date")) {
    const updated = parseReportDate(get("last-updated-date"));
    if (updated.ok) updatedAt = updated.iso;
    else problems.push(`last-updated-date ${updated.error}`);
  }
  let promisedBy: string | null = null;
  if (get("promise-date") !== "") {
    const promise = parseReportDate(get("promise-date"));
    if (promise.ok) promisedBy = promise.iso;
    else problems.push(`promise-date ${promise.error}`);
  }

  const statusText = cols.layout === "orders-to-ship" ? "Unshipped" : get("order-status");
  const state = orderState(statusText);
  if (!state) problems.push(`order-status ${shown(statusText)} is not one Amazon writes (Pending, Unshipped, Shipping, Shipped…, Cancelled)`);
  const channel = cols.layout === "orders-to-ship" ? "merchant" : get("fulfillment-channel").toLowerCase();
  const fulfilledByAmazon = channel === "amazon" || channel === "afn";
  if (!fulfilledByAmazon && channel !== "merchant" && channel !== "mfn") problems.push(`fulfillment-channel ${shown(get("fulfillment-channel"))} is neither Amazon nor Merchant`);

  const sku = get("sku");
  const asin = get("asin");
  if (sku === "" && asin === "") problems.push("sku is empty");
  if (sku.length > MAX_SKU_LENGTH) problems.push(`sku is longer than ${MAX_SKU_LENGTH} characters`);
  const quantityText = get("quantity");
  const quantity = WHOLE.test(quantityText) ? Number(quantityText) : NaN;
  if (Number.isNaN(quantity)) problems.push(`quantity ${shown(quantityText)} is not a whole number`);
  else if (quantity > MAX_LINE_QUANTITY) problems.push(`quantity ${quantity} is more than the limit of ${MAX_LINE_QUANTITY} units on one line`);
  let quantityShipped: number | null = null;
  if (cols.index.has("quantity-shipped")) {
    const shippedText = get("quantity-shipped");
    if (shippedText === "") quantityShipped = 0;
    else if (WHOLE.test(shippedText)) quantityShipped = Number(shippedText);
    else problems.push(`quantity-shipped ${shown(shippedText)} is not a whole number`);
  }

  const currency = get("currency").toUpperCase();
  const validCurrency = currency === "" || CURRENCY.test(currency);
  if (!validCurrency) problems.push(`currency ${shown(get("currency"))} is not a currency code`);
  let total = 0;
  let itemPrice = 0;
  for (const column of MONEY_COLUMNS) {
    const value = get(column);
    if (value === "") continue;
    if (currency === "" && cols.index.has("currency")) {
      problems.push(`${column} is given without a currency`);
      continue;
    }
    try {
      const minor = parseMinorUnits(amountText(value), validCurrency && currency ? currency : "USD", { field: column, allowNegative: DISCOUNTS.has(column) });
      total += DISCOUNTS.has(column) ? -Math.abs(minor) : minor;
      if (column === "item-price") itemPrice = minor;
    } catch (error) {
      problems.push(`${column} ${shown(value)} is not an amount${error instanceof RangeError && /limit/.test(error.message) ? " within the limit" : ""}`);
    }
  }
  const business = yesNo(get("is-business-order"));
  if (business === "bad") problems.push(`is-business-order ${shown(get("is-business-order"))} is neither true nor false`);
  if (problems.length > 0) return { error: `line ${line}: ${problems.join("; ")}`, orderId };

  const opt = (name: string) => get(name) || null;
  const promotions = get("promotion-ids");
  return {
    row: {
      line,
      orderId: orderId!,
      orderItemId: opt("order-item-id"),
      placedAt: (placed as { iso: string }).iso,
      updatedAt,
      state: state!,
      statusText,
      fulfilledByAmazon,
      salesChannel: opt("sales-channel"),
      sku: sku || null,
      asin: asin || null,
      title: opt("product-name"),
      itemStatus: get("item-status"),
      itemShipped: get("item-status").toLowerCase() === "shipped",
      quantity,
      quantityShipped,
      currency: currency || null,
      total,
      itemPrice,
      serviceLevel: opt("ship-service-level"),
      promisedBy,
      email: opt("buyer-email"),
      phone: opt("buyer-phone-number"),
      recipient: opt("recipient-name") ?? opt("buyer-name"),
      address1: opt("ship-address-1"),
      city: opt("ship-city"),
      state_: opt("ship-state"),
      zip: opt("ship-postal-code"),
      country: opt("ship-country"),
      isBusinessOrder: business === true,
      purchaseOrderNumber: opt("purchase-order-number"),
      promotionIds: promotions === "" ? [] : promotions.split(",").map((p) => p.trim()).filter(Boolean),
    },
  };
}

/** A row that says again what another row of the order says (a report pasted twice into one file). */
export function sameItem(a: Row, b: Row): boolean {
  return a.sku === b.sku && a.asin === b.asin && a.orderItemId === b.orderItemId && a.quantity === b.quantity && a.quantityShipped === b.quantityShipped
    && a.itemPrice === b.itemPrice && a.total === b.total && a.itemStatus === b.itemStatus && a.title === b.title && a.promotionIds.join() === b.promotionIds.join();
}

/** Rows of one order that disagree on something only the order has: the first such field, with where. */
/** What the rows of one order must agree on: the column, its value, how it is shown. */
const ORDER_FIELDS: [string, (r: Row) => unknown, (r: Row) => string][] = [
  ["purchase-date", (r) => r.placedAt, (r) => r.placedAt],
  ["order-status", (r) => r.state, (r) => r.statusText],
  ["fulfillment-channel", (r) => r.fulfilledByAmazon, (r) => (r.fulfilledByAmazon ? "Amazon" : "Merchant")],
  ["currency", (r) => r.currency, (r) => r.currency ?? ""],
  ["sales-channel", (r) => r.salesChannel, (r) => r.salesChannel ?? ""],
];

export function disagreement(rows: Row[]): string | null {
  if (rows.length === 1) return null; // one row agrees with itself, and names its item once
  for (const [name, value, show] of ORDER_FIELDS) {
    const first = rows[0];
    const other = rows.find((r) => value(r) !== value(first) && !(name === "currency" && (r.currency === null || first.currency === null)));
    if (other) return `its rows disagree on ${name} (line ${first.line}: ${shown(show(first))}, line ${other.line}: ${shown(show(other))})`;
  }
  const ids = new Map<string, number>();
  for (const r of rows) {
    if (!r.orderItemId) continue;
    const seen = ids.get(r.orderItemId);
    if (seen !== undefined) return `order-item-id ${shown(r.orderItemId)} is on line ${seen} and line ${r.line}`;
    ids.set(r.orderItemId, r.line);
  }
  if (rows.length > MAX_ORDER_LINES) return `it has ${rows.length} rows, more than the limit of ${MAX_ORDER_LINES} lines on one order`;
  return null;
}
