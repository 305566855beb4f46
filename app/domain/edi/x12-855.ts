import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from "../shared/limits";
import { itemIdPairs, priceText, type ItemIds } from "./x12-items";
import { partySegments, type PartyInput } from "./x12-parties";
import { build, BuildFailure, wholeNumber, writeInterchange, x12Moment, X12Values, outboundDelimiters, type OutboundEnvelope, type SegmentSpec, type X12Build } from "./x12-write";

// The 855 purchase order acknowledgment: BAK (original; AD accepted as ordered, AC accepted with changes, RD
// rejected), each PO line echoed (PO1 as the buyer sent it) with ACKs saying what becomes of its units — IA
// accepted, IB backordered, IR rejected — from the decision the caller made per line, and CTT with the number of
// lines. Pure.

export interface PoAckLine extends ItemIds {
  /** PO101 as the buyer sent it. */
  lineNumber: string;
  orderedQuantity: number;
  uom: string;
  /** PO104 and PO105 as the buyer sent them, echoed. */
  unitPrice?: string | null;
  priceBasis?: string | null;
  acceptedQuantity: number;
  backorderedQuantity?: number;
  /** When the accepted units ship (ACK 068), ISO date. */
  shipDate?: string | null;
  /** When the backordered units are expected to ship, ISO date. */
  backorderDate?: string | null;
}

export interface PoAck855 {
  poNumber: string;
  /** BEG05 of the order, ISO date. */
  poDate: string;
  /** Our order number for it (BAK08). */
  sellerOrderNumber?: string | null;
  /** When we acknowledge (BAK09), ISO date; default the envelope's createdAt. */
  ackDate?: string | null;
  currency?: string | null;
  shipTo?: PartyInput | null;
  lines: readonly PoAckLine[];
}

/** BAK02 from the lines: all as ordered → AD; none accepted or backordered → RD; else AC. */
export function ackType(lines: readonly Pick<PoAckLine, "orderedQuantity" | "acceptedQuantity" | "backorderedQuantity">[]): "AD" | "AC" | "RD" {
  if (lines.every((l) => l.acceptedQuantity === l.orderedQuantity)) return "AD";
  if (lines.every((l) => l.acceptedQuantity === 0 && (l.backorderedQuantity ?? 0) === 0)) return "RD";
  return "AC";
}

export function build855(ack: PoAck855, envelope: OutboundEnvelope): X12Build {
  return build(() => {
    const values = new X12Values(outboundDelimiters(envelope.version ?? "004010", envelope.delimiters));
    if (!ack.lines?.length) throw new BuildFailure("an 855 needs at least one line");
    if (ack.lines.length > MAX_ORDER_LINES) throw new BuildFailure(`more than ${MAX_ORDER_LINES} lines`);
    const po = values.id(ack.poNumber, "poNumber", 22);
    const poDate = x12Moment(ack.poDate, "poDate").date;
    const ackDate = x12Moment(ack.ackDate ?? envelope.createdAt, ack.ackDate ? "ackDate" : "createdAt").date;
    const segments: SegmentSpec[] = [["BAK", "00", ackType(ack.lines), po, poDate, null, null, null, values.optionalId(ack.sellerOrderNumber, "sellerOrderNumber", 30), ackDate]];
    if (ack.currency) segments.push(["CUR", "SE", values.id(ack.currency, "currency", 3)]);
    if (ack.shipTo) segments.push(...partySegments("ST", ack.shipTo, values, "shipTo"));
    const seen = new Set<string>();
    ack.lines.forEach((line, i) => {
      const field = `lines[${i}]`;
      const number = values.id(line.lineNumber, `${field}.lineNumber`, 20);
      if (seen.has(number)) throw new BuildFailure(`${field}.lineNumber ${JSON.stringify(number)} appears twice`);
      seen.add(number);
      const ordered = wholeNumber(line.orderedQuantity, `${field}.orderedQuantity`, 1, MAX_LINE_QUANTITY);
      const accepted = Number(wholeNumber(line.acceptedQuantity, `${field}.acceptedQuantity`, 0, MAX_LINE_QUANTITY));
      const backordered = Number(wholeNumber(line.backorderedQuantity ?? 0, `${field}.backorderedQuantity`, 0, MAX_LINE_QUANTITY));
      if (accepted + backordered > Number(ordered)) throw new BuildFailure(`${field}: ${accepted} accepted and ${backordered} backordered is more than the ${ordered} ordered`);
      const rejected = Number(ordered) - accepted - backordered;
      const uom = values.id(line.uom, `${field}.uom`, 2);
      segments.push(["PO1", number, ordered, uom, priceText(line.unitPrice, `${field}.unitPrice`), values.optionalId(line.priceBasis, `${field}.priceBasis`, 2), ...itemIdPairs(line, values, field)]);
      const dated = (date: string | null | undefined, name: string) => (date ? ["068", x12Moment(date, `${field}.${name}`).date] : []);
      if (accepted > 0) segments.push(["ACK", "IA", accepted, uom, ...dated(line.shipDate, "shipDate")]);
      if (backordered > 0) segments.push(["ACK", "IB", backordered, uom, ...dated(line.backorderDate, "backorderDate")]);
      if (rejected > 0) segments.push(["ACK", "IR", rejected, uom]);
    });
    segments.push(["CTT", ack.lines.length]);
    return writeInterchange(envelope, "PR", [{ id: "855", segments }]);
  });
}
