import { REPORT_LINE_PREFIX } from "../channels/amazon-line-ids";
import type { MappedAmazonOrder } from "../channels/amazon-orders";
import type { ChannelOrder, ChannelOrderLine } from "../orders/channel-order";
import { ALIASES, delimiterProblem, disagreement, firstLine, MAX_TEXT, readRow, REQUIRED, sameItem, type Columns, type Layout, type Row } from "./amazon-report-row";
import { unreadableFile, type ImportDocument, type ImportLineResult, type ParsedImportFile } from "./import-file";
import { shown } from "./report-dates";
import { decodeText } from "./text-encoding";
import { unquotedTabLines } from "./delimited-text";

// Amazon's flat-file order reports (tab-separated text) → the one order shape (ADR 0016). Pure. Two layouts:
//  - "all orders" (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL / _BY_ORDER_DATE_GENERAL, and the archived
//    one): one row per item, amazon-order-id, dates, order-status, fulfillment-channel, money, promotions,
//    is-business-order; no order-item-id.
//  - "orders to ship" (GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING): order-id and order-item-id, quantities
//    purchased / shipped / to ship, the address; no status, no prices, no update time.
// Rows are grouped per order, checked as an order (its rows agree), and mapped exactly as the Orders API mapper
// does (amazon-orders.ts): the same external id (AmazonOrderId), the same line ids when the report has them
// (order-item-id), `shipped` and `fulfilledByAmazon` with the same meaning, last-updated-date as updatedAt, so
// the same order read by report and by API is one order. Without order-item-id a line is named `report:<sku>`
// and matched to the API's item by SKU when both meet (amazon-line-ids.ts). Nothing here throws on its input.

export const AMAZON_ORDER_REPORT_TYPE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";
/** Line ids made from the SKU when the report names no order-item-id. */
export { REPORT_LINE_PREFIX };

export interface AmazonReportOrder extends MappedAmazonOrder {
  isBusinessOrder: boolean;
  purchaseOrderNumber: string | null;
  promotionIds: string[];
}

/** Marketplace currency by sales channel, for rows that state none (cancelled and pending orders). */
const CHANNEL_CURRENCY: Record<string, string> = {
  "amazon.com": "USD", "amazon.ca": "CAD", "amazon.com.mx": "MXN", "amazon.com.br": "BRL", "amazon.co.uk": "GBP", "amazon.de": "EUR", "amazon.fr": "EUR",
  "amazon.it": "EUR", "amazon.es": "EUR", "amazon.nl": "EUR", "amazon.com.be": "EUR", "amazon.ie": "EUR", "amazon.se": "SEK", "amazon.pl": "PLN",
  "amazon.com.tr": "TRY", "amazon.ae": "AED", "amazon.sa": "SAR", "amazon.eg": "EGP", "amazon.in": "INR", "amazon.co.jp": "JPY", "amazon.com.au": "AUD", "amazon.sg": "SGD",
};


function mapOrder(rows: Row[]): AmazonReportOrder {
  const first = rows[0];
  const currency = rows.find((r) => r.currency)?.currency ?? CHANNEL_CURRENCY[(first.salesChannel ?? "").toLowerCase()] ?? "USD";
  const lines: ChannelOrderLine[] = [];
  const shipped: MappedAmazonOrder["shipped"] = [];
  const bySku = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    total += r.total;
    if (r.quantity === 0) continue; // a cancelled item: Amazon reports quantity 0 (the API's QuantityOrdered too)
    const key = r.sku ?? `asin:${r.asin}`;
    const n = (bySku.get(key) ?? 0) + 1;
    bySku.set(key, n);
    const externalId = r.orderItemId ?? `${REPORT_LINE_PREFIX}${key}${n > 1 ? `#${n}` : ""}`;
    lines.push({ externalId, sku: r.sku, variantExternalId: null, title: r.title ?? r.sku ?? r.asin ?? externalId, quantity: r.quantity, priceMinor: Math.round(r.itemPrice / r.quantity) });
    const units = r.quantityShipped ?? (r.itemShipped || first.state === "shipped" ? r.quantity : 0);
    if (units > 0) shipped.push({ lineExternalId: externalId, quantity: Math.min(units, r.quantity) });
  }
  const withAddress = rows.find((r) => r.city || r.zip || r.country || r.address1);
  const a = withAddress ?? first;
  const updatedAt = first.updatedAt ?? first.placedAt; // "orders to ship" says nothing newer than the purchase
  const order: ChannelOrder = {
    externalId: first.orderId,
    name: first.orderId,
    currency,
    totalMinor: Math.max(0, total),
    financialStatus: first.state === "pending" ? "pending" : "paid",
    email: rows.find((r) => r.email)?.email ?? null,
    phone: rows.find((r) => r.phone)?.phone ?? null,
    customerExternalId: null,
    customerName: a.recipient,
    shipTo: withAddress ? { name: a.recipient, address1: a.address1, city: a.city, province: a.state_, countryCode: a.country, zip: a.zip, latitude: null, longitude: null } : null,
    placedAt: first.placedAt,
    updatedAt,
    cancelledAt: first.state === "cancelled" ? updatedAt : null,
    lines,
    shippingMethod: first.serviceLevel,
    promisedBy: rows.find((r) => r.promisedBy)?.promisedBy ?? null,
  };
  return {
    order,
    fulfilledByAmazon: first.fulfilledByAmazon,
    shipped,
    isBusinessOrder: rows.some((r) => r.isBusinessOrder),
    purchaseOrderNumber: rows.find((r) => r.purchaseOrderNumber)?.purchaseOrderNumber ?? null,
    promotionIds: [...new Set(rows.flatMap((r) => r.promotionIds))],
  };
}

function noteOf(o: AmazonReportOrder): string | null {
  const parts: string[] = [];
  if (o.fulfilledByAmazon) parts.push("fulfilled by Amazon");
  if (o.isBusinessOrder) parts.push(`business order${o.purchaseOrderNumber ? `, PO ${o.purchaseOrderNumber}` : ""}`);
  if (o.promotionIds.length > 0) parts.push(`promotions ${o.promotionIds.slice(0, 5).join(", ")}${o.promotionIds.length > 5 ? "…" : ""}`);
  return parts.length ? parts.join("; ") : null;
}

/**
 * Read an Amazon order report (bytes as downloaded or uploaded, or text) into orders and one result per data line.
 * `charset`: what the sender declared (the Reports API's or an upload's Content-Type), if anything.
 */
export function parseAmazonOrderReport(input: Uint8Array | string, opts: { charset?: string | null } = {}): ParsedImportFile<AmazonReportOrder> {
  const decoding = typeof input === "string" ? { ok: true as const, decoded: { text: input.replace(/^\uFEFF/, ""), encoding: "utf-8", invalidLines: [], note: null } } : decodeText(input, opts.charset);
  if (!decoding.ok) return unreadableFile(decoding.error);
  const { text, invalidLines, note } = decoding.decoded;
  const notes = note ? [note] : [];
  if (text.trim() === "") return unreadableFile("the file is empty", notes);
  const blankLead = /^[\s]*/.exec(text.slice(0, 4096))![0];
  const header = firstLine(text.slice(blankLead.length));
  const delimiter = delimiterProblem(header);
  if (delimiter) return unreadableFile(delimiter, notes);

  // Amazon's flat files quote nothing (a product name may hold " and , as they are): a record is a line split at
  // its tabs, and a short or long line is this line's problem, said with its number.
  // Each line is split when it is read, so only one line's fields are alive at a time.
  const lines = unquotedTabLines(text);
  // Every physical line is a record (blank ones too), so record i is line i + 1.
  const blank = (r: string[]) => r.every((f) => f.trim() === "");
  const headerAt = lines.findIndex((l) => !blank(l.split("\t")));
  if (headerAt === -1) return unreadableFile("the file is empty", notes);

  const headerRecord = lines[headerAt].split("\t");
  const names = headerRecord.map((h) => h.trim().toLowerCase());
  const index = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    const canonical = ALIASES[name] ?? name;
    if (canonical === "") continue;
    if (index.has(canonical)) return unreadableFile(`the header names ${shown(canonical)} twice (columns ${index.get(canonical)! + 1} and ${i + 1})`, notes);
    index.set(canonical, i);
  }
  const layout: Layout | null = names.includes("amazon-order-id") ? "all-orders" : names.includes("order-id") && names.includes("order-item-id") ? "orders-to-ship" : null;
  if (!layout) return unreadableFile(`the first line is not the header of an Amazon order report: it has no amazon-order-id column (it starts ${shown(header)})`, notes);
  const missing = REQUIRED[layout].filter((c) => !index.has(c));
  if (missing.length > 0) return unreadableFile(`the header lacks ${missing.join(", ")}: not an Amazon order report we can take in`, notes);
  notes.push(layout === "all-orders" ? "Amazon all-orders report layout" : "Amazon orders-to-ship report layout");

  const cols: Columns = { index, names, layout, count: names.length };
  const invalid = new Set(invalidLines);
  const sameAsHeader = (r: string[]) => r.length === headerRecord.length && r[0] === headerRecord[0] && r.every((f, i) => f === headerRecord[i]);
  const results: ImportLineResult[] = [];
  const groups = new Map<string, Row[]>();
  const refused = new Map<string, number[]>(); // order id → its refused lines
  const anyNul = text.includes("\u0000"); // looked for once: then only a line longer than MAX_TEXT has its fields measured
  for (let i = headerAt + 1; i < lines.length; i += 1) {
    const record = lines[i].split("\t");
    const line = i + 1;
    if (blank(record)) continue;
    if (sameAsHeader(record)) {
      results.push({ line, ok: true, message: `line ${line}: the header again: skipped`, documentKey: null });
      continue;
    }
    const read = readRow(record, line, cols, invalid, !anyNul && lines[i].length <= MAX_TEXT);
    if ("error" in read) {
      results.push({ line, ok: false, message: read.error, documentKey: read.orderId });
      if (read.orderId) {
        const lines = refused.get(read.orderId);
        if (lines) lines.push(line);
        else refused.set(read.orderId, [line]);
      }
      continue;
    }
    results.push({ line, ok: true, message: null, documentKey: read.row.orderId });
    const group = groups.get(read.row.orderId);
    if (group) group.push(read.row);
    else groups.set(read.row.orderId, [read.row]);
  }

  const byLine = new Map<number, ImportLineResult>();
  for (const r of results) byLine.set(r.line, r);
  const documents: ImportDocument<AmazonReportOrder>[] = [];
  for (const [orderId, all] of groups) {
    const badSiblings = refused.get(orderId);
    if (badSiblings) {
      for (const r of all) Object.assign(byLine.get(r.line)!, { ok: false, message: `line ${r.line}: order ${orderId} is not taken in part: line ${badSiblings.join(", ")} of it is refused` });
      continue;
    }
    // A file joined from several reports may list an order at more than one update: its latest rows stand.
    let latest: string | null = null;
    for (const r of all) if (r.updatedAt && (!latest || r.updatedAt > latest)) latest = r.updatedAt;
    const current: Row[] = [];
    for (const r of all) {
      if (latest && r.updatedAt !== latest) {
        byLine.get(r.line)!.message = `line ${r.line}: an older state of order ${orderId} (last updated ${r.updatedAt}): skipped for the latest`;
        continue;
      }
      const repeat = current.find((c) => sameItem(c, r));
      if (repeat) {
        byLine.get(r.line)!.message = `line ${r.line}: a repeat of line ${repeat.line}: skipped`;
        continue;
      }
      current.push(r);
    }
    const conflict = disagreement(current);
    if (conflict) {
      for (const r of all) Object.assign(byLine.get(r.line)!, { ok: false, message: `line ${r.line}: order ${orderId}: ${conflict}` });
      continue;
    }
    if (current[0].salesChannel?.toLowerCase() === "non-amazon") {
      for (const r of current) byLine.get(r.line)!.message = `line ${r.line}: order ${orderId} is a multi-channel fulfillment order (sales-channel Non-Amazon), not an Amazon sale: skipped`;
      continue;
    }
    const mapped = mapOrder(current);
    documents.push({ key: orderId, lines: current.map((r) => r.line), payload: mapped, note: noteOf(mapped) });
  }
  return { fileError: null, totalLines: results.length, lines: results, documents, notes };
}
