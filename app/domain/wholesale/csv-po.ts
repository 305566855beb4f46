import { detectDelimiter, delimiterName, firstTextLine, hasControlCharacters, readDelimitedText, type CsvDelimiter, type TextRecord } from "../imports/delimited-text";
import { unreadableFile, type ImportDocument, type ImportLineResult, type ParsedImportFile } from "../imports/import-file";
import { parseReportDate, shown } from "../imports/report-dates";
import { decodeText } from "../imports/text-encoding";
import { EXTERNAL_ID, type ApiOrderInput } from "../orders/api-order";
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES, MAX_SKU_LENGTH } from "../shared/limits";
import { CSV_PO_REQUIRED, PO_LEVEL_COLUMNS, csvPoColumn, type CsvPoColumn } from "./csv-po-columns";

// Wholesale purchase orders as CSV (ADR 0018) → purchase orders and one result per line. Pure; never throws on its
// input. One row per PO line; the rows of a PO are grouped by po_number wherever they stand in the file (a sorted
// spreadsheet splits them); the PO's own fields (date, currency, buyer, ship-to) may be repeated on every row or
// given once, but two rows giving different values is an error naming both lines. Every problem of a line is said
// at once, with its number; a PO with a refused line is refused whole. What needs the shop's data (the SKU, the
// buyer's part number, the agreed price, the currency's decimals) is checked next, by csv-po-check.ts.

export interface CsvPoShipTo {
  name: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  zip: string | null;
}

export interface CsvPoLine {
  /** The file line it was read from. */
  line: number;
  /** line_number, or its position in the PO (1, 2, …). */
  lineId: string;
  sku: string | null;
  buyerPartNumber: string | null;
  quantity: number;
  /** unit_price as a plain decimal ("12.50"), or null: the agreed price is taken. */
  unitPrice: string | null;
  /** requested_ship_date, UTC ISO. */
  requestedShipDate: string | null;
  notes: string | null;
}

export interface CsvPurchaseOrder {
  poNumber: string;
  /** order_date, UTC ISO. */
  orderDate: string | null;
  currency: string | null;
  buyerName: string | null;
  email: string | null;
  phone: string | null;
  shipTo: CsvPoShipTo;
  lines: CsvPoLine[];
  /** The order as POST /api/v1/orders takes it: filled by the check (csv-po-check.ts), null until then. */
  order: ApiOrderInput | null;
}

const MAX_LENGTH: Record<CsvPoColumn, number> = {
  po_number: 64, order_date: 64, currency: 3, buyer_name: 200, email: 254, phone: 40, ship_to_name: 200, ship_to_address1: 200, ship_to_address2: 200,
  ship_to_city: 120, ship_to_province: 120, ship_to_country: 2, ship_to_zip: 20, line_number: 64, sku: MAX_SKU_LENGTH, buyer_part_number: 120,
  quantity: 20, unit_price: 30, requested_ship_date: 64, notes: 1_000,
};
/** Values that may hold a line break (a quoted multi-line cell): read with spaces. */
const MULTILINE: ReadonlySet<CsvPoColumn> = new Set(["notes", "ship_to_address1", "ship_to_address2", "buyer_name", "ship_to_name"]);

type PoFields = Partial<Record<CsvPoColumn, string>>;

interface Row {
  line: number;
  po: string;
  fields: PoFields;
  lineNumber: string | null;
  item: Omit<CsvPoLine, "lineId">;
}

type RowReading = { row: Row } | { errors: string[]; po: string | null };

interface Columns {
  index: Map<CsvPoColumn, number>;
  count: number;
  decimalComma: boolean;
}

/** Dates read once per file for each way they are written (a file repeats a handful of dates on every row). */
type DateCache = Map<string, ReturnType<typeof parseReportDate>>;

function readRow(rec: TextRecord, cols: Columns, invalid: (from: number, to: number) => boolean, dates: DateCache): RowReading {
  const errors: string[] = [];
  const get = (c: CsvPoColumn) => {
    const i = cols.index.get(c);
    return i === undefined ? "" : (rec.fields[i] ?? "");
  };
  const poRaw = get("po_number").trim();
  const po = poRaw && EXTERNAL_ID.test(poRaw) ? poRaw : null;
  if (invalid(rec.line, rec.lastLine)) return { errors: ["holds bytes that are not UTF-8 (the file mixes encodings): save the whole file as UTF-8"], po };
  if (rec.fields.length < cols.count) errors.push(`has ${rec.fields.length} field${rec.fields.length === 1 ? "" : "s"} where the header has ${cols.count} (a cut line, or a delimiter missing)`);
  const tooMany = rec.fields.length > cols.count ? `has ${rec.fields.length} fields where the header has ${cols.count}: a value holding the delimiter must be quoted` : null;
  if (tooMany && rec.fields.slice(cols.count).some((f) => f.trim() !== "")) errors.push(tooMany);
  for (const [c, i] of cols.index) {
    const v = rec.fields[i] ?? "";
    if (v.length > MAX_LENGTH[c]) errors.push(`${c} is longer than ${MAX_LENGTH[c]} characters`);
    else if (/[\r\n]/.test(v) && !MULTILINE.has(c)) errors.push(`${c} runs over lines ${rec.line}–${rec.lastLine} (a quote left open, or a line break inside the value)`);
  }
  if (errors.length) return { errors, po };
  const text = (c: CsvPoColumn) => {
    const v = get(c);
    return (v.includes("\n") || v.includes("\r") ? v.replace(/\s*[\r\n]+\s*/g, " ") : v).trim() || null;
  };

  if (!poRaw) errors.push("po_number is missing");
  else if (!po) errors.push(`po_number ${shown(poRaw)} must be 1–64 letters, digits or . _ : # / -, starting with a letter or digit`);
  const fields: PoFields = {};
  for (const c of PO_LEVEL_COLUMNS) {
    const v = text(c);
    if (v) fields[c] = v;
  }
  const date = (c: CsvPoColumn) => {
    const v = text(c);
    if (!v) return null;
    let read = dates.get(v);
    if (!read) dates.set(v, (read = parseReportDate(v)));
    if (read.ok) return read.iso;
    errors.push(`${c} ${read.error}`);
    return null;
  };
  if (fields.order_date) {
    const iso = date("order_date");
    if (iso) fields.order_date = iso;
  }
  if (fields.currency) {
    if (/^[A-Za-z]{3}$/.test(fields.currency)) fields.currency = fields.currency.toUpperCase();
    else errors.push(`currency ${shown(fields.currency)} is not a three-letter ISO 4217 code (USD)`);
  }
  if (fields.ship_to_country) {
    if (/^[A-Za-z]{2}$/.test(fields.ship_to_country)) fields.ship_to_country = fields.ship_to_country.toUpperCase();
    else errors.push(`ship_to_country ${shown(fields.ship_to_country)} is not a two-letter ISO 3166 code (US)`);
  }
  if (fields.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.email)) errors.push(`email ${shown(fields.email)} is not an e-mail address`);

  const lineNumber = text("line_number");
  if (lineNumber && !EXTERNAL_ID.test(lineNumber)) errors.push(`line_number ${shown(lineNumber)} must be 1–64 letters, digits or . _ : # / -`);
  const sku = text("sku");
  const buyerPartNumber = text("buyer_part_number");
  if (!sku && !buyerPartNumber) errors.push("names no item: give sku or buyer_part_number");

  const qtyRaw = text("quantity");
  let quantity = 0;
  if (!qtyRaw) errors.push("quantity is missing");
  else if (/^-\s*\d+(\.\d+)?$/.test(qtyRaw)) errors.push(`quantity ${shown(qtyRaw)} is negative`);
  else if (!/^\d+(\.0+)?$/.test(qtyRaw)) errors.push(`quantity ${shown(qtyRaw)} is not a whole number`);
  else {
    quantity = Number(qtyRaw);
    if (quantity === 0) errors.push("quantity is 0: a line orders at least 1 unit");
    else if (quantity > MAX_LINE_QUANTITY) errors.push(`quantity ${qtyRaw} is more than the limit of ${MAX_LINE_QUANTITY}`);
  }

  let unitPrice = text("unit_price");
  if (unitPrice) {
    if (cols.decimalComma && /^-?\d+,\d+$/.test(unitPrice)) unitPrice = unitPrice.replace(",", ".");
    if (/^-\s*(\d+(\.\d*)?|\.\d+)$/.test(unitPrice)) errors.push(`unit_price ${shown(unitPrice)} is negative`);
    else if (!/^(\d+(\.\d*)?|\.\d+)$/.test(unitPrice)) errors.push(`unit_price ${shown(unitPrice)} is not a number (write the unit price in the PO's currency, e.g. 12.50)`);
    else unitPrice = unitPrice.replace(/^\./, "0.").replace(/\.$/, "");
  }
  const requestedShipDate = date("requested_ship_date");
  // Empty fields past the header's are a trailing delimiter, unless the line is wrong anyway: then they say why.
  if (errors.length) return { errors: tooMany && !errors.includes(tooMany) ? [tooMany, ...errors] : errors, po };
  return { row: { line: rec.line, po: po!, fields, lineNumber, item: { line: rec.line, sku, buyerPartNumber, quantity, unitPrice, requestedShipDate, notes: text("notes") } } };
}

/** Text compared as a person reads it: case and runs of spaces aside. */
const same = (a: string, b: string) => a.replace(/\s+/g, " ").toLowerCase() === b.replace(/\s+/g, " ").toLowerCase();

/** What makes a PO's rows one PO, or why not: its fields disagreeing, ship-to missing, a line id twice, a repeat. */
function poProblems(rows: Row[], lineIds: string[]): Map<number, string> | string | null {
  const first = new Map<CsvPoColumn, { value: string; line: number }>();
  const conflicts: string[] = [];
  for (const r of rows) {
    for (const c of PO_LEVEL_COLUMNS) {
      const v = r.fields[c];
      if (!v) continue;
      const f = first.get(c);
      if (!f) first.set(c, { value: v, line: r.line });
      else if (!same(f.value, v) && !conflicts.some((x) => x.startsWith(`${c} `))) conflicts.push(`${c} ${shown(v)} on line ${r.line} differs from ${shown(f.value)} on line ${f.line}`);
    }
  }
  if (conflicts.length) return conflicts.join("; ");
  const missing = (["ship_to_name", "ship_to_address1", "ship_to_city", "ship_to_country"] as const).filter((c) => !first.has(c));
  if (missing.length) return `no ship-to ${missing.join(", ")} on any of its lines`;
  if (rows.length > MAX_ORDER_LINES) return `more than the limit of ${MAX_ORDER_LINES} lines`;
  const byLine = new Map<number, string>();
  const seen = new Map<string, number>();
  const unnumbered = new Map<string, number>();
  rows.forEach((r, i) => {
    const earlier = seen.get(lineIds[i]);
    if (earlier !== undefined) byLine.set(r.line, `line_number ${lineIds[i]} of PO ${r.po} is also line ${earlier}'s`);
    else seen.set(lineIds[i], r.line);
    if (r.lineNumber) return;
    const { line: _line, ...item } = r.item;
    const key = JSON.stringify(item);
    const repeat = unnumbered.get(key);
    if (repeat === undefined) unnumbered.set(key, r.line);
    else if (!byLine.has(r.line)) byLine.set(r.line, `repeats line ${repeat} of PO ${r.po} exactly (a file joined twice?): give line_number to list the same item twice`);
  });
  return byLine.size ? byLine : null;
}

const LINE_ORDER = new Intl.Collator("en", { numeric: true });

function purchaseOrder(rows: Row[], lineIds: string[]): CsvPurchaseOrder {
  const f: PoFields = {};
  for (const r of rows) for (const c of PO_LEVEL_COLUMNS) if (!f[c] && r.fields[c]) f[c] = r.fields[c];
  return {
    poNumber: rows[0].po,
    orderDate: f.order_date ?? null,
    currency: f.currency ?? null,
    buyerName: f.buyer_name ?? null,
    email: f.email ?? null,
    phone: f.phone ?? null,
    shipTo: { name: f.ship_to_name ?? null, address1: f.ship_to_address1 ?? null, address2: f.ship_to_address2 ?? null, city: f.ship_to_city ?? null, province: f.ship_to_province ?? null, countryCode: f.ship_to_country ?? null, zip: f.ship_to_zip ?? null },
    // In line-number order, whatever the rows' order: the same PO written another way is the same order.
    lines: rows.map((r, i) => ({ ...r.item, lineId: lineIds[i] })).sort((a, b) => LINE_ORDER.compare(a.lineId, b.lineId)),
    order: null,
  };
}

function header(records: TextRecord[], delimiter: CsvDelimiter): { at: number; cols: Columns; notes: string[] } | { error: string } {
  const at = records.findIndex((r) => r.fields.some((f) => f.trim() !== ""));
  if (at === -1) return { error: "the file is empty" };
  const names = records[at].fields;
  const index = new Map<CsvPoColumn, number>();
  const unknown: string[] = [];
  for (const [i, name] of names.entries()) {
    if (name.trim() === "") continue;
    const column = csvPoColumn(name);
    if (!column) {
      unknown.push(shown(name.trim()));
      continue;
    }
    const earlier = index.get(column);
    if (earlier !== undefined) return { error: `the header names ${column} twice (columns ${earlier + 1} ${shown(names[earlier].trim())} and ${i + 1} ${shown(name.trim())})` };
    index.set(column, i);
  }
  const missing = CSV_PO_REQUIRED.filter((c) => !index.has(c));
  if (!index.has("sku") && !index.has("buyer_part_number")) missing.push("sku or buyer_part_number" as CsvPoColumn);
  if (missing.length) return { error: `the header lacks ${missing.join(", ")} (download the template for the columns a purchase order needs)` };
  const notes = [`${delimiterName(delimiter)}-separated`];
  if (unknown.length) notes.push(`columns not read (not purchase-order columns): ${unknown.slice(0, 20).join(", ")}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ""}`);
  return { at, cols: { index, count: names.length, decimalComma: delimiter !== "," }, notes };
}

/** Read a purchase-order CSV (bytes as uploaded, or text). `charset`: what the sender declared, if anything. */
export function parseCsvPurchaseOrders(input: Uint8Array | string, opts: { charset?: string | null } = {}): ParsedImportFile<CsvPurchaseOrder> {
  const decoding = typeof input === "string" ? { ok: true as const, decoded: { text: input.replace(/^\uFEFF/, ""), encoding: "utf-8", invalidLines: [], note: null } } : decodeText(input, opts.charset);
  if (!decoding.ok) return unreadableFile(decoding.error);
  const { text, invalidLines, note } = decoding.decoded;
  const notes = note ? [note] : [];
  if (text.trim() === "") return unreadableFile("the file is empty", notes);
  const first = firstTextLine(text);
  if (hasControlCharacters(first.slice(0, 4096))) return unreadableFile("the file is not text (its first line holds binary data): a purchase-order file is CSV text", notes);
  const delimiter = detectDelimiter(first, (name) => csvPoColumn(name) !== null);
  if (!delimiter) return unreadableFile(`the first line is not a purchase-order header: it names none of the columns (po_number, sku, quantity, …) with a comma, semicolon or tab between them (it starts ${shown(first)})`, notes);

  const { records, problems } = readDelimitedText(text, delimiter);
  const head = header(records, delimiter);
  if ("error" in head) return unreadableFile(head.error === "the file is empty" && problems.length ? `nothing in it can be read: ${problems[0].message}` : head.error, notes);
  notes.unshift(...head.notes);

  const bad = new Set(invalidLines);
  const invalid = (from: number, to: number) => bad.size > 0 && invalidLines.some((l) => l >= from && l <= to);
  const headerFields = records[head.at].fields;
  const results: ImportLineResult[] = problems.filter((p) => p.line > records[head.at].lastLine).map((p) => ({ line: p.line, ok: false, message: p.message, documentKey: null }));
  const groups = new Map<string, Row[]>();
  const refused = new Map<string, number[]>();
  const dates: DateCache = new Map();
  for (const rec of records.slice(head.at + 1)) {
    if (rec.fields.every((f) => f.trim() === "")) continue;
    if (rec.fields.length === headerFields.length && rec.fields.every((f, i) => f === headerFields[i])) {
      results.push({ line: rec.line, ok: true, message: `line ${rec.line}: the header again: skipped`, documentKey: null });
      continue;
    }
    const read = readRow(rec, head.cols, invalid, dates);
    if ("errors" in read) {
      results.push({ line: rec.line, ok: false, message: `line ${rec.line}: ${read.errors.join("; ")}`, documentKey: read.po });
      if (read.po) refused.set(read.po, [...(refused.get(read.po) ?? []), rec.line]);
      continue;
    }
    results.push({ line: rec.line, ok: true, message: null, documentKey: read.row.po });
    const group = groups.get(read.row.po);
    if (group) group.push(read.row);
    else groups.set(read.row.po, [read.row]);
  }
  results.sort((a, b) => a.line - b.line);
  const byLine = new Map(results.map((r) => [r.line, r]));
  const refuse = (line: number, message: string) => Object.assign(byLine.get(line)!, { ok: false, message: `line ${line}: ${message}` });

  const documents: ImportDocument<CsvPurchaseOrder>[] = [];
  for (const [po, rows] of groups) {
    const badSiblings = refused.get(po);
    if (badSiblings) {
      for (const r of rows) refuse(r.line, `PO ${po} is not taken in part: line ${badSiblings.join(", ")} of it ${badSiblings.length === 1 ? "is" : "are"} refused`);
      continue;
    }
    const lineIds = rows.map((r, i) => r.lineNumber ?? String(i + 1));
    const problem = poProblems(rows, lineIds);
    if (typeof problem === "string") {
      for (const r of rows) refuse(r.line, `PO ${po}: ${problem}`);
      continue;
    }
    if (problem) {
      const lines = [...problem.keys()];
      for (const r of rows) refuse(r.line, problem.get(r.line) ?? `PO ${po} is not taken in part: line ${lines.join(", ")} of it ${lines.length === 1 ? "is" : "are"} refused`);
      continue;
    }
    const payload = purchaseOrder(rows, lineIds);
    const lineNotes = [...new Set(payload.lines.map((l) => l.notes).filter((n): n is string => n !== null))];
    const note = lineNotes.length ? `notes: ${lineNotes.join(" / ")}`.slice(0, 300) : null;
    documents.push({ key: po, lines: rows.map((r) => r.line), payload, note });
  }
  return { fileError: null, totalLines: results.length, lines: results, documents, notes };
}
