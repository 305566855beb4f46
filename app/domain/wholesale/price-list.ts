import { csvRow, detectDelimiter, firstTextLine, hasControlCharacters, headerKey, readDelimitedText } from "../imports/delimited-text";
import { shown } from "../imports/report-dates";
import { decodeText } from "../imports/text-encoding";
import { MAX_SKU_LENGTH } from "../shared/limits";
import { currencyExponent, formatDecimal, parseMinorUnits } from "../shared/money";
import type { PartnerItem } from "./trading-partner";

// A trading partner's items as a CSV (ADR 0018): sku, buyer_part_number, unit_price — the whole list, replacing what
// the partner had. Header names case-insensitive with common aliases; comma, semicolon or tab (told by the header);
// UTF-8 or Windows-1252 (text-encoding.ts). Every problem is listed with its line number and nothing is taken
// unless every line is good. Pure; the catalog check is the use case's (it names the lines too).

export const PRICE_LIST_COLUMNS = ["sku", "buyer_part_number", "unit_price"] as const;
type PriceListColumn = (typeof PRICE_LIST_COLUMNS)[number];

const ALIASES: Record<string, PriceListColumn> = {
  sku: "sku", vendor_sku: "sku", our_sku: "sku", item_sku: "sku", vendor_part_number: "sku",
  buyer_part_number: "buyer_part_number", buyer_part: "buyer_part_number", buyer_sku: "buyer_part_number", buyer_item: "buyer_part_number", customer_part_number: "buyer_part_number", bpn: "buyer_part_number",
  unit_price: "unit_price", price: "unit_price", agreed_price: "unit_price", unit_cost: "unit_price", cost: "unit_price", price_each: "unit_price",
};

export interface PriceListLine extends PartnerItem {
  line: number;
}

export type PriceListReading = { ok: true; items: PriceListLine[]; notes: string[] } | { ok: false; errors: string[] };

const MAX_ERRORS = 200;

/** Read a price list (bytes as uploaded, or text) in the partner's currency. */
export function parsePriceList(input: Uint8Array | string, opts: { currency: string; charset?: string | null }): PriceListReading {
  const decoding = typeof input === "string" ? { ok: true as const, decoded: { text: input.replace(/^\uFEFF/, ""), invalidLines: [] as number[], note: null } } : decodeText(input, opts.charset);
  if (!decoding.ok) return { ok: false, errors: [`The file cannot be read: ${decoding.error}.`] };
  const { text, invalidLines, note } = decoding.decoded;
  if (text.trim() === "") return { ok: false, errors: ["The file is empty."] };
  const first = firstTextLine(text);
  if (hasControlCharacters(first.slice(0, 4096))) return { ok: false, errors: ["The file is not text: a price list is a CSV file with the columns sku, buyer_part_number, unit_price."] };
  const delimiter = detectDelimiter(first, (name) => headerKey(name) in ALIASES);
  if (!delimiter) return { ok: false, errors: [`The first line is not a price-list header: it names none of sku, buyer_part_number, unit_price (it starts ${shown(first)}).`] };
  const { records, problems } = readDelimitedText(text, delimiter);
  const at = records.findIndex((r) => r.fields.some((f) => f.trim() !== ""));
  const index = new Map<PriceListColumn, number>();
  for (const [i, name] of (records[at]?.fields ?? []).entries()) {
    const column = ALIASES[headerKey(name)];
    if (!column) continue;
    if (index.has(column)) return { ok: false, errors: [`The header names ${column} twice (columns ${index.get(column)! + 1} and ${i + 1}).`] };
    index.set(column, i);
  }
  if (!index.has("sku")) return { ok: false, errors: ["The header has no sku column."] };
  if (!index.has("buyer_part_number") && !index.has("unit_price")) return { ok: false, errors: ["The header has neither buyer_part_number nor unit_price: a price list says at least one of them per SKU."] };

  const exponent = currencyExponent(opts.currency);
  const errors: string[] = problems.map((p) => p.message);
  const items: PriceListLine[] = [];
  const bySku = new Map<string, number>();
  const byPart = new Map<string, { line: number; sku: string }>();
  const bad = new Set(invalidLines);
  for (const rec of records.slice(at + 1)) {
    if (rec.fields.every((f) => f.trim() === "")) continue;
    const line = rec.line;
    const get = (c: PriceListColumn) => (index.has(c) ? (rec.fields[index.get(c)!] ?? "").trim() : "");
    const why: string[] = [];
    if (bad.size && invalidLines.some((l) => l >= line && l <= rec.lastLine)) why.push("holds bytes that are not UTF-8 (the file mixes encodings)");
    const sku = get("sku");
    const part = get("buyer_part_number") || null;
    const price = get("unit_price").replace(/^(-?\d+),(\d+)$/, delimiter === "," ? "$1,$2" : "$1.$2");
    if (!sku) why.push("sku is missing");
    else if (sku.length > MAX_SKU_LENGTH || /[\r\n]/.test(sku)) why.push(`sku ${shown(sku)} is not a SKU (longer than ${MAX_SKU_LENGTH} characters, or over several lines)`);
    if (part && (part.length > 120 || /[\r\n]/.test(part))) why.push(`buyer_part_number ${shown(part)} is longer than 120 characters or over several lines`);
    let unitPriceMinor: number | null = null;
    if (price) {
      if (/^-/.test(price)) why.push(`unit_price ${shown(price)} is negative`);
      else if (!/^(\d+(\.\d*)?|\.\d+)$/.test(price)) why.push(`unit_price ${shown(price)} is not a number (write e.g. 12.50)`);
      else if ((price.split(".")[1] ?? "").replace(/0+$/, "").length > exponent) why.push(`unit_price ${price} has more decimals than ${opts.currency} has (${exponent})`);
      else {
        try {
          unitPriceMinor = parseMinorUnits(price, opts.currency, { field: "unit_price", allowNegative: false });
        } catch (error) {
          why.push((error as Error).message);
        }
      }
    }
    if (sku && !part && !price) why.push(`SKU ${sku} has neither a buyer part number nor a price`);
    if (sku) {
      const earlier = bySku.get(sku);
      if (earlier !== undefined) why.push(`SKU ${sku} is also on line ${earlier}`);
      else bySku.set(sku, line);
    }
    if (part) {
      const earlier = byPart.get(part);
      if (earlier && earlier.sku !== sku) why.push(`buyer part number ${part} is also on line ${earlier.line} (for SKU ${earlier.sku})`);
      else if (!earlier) byPart.set(part, { line, sku });
    }
    if (why.length) errors.push(`line ${line}: ${why.join("; ")}`);
    else items.push({ line, sku, buyerPartNumber: part, unitPriceMinor });
  }
  if (errors.length) {
    const sorted = errors.sort((a, b) => lineOf(a) - lineOf(b));
    return { ok: false, errors: sorted.length > MAX_ERRORS ? [...sorted.slice(0, MAX_ERRORS), `and ${sorted.length - MAX_ERRORS} more lines refused`] : sorted };
  }
  if (items.length === 0) return { ok: false, errors: ["The file has a header and no items: nothing was changed (a price list replaces the partner's whole list)."] };
  return { ok: true, items, notes: note ? [note] : [] };
}

const lineOf = (message: string) => Number(/^line (\d+)/.exec(message)?.[1] ?? 0);

/** The partner's items as the CSV a price list is uploaded as (so it can be downloaded, edited and uploaded again). */
export function priceListCsv(items: readonly PartnerItem[], currency: string): string {
  return csvRow([...PRICE_LIST_COLUMNS]) + items.map((i) => csvRow([i.sku, i.buyerPartNumber, i.unitPriceMinor === null ? null : formatDecimal(i.unitPriceMinor, currency)])).join("");
}
