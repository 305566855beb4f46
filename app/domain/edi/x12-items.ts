import { decimalText, x12Decimal } from "./x12-elements";
import { BuildFailure, type X12Value, type X12Values } from "./x12-write";

// How the documents we send name an item: qualifier/value pairs (VP our SKU, BP the buyer's part number, UP/EN/UK
// its GTIN by length), as PO1, IT1 and LIN carry them.

export interface ItemIds {
  /** Our SKU (VP). */
  vendorPartNumber?: string | null;
  /** The buyer's part number (BP). */
  buyerPartNumber?: string | null;
  /** GTIN-8/12/13/14: UP for 12 digits, EN for 8 or 13, UK for 14. */
  gtin?: string | null;
  /** The line's qualifier/value pairs exactly as the buyer's PO1 had them (read850's productIds): echoed instead. */
  productIds?: readonly { qualifier: string; value: string }[] | null;
}

export function gtinQualifier(gtin: string): "UP" | "EN" | "UK" | null {
  if (/^\d{12}$/.test(gtin)) return "UP";
  if (/^(\d{8}|\d{13})$/.test(gtin)) return "EN";
  if (/^\d{14}$/.test(gtin)) return "UK";
  return null;
}

/** The pairs for `item` (its own productIds when given, else VP, BP, GTIN); at least one is needed. */
export function itemIdPairs(item: ItemIds, values: X12Values, field: string): X12Value[] {
  const out: X12Value[] = [];
  if (item.productIds?.length) {
    if (item.productIds.length > 10) throw new BuildFailure(`${field}.productIds: at most 10 pairs fit in one segment`);
    item.productIds.forEach((p, i) => {
      const qualifier = values.id(p.qualifier, `${field}.productIds[${i}].qualifier`, 2);
      out.push(qualifier, qualifier === "PD" ? (values.text(p.value, 48) ?? "") : values.id(p.value, `${field}.productIds[${i}].value`, 48));
    });
    return out;
  }
  const vp = values.optionalId(item.vendorPartNumber, `${field}.vendorPartNumber`, 48);
  const bp = values.optionalId(item.buyerPartNumber, `${field}.buyerPartNumber`, 48);
  const gtin = values.optionalId(item.gtin, `${field}.gtin`, 14);
  if (vp) out.push("VP", vp);
  if (bp) out.push("BP", bp);
  if (gtin) {
    const q = gtinQualifier(gtin);
    if (!q) throw new BuildFailure(`${field}.gtin ${JSON.stringify(gtin)} is not 8, 12, 13 or 14 digits`);
    out.push(q, gtin);
  }
  if (out.length === 0) throw new BuildFailure(`${field} names no item: give a vendorPartNumber (SKU), a buyerPartNumber or a GTIN`);
  return out;
}

/** A decimal price as written in a PO ("9.25"), checked and made canonical. */
export function priceText(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value === "") return null;
  const d = x12Decimal(String(value).trim());
  if (!d || d.negative) throw new BuildFailure(`${field} ${JSON.stringify(value)} is not a decimal price`);
  return decimalText(d);
}
