import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { BUYER, US } from "./x12-test-kit";
import { decimalFromMinor, writeInterchange, x12Moment, X12Values, type OutboundEnvelope } from "./x12-write";

const envelope = (overrides: Partial<OutboundEnvelope> = {}): OutboundEnvelope => ({ ours: US, theirs: BUYER, control: { interchange: 42, group: 7, transactionSet: 9 }, createdAt: "2024-05-01T14:30:00Z", ...overrides });

/** Parsed back by node-x12 itself (strict), not by our reader. */
function nodeParse(text: string): NodeX12Interchange {
  return new X12Parser(true).parse(text) as NodeX12Interchange;
}

describe("writeInterchange", () => {
  it("writes an envelope node-x12 reads back: padded ISA, control numbers, counts", () => {
    const made = writeInterchange(envelope(), "PR", [{ id: "855", segments: [["BAK", "00", "AD", "PO-1", "20240501"], ["CTT", 0]] }]);
    if (!made.ok) throw new Error(made.error);
    expect(made.text.split("~")[0]).toBe("ISA*00*          *00*          *ZZ*OPENOMS        *12*4405197800     *240501*1430*U*00401*000000042*0*P*>");
    expect(made.text).toBe(
      "ISA*00*          *00*          *ZZ*OPENOMS        *12*4405197800     *240501*1430*U*00401*000000042*0*P*>~GS*PR*OPENOMS*4405197800*20240501*1430*7*X*004010~ST*855*0009~BAK*00*AD*PO-1*20240501~CTT*0~SE*4*0009~GE*1*7~IEA*1*000000042~",
    );
    expect(made.controlNumbers).toEqual({ interchange: "000000042", group: "7", transactionSets: ["0009"] });
    expect(made.segmentCounts).toEqual([4]);
    const back = nodeParse(made.text);
    expect(back.functionalGroups[0].transactions[0].segments.map((s) => s.tag)).toEqual(["BAK", "CTT"]);
  });

  it("numbers several sets from the caller's ST02 and counts them in GE01", () => {
    const made = writeInterchange(envelope(), "SH", [{ id: "856", segments: [["BSN", "00", "A"]] }, { id: "856", segments: [["BSN", "00", "B"], ["CTT", 1]] }]);
    if (!made.ok) throw new Error(made.error);
    expect(made.controlNumbers.transactionSets).toEqual(["0009", "0010"]);
    expect(made.segmentCounts).toEqual([3, 4]);
    expect(made.text).toContain("GE*2*7~");
    expect(nodeParse(made.text).functionalGroups[0].transactions.map((t) => t.trailer.valueOf(1))).toEqual(["3", "4"]);
  });

  it("drops trailing empty elements and components, joins composites, breaks lines when asked", () => {
    const made = writeInterchange(envelope({ lineBreaks: true }), "PR", [{ id: "855", segments: [["REF", "ZZ", null, ["A", "B", null]], ["DTM", "002", "20240501", "", null]] }]);
    if (!made.ok) throw new Error(made.error);
    expect(made.text).toContain("~\nREF*ZZ**A>B~\nDTM*002*20240501~\nSE*4*0009~\n");
    expect(made.text.endsWith("IEA*1*000000042~\n")).toBe(true);
  });

  it("uses the caller's delimiters and version, and node-x12 reads them back", () => {
    const made = writeInterchange(envelope({ version: "005010", delimiters: { element: "|", component: ":", segment: "'", repetition: "!" } }), "PR", [{ id: "855", segments: [["BAK", "00", "AD", "PO-1", "20240501"]] }]);
    if (!made.ok) throw new Error(made.error);
    expect(made.text.slice(0, 106)).toBe("ISA|00|          |00|          |ZZ|OPENOMS        |12|4405197800     |240501|1430|!|00501|000000042|0|P|:'");
    expect(made.text).toContain("GS|PR|OPENOMS|4405197800|20240501|1430|7|X|005010'");
    expect(nodeParse(made.text).functionalGroups[0].transactions[0].segments[0].valueOf(3)).toBe("PO-1");
  });

  it.each([
    [{ delimiters: { element: "*", component: "*" } }, "the delimiters must all differ"],
    [{ delimiters: { element: "A" } }, "the element separator cannot be \"A\""],
    [{ delimiters: { segment: "~~" } }, "the segment terminator must be one character"],
    [{ delimiters: { component: "\n" } }, "the component separator cannot be white space"],
    [{ control: { interchange: 0, group: 1, transactionSet: 1 } }, "the interchange control number (ISA13) must be a whole number from 1 to 999999999"],
    [{ control: { interchange: 1, group: 1e10, transactionSet: 1 } }, "the group control number (GS06)"],
    [{ createdAt: "yesterday" }, 'createdAt: "yesterday" is not an ISO 8601 date'],
    [{ createdAt: "2024-02-30" }, "is not a calendar date"],
    [{ usage: "X" as "P" }, "usage must be P or T"],
    [{ ours: { ...US, isaQualifier: "Z" } }, "our ISA qualifier must be a two-character qualifier"],
    [{ ours: { ...US, isaId: "A*B" } }, 'our ISA id "A*B" contains "*"'],
    [{ theirs: { ...BUYER, isaId: "X".repeat(16) } }, "is longer than the 15 characters X12 allows"],
    [{ theirs: { ...BUYER, gsId: "X" } }, "GS application ids must be 2 to 15 characters"],
    [{ version: "4010" }, 'version "4010" is not a GS08 version'],
  ])("refuses a bad envelope %#", (overrides, message) => {
    const made = writeInterchange(envelope(overrides as Partial<OutboundEnvelope>), "PR", [{ id: "855", segments: [["BAK", "00"]] }]);
    expect(made.ok).toBe(false);
    expect(!made.ok && made.error).toContain(message);
  });

  it("refuses a value that would break the segment, and an empty set", () => {
    const bad = writeInterchange(envelope(), "PR", [{ id: "855", segments: [["BAK", "00", "AD", "PO~1"]] }]);
    expect(bad).toEqual({ ok: false, error: '855 BAK03 "PO~1" contains the delimiter "~"' });
    expect(writeInterchange(envelope(), "PR", [])).toEqual({ ok: false, error: "an interchange needs at least one transaction set" });
    expect(writeInterchange(envelope(), "PR", [{ id: "855", segments: [["BAK", null, ""]] }])).toEqual({ ok: false, error: "855 BAK: a segment with no data" });
  });
});

describe("X12Values", () => {
  const values = new X12Values({ element: "*", component: ">", segment: "~", repetition: "^" });

  it("refuses identifiers with delimiters or control characters, naming the field", () => {
    expect(values.id(" SKU-1 ", "sku", 10)).toBe("SKU-1");
    expect(() => values.id("A^B", "lines[0].sku", 10)).toThrow('lines[0].sku "A^B" contains "^", which is a delimiter or control character in this interchange');
    expect(() => values.id("A\nB", "sku", 10)).toThrow("contains U+000A");
    expect(() => values.id("", "sku", 10)).toThrow("sku is empty");
    expect(values.optionalId("  ", "sku", 10)).toBeNull();
  });

  it("cleans free text: delimiters and control characters become spaces, cut to the maximum", () => {
    expect(values.text("Widget ~ *blue*\r\n> big", 60)).toBe("Widget blue big");
    expect(values.text("x".repeat(100), 60)).toHaveLength(60);
    expect(values.text("~~~", 60)).toBeNull();
  });
});

describe("x12Moment and decimalFromMinor", () => {
  it("turns ISO dates and timestamps into CCYYMMDD and HHMM, in UTC", () => {
    expect(x12Moment("2024-05-01", "d")).toEqual({ date: "20240501", time: "0000" });
    expect(x12Moment("2024-05-01T23:30:00-02:00", "d")).toEqual({ date: "20240502", time: "0130" });
    expect(x12Moment("2024-05-01T08:05:59.123Z", "d")).toEqual({ date: "20240501", time: "0805" });
    expect(x12Moment("2024-05-01T08:05", "d")).toEqual({ date: "20240501", time: "0805" });
  });

  it("writes minor units as the decimal X12 R elements carry", () => {
    expect([decimalFromMinor(925, 2, "p"), decimalFromMinor(1000, 2, "p"), decimalFromMinor(5, 2, "p"), decimalFromMinor(-350, 2, "p"), decimalFromMinor(1500, 0, "p"), decimalFromMinor(1234, 3, "p"), decimalFromMinor(0, 2, "p")]).toEqual(["9.25", "10", "0.05", "-3.5", "1500", "1.234", "0"]);
    expect(() => decimalFromMinor(1.5, 2, "price")).toThrow("price must be a whole number of minor units");
  });
});
