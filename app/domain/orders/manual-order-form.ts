import { parseMinorUnits } from "../shared/money";
import { apiOrderSchema, schemaProblems, type ApiOrderInput } from "./api-order";

// An order keyed in by the merchant on the admin's "Create order" page (a phone order): the form's text fields
// become the body POST /api/v1/orders takes (channel "manual"), so the order goes through the one path every API
// order takes. Every problem is listed at once, each tied to the form field it is about; nothing is guessed.
//
// Its natural key: the reference when the merchant gives one, else one made from the form's token — a random
// value fixed when the page loads, sent with the form — so a double submit (or a retry after a lost answer)
// names the same order and makes it once.

export interface ManualOrderLineFields {
  sku: string;
  quantity: string;
  /** Unit price as the merchant types it, in the shop's currency ("12.50"); blank: the catalog's price. */
  price: string;
}

export interface ManualOrderFields {
  formToken: string;
  reference: string;
  customerName: string;
  email: string;
  phone: string;
  shipName: string;
  address1: string;
  city: string;
  province: string;
  countryCode: string;
  zip: string;
  lines: ManualOrderLineFields[];
  createDraft: boolean;
}

/** A form field (`lines.<row>.<sku|quantity|price>` for a line, row as on the page; `lines` for all of them), or null for the whole form. */
export interface FormProblem {
  field: string | null;
  message: string;
}

/** What the catalog says of a SKU the form names. */
export interface CatalogEntry {
  title: string;
  priceMinor: number;
}

export type ManualOrderResult =
  | { ok: true; input: ApiOrderInput; createDraft: boolean }
  | { ok: false; problems: FormProblem[] };

/** A form token: 32 hex digits (16 random bytes), made when the page loads. */
export const FORM_TOKEN = /^[0-9a-f]{32}$/;

const LABELS: Record<string, string> = {
  lines: "Lines",
  reference: "Reference",
  customerName: "Customer name",
  email: "Email",
  phone: "Phone",
  shipName: "Ship-to name",
  address1: "Address",
  city: "City",
  province: "State / province",
  countryCode: "Country code",
  zip: "ZIP / postal code",
};
const LINE_LABELS: Record<string, string> = { sku: "SKU", quantity: "quantity", price: "unit price" };

/** "Line 2 quantity", "Email": the words a form field is called on the page. */
export function fieldLabel(field: string): string {
  const line = /^lines\.(\d+)\.(\w+)$/.exec(field);
  if (line) return `Line ${Number(line[1]) + 1} ${LINE_LABELS[line[2]] ?? line[2]}`;
  return LABELS[field] ?? field;
}

/** The rows of the form that hold a line (a row left wholly blank is no line), with their row on the page. */
export function filledRows(fields: Pick<ManualOrderFields, "lines">): { row: number; line: ManualOrderLineFields }[] {
  return fields.lines.map((line, row) => ({ row, line })).filter(({ line }) => line.sku.trim() || line.quantity.trim() || line.price.trim());
}

/** The SKUs the form names, for the catalog look-up `manualOrderInput` needs. */
export function skusOf(fields: Pick<ManualOrderFields, "lines">): string[] {
  return [...new Set(filledRows(fields).map(({ line }) => line.sku.trim()).filter(Boolean))];
}

/** A line's title as Shopify names a line item: the product, and the variant unless it is the only one. */
export function catalogLineTitle(product: string, variant: string): string {
  return !variant || variant === "Default Title" || variant === product ? product : `${product} - ${variant}`;
}

/** The order's natural key and name when the merchant gives no reference: made from the form token. */
export function tokenKey(token: string): { externalId: string; name: string } {
  return { externalId: `manual-${token}`, name: `M-${token.slice(0, 8).toUpperCase()}` };
}

/**
 * The form as the API's order body: blanks left out, prices read exactly in the shop's currency (blank: the
 * catalog's), titles from the catalog, ship-to name defaulting to the customer's. `catalog`: what the shop has of
 * the SKUs the form names (`skusOf`). Every problem — missing fields, unreadable numbers, unknown SKUs and
 * whatever the API's schema refuses — comes back together.
 */
export function manualOrderInput(fields: ManualOrderFields, ctx: { currency: string; catalog: ReadonlyMap<string, CatalogEntry> }): ManualOrderResult {
  const problems: FormProblem[] = [];
  const add = (field: string | null, message: string) => problems.push({ field, message: field ? `${fieldLabel(field)}: ${message}` : message });
  const text = (value: string) => value.trim() || undefined;

  const token = fields.formToken.trim();
  if (!FORM_TOKEN.test(token)) add(null, "This form has lost its token: reload the page and enter the order again.");
  for (const field of ["customerName", "address1", "city", "countryCode"] as const) if (!fields[field].trim()) add(field, "required");

  const rows = filledRows(fields);
  if (rows.length === 0) add("lines", "add at least one line (a SKU and a quantity)");
  const lines = rows.map(({ row, line }) => {
    const sku = line.sku.trim();
    const known = sku ? ctx.catalog.get(sku) : undefined;
    if (!sku) add(`lines.${row}.sku`, "enter the SKU");
    else if (!known) add(`lines.${row}.sku`, `no product of this shop has SKU ${sku}`);
    const quantity = /^\s*\d{1,9}\s*$/.test(line.quantity) ? Number(line.quantity) : undefined;
    if (quantity === undefined) add(`lines.${row}.quantity`, line.quantity.trim() ? "a whole number of units" : "enter how many units");
    let priceMinor = known?.priceMinor;
    if (line.price.trim()) {
      try {
        priceMinor = parseMinorUnits(line.price, ctx.currency, { allowNegative: false });
      } catch (error) {
        const why = (error as RangeError).message;
        add(`lines.${row}.price`, /negative/.test(why) ? "cannot be negative" : /over the limit/.test(why) ? "more than the largest amount taken" : `not an amount in ${ctx.currency} (e.g. 12.50)`);
      }
    }
    return { sku, title: known?.title, quantity: quantity ?? 0, priceMinor };
  });

  const reference = text(fields.reference);
  const key = reference ? { externalId: reference, name: reference } : FORM_TOKEN.test(token) ? tokenKey(token) : { externalId: undefined, name: undefined };
  const customerName = text(fields.customerName);
  const body = {
    channel: "manual",
    externalId: key.externalId,
    name: key.name,
    email: text(fields.email),
    phone: text(fields.phone),
    customer: customerName ? { name: customerName } : undefined,
    shipTo: {
      name: text(fields.shipName) ?? customerName,
      address1: text(fields.address1),
      city: text(fields.city),
      province: text(fields.province),
      countryCode: text(fields.countryCode)?.toUpperCase(),
      zip: text(fields.zip),
    },
    lines: lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, priceMinor: l.priceMinor })),
  };
  const parsed = apiOrderSchema.safeParse(body);
  if (!parsed.success) {
    // Where the checks above already spoke of a field, the schema's words for it would only repeat them.
    const said = new Set(problems.flatMap((p) => (p.field ? [p.field] : [])));
    for (const p of formProblems(schemaProblems(parsed.error), rows.map((r) => r.row), reference !== undefined)) if (p.field === null || !said.has(p.field)) problems.push(p);
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: problems.length ? problems : [{ field: null, message: "The order could not be read." }] };
  return { ok: true, input: parsed.data, createDraft: fields.createDraft };
}

const API_FIELDS: Record<string, string> = {
  lines: "lines",
  externalId: "reference",
  name: "reference",
  email: "email",
  phone: "phone",
  "customer.name": "customerName",
  "shipTo.name": "shipName",
  "shipTo.address1": "address1",
  "shipTo.city": "city",
  "shipTo.province": "province",
  "shipTo.countryCode": "countryCode",
  "shipTo.zip": "zip",
};
const API_LINE_FIELDS: Record<string, string> = { sku: "sku", quantity: "quantity", priceMinor: "price" };

/**
 * Problems the API states (`path: message`, as `schemaProblems` and `createApiOrder` list them) as form problems:
 * `lines.<i>` is the i-th filled row (`rows[i]` on the page). `hasReference`: the merchant typed the reference
 * (otherwise a problem with the key made from the token is the form's, not a field's).
 */
export function formProblems(apiProblems: readonly string[], rows: readonly number[], hasReference = true): FormProblem[] {
  const seen = new Set<string>();
  const out: FormProblem[] = [];
  for (const problem of apiProblems) {
    const split = problem.indexOf(": ");
    const path = split > 0 ? problem.slice(0, split) : "";
    const message = split > 0 ? problem.slice(split + 2) : problem;
    let field: string | null = API_FIELDS[path] ?? null;
    const line = /^lines\.(\d+)\.(\w+)$/.exec(path);
    if (line && API_LINE_FIELDS[line[2]] && rows[Number(line[1])] !== undefined) field = `lines.${rows[Number(line[1])]}.${API_LINE_FIELDS[line[2]]}`;
    if (field === "reference" && !hasReference) field = null;
    const text = field ? `${fieldLabel(field)}: ${message}` : message;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ field, message: text });
  }
  return out;
}

/** The form's fields from a submitted form (FormData or anything with get/getAll); lines by row. */
export function manualOrderFields(form: { get(name: string): unknown; getAll(name: string): unknown[] }): ManualOrderFields {
  const one = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const all = (name: string) => form.getAll(name).map((v) => (typeof v === "string" ? v : ""));
  const skus = all("sku");
  const quantities = all("quantity");
  const prices = all("price");
  const count = Math.max(skus.length, quantities.length, prices.length);
  return {
    formToken: one("formToken"),
    reference: one("reference"),
    customerName: one("customerName"),
    email: one("email"),
    phone: one("phone"),
    shipName: one("shipName"),
    address1: one("address1"),
    city: one("city"),
    province: one("province"),
    countryCode: one("countryCode"),
    zip: one("zip"),
    lines: Array.from({ length: count }, (_, i) => ({ sku: skus[i] ?? "", quantity: quantities[i] ?? "", price: prices[i] ?? "" })),
    createDraft: one("createDraft") === "on" || one("createDraft") === "true",
  };
}
