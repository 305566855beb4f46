import { describe, expect, it } from "vitest";
import { write850, write850s, buyerEnvelope, purchaseOrderSegments } from "../edi/x12-test-kit";
import { writeInterchange } from "../edi/x12-write";
import type { ApiOrderInput } from "../orders/api-order";
import { indexPartnerItems, type TradingPartner } from "./trading-partner";
import { readX12PurchaseOrders, splitInterchanges } from "./x12-po";
import { ackResults, interchangeKey } from "./x12-po-ack";
import { checkX12PurchaseOrders, type HeldOrder, type PreviousX12Order, type X12CheckContext } from "./x12-po-check";

// Segments of write850() with its defaults: 1 ISA, 2 GS, 3 ST, 4 BEG, 5 CUR, 6 REF, 7 PER, 8–9 DTM, 10 N1 ST, 11 N3,
// 12 N4, 13 N1 BT, 14 PO1, 15 PID, 16 PO1, 17 PID, 18 CTT, 19 SE, 20 GE, 21 IEA. A second set starts at 20.

const ACME: TradingPartner = {
  id: "p-acme", channelId: "ch-acme", code: "ACME", name: "Acme Stores", currency: "USD", documents: [],
  x12: { theirs: { isaQualifier: "12", isaId: "4405197800", gsId: "4405197800" }, ours: { isaQualifier: "ZZ", isaId: "OPENOMS", gsId: "OPENOMS" }, version: "004010", usage: "P" },
};
const items = indexPartnerItems([{ sku: "SKU-RED", buyerPartNumber: "B-100", unitPriceMinor: 900 }, { sku: "SKU-BLUE", buyerPartNumber: "B-200", unitPriceMinor: 1500 }]);
const catalog = new Set(["SKU-RED", "SKU-BLUE"]);

function context(over: { named?: TradingPartner; partner?: TradingPartner | null; previous?: PreviousX12Order; held?: HeldOrder | null } = {}): X12CheckContext {
  const partner = over.partner === undefined ? ACME : over.partner;
  return {
    named: over.named ?? null,
    partnerOf: (sender) => (partner && sender.id === partner.x12!.theirs.isaId ? partner : null),
    knownSku: (s) => catalog.has(s),
    itemsOf: () => items,
    previous: () => over.previous ?? "new",
    held: () => over.held ?? null,
  };
}
const bytes = (text: string) => new TextEncoder().encode(text);
const check = (text: string, ctx = context()) => checkX12PurchaseOrders(readX12PurchaseOrders(bytes(text)), ctx);
const results = (parsed: ReturnType<typeof check>) => parsed.lines.map((l) => [l.line, l.ok, l.message]);

describe("readX12PurchaseOrders + checkX12PurchaseOrders", () => {
  it("makes each 850 of a known partner the order the API takes: buyer part numbers mapped, the line's price, ship-to, dates", () => {
    const checked = check(write850());
    expect(checked.fileError).toBeNull();
    expect(results(checked)).toEqual([
      [3, true, "segment 3 (ST): PO PO-1001 from ACME (850 ST02 0010): 2 lines, 124 units, ship to XYZ RETAIL DC 4, SOLON, OH"],
      [14, true, "segment 14 (PO1): PO PO-1001 line 1: SKU SKU-RED (buyer part B-100) × 120 at 9.25 USD"],
      [16, true, "segment 16 (PO1): PO PO-1001 line 2: SKU SKU-BLUE (buyer part B-200) × 4 at 13.79 USD"],
    ]);
    expect(checked.totalLines).toBe(3);
    expect(checked.documents).toHaveLength(1);
    const [doc] = checked.documents;
    expect(doc).toMatchObject({ key: "PO-1001", lines: [3, 14, 16], channelId: "ch-acme", payload: { action: "place", partnerCode: "ACME" } });
    expect(doc.payload.order).toEqual({
      channel: "wholesale", channelId: "ch-acme", externalId: "PO-1001", name: "PO PO-1001", currency: "USD", placedAt: "2024-05-01T00:00:00Z", promisedBy: "2024-05-10T23:59:59Z",
      email: "jane@example.com", phone: "5551234567", customer: { externalId: "ACME", name: "XYZ RETAIL HQ" },
      shipTo: { name: "XYZ RETAIL DC 4", address1: "31875 SOLON RD, DOCK 7", city: "SOLON", province: "OH", countryCode: "US", zip: "44139" },
      lines: [{ externalId: "1", sku: "SKU-RED", quantity: 120, priceMinor: 925, title: "RED WIDGET" }, { externalId: "2", sku: "SKU-BLUE", quantity: 4, priceMinor: 1379, title: "BLUE WIDGET" }],
    });
  });

  it("takes the agreed price for a line without one, in the partner's currency when the PO has no CUR", () => {
    const yen: TradingPartner = { ...ACME, currency: "JPY" };
    const checked = check(write850({ currency: null, lines: [{ lineNumber: "1", quantity: 2, uom: "EA", price: "1500", ids: ["BP", "B-100"] }, { lineNumber: "2", quantity: 1, uom: "EA", ids: ["VP", "SKU-BLUE"] }] }), context({ partner: yen }));
    expect(checked.lines.every((l) => l.ok)).toBe(true);
    expect(checked.documents[0].payload.order).toMatchObject({ currency: "JPY", lines: [{ sku: "SKU-RED", priceMinor: 1500 }, { sku: "SKU-BLUE", priceMinor: 1500 }] });
    expect(checked.lines[2].message).toBe("segment 14 (PO1): PO PO-1001 line 2: SKU SKU-BLUE × 1 at 1500 JPY (agreed price)");
  });

  it("refuses a PO with an unknown item, a zero quantity or a wrong CTT, naming each segment, and keeps no document of it", () => {
    const text = write850({ lines: [{ lineNumber: "1", quantity: 0, uom: "EA", price: "1", ids: ["BP", "B-100"] }, { lineNumber: "2", quantity: 1, uom: "EA", price: "1", ids: ["BP", "NOPE"] }], lineCount: 5 });
    const checked = check(text);
    expect(checked.documents).toEqual([]);
    expect(results(checked)).toEqual([
      [3, false, "segment 3 (ST): PO PO-1001 from ACME (850 ST02 0010): 2 lines, 1 unit, ship to XYZ RETAIL DC 4, SOLON, OH; PO PO-1001 is not taken: segment 14 (PO1), segment 15 (PO1), segment 16 (CTT) of it are refused"],
      [14, false, "segment 14 (PO1): PO PO-1001 line 1: SKU SKU-RED (buyer part B-100) × ? at 1.00 USD; PO102 0 is outside 1 to 1000000 units"],
      [15, false, "segment 15 (PO1): buyer part number NOPE is not mapped to a SKU for this partner (add it to the partner's items)"],
      [16, false, "segment 16 (CTT): CTT01 says 5 lines, the order has 2 PO1 segments"],
    ]);
    // The 997 rejects it, with AK3/AK4 for the PO1 naming the unmapped part number's element.
    const set = checked.x12.interchanges[0].sets[0];
    expect(set.problems.find((p) => p.code === "X12.IMPORT.UNKNOWN_ITEM")).toMatchObject({ segment: 15, position: 13, tag: "PO1", ack: { segmentError: "8", element: { position: 7, reference: "234", error: "7" } } });
  });

  it("refuses every set of an interchange whose sender is no partner, naming the sender id", () => {
    const checked = check(write850(), context({ partner: null }));
    expect(checked.documents).toEqual([]);
    expect(checked.lines.every((l) => !l.ok)).toBe(true);
    expect(checked.lines[0].message).toMatch(/^segment 3 \(ST\): PO PO-1001 \(850 ST02 0010\); not taken: the interchange's sender 12\/4405197800 \(ISA05\/ISA06, segment 1\) is no trading partner of this shop/);
    expect(checked.x12.interchanges[0]).toMatchObject({ partner: null, refusal: expect.stringContaining("12/4405197800") });
  });

  it("refuses an interchange addressed to another receiver than us as the partner knows us, or from another partner than the one named", () => {
    const elsewhere = check(write850({}, { envelope: { theirs: { isaQualifier: "01", isaId: "999999999", gsId: "999999999" } } }));
    expect(elsewhere.lines[0]).toMatchObject({ ok: false, message: expect.stringMatching(/the interchange is addressed to 01\/999999999 \(ISA07\/ISA08, segment 1\), but partner ACME knows us as ZZ\/OPENOMS/) });
    const other: TradingPartner = { ...ACME, id: "p-beta", code: "BETA" };
    const named = check(write850(), context({ named: other }));
    expect(named.lines[0].message).toContain("the interchange is from partner ACME (sender 12/4405197800), not from partner BETA named for this import");
  });

  it("skips a set that is not a purchase order, saying so", () => {
    const text = writeInterchange(buyerEnvelope({ lineBreaks: true }), "FA", [{ id: "997", segments: [["AK1", "PR", "5"], ["AK9", "A", 1, 1, 1]] }]);
    if (!text.ok) throw new Error(text.error);
    const checked = check(text.text);
    expect(results(checked)).toEqual([[3, true, "segment 3 (ST): transaction set 997 (ST02 0010) skipped: only purchase orders (850) are imported"]]);
    expect(checked.documents).toEqual([]);
  });

  it("refuses a PO in another currency than the partner's, at its CUR", () => {
    const checked = check(write850({ currency: "EUR" }));
    expect(checked.lines.find((l) => l.line === 5)).toMatchObject({ ok: false, message: "segment 5 (CUR): CUR02 EUR: partner ACME trades in USD (its agreed prices are); send the PO in USD" });
  });

  it("keeps a PO held with the same content as unchanged, and refuses a changed one at its BEG", () => {
    expect(check(write850(), context({ previous: "same" })).documents[0]).toMatchObject({ unchanged: true });
    const changed = check(write850(), context({ previous: "changed" }));
    expect(changed.documents).toEqual([]);
    expect(changed.lines.find((l) => l.line === 4)?.message).toMatch(/^segment 4 \(BEG\): PO PO-1001 was imported before with other content .*a changed PO is not applied over its order/);
  });

  it("takes the same PO twice in one file once, and refuses two different POs under one number", () => {
    const same = check(write850s([{}, {}]));
    expect(same.documents.map((d) => d.lines)).toEqual([[3, 14, 16]]);
    expect(same.lines.every((l) => l.ok)).toBe(true);
    expect(same.lines.find((l) => l.line === 20)?.message).toContain("the same PO as the set at segment 3 of this file: taken once");
    const different = check(write850s([{}, { lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price: "1", ids: ["BP", "B-100"] }] }]));
    expect(different.documents).toHaveLength(1);
    expect(different.lines.find((l) => l.line === 21)).toMatchObject({ ok: false, message: expect.stringContaining("PO PO-1001 is also the purchase order at segment 3 of this file, with other content") });
  });

  it("cancels the partner's order on BEG01 01 unless it has shipped; a PO it does not hold cannot be cancelled", () => {
    const open = check(write850({ purpose: "01" }), context({ held: { status: "reserved", unitsShipped: 0 } }));
    expect(open.documents[0]).toMatchObject({ key: "PO-1001", payload: { action: "cancel" } });
    expect(open.lines[0].message).toBe("segment 3 (ST): PO PO-1001 cancellation (BEG01 01) from ACME: cancels its order (now reserved)");
    const shipped = check(write850({ purpose: "01" }), context({ held: { status: "shipped", unitsShipped: 124 } }));
    expect(shipped.documents).toEqual([]);
    expect(shipped.lines.find((l) => l.line === 4)?.message).toBe("segment 4 (BEG): BEG01 01 cancels PO PO-1001, but its order is shipped: it cannot be cancelled (an order that is shipped cannot become cancelled)");
    const unknown = check(write850({ purpose: "01" }), context({ held: null }));
    expect(unknown.lines.find((l) => l.line === 4)?.message).toContain("holds no order PO-1001: nothing to cancel");
    expect(check(write850({ purpose: "01" }), context({ held: { status: "cancelled", unitsShipped: 0 } })).documents[0]).toMatchObject({ unchanged: true });
  });

  it("takes X12 PO numbers the API's ids would not (node-x12's Petco sample sends ----------)", () => {
    const checked = check(write850({ poNumber: "A 1/2" }));
    expect(checked.documents[0].payload.order).toMatchObject({ externalId: "A 1/2" } satisfies Partial<ApiOrderInput>);
  });

  it("reads nothing from a file that is not X12, saying why", () => {
    const parsed = readX12PurchaseOrders(bytes("PO,QTY\n1,2\n"));
    expect(parsed.fileError).toMatch(/^not an X12 interchange: it must start with ISA/);
    expect(parsed.lines).toEqual([]);
  });
});

describe("a test interchange (ISA15 T)", () => {
  const testFile = (specs: Parameters<typeof write850s>[0], control = { interchange: 4001, group: 4101, transactionSet: 1 }) => write850s(specs, { envelope: { usage: "T", control } });

  it("is checked as a production one, every result saying it is not imported, and gives no document to apply", () => {
    const checked = check(testFile([{ poNumber: "T-1" }]));
    expect(checked.x12.interchanges[0].interchange.usage).toBe("T");
    expect(results(checked)).toEqual([
      [3, true, "segment 3 (ST): PO T-1 from ACME (850 ST02 0001): 2 lines, 124 units, ship to XYZ RETAIL DC 4, SOLON, OH; test interchange (ISA15 T): validated, not imported"],
      [14, true, "segment 14 (PO1): PO T-1 line 1: SKU SKU-RED (buyer part B-100) × 120 at 9.25 USD; test interchange (ISA15 T): validated, not imported"],
      [16, true, "segment 16 (PO1): PO T-1 line 2: SKU SKU-BLUE (buyer part B-200) × 4 at 13.79 USD; test interchange (ISA15 T): validated, not imported"],
    ]);
    expect(checked.documents).toEqual([]);
    expect(checked.notes.at(-1)).toBe("interchange 000004001 from ACME: test interchange (ISA15 T): validated, not imported (1 purchase order: 1 valid, 0 refused); no order is made from it");
    // Its 997 says what a production one would: accepted.
    expect(ackResults(checked.x12.interchanges[0], checked.lines, { nothingTaken: false }).map((a) => a.problems)).toEqual([[]]);
  });

  it("refuses what a production one would refuse, by segment, for its 997 to reject", () => {
    const checked = check(testFile([{ poNumber: "T-2", lines: [{ lineNumber: "1", quantity: 2, uom: "EA", price: "1", ids: ["BP", "NOPE"] }] }]));
    expect(checked.documents).toEqual([]);
    const po1 = checked.lines.find((l) => l.line === 14)!;
    expect(po1.ok).toBe(false);
    expect(po1.message).toMatch(/^segment 14 \(PO1\): .*NOPE.*; test interchange \(ISA15 T\): validated, not imported$/);
    expect(checked.notes.at(-1)).toContain("(1 purchase order: 0 valid, 1 refused)");
    expect(ackResults(checked.x12.interchanges[0], checked.lines, { nothingTaken: false })[0].problems).toMatchObject([{ severity: "error", segment: 14, code: "X12.IMPORT.UNKNOWN_ITEM" }]);
  });

  it("takes the production interchange of the same file as any, and does not count the test PO as taken before it", () => {
    const production = write850s([{ poNumber: "T-3" }], { envelope: { control: { interchange: 4002, group: 4102, transactionSet: 1 } } });
    const checked = check(testFile([{ poNumber: "T-3" }]) + production);
    expect(checked.documents.map((d) => [d.key, d.lines[0]])).toEqual([["T-3", 24]]);
    expect(checked.lines.filter((l) => l.line >= 24).every((l) => l.ok && !l.message?.includes("ISA15"))).toBe(true);
  });
});

describe("ackResults: what the 997 says of each set", () => {
  const two = () => check(write850s([{}, { poNumber: "PO-1002", lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price: "1", ids: ["BP", "NOPE"] }] }]));

  it("accepts a good set and rejects a refused one, each from its own segments' results", () => {
    const checked = two();
    const acks = ackResults(checked.x12.interchanges[0], checked.lines, { nothingTaken: false });
    expect(acks.map((a) => [a.setSegment, a.problems.filter((p) => p.severity === "error").map((p) => p.segment)])).toEqual([[3, []], [20, [31]]]);
  });

  it("rejects a set whose order was refused when it was applied, and every PO when nothing of the file was taken", () => {
    const checked = two();
    const lines = checked.lines.map((l) => (l.line === 14 ? { ...l, ok: false, message: "segment 14: order PO-1001 not taken in: the channel is switched off" } : l));
    expect(ackResults(checked.x12.interchanges[0], lines, { nothingTaken: false })[0].problems).toMatchObject([{ severity: "error", segment: 14, tag: "PO1", message: expect.stringContaining("switched off") }]);
    expect(ackResults(checked.x12.interchanges[0], checked.lines, { nothingTaken: true })[0].problems).toMatchObject([{ severity: "error", segment: 3, tag: "ST" }]);
  });

  it("keys an interchange's documents by sender and ISA13", () => {
    expect(interchangeKey(check(write850()).x12.interchanges[0])).toBe("12/4405197800:000003438");
  });
});

describe("splitInterchanges", () => {
  it("cuts a file of several interchanges at each ISA, and keeps one whole", () => {
    const a = write850();
    const b = writeInterchange(buyerEnvelope({ control: { interchange: 3439, group: 1422, transactionSet: 1 }, lineBreaks: true }), "PO", [{ id: "850", segments: purchaseOrderSegments({ poNumber: "PO-2" }) }]);
    if (!b.ok) throw new Error(b.error);
    const parsed = readX12PurchaseOrders(bytes(a + b.text));
    expect(parsed.x12.interchanges).toHaveLength(2);
    expect([parsed.x12.interchangeText(0), parsed.x12.interchangeText(1)]).toEqual([a.trim(), b.text.trim()]);
    expect(splitInterchanges(`\uFEFF${a}`, readX12PurchaseOrders(bytes(a)).x12.interchanges.map((i) => i.interchange))).toEqual([a.trim()]);
  });
});
