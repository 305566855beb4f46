import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { build810, centsOf, invoiceTotalMinor, type Invoice810 } from "./x12-810";
import { BUYER, US } from "./x12-test-kit";
import type { OutboundEnvelope } from "./x12-write";

const ENVELOPE: OutboundEnvelope = { ours: US, theirs: BUYER, control: { interchange: 11, group: 11, transactionSet: 3 }, createdAt: "2024-05-04T08:00:00Z" };

const INVOICE: Invoice810 = {
  invoiceNumber: "INV-501",
  invoiceDate: "2024-05-04",
  poNumber: "PO-1001",
  poDate: "2024-05-01",
  currency: "USD",
  billTo: { name: "XYZ RETAIL HQ", idQualifier: "92", id: "0001" },
  remitTo: { name: "OPEN OMS INC", addressLines: ["1 MAIN ST"], city: "AKRON", state: "OH", postalCode: "44301", country: "US" },
  carrier: { scac: "UPSN", trackingNumber: "1Z999AA10123456784" },
  lines: [
    { lineNumber: "1", quantity: 120, uom: "EA", unitPriceMinor: 925, vendorPartNumber: "SKU-RED", buyerPartNumber: "B-100", description: "RED WIDGET" },
    { lineNumber: "2", quantity: 3, uom: "CA", unitPriceMinor: 1379, vendorPartNumber: "SKU-BLUE" },
    { lineNumber: "3", quantity: 2, uom: "EA", unitPriceMinor: 5, vendorPartNumber: "SKU-PIN" },
  ],
};

function body(text: string): string[] {
  const parsed = new X12Parser(true).parse(text) as NodeX12Interchange;
  return parsed.functionalGroups[0].transactions[0].segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join("*"));
}

describe("build810", () => {
  it("writes BIG, parties, IT1 lines with our SKU, TDS in cents, CAD, ISS per unit and CTT", () => {
    const made = build810(INVOICE, ENVELOPE);
    if (!made.ok) throw new Error(made.error);
    expect(body(made.text)).toEqual([
      "BIG*20240504*INV-501*20240501*PO-1001",
      "CUR*SE*USD",
      "N1*BT*XYZ RETAIL HQ*92*0001",
      "N1*RE*OPEN OMS INC",
      "N3*1 MAIN ST",
      "N4*AKRON*OH*44301*US",
      "IT1*1*120*EA*9.25*PE*VP*SKU-RED*BP*B-100",
      "PID*F****RED WIDGET",
      "IT1*2*3*CA*13.79*PE*VP*SKU-BLUE",
      "IT1*3*2*EA*0.05*PE*VP*SKU-PIN",
      "TDS*115147",
      "CAD*M***UPSN***CN*1Z999AA10123456784",
      "ISS*122*EA",
      "ISS*3*CA",
      "CTT*3",
    ]);
    expect(made.text).toContain("GS*IN*OPENOMS*4405197800*20240504*0800*11*X*004010~ST*810*0003~");
    expect(made.segmentCounts).toEqual([17]);
  });

  it("totals exactly and writes TDS with two implied decimals in any currency", () => {
    expect(invoiceTotalMinor(INVOICE.lines)).toBe(120 * 925 + 3 * 1379 + 2 * 5);
    expect(centsOf(1500, "JPY")).toBe("150000");
    expect(centsOf(1230, "KWD")).toBe("123");
    expect(centsOf(100_000_000_000_000, "JPY")).toBe("10000000000000000");
    expect(() => centsOf(1234, "KWD")).toThrow("fractions of a hundredth");
    const yen = build810({ ...INVOICE, currency: "JPY", lines: [{ lineNumber: "1", quantity: 2, uom: "EA", unitPriceMinor: 1500, vendorPartNumber: "A" }] }, ENVELOPE);
    expect(yen.ok && body(yen.text).filter((s) => s.startsWith("IT1") || s.startsWith("TDS"))).toEqual(["IT1*1*2*EA*1500*PE*VP*A", "TDS*300000"]);
  });

  it("names a carrier without a SCAC in CAD05", () => {
    const made = build810({ ...INVOICE, carrier: { name: "Acme Freight", trackingNumber: "AF-1" } }, ENVELOPE);
    expect(made.ok && body(made.text).filter((s) => s.startsWith("CAD"))).toEqual(["CAD*M****Acme Freight**CN*AF-1"]);
  });

  it.each([
    [{ lines: [] }, "an 810 needs at least one line"],
    [{ carrier: { name: "" } }, "carrier needs a scac or a name"],
    [{ currency: "usd$" }, "currency"],
    [{ invoiceNumber: "" }, "invoiceNumber is empty"],
    [{ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", unitPriceMinor: 1.5, vendorPartNumber: "A" }] }, "lines[0].unitPriceMinor must be a whole number"],
    [{ lines: [{ lineNumber: "1", quantity: 1_000_000, uom: "EA", unitPriceMinor: 100_000_000_000_000, vendorPartNumber: "A" }] }, "the invoice total is over the limit"],
    [{ carrier: { scac: "toolong" } }, "is longer than the 4 characters"],
  ])("refuses %#", (change, message) => {
    const made = build810({ ...INVOICE, ...change } as Invoice810, ENVELOPE);
    expect(made.ok).toBe(false);
    expect(!made.ok && made.error).toContain(message);
  });
});
