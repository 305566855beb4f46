import type { Invoice810 } from "../edi/x12-810";
import type { PoAck855 } from "../edi/x12-855";
import { validSscc, type AsnCarton, type ShipNotice856 } from "../edi/x12-856";
import type { PartyInput } from "../edi/x12-parties";
import { decimalFromMinor } from "../edi/x12-write";
import { currencyExponent } from "../shared/money";
import type { PartnerDocument, TradingPartner } from "./trading-partner";

// What we tell a wholesale trading partner about its order (ADR 0022), as the inputs of the X12 writers: the 855
// from the units the first routing placed (reserved = accepted, placed nowhere = backordered), and per shipment the
// 856 (its cartons, carrier, tracking) and the 810 (what it holds at the order's prices). Pure: the adapter
// (app/.server/channels/wholesale) reads the order, calls these, writes the documents and keeps them.

/** A line of the order as the documents echo it. */
export interface DocumentOrderLine {
  /** The PO line number (the order line's id in its channel). */
  externalId: string;
  sku: string | null;
  title: string;
  /** Units ordered. */
  quantity: number;
  priceMinor: number;
  /** The partner's part number for the SKU (its items table), when it has one. */
  buyerPartNumber: string | null;
  /** Units already shipped. */
  shipped: number;
}

export interface DocumentOrder {
  /** The PO number (the order's external id). */
  poNumber: string;
  placedAt: string;
  currency: string;
  cancelled: boolean;
  shipTo: PartyInput | null;
  lines: readonly DocumentOrderLine[];
}

/** Open units of a line by where they ship from (the channel adapter port's Placement). */
export interface DocumentPlacement {
  lineExternalId: string;
  /** null: backordered. */
  locationExternalId: string | null;
  quantity: number;
}

export interface DocumentShipment {
  id: string;
  externalId: string;
  carrier: string;
  service: string | null;
  trackingNumber: string | null;
  shippedAt: string;
  lines: readonly { lineExternalId: string; quantity: number }[];
  cartons: readonly { id: string; trackingNumber: string | null; lines: readonly { lineExternalId: string; quantity: number }[] }[];
}

/** Whether the partner trades by X12 and wants this document back. */
export function wantsDocument(partner: Pick<TradingPartner, "x12" | "documents">, type: PartnerDocument): boolean {
  return partner.x12 !== null && partner.documents.includes(type);
}

/** PO101 as we echo it: the line's id when X12 can carry it (20 characters), else its position. */
export function poLineNumber(externalId: string, index: number): string {
  return externalId.length <= 20 ? externalId : String(index + 1);
}

function lineIds(line: DocumentOrderLine) {
  return { vendorPartNumber: line.sku, buyerPartNumber: line.buyerPartNumber };
}

/**
 * The 855 of an order as routing placed it: per line, accepted = units reserved at a location (and any already
 * shipped), backordered = units placed nowhere, rejected = the rest (all of it when the order is cancelled).
 */
export function poAcknowledgement(order: DocumentOrder, placements: readonly DocumentPlacement[], ackDate: string): PoAck855 {
  const exponent = currencyExponent(order.currency);
  return {
    poNumber: order.poNumber,
    poDate: order.placedAt,
    ackDate,
    currency: order.currency,
    shipTo: order.shipTo,
    lines: order.lines.map((line, i) => {
      const placed = placements.filter((p) => p.lineExternalId === line.externalId);
      const reserved = placed.filter((p) => p.locationExternalId !== null).reduce((n, p) => n + p.quantity, 0);
      const waiting = placed.filter((p) => p.locationExternalId === null).reduce((n, p) => n + p.quantity, 0);
      const accepted = order.cancelled ? 0 : Math.min(line.quantity, reserved + line.shipped);
      const backorderedQuantity = order.cancelled ? 0 : Math.min(line.quantity - accepted, waiting);
      return {
        lineNumber: poLineNumber(line.externalId, i),
        orderedQuantity: line.quantity,
        uom: "EA",
        unitPrice: decimalFromMinor(line.priceMinor, exponent, `lines[${i}].priceMinor`),
        priceBasis: "PE",
        acceptedQuantity: accepted,
        backorderedQuantity,
        ...lineIds(line),
      };
    }),
  };
}

// --- shipments ------------------------------------------------------------------------------------------------

interface KnownCarrier {
  scac: string;
  /** TD504: U private parcel, A air, M motor. */
  method: "U" | "A" | "M";
}

const SCACS: Record<string, KnownCarrier> = {
  UPSN: { scac: "UPSN", method: "U" },
  UPGF: { scac: "UPGF", method: "M" },
  FDEG: { scac: "FDEG", method: "U" },
  FDE: { scac: "FDE", method: "A" },
  FXFE: { scac: "FXFE", method: "M" },
  USPS: { scac: "USPS", method: "U" },
  DHLC: { scac: "DHLC", method: "A" },
};

const squeeze = (s: string | null | undefined) => (s ?? "").toUpperCase().replace(/[^A-Z0-9]/g, "");

/**
 * The carrier as TD5 and CAD name it: the SCAC of a carrier we know by name (UPS → UPSN, FedEx Ground → FDEG,
 * FedEx Express/Priority/Overnight → FDE, USPS, DHL → DHLC, their freight arms), or a SCAC typed as such; else
 * the carrier's name, which a partner's system reads but cannot route on.
 */
export function carrierOf(carrier: string, service: string | null = null): KnownCarrier | { name: string; method: "M" } {
  const c = squeeze(carrier);
  const s = squeeze(service);
  if (SCACS[c]) return SCACS[c];
  if (/^(UPS|UNITEDPARCEL)/.test(c)) return c.includes("FREIGHT") ? SCACS.UPGF : SCACS.UPSN;
  if (/^(FEDEX|FDX|FEDERALEXPRESS)/.test(c)) {
    if (c.includes("FREIGHT")) return SCACS.FXFE;
    const express = /EXPRESS|PRIORITY|OVERNIGHT|2DAY|TWODAY|INTERNATIONAL|FIRST/;
    return express.test(c) || (express.test(s) && !s.includes("GROUND")) ? SCACS.FDE : SCACS.FDEG;
  }
  if (/^(USPS|USPOSTAL|UNITEDSTATESPOSTAL)/.test(c)) return SCACS.USPS;
  if (/^DHL/.test(c)) return SCACS.DHLC;
  return { name: carrier.trim(), method: "M" };
}

/** GS1 mod-10 check digit of the first 17 digits of an SSCC. */
function ssccCheckDigit(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** 18 digits (or 20 with the "00" application identifier): meant as an SSCC-18. */
const looksLikeSscc = (id: string) => /^(00)?\d{18}$/.test(id);

/** A carton's label in the 856: an SSCC-18 when its id is 18 digits that check, else our carton id. */
export function cartonLabel(id: string): Pick<AsnCarton, "sscc18" | "cartonId"> {
  return looksLikeSscc(id) && validSscc(id) ? { sscc18: id } : { cartonId: id };
}

/** Cartons a partner that wants an 856 would be sent a wrong SSCC for: 18 digits whose check digit is off. */
export function ssccProblems(cartons: readonly { id: string }[], partnerName: string): string[] {
  return cartons
    .filter((c) => looksLikeSscc(c.id) && !validSscc(c.id))
    .map((c) => {
      const digits = c.id.length === 20 ? c.id.slice(2) : c.id;
      return `carton ${c.id}: 18 digits are read as an SSCC-18 for ${partnerName}'s ship notice (856), but its check digit should be ${ssccCheckDigit(digits)}, not ${digits[17]}; fix the label number, or give the carton an id that is not 18 digits`;
    });
}

/** The packages a shipment went out as: its cartons, or the whole shipment as one. */
function packagesOf(shipment: DocumentShipment) {
  if (shipment.cartons.length) return shipment.cartons;
  return [{ id: "1", trackingNumber: shipment.trackingNumber, lines: shipment.lines }];
}

function lineIndex(order: DocumentOrder) {
  const byId = new Map(order.lines.map((l, i) => [l.externalId, { line: l, index: i }]));
  return (lineExternalId: string) => {
    const found = byId.get(lineExternalId);
    if (!found) throw new Error(`The shipment names line ${lineExternalId}, which order ${order.poNumber} does not have`);
    return found;
  };
}

/** The 856 of one shipment: Shipment → Order → a Pack per carton (SSCC or carton id, tracking) → an Item per line. */
export function shipNotice(order: DocumentOrder, shipment: DocumentShipment, parties: { shipTo: PartyInput; shipFrom: PartyInput }): ShipNotice856 {
  const line = lineIndex(order);
  const carrier = carrierOf(shipment.carrier, shipment.service);
  return {
    shipmentId: shipment.externalId.length <= 30 ? shipment.externalId : shipment.id,
    shippedAt: shipment.shippedAt,
    carrier: "scac" in carrier ? { scac: carrier.scac, method: carrier.method, service: shipment.service } : { name: carrier.name, method: carrier.method, service: shipment.service },
    shipTo: parties.shipTo,
    shipFrom: parties.shipFrom,
    orders: [
      {
        poNumber: order.poNumber,
        poDate: order.placedAt,
        cartons: packagesOf(shipment).map((carton) => ({
          ...cartonLabel(carton.id),
          trackingNumber: carton.trackingNumber,
          items: carton.lines.map((l) => {
            const { line: ordered, index } = line(l.lineExternalId);
            return { lineNumber: poLineNumber(ordered.externalId, index), quantity: l.quantity, uom: "EA", orderedQuantity: ordered.quantity, ...lineIds(ordered) };
          }),
        })),
      },
    ],
  };
}

/** The invoice number of an order's n-th shipment (1-based): `<PO>-<n>`. */
export function invoiceNumber(poNumber: string, ordinal: number): string {
  return `${poNumber}-${ordinal}`;
}

/** The 810 of one shipment: what it holds at the order's unit prices, numbered by the shipment's ordinal. */
export function shipmentInvoice(order: DocumentOrder, shipment: DocumentShipment, ordinal: number, parties: { billTo: PartyInput | null; shipTo: PartyInput | null; shipFrom: PartyInput | null }): Invoice810 {
  const line = lineIndex(order);
  const carrier = carrierOf(shipment.carrier, shipment.service);
  const tracking = shipment.trackingNumber ?? packagesOf(shipment).find((p) => p.trackingNumber)?.trackingNumber ?? null;
  const units = new Map<string, number>();
  for (const l of shipment.lines) units.set(l.lineExternalId, (units.get(l.lineExternalId) ?? 0) + l.quantity);
  return {
    invoiceNumber: invoiceNumber(order.poNumber, ordinal),
    invoiceDate: shipment.shippedAt,
    poNumber: order.poNumber,
    poDate: order.placedAt,
    currency: order.currency,
    billTo: parties.billTo,
    shipTo: parties.shipTo,
    shipFrom: parties.shipFrom,
    carrier: { ...("scac" in carrier ? { scac: carrier.scac } : { name: carrier.name }), method: carrier.method, trackingNumber: tracking && tracking.length <= 30 ? tracking : null },
    lines: [...units].map(([lineExternalId, quantity]) => {
      const { line: ordered, index } = line(lineExternalId);
      return { lineNumber: poLineNumber(ordered.externalId, index), quantity, uom: "EA", unitPriceMinor: ordered.priceMinor, description: ordered.title, ...lineIds(ordered) };
    }),
  };
}
