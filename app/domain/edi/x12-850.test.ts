import { describe, expect, it } from "vitest";
import { read850, type Read850 } from "./x12-850";
import { readInterchange } from "./x12-read";
import { write850, type PoSpec } from "./x12-test-kit";

// Segments of write850() with its defaults: 3 ST, 4 BEG, 5 CUR, 6 REF, 7 PER, 8–9 DTM, 10 N1 ST, 11 N3, 12 N4,
// 13 N1 BT, 14 PO1, 15 PID, 16 PO1, 17 PID, 18 CTT, 19 SE.

function po(spec: PoSpec = {}, options?: Parameters<typeof read850>[2]): Read850 {
  const read = readInterchange(write850(spec));
  if (!read.ok) throw new Error(read.error);
  const result = read850(read.interchange.groups[0].transactionSets[0], read.interchange, options);
  for (const p of result.problems) expect(p.message.startsWith(`segment ${p.segment} (${p.tag}): `), p.message).toBe(true);
  return result;
}

const codes = (r: Read850) => r.problems.map((p) => [p.code, p.segment, p.severity]);

describe("read850: a purchase order as the buyer wrote it", () => {
  it("reads the header, parties, dates and lines", () => {
    const { document: d, problems, rejected } = po();
    expect(problems).toEqual([]);
    expect(rejected).toBe(false);
    expect(d).toMatchObject({
      transactionSet: { id: "850", controlNumber: "0010", segmentNumber: 3 },
      sender: { qualifier: "12", id: "4405197800", appId: "4405197800" },
      receiver: { qualifier: "ZZ", id: "OPENOMS", appId: "OPENOMS" },
      usage: "P",
      poNumber: "PO-1001",
      purpose: "original",
      purposeCode: "00",
      orderType: "SA",
      orderDate: "2024-05-01",
      currency: "USD",
      references: [{ qualifier: "DP", value: "038", description: null, segmentNumber: 6 }],
      contacts: [{ role: "BD", name: "JANE BUYER", phone: "5551234567", email: "jane@example.com", fax: null }],
      requestedShipDate: "2024-05-10",
      requestedDeliveryDate: "2024-05-15",
      shipTo: { role: "ST", name: "XYZ RETAIL DC 4", idQualifier: "92", id: "0004", addressLines: ["31875 SOLON RD", "DOCK 7"], city: "SOLON", state: "OH", postalCode: "44139", country: "US", segmentNumber: 10 },
      billTo: { role: "BT", name: "XYZ RETAIL HQ", id: "0001" },
      buyer: null,
      declaredLineCount: 2,
      computedTotal: "1165.16",
    });
    expect(d.lines).toEqual([
      { lineNumber: "1", quantity: 120, uom: "EA", unitPrice: "9.25", unitPriceMinor: 925, priceBasis: null, vendorPartNumber: "SKU-RED", buyerPartNumber: "B-100", gtin: "036000291452", productIds: [{ qualifier: "VP", value: "SKU-RED" }, { qualifier: "BP", value: "B-100" }, { qualifier: "UP", value: "036000291452" }], description: "RED WIDGET", notes: [], shipTo: null, segmentNumber: 14 },
      { lineNumber: "2", quantity: 4, uom: "CA", unitPrice: "13.79", unitPriceMinor: 1379, priceBasis: null, vendorPartNumber: null, buyerPartNumber: "B-200", gtin: null, productIds: [{ qualifier: "BP", value: "B-200" }], description: "BLUE WIDGET", notes: [], shipTo: null, segmentNumber: 16 },
    ]);
  });

  it("prices in the order's currency: no decimals for JPY, three for KWD, the caller's default without CUR", () => {
    expect(po({ currency: "JPY", lines: [{ quantity: 2, uom: "EA", price: "1500", ids: ["VP", "A"] }] }).document.lines[0].unitPriceMinor).toBe(1500);
    expect(po({ currency: "KWD", lines: [{ quantity: 2, uom: "EA", price: "1.234", ids: ["VP", "A"] }] }).document.lines[0].unitPriceMinor).toBe(1234);
    const euro = po({ currency: null }, { currency: "EUR" });
    expect(euro.document.currency).toBe("EUR");
    expect(euro.document.lines[0].unitPriceMinor).toBe(925);
  });

  it("rounds a price with more decimals than the currency half up, and says so without rejecting", () => {
    const r = po({ lines: [{ lineNumber: "1", quantity: 10, uom: "EA", price: "4.355", ids: ["VP", "A"] }] });
    expect(r.document.lines[0]).toMatchObject({ unitPrice: "4.355", unitPriceMinor: 436 });
    expect(codes(r)).toEqual([["X12.850.PRICE_ROUNDED", 14, "warning"]]);
    expect(r.problems[0].ack).toBeUndefined();
    expect(r.document.computedTotal).toBe("43.55");
  });

  it("reads a cancellation, an empty PO101 as the line's ordinal, the PD description, line notes", () => {
    const r = po({ purpose: "01", lines: [{ lineNumber: null, quantity: 1, uom: "KI", price: "225", ids: ["VN", "X1", "PD", "FREEZER PUSHER", "SK", "0001"] }], extra: [] });
    expect(r.document.purpose).toBe("cancellation");
    expect(r.document.lines[0]).toMatchObject({ lineNumber: "1", vendorPartNumber: "X1", buyerPartNumber: "0001", description: "FREEZER PUSHER" });
  });

  it("takes a ship-to on every line instead of one for the order", () => {
    const read = readInterchange(
      write850({ shipTo: false }).replace("PID*F****RED WIDGET~\n", "PID*F****RED WIDGET~\nN1*ST*STORE 9*92*0009~\nN4*AKRON*OH*44301~\n").replace("PID*F****BLUE WIDGET~\n", "PID*F****BLUE WIDGET~\nN1*ST*STORE 12*92*0012~\n").replace("SE*14*", "SE*17*"),
    );
    if (!read.ok) throw new Error(read.error);
    const r = read850(read.interchange.groups[0].transactionSets[0], read.interchange);
    expect(r.problems).toEqual([]);
    expect(r.document.shipTo).toBeNull();
    expect(r.document.lines.map((l) => l.shipTo?.id)).toEqual(["0009", "0012"]);
  });

  it("checks the AMT total against the lines, and GTIN check digits (warnings)", () => {
    expect(po({ total: "1165.16" }).problems).toEqual([]);
    expect(codes(po({ total: "1165.17" }))).toEqual([["X12.850.TOTAL_MISMATCH", 19, "warning"]]);
    const badGtin = po({ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price: "1", ids: ["UP", "036000291453"] }] });
    expect(codes(badGtin)).toEqual([["X12.850.BAD_GTIN", 14, "warning"]]);
  });
});

describe("read850: problems, each on its segment", () => {
  it("a missing PO number, date or purpose rejects the order (AK4 on BEG)", () => {
    const r = po({ poNumber: null });
    expect(r.rejected).toBe(true);
    expect(r.problems).toEqual([
      { severity: "error", code: "X12.850.PO_NUMBER_MISSING", message: "segment 4 (BEG): BEG03 (purchase order number) is missing", segment: 4, position: 2, tag: "BEG", ack: { segmentError: "8", element: { position: 3, reference: "324", error: "1" } } },
    ]);
    expect(codes(po({ date: "20241345" }))).toEqual([["X12.850.BAD_ORDER_DATE", 4, "error"]]);
    expect(po({ date: "20241345" }).problems[0].message).toBe('segment 4 (BEG): BEG05 "20241345" is not a date (CCYYMMDD)');
    expect(codes(po({ purpose: "99" }))).toEqual([["X12.850.BAD_PURPOSE", 4, "error"]]);
  });

  it("no ship-to is an error on the first line", () => {
    const r = po({ shipTo: false });
    expect(r.problems.map((p) => p.message)).toEqual(["segment 11 (PO1): the order has no ship-to (an N1*ST loop before the first PO1)"]);
    expect(r.problems[0].ack).toEqual({ segmentError: "3" });
  });

  it.each([
    [null, "segment 14 (PO1): PO102 (quantity ordered) is missing", "1"],
    ["abc", 'segment 14 (PO1): PO102 "abc" is not a quantity', "6"],
    ["1.5", 'segment 14 (PO1): PO102 "1.5" is not a whole number of units', "6"],
    ["0", "segment 14 (PO1): PO102 0 is outside 1 to 1000000 units", "7"],
    ["2000000", "segment 14 (PO1): PO102 2000000 is outside 1 to 1000000 units", "7"],
  ])("quantity %j", (quantity, message, error) => {
    const r = po({ lines: [{ lineNumber: "1", quantity, uom: "EA", price: "1", ids: ["VP", "A"] }] });
    expect(r.problems.map((p) => p.message)).toEqual([message]);
    expect(r.problems[0].ack).toEqual({ segmentError: "8", element: { position: 2, reference: "330", error } });
    expect(r.document.lines[0].quantity).toBeNull();
  });

  it("accepts 12.000 as 12 units", () => {
    expect(po({ lines: [{ lineNumber: "1", quantity: "12.000", uom: "EA", price: "1", ids: ["VP", "A"] }] }).document.lines[0].quantity).toBe(12);
  });

  it.each([["9,25"], ["-1"], ["1e3"], ["12.3.4"]])("a price that is not one: %j", (price) => {
    const r = po({ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price, ids: ["VP", "A"] }] });
    expect(codes(r)).toEqual([["X12.850.BAD_PRICE", 14, "error"]]);
    expect(r.document.lines[0].unitPrice).toBeNull();
    expect(r.document.computedTotal).toBeNull();
  });

  it("a line without a price is taken (the partner's agreed price applies)", () => {
    const r = po({ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", ids: ["VP", "A"] }] });
    expect(r.problems).toEqual([]);
    expect(r.document.lines[0]).toMatchObject({ unitPrice: null, unitPriceMinor: null });
  });

  it("CTT01 that does not count the lines is an error on the CTT", () => {
    const r = po({ lineCount: 3 });
    expect(r.problems).toEqual([{ severity: "error", code: "X12.850.LINE_COUNT_MISMATCH", message: "segment 18 (CTT): CTT01 says 3 lines, the order has 2 PO1 segments", segment: 18, position: 16, tag: "CTT", ack: { segmentError: "8", element: { position: 1, reference: "354", error: "7" } } }]);
    expect(codes(po({ lineCount: "six" }))).toEqual([["X12.850.BAD_LINE_COUNT", 18, "error"]]);
  });

  it("a line naming no item, a duplicate line number, a missing unit, a half product id pair", () => {
    expect(codes(po({ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price: "1", ids: [] }] }))).toEqual([["X12.850.NO_ITEM", 14, "error"]]);
    expect(codes(po({ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", ids: ["VP", "A"] }, { lineNumber: "1", quantity: 1, uom: "EA", ids: ["VP", "B"] }] }))).toEqual([["X12.850.DUPLICATE_LINE_NUMBER", 15, "error"]]);
    expect(codes(po({ lines: [{ lineNumber: "1", quantity: 1, ids: ["VP", "A"] }] }))).toEqual([["X12.850.UOM_MISSING", 14, "error"]]);
    const half = po({ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", ids: ["VP", "A", "BP", null] }] });
    expect(half.problems.map((p) => [p.code, p.severity, p.message])).toEqual([["X12.850.PRODUCT_ID_HALF", "warning", "segment 14 (PO1): PO109 is missing: qualifier BP names no value"]]);
    expect(half.rejected).toBe(false);
  });

  it("no lines, no BEG, a bad currency, a bad date, destination quantities", () => {
    expect(codes(po({ lines: [] }))).toEqual([["X12.850.NO_LINES", 15, "error"]]);
    const noBeg = readInterchange(write850().replace("BEG*00*SA*PO-1001**20240501~\n", "").replace("SE*17*", "SE*16*"));
    if (!noBeg.ok) throw new Error(noBeg.error);
    expect(read850(noBeg.interchange.groups[0].transactionSets[0], noBeg.interchange).problems.map((p) => p.message)).toEqual(["segment 4 (CUR): the purchase order has no BEG segment (PO number and date)"]);
    expect(codes(po({ currency: "dollars" }))).toEqual([["X12.850.BAD_CURRENCY", 5, "error"]]);
    expect(codes(po({ extra: [["DTM", "010", "2024-05-10"]] }))).toEqual([["X12.850.BAD_DATE", 19, "error"]]);
    const sdq = readInterchange(write850().replace("PID*F****RED WIDGET~\n", "PID*F****RED WIDGET~\nSDQ*EA*92*0001*60*0002*60~\n").replace("SE*17*", "SE*18*"));
    if (!sdq.ok) throw new Error(sdq.error);
    expect(read850(sdq.interchange.groups[0].transactionSets[0], sdq.interchange).problems.map((p) => [p.code, p.segment, p.severity])).toEqual([["X12.850.SDQ_NOT_READ", 16, "warning"]]);
  });

  it("a transaction set that is not an 850", () => {
    const read = readInterchange(write850().replace("ST*850*", "ST*855*"));
    if (!read.ok) throw new Error(read.error);
    const r = read850(read.interchange.groups[0].transactionSets[0], read.interchange);
    expect(r.rejected).toBe(true);
    expect(r.problems.map((p) => p.message)).toEqual(['segment 3 (ST): transaction set "855" is not a purchase order (850)']);
    expect(r.document.lines).toEqual([]);
  });
});
