import { csvRow, headerKey } from "../imports/delimited-text";
import { formatDecimal } from "../shared/money";

// The columns of a wholesale purchase-order CSV (ADR 0018): one row per PO line, the PO's own fields repeated on
// (or given once among) its rows. Header names are read case-insensitively, with spaces, dashes and dots as
// underscores, and common names other systems use are taken as aliases. Pure.

export const CSV_PO_COLUMNS = [
  "po_number",
  "order_date",
  "currency",
  "buyer_name",
  "email",
  "phone",
  "ship_to_name",
  "ship_to_address1",
  "ship_to_address2",
  "ship_to_city",
  "ship_to_province",
  "ship_to_country",
  "ship_to_zip",
  "line_number",
  "sku",
  "buyer_part_number",
  "quantity",
  "unit_price",
  "requested_ship_date",
  "notes",
] as const;
export type CsvPoColumn = (typeof CSV_PO_COLUMNS)[number];

/** The columns a header must have (an item column too: sku or buyer_part_number). */
export const CSV_PO_REQUIRED: readonly CsvPoColumn[] = ["po_number", "quantity", "ship_to_name", "ship_to_address1", "ship_to_city", "ship_to_country"];

/** The PO's own fields: every row of a PO that gives one must give the same. */
export const PO_LEVEL_COLUMNS: readonly CsvPoColumn[] = ["order_date", "currency", "buyer_name", "email", "phone", "ship_to_name", "ship_to_address1", "ship_to_address2", "ship_to_city", "ship_to_province", "ship_to_country", "ship_to_zip"];

const ALIAS_LIST: Record<CsvPoColumn, string[]> = {
  po_number: ["po", "po_no", "po_num", "po_id", "purchase_order", "purchase_order_number", "purchase_order_no", "order_number", "order_no"],
  order_date: ["po_date", "date", "purchase_order_date", "ordered_at", "order_placed"],
  currency: ["currency_code", "ccy", "cur"],
  buyer_name: ["buyer", "customer", "customer_name", "company", "bill_to_name"],
  email: ["e_mail", "email_address", "buyer_email", "contact_email"],
  phone: ["telephone", "phone_number", "tel", "buyer_phone", "contact_phone"],
  ship_to_name: ["ship_name", "shipto_name", "recipient", "recipient_name", "ship_to", "ship_to_company", "ship_to_contact"],
  ship_to_address1: ["ship_to_address", "ship_to_address_1", "ship_address1", "ship_address", "shipto_address1", "ship_to_street", "ship_to_line1", "address1", "address_1", "address", "street"],
  ship_to_address2: ["ship_to_address_2", "ship_address2", "shipto_address2", "ship_to_line2", "address2", "address_2"],
  ship_to_city: ["ship_city", "shipto_city", "city"],
  ship_to_province: ["ship_to_state", "ship_state", "shipto_state", "ship_to_region", "state", "province", "region"],
  ship_to_country: ["ship_country", "shipto_country", "ship_to_country_code", "country", "country_code"],
  ship_to_zip: ["ship_to_postal_code", "ship_to_postcode", "ship_zip", "shipto_zip", "ship_postal_code", "zip", "zip_code", "postal_code", "postcode"],
  line_number: ["line", "line_no", "line_num", "po_line", "po_line_number", "line_id", "item_number"],
  sku: ["vendor_sku", "vendor_part_number", "vendor_part", "vendor_item", "item_sku", "our_sku", "supplier_sku"],
  buyer_part_number: ["buyer_part", "buyer_sku", "buyer_item", "buyer_item_number", "customer_part_number", "customer_sku", "bpn"],
  quantity: ["qty", "quantity_ordered", "ordered_quantity", "qty_ordered", "order_qty", "units"],
  unit_price: ["price", "unit_cost", "cost", "price_each", "each", "unit_price_amount"],
  requested_ship_date: ["ship_date", "ship_by", "ship_by_date", "requested_date", "request_date", "requested_ship"],
  notes: ["note", "comment", "comments", "memo", "remarks", "line_notes"],
};

const ALIASES = new Map<string, CsvPoColumn>();
for (const column of CSV_PO_COLUMNS) {
  ALIASES.set(column, column);
  for (const alias of ALIAS_LIST[column]) ALIASES.set(alias, column);
}

/** The column a header name means, or null. */
export function csvPoColumn(name: string): CsvPoColumn | null {
  return ALIASES.get(headerKey(name)) ?? null;
}

/**
 * The template a merchant hands a buyer: the header and two example lines of one PO, with SKUs of the shop's
 * catalog when it has any (else placeholders), prices in the partner's currency.
 */
export function csvPoTemplate(example: { skus: readonly string[]; currency: string; today?: Date }): string {
  const day = (example.today ?? new Date()).toISOString().slice(0, 10);
  const skus = example.skus.length ? example.skus : ["YOUR-SKU-1", "YOUR-SKU-2"];
  const ship = ["Corner Shop Reno", "100 Main St", "", "Reno", "NV", "US", "89501"];
  const row = (sku: string, line: number, qty: number, priceMinor: number, notes: string): (string | number)[] => [
    "PO-1001", day, example.currency, "Corner Shops Inc.", "orders@example.com", "+1 775 555 0100", ...ship,
    line, sku, "", qty, formatDecimal(priceMinor, example.currency), day, notes,
  ];
  return (
    csvRow([...CSV_PO_COLUMNS]) +
    csvRow(row(skus[0], 1, 12, 1250, "sku or buyer_part_number (the buyer's own, mapped in the partner's items) names the item")) +
    csvRow(row(skus[1] ?? skus[0], 2, 3, 899, "unit_price may be left empty when the partner has an agreed price"))
  );
}
