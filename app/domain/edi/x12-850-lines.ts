import { MAX_LINE_QUANTITY } from "../shared/limits";
import { parseMinorUnits } from "../shared/money";
import { decimalText, scaled, validGtin, x12Decimal, x12WholeNumber, type X12Decimal } from "./x12-elements";
import { exactArray, shownValue, type X12AckNote, type X12Problem, type X12SegmentData } from "./x12-model";
import type { X12Party } from "./x12-parties";
import { elementCount, elementValue } from "./x12-segment";

// An 850's PO1 line as the buyer wrote it (quantity, unit, price in the order's currency, the item's ids) and
// the exact Σ quantity × unit price of its lines. Pure; problems go to the `note` read850 passes.

export interface ProductId {
  /** PO106, PO108 …: VP vendor part, VN vendor item, BP buyer part, IN buyer item, UP UPC, EN EAN, UK GTIN-14 … */
  qualifier: string;
  value: string;
}

export interface PurchaseOrderLine {
  /** PO101, or the line's ordinal (1, 2 …) when PO101 is empty. */
  lineNumber: string;
  /** PO102 as a whole number of units; null when it cannot be read (a problem says why). */
  quantity: number | null;
  /** PO103: EA, CA, KI … */
  uom: string | null;
  /** PO104 as a canonical decimal ("9.25"); null when absent or unreadable. */
  unitPrice: string | null;
  /** PO104 in minor units of the order's currency (rounded half up past its exponent). */
  unitPriceMinor: number | null;
  /** PO105: PE price per each, CP current price … */
  priceBasis: string | null;
  /** Our part number as the buyer writes it (VP, else VN): the SKU, if the buyer knows it. */
  vendorPartNumber: string | null;
  /** The buyer's own part number (BP, else IN, PI, CB, SK). */
  buyerPartNumber: string | null;
  /** UK, EN, UP, UI or UA, as written. */
  gtin: string | null;
  productIds: ProductId[];
  /** PID free-form descriptions, else the PD product id. */
  description: string | null;
  notes: string[];
  /** A ship-to named on the line (N1*ST inside the PO1 loop), if any. */
  shipTo: X12Party | null;
  segmentNumber: number;
}

const VENDOR_IDS = ["VP", "VN"];
const BUYER_IDS = ["BP", "IN", "PI", "CB", "SK"];
const GTIN_IDS = ["UK", "EN", "UP", "UI", "UA"];
const DESCRIPTION_IDS = ["PD"];

/** The value of the first id whose qualifier is the earliest of `qualifiers` (a loop: read for every line of a file). */
function firstId(ids: readonly ProductId[], qualifiers: readonly string[]): string | null {
  for (const q of qualifiers) {
    for (const id of ids) if (id.qualifier === q) return id.value;
  }
  return null;
}

const el = elementValue;

export type Note = (s: X12SegmentData, severity: X12Problem["severity"], code: string, text: string, ack?: X12AckNote) => void;

const elementAck = (position: number, reference: string, error: NonNullable<X12AckNote["element"]>["error"]): X12AckNote => ({ segmentError: "8", element: { position, reference, error } });

/** A PO1 segment → its line (`ordinal` when PO101 is empty) and its exact price, noting what is wrong. */
export function readLine(s: X12SegmentData, ordinal: number, currency: string, exponent: number, note: Note): { line: PurchaseOrderLine; price: X12Decimal | null } {
  const line: PurchaseOrderLine = { lineNumber: el(s, 1) ?? String(ordinal), quantity: null, uom: el(s, 3), unitPrice: null, unitPriceMinor: null, priceBasis: el(s, 5), vendorPartNumber: null, buyerPartNumber: null, gtin: null, productIds: [], description: null, notes: [], shipTo: null, segmentNumber: s.number };
  const qty = x12WholeNumber(el(s, 2));
  if (!qty.ok) {
    const why = qty.why === "missing" ? "PO102 (quantity ordered) is missing" : qty.why === "not whole" ? `PO102 ${shownValue(el(s, 2)!)} is not a whole number of units` : `PO102 ${shownValue(el(s, 2)!)} is not a quantity`;
    note(s, "error", "BAD_QUANTITY", why, elementAck(2, "330", qty.why === "missing" ? "1" : "6"));
  } else if (qty.value < 1 || qty.value > MAX_LINE_QUANTITY) {
    note(s, "error", "BAD_QUANTITY", `PO102 ${qty.value} is outside 1 to ${MAX_LINE_QUANTITY} units`, elementAck(2, "330", "7"));
  } else line.quantity = qty.value;
  if (!line.uom) note(s, "error", "UOM_MISSING", "PO103 (unit of measure) is missing", elementAck(3, "355", "2"));
  const rawPrice = el(s, 4);
  let price: X12Decimal | null = null;
  if (rawPrice) {
    price = x12Decimal(rawPrice);
    if (!price || price.negative) {
      note(s, "error", "BAD_PRICE", `PO104 ${shownValue(rawPrice)} is not a unit price`, elementAck(4, "212", "6"));
      price = null;
    } else {
      line.unitPrice = decimalText(price);
      try {
        line.unitPriceMinor = parseMinorUnits(line.unitPrice, currency, { allowNegative: false });
        if (/[1-9]/.test(price.fraction.slice(exponent))) note(s, "warning", "PRICE_ROUNDED", `PO104 ${line.unitPrice} has more decimals than ${currency} has: ${line.unitPriceMinor} minor units (rounded)`);
      } catch (e) {
        note(s, "error", "BAD_PRICE", `PO104 ${shownValue(rawPrice)}: ${e instanceof Error ? e.message : "not a price"}`, elementAck(4, "212", "6"));
        line.unitPrice = null;
        price = null;
      }
    }
  }
  for (let k = 6, n = elementCount(s); k <= n; k += 2) {
    const qualifier = el(s, k);
    const value = el(s, k + 1);
    if (!qualifier && !value) continue;
    if (!qualifier || !value) {
      note(s, "warning", "PRODUCT_ID_HALF", `PO1${String(qualifier ? k + 1 : k).padStart(2, "0")} is missing: ${qualifier ? `qualifier ${qualifier} names no value` : `value ${shownValue(value!)} has no qualifier`}`, elementAck(qualifier ? k + 1 : k, qualifier ? "234" : "235", "2"));
      continue;
    }
    line.productIds.push({ qualifier, value });
  }
  line.productIds = exactArray(line.productIds);
  line.vendorPartNumber = firstId(line.productIds, VENDOR_IDS);
  line.buyerPartNumber = firstId(line.productIds, BUYER_IDS);
  line.gtin = firstId(line.productIds, GTIN_IDS);
  line.description = firstId(line.productIds, DESCRIPTION_IDS);
  if (line.gtin && !validGtin(line.gtin)) note(s, "warning", "BAD_GTIN", `${shownValue(line.gtin)} is not a GTIN with a valid check digit`);
  if (!line.vendorPartNumber && !line.buyerPartNumber && !line.gtin) {
    const any = line.productIds.find((p) => p.qualifier !== "PD");
    if (!any) note(s, "error", "NO_ITEM", "the line names no item (no part number or GTIN in PO106 … PO125)", elementAck(6, "235", "1"));
  }
  return { line, price };
}

/** Σ quantity × unit price, exact, when every line has both; `compare` says whether a stated total equals it. */
export function lineTotal(lines: readonly PurchaseOrderLine[], prices: readonly (X12Decimal | null)[]): { text: string | null; compare: (stated: string) => boolean | null } {
  const none = { text: null, compare: () => null };
  if (lines.length === 0 || lines.length !== prices.length || lines.some((l, i) => l.quantity === null || prices[i] === null)) return none;
  const scale = Math.max(...prices.map((p) => p!.fraction.length));
  let sum = 0n;
  lines.forEach((l, i) => {
    sum += BigInt(l.quantity!) * scaled(prices[i]!, scale);
  });
  const digits = sum.toString().padStart(scale + 1, "0");
  const total = x12Decimal(scale ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits);
  if (!total) return none;
  return {
    text: decimalText(total),
    compare: (stated) => {
      const d = x12Decimal(stated);
      if (!d) return null;
      const common = Math.max(scale, d.fraction.length);
      return scaled(d, common) === scaled(total, common);
    },
  };
}
