import { MAX_LINE_QUANTITY, MAX_MONEY_MINOR, MAX_ORDER_LINES } from "../shared/limits";
import { currencyExponent } from "../shared/money";
import { itemIdPairs, type ItemIds } from "./x12-items";
import { partySegments, type PartyInput } from "./x12-parties";
import { build, BuildFailure, decimalFromMinor, outboundDelimiters, wholeNumber, writeInterchange, x12Moment, X12Values, type OutboundEnvelope, type SegmentSpec, type X12Build } from "./x12-write";

// The 810 invoice: BIG (invoice date and number, PO date and number), CUR, N1 loops (bill-to, remit-to, ship-to,
// ship-from), IT1 per line (quantity, unit, unit price, our SKU as VP) with its PID description, TDS with the
// total in cents (an N2 element: two implied decimals), CAD with the carrier when given, ISS with the units
// shipped per unit of measure, CTT with the number of lines. Money is integer minor units; the total is their
// exact sum. Pure.

export interface InvoiceLine extends ItemIds {
  /** PO101 of the line invoiced. */
  lineNumber: string;
  quantity: number;
  uom: string;
  unitPriceMinor: number;
  description?: string | null;
}

export interface Invoice810 {
  invoiceNumber: string;
  /** ISO date. */
  invoiceDate: string;
  poNumber: string;
  poDate?: string | null;
  currency: string;
  billTo?: PartyInput | null;
  remitTo?: PartyInput | null;
  shipTo?: PartyInput | null;
  shipFrom?: PartyInput | null;
  /** CAD: the carrier (its SCAC, or its name when it has none we know) and its tracking or bill of lading number. */
  carrier?: { scac?: string | null; name?: string | null; method?: string | null; trackingNumber?: string | null } | null;
  lines: readonly InvoiceLine[];
}

/** The invoice total in minor units: Σ quantity × unit price, exactly (refused past MAX_MONEY_MINOR). */
export function invoiceTotalMinor(lines: readonly Pick<InvoiceLine, "quantity" | "unitPriceMinor">[]): number {
  let total = 0n;
  for (const l of lines) {
    if (!Number.isSafeInteger(l.quantity) || !Number.isSafeInteger(l.unitPriceMinor)) throw new BuildFailure("quantities and unit prices must be whole numbers");
    total += BigInt(l.quantity) * BigInt(l.unitPriceMinor);
    if (total > BigInt(MAX_MONEY_MINOR) || total < -BigInt(MAX_MONEY_MINOR)) throw new BuildFailure(`the invoice total is over the limit of ${MAX_MONEY_MINOR} minor units`);
  }
  return Number(total);
}

/** Minor units of `currency` → cents, as TDS01 writes them (two implied decimals whatever the currency). */
export function centsOf(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent <= 2) return (BigInt(minor) * 10n ** BigInt(2 - exponent)).toString();
  const factor = 10n ** BigInt(exponent - 2);
  if (BigInt(minor) % factor !== 0n) throw new BuildFailure(`the total ${minor} ${currency} minor units has fractions of a hundredth, which TDS (two decimals) cannot carry`);
  return (BigInt(minor) / factor).toString();
}

export function build810(invoice: Invoice810, envelope: OutboundEnvelope): X12Build {
  return build(() => {
    const values = new X12Values(outboundDelimiters(envelope.version ?? "004010", envelope.delimiters));
    if (!invoice.lines?.length) throw new BuildFailure("an 810 needs at least one line");
    if (invoice.lines.length > MAX_ORDER_LINES) throw new BuildFailure(`more than ${MAX_ORDER_LINES} lines`);
    const currency = values.id(invoice.currency, "currency", 3).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw new BuildFailure(`currency ${JSON.stringify(invoice.currency)} is not an ISO 4217 code`);
    const exponent = currencyExponent(currency);
    const segments: SegmentSpec[] = [
      ["BIG", x12Moment(invoice.invoiceDate, "invoiceDate").date, values.id(invoice.invoiceNumber, "invoiceNumber", 22), invoice.poDate ? x12Moment(invoice.poDate, "poDate").date : null, values.id(invoice.poNumber, "poNumber", 22)],
      ["CUR", "SE", currency],
    ];
    const parties: [string, PartyInput | null | undefined, string][] = [["BT", invoice.billTo, "billTo"], ["RE", invoice.remitTo, "remitTo"], ["ST", invoice.shipTo, "shipTo"], ["SF", invoice.shipFrom, "shipFrom"]];
    for (const [role, party, field] of parties) if (party) segments.push(...partySegments(role, party, values, field));
    const units = new Map<string, number>();
    const seen = new Set<string>();
    invoice.lines.forEach((line, i) => {
      const field = `lines[${i}]`;
      const number = values.id(line.lineNumber, `${field}.lineNumber`, 20);
      if (seen.has(number)) throw new BuildFailure(`${field}.lineNumber ${JSON.stringify(number)} appears twice`);
      seen.add(number);
      const quantity = wholeNumber(line.quantity, `${field}.quantity`, 1, MAX_LINE_QUANTITY);
      const uom = values.id(line.uom, `${field}.uom`, 2);
      const price = wholeNumber(line.unitPriceMinor, `${field}.unitPriceMinor`, 0, MAX_MONEY_MINOR);
      segments.push(["IT1", number, quantity, uom, decimalFromMinor(Number(price), exponent, `${field}.unitPriceMinor`), "PE", ...itemIdPairs(line, values, field)]);
      const description = values.text(line.description, 80);
      if (description) segments.push(["PID", "F", null, null, null, description]);
      units.set(uom, (units.get(uom) ?? 0) + Number(quantity));
    });
    const total = invoiceTotalMinor(invoice.lines);
    segments.push(["TDS", centsOf(total, currency)]);
    if (invoice.carrier) {
      const scac = values.optionalId(invoice.carrier.scac, "carrier.scac", 4);
      if (scac && !/^[A-Z0-9]{2,4}$/.test(scac)) throw new BuildFailure(`carrier.scac ${JSON.stringify(scac)} is not a SCAC (2 to 4 capital letters or digits)`);
      const name = scac ? null : values.text(invoice.carrier.name, 35);
      if (!scac && !name) throw new BuildFailure("carrier needs a scac or a name");
      const tracking = values.optionalId(invoice.carrier.trackingNumber, "carrier.trackingNumber", 30);
      segments.push(["CAD", values.optionalId(invoice.carrier.method ?? "M", "carrier.method", 2), null, null, scac, name, null, tracking ? "CN" : null, tracking]);
    }
    for (const [uom, count] of units) segments.push(["ISS", count, uom]);
    segments.push(["CTT", invoice.lines.length]);
    return writeInterchange(envelope, "IN", [{ id: "810", segments }]);
  });
}
