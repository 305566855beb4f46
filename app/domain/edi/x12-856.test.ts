import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { build856, validSscc, type ShipNotice856 } from "./x12-856";
import { BUYER, US } from "./x12-test-kit";
import type { OutboundEnvelope } from "./x12-write";

const ENVELOPE: OutboundEnvelope = { ours: US, theirs: BUYER, control: { interchange: 10, group: 10, transactionSet: 5 }, createdAt: "2024-05-03T16:00:00Z" };

const ASN: ShipNotice856 = {
  shipmentId: "SHP-1",
  shippedAt: "2024-05-03T15:04:00Z",
  carrier: { scac: "UPSN", method: "U", service: "GROUND" },
  billOfLading: "BOL-9",
  proNumber: "PRO-1",
  weightLb: 60.31,
  shipTo: { name: "XYZ RETAIL DC 4", idQualifier: "92", id: "0004", addressLines: ["31875 SOLON RD"], city: "SOLON", state: "OH", postalCode: "44139", country: "US" },
  shipFrom: { name: "OUR WAREHOUSE", city: "AKRON", state: "OH", postalCode: "44301" },
  orders: [
    {
      poNumber: "PO-1001",
      poDate: "2024-05-01",
      cartons: [
        { sscc18: "000614141000000014", trackingNumber: "1Z999AA10123456784", items: [{ lineNumber: "1", quantity: 24, uom: "EA", vendorPartNumber: "SKU-RED", buyerPartNumber: "B-100", gtin: "036000291452" }] },
        { cartonId: "CTN-2", items: [{ lineNumber: "1", quantity: 6, uom: "EA", vendorPartNumber: "SKU-RED", orderedQuantity: 120 }, { lineNumber: "2", quantity: 1, uom: "CA", buyerPartNumber: "B-200" }] },
      ],
    },
  ],
};

function body(text: string): string[] {
  const parsed = new X12Parser(true).parse(text) as NodeX12Interchange;
  return parsed.functionalGroups[0].transactions[0].segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join("*"));
}

describe("build856", () => {
  it("writes Shipment → Order → Pack → Item, with carrier, dates, parties, cartons and CTT (HL count, units)", () => {
    const made = build856(ASN, ENVELOPE);
    if (!made.ok) throw new Error(made.error);
    expect(body(made.text)).toEqual([
      "BSN*00*SHP-1*20240503*1504*0001",
      "HL*1**S*1",
      "TD1*CTN25*2****G*60.31*LB",
      "TD5**2*UPSN*U*GROUND",
      "REF*BM*BOL-9",
      "REF*CN*PRO-1",
      "DTM*011*20240503",
      "N1*ST*XYZ RETAIL DC 4*92*0004",
      "N3*31875 SOLON RD",
      "N4*SOLON*OH*44139*US",
      "N1*SF*OUR WAREHOUSE",
      "N4*AKRON*OH*44301",
      "HL*2*1*O*1",
      "PRF*PO-1001***20240501",
      "HL*3*2*P*1",
      "MAN*GM*000614141000000014",
      "MAN*CP*1Z999AA10123456784",
      "HL*4*3*I*0",
      "LIN*1*VP*SKU-RED*BP*B-100*UP*036000291452",
      "SN1*1*24*EA",
      "HL*5*2*P*1",
      "MAN*SM*CTN-2",
      "HL*6*5*I*0",
      "LIN*1*VP*SKU-RED",
      "SN1*1*6*EA**120*EA",
      "HL*7*5*I*0",
      "LIN*2*BP*B-200",
      "SN1*2*1*CA",
      "CTT*7*31",
    ]);
    expect(made.text).toContain("GS*SH*OPENOMS*4405197800*20240503*1600*10*X*004010~ST*856*0005~");
    expect(made.segmentCounts).toEqual([31]);
  });

  it("takes several orders in one shipment, and no weight", () => {
    const made = build856({ ...ASN, weightLb: null, orders: [ASN.orders[0], { poNumber: "PO-1002", cartons: [{ cartonId: "C9", items: [{ lineNumber: "1", quantity: 2, uom: "EA", vendorPartNumber: "X" }] }] }] }, ENVELOPE);
    expect(made.ok && body(made.text).filter((s) => s.startsWith("HL") || s.startsWith("CTT") || s.startsWith("TD1") || s.startsWith("PRF"))).toEqual([
      "HL*1**S*1", "TD1*CTN25*3", "HL*2*1*O*1", "PRF*PO-1001", "HL*3*2*P*1", "HL*4*3*I*0", "HL*5*2*P*1", "HL*6*5*I*0", "HL*7*5*I*0", "HL*8*1*O*1", "PRF*PO-1002", "HL*9*8*P*1", "HL*10*9*I*0", "CTT*10*33",
    ].map((s) => (s === "PRF*PO-1001" ? "PRF*PO-1001***20240501" : s)));
  });

  it("names a carrier without a SCAC in TD505, with its service", () => {
    const made = build856({ ...ASN, carrier: { name: "Acme Freight", method: "M", service: "Next day" } }, ENVELOPE);
    expect(made.ok && body(made.text).filter((s) => s.startsWith("TD5"))).toEqual(["TD5****M*Acme Freight Next day"]);
  });

  it.each([
    [{ orders: [] }, "an 856 needs at least one order"],
    [{ carrier: { scac: null, name: " " } }, "carrier needs a scac or a name"],
    [{ carrier: { scac: "ups" } }, 'carrier.scac "ups" is not a SCAC'],
    [{ shippedAt: "soon" }, 'shippedAt: "soon" is not an ISO 8601 date'],
    [{ weightLb: -3 }, "weightLb must be a positive number"],
    [{ orders: [{ poNumber: "P", cartons: [] }] }, "orders[0] has no cartons"],
    [{ orders: [{ poNumber: "P", cartons: [{ items: [{ lineNumber: "1", quantity: 1, uom: "EA", vendorPartNumber: "X" }] }] }] }, "orders[0].cartons[0] needs an sscc18 or a cartonId"],
    [{ orders: [{ poNumber: "P", cartons: [{ sscc18: "000614141000000015", items: [{ lineNumber: "1", quantity: 1, uom: "EA", vendorPartNumber: "X" }] }] }] }, "is not an SSCC-18"],
    [{ orders: [{ poNumber: "P", cartons: [{ cartonId: "C", items: [] }] }] }, "orders[0].cartons[0] holds no items"],
    [{ orders: [{ poNumber: "P", cartons: [{ cartonId: "C", items: [{ lineNumber: "1", quantity: 0, uom: "EA", vendorPartNumber: "X" }] }] }] }, "orders[0].cartons[0].items[0].quantity must be a whole number from 1"],
    [{ shipTo: { name: "" } }, "shipTo needs a name or an id"],
  ])("refuses %#", (change, message) => {
    const made = build856({ ...ASN, ...change } as ShipNotice856, ENVELOPE);
    expect(made.ok).toBe(false);
    expect(!made.ok && made.error).toContain(message);
  });
});

describe("validSscc", () => {
  it("checks 18 digits and the GS1 check digit, with or without the 00 application identifier", () => {
    expect(validSscc("106141412345678908")).toBe(true); // GS1's own example
    expect(validSscc("00106141412345678908")).toBe(true);
    expect(validSscc("106141412345678909")).toBe(false);
    expect(validSscc("10614141234567890")).toBe(false);
  });
});
