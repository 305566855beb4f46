import { describe, expect, it } from "vitest";
import { build810 } from "../edi/x12-810";
import { build855 } from "../edi/x12-855";
import { build856 } from "../edi/x12-856";
import { readInterchange } from "../edi/x12-read";
import { BUYER, US } from "../edi/x12-test-kit";
import type { OutboundEnvelope, X12Build } from "../edi/x12-write";
import { carrierOf, cartonLabel, poAcknowledgement, shipmentInvoice, shipNotice, ssccProblems, wantsDocument, type DocumentOrder, type DocumentShipment } from "./partner-documents";

const ENVELOPE: OutboundEnvelope = { ours: US, theirs: BUYER, control: { interchange: 7, group: 7, transactionSet: 7 }, createdAt: "2026-11-21T09:30:00Z" };

const ORDER: DocumentOrder = {
  poNumber: "PO-4401",
  placedAt: "2026-11-20T10:00:00.000Z",
  currency: "USD",
  cancelled: false,
  shipTo: { name: "Acme DC 4", addressLines: ["1 Dock Rd"], city: "Reno", state: "NV", postalCode: "89501", country: "US" },
  lines: [
    { externalId: "1", sku: "MUG", title: "Mug", quantity: 10, priceMinor: 450, buyerPartNumber: "B-MUG", shipped: 0 },
    { externalId: "2", sku: "CAP", title: "Cap", quantity: 6, priceMinor: 1299, buyerPartNumber: null, shipped: 0 },
    { externalId: "3", sku: "PIN", title: "Pin", quantity: 4, priceMinor: 5, buyerPartNumber: null, shipped: 0 },
  ],
};

/** The transaction set's segments as "TAG*el*el", read back with our own reader. */
function segmentsOf(made: X12Build): string[] {
  if (!made.ok) throw new Error(made.error);
  const read = readInterchange(made.text);
  if (!read.ok) throw new Error(read.error);
  return read.interchange.groups[0]!.transactionSets[0]!.segments.map((s) => [s.tag, ...s.elements].join("*"));
}

describe("poAcknowledgement", () => {
  it("accepts what routing reserved, backorders what it placed nowhere and rejects the rest", () => {
    const ack = poAcknowledgement(ORDER, [
      { lineExternalId: "1", locationExternalId: "loc-1", quantity: 6 },
      { lineExternalId: "1", locationExternalId: "loc-2", quantity: 4 },
      { lineExternalId: "2", locationExternalId: "loc-1", quantity: 2 },
      { lineExternalId: "2", locationExternalId: null, quantity: 4 },
    ], "2026-11-21");
    expect(ack.lines.map((l) => [l.lineNumber, l.orderedQuantity, l.acceptedQuantity, l.backorderedQuantity, l.unitPrice])).toEqual([["1", 10, 10, 0, "4.5"], ["2", 6, 2, 4, "12.99"], ["3", 4, 0, 0, "0.05"]]);
    const body = segmentsOf(build855(ack, ENVELOPE));
    expect(body.filter((s) => /^(BAK|PO1|ACK|CTT)/.test(s))).toEqual([
      "BAK*00*AC*PO-4401*20261120*****20261121",
      "PO1*1*10*EA*4.5*PE*VP*MUG*BP*B-MUG",
      "ACK*IA*10*EA",
      "PO1*2*6*EA*12.99*PE*VP*CAP",
      "ACK*IA*2*EA",
      "ACK*IB*4*EA",
      "PO1*3*4*EA*0.05*PE*VP*PIN",
      "ACK*IR*4*EA",
      "CTT*3",
    ]);
  });

  it("counts units already shipped as accepted, and rejects every unit of a cancelled order", () => {
    const shipped = { ...ORDER, lines: [{ ...ORDER.lines[0]!, shipped: 3 }] };
    expect(poAcknowledgement(shipped, [{ lineExternalId: "1", locationExternalId: "loc-1", quantity: 7 }], "2026-11-21").lines[0]).toMatchObject({ acceptedQuantity: 10, backorderedQuantity: 0 });
    const cancelled = poAcknowledgement({ ...ORDER, cancelled: true }, [{ lineExternalId: "1", locationExternalId: "loc-1", quantity: 10 }], "2026-11-21");
    expect(cancelled.lines.map((l) => [l.acceptedQuantity, l.backorderedQuantity])).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(segmentsOf(build855(cancelled, ENVELOPE)).filter((s) => /^(BAK|ACK)/.test(s))).toEqual(["BAK*00*RD*PO-4401*20261120*****20261121", "ACK*IR*10*EA", "ACK*IR*6*EA", "ACK*IR*4*EA"]);
  });

  it("echoes a line id longer than X12 carries by its position", () => {
    const long = { ...ORDER, lines: [{ ...ORDER.lines[0]!, externalId: "ERP-LINE-000000000000042" }] };
    expect(poAcknowledgement(long, [], "2026-11-21").lines[0]!.lineNumber).toBe("1");
  });
});

describe("carriers and cartons", () => {
  it.each([
    ["UPS", null, { scac: "UPSN", method: "U" }],
    ["ups ground", null, { scac: "UPSN", method: "U" }],
    ["UPS Freight", null, { scac: "UPGF", method: "M" }],
    ["FedEx", "Ground", { scac: "FDEG", method: "U" }],
    ["FedEx", "Priority Overnight", { scac: "FDE", method: "A" }],
    ["FedEx Express", null, { scac: "FDE", method: "A" }],
    ["FedEx Freight", null, { scac: "FXFE", method: "M" }],
    ["U.S.P.S.", null, { scac: "USPS", method: "U" }],
    ["DHL Express", null, { scac: "DHLC", method: "A" }],
    ["fdeg", null, { scac: "FDEG", method: "U" }],
    ["Acme Freight", "Next day", { name: "Acme Freight", method: "M" }],
  ])("%s (%s)", (carrier, service, expected) => {
    expect(carrierOf(carrier, service)).toEqual(expected);
  });

  it("reads an 18-digit carton id as an SSCC-18 only when its check digit is right", () => {
    expect(cartonLabel("106141412345678908")).toEqual({ sscc18: "106141412345678908" });
    expect(cartonLabel("00106141412345678908")).toEqual({ sscc18: "00106141412345678908" });
    expect(cartonLabel("106141412345678909")).toEqual({ cartonId: "106141412345678909" });
    expect(cartonLabel("C-1")).toEqual({ cartonId: "C-1" });
    expect(ssccProblems([{ id: "106141412345678909" }, { id: "106141412345678908" }, { id: "C-1" }, { id: "1234" }], "Acme")).toEqual([
      "carton 106141412345678909: 18 digits are read as an SSCC-18 for Acme's ship notice (856), but its check digit should be 8, not 9; fix the label number, or give the carton an id that is not 18 digits",
    ]);
  });

  it("wants a document only from a partner that trades by X12 and asked for it", () => {
    const x12 = { theirs: BUYER, ours: US, version: "004010" as const, usage: "P" as const };
    expect(wantsDocument({ x12, documents: ["855", "856"] }, "856")).toBe(true);
    expect(wantsDocument({ x12, documents: ["855"] }, "810")).toBe(false);
    expect(wantsDocument({ x12: null, documents: ["855"] }, "855")).toBe(false);
  });
});

const SHIPMENT: DocumentShipment = {
  id: "c0shipment0000000000000001",
  externalId: "S-1",
  carrier: "UPS",
  service: "Ground",
  trackingNumber: null,
  shippedAt: "2026-11-22T15:04:00.000Z",
  lines: [{ lineExternalId: "1", quantity: 10 }, { lineExternalId: "2", quantity: 2 }],
  cartons: [
    { id: "106141412345678908", trackingNumber: "1Z999AA10123456784", lines: [{ lineExternalId: "1", quantity: 10 }] },
    { id: "C-2", trackingNumber: "1Z999AA10123456791", lines: [{ lineExternalId: "2", quantity: 2 }] },
  ],
};
const SHIP_FROM = { name: "Reno DC", addressLines: ["9 Depot St"], city: "Reno", state: "NV", postalCode: "89502", country: "US" };

describe("shipNotice and shipmentInvoice", () => {
  it("writes a pack per carton with its SSCC or id and tracking, and an item per line in it", () => {
    const body = segmentsOf(build856(shipNotice(ORDER, SHIPMENT, { shipTo: ORDER.shipTo!, shipFrom: SHIP_FROM }), ENVELOPE));
    expect(body.filter((s) => /^(BSN|HL|TD5|PRF|MAN|LIN|SN1|CTT)/.test(s))).toEqual([
      "BSN*00*S-1*20261122*1504*0001",
      "HL*1**S*1",
      "TD5**2*UPSN*U*Ground",
      "HL*2*1*O*1",
      "PRF*PO-4401***20261120",
      "HL*3*2*P*1",
      "MAN*GM*106141412345678908",
      "MAN*CP*1Z999AA10123456784",
      "HL*4*3*I*0",
      "LIN*1*VP*MUG*BP*B-MUG",
      "SN1*1*10*EA**10*EA",
      "HL*5*2*P*1",
      "MAN*SM*C-2",
      "MAN*CP*1Z999AA10123456791",
      "HL*6*5*I*0",
      "LIN*2*VP*CAP",
      "SN1*2*2*EA**6*EA",
      "CTT*6*12",
    ]);
    expect(body).toContain("N1*SF*Reno DC");
    expect(body).toContain("N1*ST*Acme DC 4");
  });

  it("a shipment without cartons is one pack; an unknown carrier is named", () => {
    const loose = { ...SHIPMENT, carrier: "Acme Freight", service: null, trackingNumber: "AF-1", cartons: [] };
    const body = segmentsOf(build856(shipNotice(ORDER, loose, { shipTo: ORDER.shipTo!, shipFrom: SHIP_FROM }), ENVELOPE));
    expect(body.filter((s) => /^(TD5|HL|MAN)/.test(s))).toEqual(["HL*1**S*1", "TD5****M*Acme Freight", "HL*2*1*O*1", "HL*3*2*P*1", "MAN*SM*1", "MAN*CP*AF-1", "HL*4*3*I*0", "HL*5*3*I*0"]);
  });

  it("invoices what the shipment holds at the order's prices, numbered by its ordinal, TDS the exact sum", () => {
    const invoice = shipmentInvoice(ORDER, SHIPMENT, 2, { billTo: { name: "Acme Stores" }, shipTo: ORDER.shipTo, shipFrom: SHIP_FROM });
    expect(invoice).toMatchObject({ invoiceNumber: "PO-4401-2", poNumber: "PO-4401", carrier: { scac: "UPSN", trackingNumber: "1Z999AA10123456784" } });
    const body = segmentsOf(build810(invoice, ENVELOPE));
    expect(body.filter((s) => /^(BIG|IT1|TDS|CAD|ISS|CTT)/.test(s))).toEqual([
      "BIG*20261122*PO-4401-2*20261120*PO-4401",
      "IT1*1*10*EA*4.5*PE*VP*MUG*BP*B-MUG",
      "IT1*2*2*EA*12.99*PE*VP*CAP",
      `TDS*${10 * 450 + 2 * 1299}`,
      "CAD*U***UPSN***CN*1Z999AA10123456784",
      "ISS*12*EA",
      "CTT*2",
    ]);
  });

  it("refuses a shipment naming a line the order does not have", () => {
    expect(() => shipNotice(ORDER, { ...SHIPMENT, cartons: [], lines: [{ lineExternalId: "9", quantity: 1 }] }, { shipTo: ORDER.shipTo!, shipFrom: SHIP_FROM })).toThrow("does not have");
  });
});
