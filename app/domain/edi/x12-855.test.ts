import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { ackType, build855, type PoAck855 } from "./x12-855";
import { read850 } from "./x12-850";
import { readInterchange } from "./x12-read";
import { BUYER, US, write850 } from "./x12-test-kit";
import type { OutboundEnvelope } from "./x12-write";

const ENVELOPE: OutboundEnvelope = { ours: US, theirs: BUYER, control: { interchange: 9, group: 9, transactionSet: 1 }, createdAt: "2024-05-02T10:00:00Z" };

const ACK: PoAck855 = {
  poNumber: "PO-1001",
  poDate: "2024-05-01",
  sellerOrderNumber: "SO-77",
  lines: [
    { lineNumber: "1", orderedQuantity: 120, uom: "EA", unitPrice: "9.25", vendorPartNumber: "SKU-RED", buyerPartNumber: "B-100", acceptedQuantity: 120, shipDate: "2024-05-03" },
    { lineNumber: "2", orderedQuantity: 4, uom: "CA", unitPrice: "13.79", buyerPartNumber: "B-200", acceptedQuantity: 1, backorderedQuantity: 2, backorderDate: "2024-06-01" },
  ],
};

function body(text: string): string[] {
  const parsed = new X12Parser(true).parse(text) as NodeX12Interchange;
  return parsed.functionalGroups[0].transactions[0].segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join("*"));
}

describe("build855", () => {
  it("echoes each PO line with ACKs for the units accepted, backordered and rejected; CTT counts the lines", () => {
    const made = build855(ACK, ENVELOPE);
    if (!made.ok) throw new Error(made.error);
    expect(body(made.text)).toEqual([
      "BAK*00*AC*PO-1001*20240501****SO-77*20240502",
      "PO1*1*120*EA*9.25**VP*SKU-RED*BP*B-100",
      "ACK*IA*120*EA*068*20240503",
      "PO1*2*4*CA*13.79**BP*B-200",
      "ACK*IA*1*CA",
      "ACK*IB*2*CA*068*20240601",
      "ACK*IR*1*CA",
      "CTT*2",
    ]);
    expect(made.text).toContain("GS*PR*OPENOMS*4405197800*");
    expect(made.text).toContain("SE*10*0001~");
    const back = readInterchange(made.text);
    expect(back.ok && back.interchange.groups[0].transactionSets[0].id).toBe("855");
  });

  it("echoes the buyer's own PO1 pairs and price basis when read from its 850", () => {
    const read = readInterchange(write850({ lines: [{ lineNumber: "A1", quantity: 3, uom: "EA", price: "2.5", ids: ["CB", "065322-117", "VN", "AB3542"] }] }));
    if (!read.ok) throw new Error(read.error);
    const po = read850(read.interchange.groups[0].transactionSets[0], read.interchange).document;
    const line = po.lines[0];
    const made = build855({ poNumber: po.poNumber, poDate: po.orderDate!, lines: [{ ...line, orderedQuantity: line.quantity!, uom: line.uom!, acceptedQuantity: 3 }] }, ENVELOPE);
    expect(made.ok && body(made.text)).toEqual(["BAK*00*AD*PO-1001*20240501*****20240502", "PO1*A1*3*EA*2.5**CB*065322-117*VN*AB3542", "ACK*IA*3*EA", "CTT*1"]);
  });

  it("says AD when every line is accepted as ordered, RD when none is", () => {
    expect(ackType([{ orderedQuantity: 5, acceptedQuantity: 5 }])).toBe("AD");
    expect(ackType([{ orderedQuantity: 5, acceptedQuantity: 0 }, { orderedQuantity: 2, acceptedQuantity: 0, backorderedQuantity: 0 }])).toBe("RD");
    expect(ackType([{ orderedQuantity: 5, acceptedQuantity: 0, backorderedQuantity: 5 }])).toBe("AC");
    const rejected = build855({ ...ACK, lines: [{ ...ACK.lines[0], acceptedQuantity: 0 }] }, ENVELOPE);
    expect(rejected.ok && body(rejected.text).slice(0, 3)).toEqual(["BAK*00*RD*PO-1001*20240501****SO-77*20240502", "PO1*1*120*EA*9.25**VP*SKU-RED*BP*B-100", "ACK*IR*120*EA"]);
  });

  it.each([
    [{ lines: [] }, "an 855 needs at least one line"],
    [{ poNumber: "" }, "poNumber is empty"],
    [{ poNumber: "PO*1" }, 'poNumber "PO*1" contains "*"'],
    [{ poDate: "05/01/2024" }, 'poDate: "05/01/2024" is not an ISO 8601 date'],
    [{ lines: [{ ...ACK.lines[0], acceptedQuantity: 100, backorderedQuantity: 30 }] }, "lines[0]: 100 accepted and 30 backordered is more than the 120 ordered"],
    [{ lines: [{ ...ACK.lines[0], acceptedQuantity: -1 }] }, "lines[0].acceptedQuantity must be a whole number from 0 to 1000000"],
    [{ lines: [{ ...ACK.lines[0], orderedQuantity: 1.5 }] }, "lines[0].orderedQuantity must be a whole number from 1 to 1000000"],
    [{ lines: [{ ...ACK.lines[0], vendorPartNumber: null, buyerPartNumber: null }] }, "lines[0] names no item"],
    [{ lines: [ACK.lines[0], ACK.lines[0]] }, 'lines[1].lineNumber "1" appears twice'],
    [{ lines: [{ ...ACK.lines[0], unitPrice: "abc" }] }, 'lines[0].unitPrice "abc" is not a decimal price'],
  ])("refuses %#", (change, message) => {
    const made = build855({ ...ACK, ...change } as PoAck855, ENVELOPE);
    expect(made.ok).toBe(false);
    expect(!made.ok && made.error).toContain(message);
  });
});
