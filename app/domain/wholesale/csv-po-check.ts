import type { ImportDocument, ImportLineResult, ParsedImportFile } from "../imports/import-file";
import { apiOrderSchema, checkApiOrder, type ApiOrderInput } from "../orders/api-order";
import { currencyExponent, formatDecimal, parseMinorUnits } from "../shared/money";
import type { CsvPurchaseOrder } from "./csv-po";
import { resolveBuyerItem, type PartnerItem } from "./trading-partner";

// The second half of reading a purchase-order CSV (ADR 0018): what needs the shop's data. Each line's item is
// resolved against the catalog and the partner's items (resolveBuyerItem: a mapped buyer part number, or one of
// our SKUs), its price is the line's own (no more decimals than the currency has) or else the partner's agreed
// price, and the PO becomes the order POST /api/v1/orders takes — checked by that endpoint's own schema, so applying
// it cannot be refused for its content later. A PO already on the partner's channel with the same content is kept
// (importing it again changes nothing); one with other content is refused. A PO with any refused line is refused
// whole. Pure: the caller loads the catalog and the partner's items and says what the channel already holds.

/** What the partner's channel already holds under a PO's number, compared with the order this file makes of it. */
export type PreviousOrder = "new" | "same" | "changed" | "not-from-import";

export interface PurchaseOrderContext {
  partner: { code: string; currency: string; channelId: string };
  knownSku: (sku: string) => boolean;
  /** The partner's items by SKU and by buyer part number (indexPartnerItems). */
  items: ReadonlyMap<string, PartnerItem>;
  byBuyerPart: ReadonlyMap<string, PartnerItem>;
  previous: (order: ApiOrderInput) => PreviousOrder;
}

/** The API schema's field paths, as the CSV names them. */
const COLUMN_OF: Record<string, string> = {
  externalId: "po_number", name: "po_number", currency: "currency", placedAt: "order_date", promisedBy: "requested_ship_date", email: "email", phone: "phone",
  "customer.name": "buyer_name", "customer.externalId": "partner code", "shipTo.name": "ship_to_name", "shipTo.address1": "ship_to_address1 and ship_to_address2",
  "shipTo.city": "ship_to_city", "shipTo.province": "ship_to_province", "shipTo.countryCode": "ship_to_country", "shipTo.zip": "ship_to_zip",
  externalIdLine: "line_number", sku: "sku", quantity: "quantity", priceMinor: "unit_price", title: "sku",
};

/** A requested ship date without a time of day means by the end of that day. */
function shipBy(iso: string): string {
  return iso.endsWith("T00:00:00.000Z") ? iso.replace("T00:00:00.000Z", "T23:59:59.000Z") : iso;
}

function orderOf(po: CsvPurchaseOrder, lines: { sku: string; priceMinor: number }[], ctx: PurchaseOrderContext, currency: string): ApiOrderInput {
  const s = po.shipTo;
  const address1 = [s.address1, s.address2].filter(Boolean).join(", ");
  const shipTo = Object.fromEntries(Object.entries({ name: s.name, address1: address1 || null, city: s.city, province: s.province, countryCode: s.countryCode, zip: s.zip }).filter(([, v]) => v !== null));
  const dates = po.lines.map((l) => l.requestedShipDate).filter((d): d is string => d !== null).sort();
  const order: Record<string, unknown> = {
    channel: "wholesale",
    channelId: ctx.partner.channelId,
    externalId: po.poNumber,
    name: `PO ${po.poNumber}`,
    currency,
    placedAt: po.orderDate ?? undefined,
    promisedBy: dates.length ? shipBy(dates[0]) : undefined,
    email: po.email ?? undefined,
    phone: po.phone ?? undefined,
    customer: { externalId: ctx.partner.code, ...(po.buyerName ? { name: po.buyerName } : {}) },
    shipTo,
    lines: po.lines.map((l, i) => ({ externalId: l.lineId, sku: lines[i].sku, quantity: l.quantity, priceMinor: lines[i].priceMinor })),
  };
  for (const k of Object.keys(order)) if (order[k] === undefined) delete order[k];
  return order as ApiOrderInput;
}

/** The API schema's and rules' problems of an order, by file line (PO-level ones under 0), and the order as the schema reads it. */
function apiProblems(order: ApiOrderInput, po: CsvPurchaseOrder, knownSku: (sku: string) => boolean): { problems: Map<number, string[]>; order: ApiOrderInput } {
  const out = new Map<number, string[]>();
  const add = (line: number, message: string) => out.set(line, [...(out.get(line) ?? []), message]);
  const parsed = apiOrderSchema.safeParse(order);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index, field] = issue.path;
      if (head === "lines" && typeof index === "number" && po.lines[index]) add(po.lines[index].line, `${COLUMN_OF[field === "externalId" ? "externalIdLine" : String(field)] ?? String(field ?? "line")}: ${issue.message}`);
      else add(0, `${COLUMN_OF[issue.path.join(".")] ?? (issue.path.join(".") || "PO")}: ${issue.message}`);
    }
    return { problems: out, order };
  }
  for (const problem of checkApiOrder(parsed.data, new Set(order.lines.map((l) => l.sku).filter(knownSku)))) {
    const m = /^lines\.(\d+)\.(\w+): (.*)$/.exec(problem);
    if (m && po.lines[Number(m[1])]) add(po.lines[Number(m[1])].line, `${COLUMN_OF[m[2] === "externalId" ? "externalIdLine" : m[2]] ?? m[2]}: ${m[3]}`);
    else add(0, problem.replace(/^totalMinor: /, "the PO's total: "));
  }
  return { problems: out, order: parsed.data };
}

/** Check the POs of a parsed file against the shop's catalog and the partner (see the file comment). */
export function checkCsvPurchaseOrders(parsed: ParsedImportFile<CsvPurchaseOrder>, ctx: PurchaseOrderContext): ParsedImportFile<CsvPurchaseOrder> {
  if (parsed.fileError) return parsed;
  const lines: ImportLineResult[] = parsed.lines.map((l) => ({ ...l }));
  const byLine = new Map(lines.map((l) => [l.line, l]));
  const documents: ImportDocument<CsvPurchaseOrder>[] = [];
  for (const doc of parsed.documents) {
    const po = doc.payload;
    const currency = po.currency ?? ctx.partner.currency;
    const exponent = currencyExponent(currency);
    const poErrors: string[] = [];
    if (currency !== ctx.partner.currency) poErrors.push(`the PO is in ${currency}, but partner ${ctx.partner.code} trades in ${ctx.partner.currency}`);
    const lineErrors = new Map<number, string[]>();
    const said = new Map<number, string>();
    const resolved = po.lines.map((l) => {
      const errors: string[] = [];
      const item = resolveBuyerItem({ vendorPartNumber: l.sku, buyerPartNumber: l.buyerPartNumber }, ctx.items, ctx.byBuyerPart, ctx.knownSku);
      if (!item.ok) errors.push(item.message);
      else if (!ctx.knownSku(item.sku)) errors.push(`buyer part number ${l.buyerPartNumber} is mapped to SKU ${item.sku}, which is not in the catalog any more`);
      let priceMinor = 0;
      let agreed = false;
      if (l.unitPrice !== null) {
        const decimals = (l.unitPrice.split(".")[1] ?? "").replace(/0+$/, "").length;
        if (decimals > exponent) errors.push(`unit_price ${l.unitPrice} has more decimals than ${currency} has (${exponent})`);
        else {
          try {
            priceMinor = parseMinorUnits(l.unitPrice, currency, { field: "unit_price", allowNegative: false });
          } catch (error) {
            errors.push((error as Error).message);
          }
        }
      } else if (item.ok && item.listPriceMinor !== null) {
        priceMinor = item.listPriceMinor;
        agreed = true;
      } else if (item.ok) errors.push(`no price and no agreed price for SKU ${item.sku}`);
      if (errors.length) lineErrors.set(l.line, errors);
      const sku = item.ok ? item.sku : "";
      said.set(l.line, `PO ${po.poNumber} line ${l.lineId}: SKU ${sku}${l.buyerPartNumber && sku !== l.buyerPartNumber ? ` (buyer part ${l.buyerPartNumber})` : ""} × ${l.quantity} at ${formatDecimal(priceMinor, currency)} ${currency}${agreed ? " (agreed price)" : ""}`);
      return { sku, priceMinor };
    });

    let order: ApiOrderInput | null = null;
    if (poErrors.length === 0 && lineErrors.size === 0) {
      const api = apiProblems(orderOf(po, resolved, ctx, currency), po, ctx.knownSku);
      order = api.order;
      for (const [line, messages] of api.problems) {
        if (line === 0) poErrors.push(...messages);
        else lineErrors.set(line, messages);
      }
    }
    const refuse = (problem: (line: number) => string) => {
      for (const l of po.lines) Object.assign(byLine.get(l.line)!, { ok: false, message: `line ${l.line}: ${problem(l.line)}` });
    };
    if (poErrors.length) {
      refuse((line) => [...(lineErrors.get(line) ?? []), `PO ${po.poNumber}: ${poErrors.join("; ")}`].join("; "));
      continue;
    }
    if (lineErrors.size) {
      const bad = [...lineErrors.keys()];
      refuse((line) => lineErrors.get(line)?.join("; ") ?? `PO ${po.poNumber} is not taken in part: line ${bad.join(", ")} of it ${bad.length === 1 ? "is" : "are"} refused`);
      continue;
    }
    const previous = ctx.previous(order!);
    if (previous === "changed") {
      refuse(() => `PO ${po.poNumber} was imported before with other content (lines, quantities, prices or ship-to): a changed PO is not applied over its order — edit or cancel that order, or send the change under a new PO number`);
      continue;
    }
    if (previous === "not-from-import") {
      refuse(() => `an order ${po.poNumber} is already on partner ${ctx.partner.code}'s channel and was not made from a purchase order: it is not changed`);
      continue;
    }
    for (const l of po.lines) byLine.get(l.line)!.message = previous === "same" ? `line ${l.line}: PO ${po.poNumber} was imported before with the same content: importing it again changes nothing` : `line ${l.line}: ${said.get(l.line)}`;
    documents.push({ ...doc, payload: { ...po, order }, ...(previous === "same" ? { unchanged: true } : {}) });
  }
  return { ...parsed, lines, documents };
}
