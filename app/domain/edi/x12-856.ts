import { MAX_LINE_QUANTITY } from "../shared/limits";
import { gs1CheckDigitOk } from "./x12-elements";
import { itemIdPairs, type ItemIds } from "./x12-items";
import { partySegments, type PartyInput } from "./x12-parties";
import { build, BuildFailure, outboundDelimiters, wholeNumber, writeInterchange, x12Moment, X12Values, type OutboundEnvelope, type SegmentSpec, type X12Build } from "./x12-write";

// The 856 ship notice (ASN), structure 0001: Shipment → Order → Pack → Item. The shipment level carries the
// carrier (TD5 with its SCAC, or its name), the bill of lading / PRO (REF BM, CN), the ship date (DTM 011) and the ship-to and
// ship-from (N1 loops); an order level per PO (PRF); a pack level per carton, named by its SSCC-18 (MAN GM) or our
// carton id (MAN SM), with its tracking number (MAN CP); an item level per line in the carton (LIN, SN1). CTT
// counts the HL segments and sums the units shipped. Pure.

export interface AsnItem extends ItemIds {
  /** PO101 of the line shipped. */
  lineNumber: string;
  quantity: number;
  uom: string;
  /** Units the line ordered (SN105), when the buyer wants it. */
  orderedQuantity?: number | null;
}

export interface AsnCarton {
  /** SSCC-18 of the carton label (18 digits, GS1 check digit). */
  sscc18?: string | null;
  /** Our carton id, when there is no SSCC. */
  cartonId?: string | null;
  trackingNumber?: string | null;
  items: readonly AsnItem[];
}

export interface AsnOrder {
  poNumber: string;
  /** ISO date of the PO. */
  poDate?: string | null;
  cartons: readonly AsnCarton[];
}

export interface ShipNotice856 {
  /** BSN02: our shipment id. */
  shipmentId: string;
  /** When it shipped (ISO 8601): BSN03/04 and DTM 011. */
  shippedAt: string;
  /**
   * TD5: the carrier by its SCAC (TD502 = 2, TD503), or, for a carrier without one we know, by name (TD505 with the
   * service). TD504: M motor (default), U private parcel, A air …
   */
  carrier: { scac?: string | null; name?: string | null; method?: string | null; service?: string | null };
  billOfLading?: string | null;
  /** Carrier's reference (PRO) for the whole shipment: REF CN. */
  proNumber?: string | null;
  /** TD1 gross weight in pounds, if known. */
  weightLb?: number | null;
  shipTo: PartyInput;
  shipFrom: PartyInput;
  orders: readonly AsnOrder[];
}

/** An SSCC-18 (18 digits) whose GS1 check digit is right; an "00" application identifier prefix is accepted. */
export function validSscc(value: string): boolean {
  const v = value.length === 20 && value.startsWith("00") ? value.slice(2) : value;
  return /^\d{18}$/.test(v) && gs1CheckDigitOk(v);
}

export function build856(asn: ShipNotice856, envelope: OutboundEnvelope): X12Build {
  return build(() => {
    const values = new X12Values(outboundDelimiters(envelope.version ?? "004010", envelope.delimiters));
    if (!asn.orders?.length) throw new BuildFailure("an 856 needs at least one order");
    const shipped = x12Moment(asn.shippedAt, "shippedAt");
    const segments: SegmentSpec[] = [["BSN", "00", values.id(asn.shipmentId, "shipmentId", 30), shipped.date, shipped.time, "0001"]];
    let hl = 0;
    let units = 0;
    const level = (parent: number | null, code: string, hasChildren: boolean): number => {
      hl += 1;
      segments.push(["HL", hl, parent, code, hasChildren ? "1" : "0"]);
      return hl;
    };
    const cartons = asn.orders.reduce((n, o) => n + (o.cartons?.length ?? 0), 0);
    const shipment = level(null, "S", true);
    if (asn.weightLb !== null && asn.weightLb !== undefined) {
      if (!(Number.isFinite(asn.weightLb) && asn.weightLb > 0 && asn.weightLb < 1e9)) throw new BuildFailure(`weightLb must be a positive number; got ${JSON.stringify(asn.weightLb)}`);
      segments.push(["TD1", "CTN25", cartons, null, null, null, "G", String(Math.round(asn.weightLb * 100) / 100), "LB"]);
    } else segments.push(["TD1", "CTN25", cartons]);
    const scac = values.optionalId(asn.carrier?.scac, "carrier.scac", 4);
    const method = values.optionalId(asn.carrier?.method ?? "M", "carrier.method", 2);
    if (scac) {
      if (!/^[A-Z0-9]{2,4}$/.test(scac)) throw new BuildFailure(`carrier.scac ${JSON.stringify(scac)} is not a SCAC (2 to 4 capital letters or digits)`);
      segments.push(["TD5", null, "2", scac, method, values.text(asn.carrier.service, 35)]);
    } else {
      const routing = values.text([asn.carrier?.name, asn.carrier?.service].filter(Boolean).join(" "), 35);
      if (!routing) throw new BuildFailure("carrier needs a scac or a name");
      segments.push(["TD5", null, null, null, method, routing]);
    }
    const bol = values.optionalId(asn.billOfLading, "billOfLading", 30);
    if (bol) segments.push(["REF", "BM", bol]);
    const pro = values.optionalId(asn.proNumber, "proNumber", 30);
    if (pro) segments.push(["REF", "CN", pro]);
    segments.push(["DTM", "011", shipped.date]);
    segments.push(...partySegments("ST", asn.shipTo, values, "shipTo"));
    segments.push(...partySegments("SF", asn.shipFrom, values, "shipFrom"));
    asn.orders.forEach((order, o) => {
      const field = `orders[${o}]`;
      if (!order.cartons?.length) throw new BuildFailure(`${field} has no cartons`);
      const orderLevel = level(shipment, "O", true);
      segments.push(["PRF", values.id(order.poNumber, `${field}.poNumber`, 22), null, null, order.poDate ? x12Moment(order.poDate, `${field}.poDate`).date : null]);
      order.cartons.forEach((carton, c) => {
        const cf = `${field}.cartons[${c}]`;
        if (!carton.items?.length) throw new BuildFailure(`${cf} holds no items`);
        const pack = level(orderLevel, "P", true);
        const sscc = values.optionalId(carton.sscc18, `${cf}.sscc18`, 20);
        if (sscc && !validSscc(sscc)) throw new BuildFailure(`${cf}.sscc18 ${JSON.stringify(sscc)} is not an SSCC-18 (18 digits with a valid check digit)`);
        const id = values.optionalId(carton.cartonId, `${cf}.cartonId`, 48);
        if (!sscc && !id) throw new BuildFailure(`${cf} needs an sscc18 or a cartonId`);
        segments.push(sscc ? ["MAN", "GM", sscc.length === 20 ? sscc.slice(2) : sscc] : ["MAN", "SM", id]);
        const tracking = values.optionalId(carton.trackingNumber, `${cf}.trackingNumber`, 48);
        if (tracking) segments.push(["MAN", "CP", tracking]);
        carton.items.forEach((item, k) => {
          const itf = `${cf}.items[${k}]`;
          level(pack, "I", false);
          const number = values.id(item.lineNumber, `${itf}.lineNumber`, 20);
          const quantity = wholeNumber(item.quantity, `${itf}.quantity`, 1, MAX_LINE_QUANTITY);
          const uom = values.id(item.uom, `${itf}.uom`, 2);
          units += Number(quantity);
          segments.push(["LIN", number, ...itemIdPairs(item, values, itf)]);
          const ordered = item.orderedQuantity === null || item.orderedQuantity === undefined ? null : wholeNumber(item.orderedQuantity, `${itf}.orderedQuantity`, 1, MAX_LINE_QUANTITY);
          segments.push(ordered ? ["SN1", number, quantity, uom, null, ordered, uom] : ["SN1", number, quantity, uom]);
        });
      });
    });
    segments.push(["CTT", hl, units]);
    return writeInterchange(envelope, "SH", [{ id: "856", segments }]);
  });
}
