import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { read850 } from "./x12-850";
import { ackStatus, build997, type AckResult } from "./x12-997";
import type { X12Interchange } from "./x12-model";
import { readInterchange } from "./x12-read";
import { write850, write850s, type PoSpec } from "./x12-test-kit";

const ENVELOPE = { control: { interchange: 501, group: 77, transactionSet: 1 }, createdAt: "2024-05-02T09:00:00Z", lineBreaks: true };

function inbound(text: string): { interchange: X12Interchange; results: AckResult[] } {
  const read = readInterchange(text);
  if (!read.ok) throw new Error(read.error);
  const results = read.interchange.groups.flatMap((g) => g.transactionSets.map((set) => ({ setSegment: set.segmentNumber, problems: read850(set, read.interchange).problems })));
  return { interchange: read.interchange, results };
}

/** The 997's transaction sets, segment by segment, as node-x12 reads them back. */
function ackSegments(text: string): string[][] {
  const parsed = new X12Parser(true).parse(text) as NodeX12Interchange;
  return parsed.functionalGroups[0].transactions.map((t) => t.segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join("*")));
}

function ack(specs: PoSpec[], text = write850s(specs)) {
  const { interchange, results } = inbound(text);
  const made = build997(interchange, results, ENVELOPE);
  if (!made.ok) throw new Error(made.error);
  return made;
}

describe("build997", () => {
  it("acknowledges an accepted 850: its GS06 in AK1, its ST02 in AK2, from us to the buyer", () => {
    const made = ack([{}]);
    expect(ackSegments(made.text)).toEqual([["AK1*PO*1421", "AK2*850*0010", "AK5*A", "AK9*A*1*1*1"]]);
    const lines = made.text.split("~\n");
    expect(lines[0]).toBe("ISA*00*          *00*          *ZZ*OPENOMS        *12*4405197800     *240502*0900*U*00401*000000501*0*P*>");
    expect(lines[1]).toBe("GS*FA*OPENOMS*4405197800*20240502*0900*77*X*004010");
    expect(lines[2]).toBe("ST*997*0001");
    expect(made.statuses).toEqual([{ groupControlNumber: "1421", controlNumber: "0010", status: "A" }]);
    expect(made.groupStatuses).toEqual([{ controlNumber: "1421", status: "A" }]);
  });

  it("rejects an 850 with errors, naming each segment (AK3) and element (AK4)", () => {
    const made = ack([{ poNumber: null, lineCount: 5 }]);
    expect(ackSegments(made.text)).toEqual([["AK1*PO*1421", "AK2*850*0010", "AK3*BEG*2**8", "AK4*3*324*1", "AK3*CTT*16**8", "AK4*1*354*7", "AK5*R*5", "AK9*R*1*1*0"]]);
  });

  it("accepts with errors (E) when only warnings with an AK3 remain; warnings without one leave it A", () => {
    const half = ack([{ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", ids: ["VP", "A", "BP", null] }] }]);
    expect(ackSegments(half.text)[0]).toEqual(["AK1*PO*1421", "AK2*850*0010", "AK3*PO1*12**8", "AK4*9*234*2", "AK5*E*5", "AK9*E*1*1*1"]);
    const rounded = ack([{ lines: [{ lineNumber: "1", quantity: 1, uom: "EA", price: "1.005", ids: ["VP", "A"] }] }]);
    expect(ackSegments(rounded.text)[0]).toEqual(["AK1*PO*1421", "AK2*850*0010", "AK5*A", "AK9*A*1*1*1"]);
  });

  it("says P when some sets of the group are rejected and others accepted", () => {
    const made = ack([{}, { shipTo: false }, {}]);
    expect(ackSegments(made.text)[0]).toEqual(["AK1*PO*1421", "AK2*850*0010", "AK5*A", "AK2*850*0011", "AK3*PO1*9**3", "AK5*R*5", "AK2*850*0012", "AK5*A", "AK9*P*3*3*2"]);
    expect(made.statuses.map((s) => s.status)).toEqual(["A", "R", "A"]);
  });

  it("writes one 997 per functional group, with the next ST02s", () => {
    const one = write850({});
    const twoGroups = one.replace("IEA*1*", "IEA*2*").replace("GE*1*1421~\n", `GE*1*1421~\n${one.split("~\n").slice(1, -2).join("~\n").replace(/1421/g, "1422")}~\n`);
    const made = ack([], twoGroups);
    expect(ackSegments(made.text).map((s) => s[0])).toEqual(["AK1*PO*1421", "AK1*PO*1422"]);
    expect(made.controlNumbers.transactionSets).toEqual(["0001", "0002"]);
    expect(made.text).toContain("GE*2*77~");
  });

  it("answers a test interchange with a test 997 and echoes a 005010 version in AK1 and AK2", () => {
    const made = ack([], write850({}, { version: "005010", envelope: { usage: "T" } }));
    expect(made.text).toContain("*00501*000000501*0*T*");
    expect(ackSegments(made.text)[0][0]).toBe("AK1*PO*1421*005010");
  });

  it("refuses results that do not match the interchange's sets", () => {
    const { interchange, results } = inbound(write850s([{}, {}]));
    expect(build997(interchange, results.slice(0, 1), ENVELOPE)).toEqual({ ok: false, error: "no result for the 850 at segment 20 (ST02 0011): every transaction set of the interchange needs one" });
    expect(build997(interchange, [...results, { setSegment: 99, problems: [] }], ENVELOPE)).toEqual({ ok: false, error: "a result names segment 99, which begins no transaction set of the interchange" });
    expect(build997(interchange, [...results, results[0]], ENVELOPE)).toEqual({ ok: false, error: "two results for the transaction set at segment 3" });
  });

  it("uses the caller's delimiters", () => {
    const { interchange, results } = inbound(write850());
    const made = build997(interchange, results, { ...ENVELOPE, lineBreaks: false, delimiters: { element: "|", segment: "\n", component: "^" } });
    expect(made.ok && made.text.split("\n").slice(3, 7)).toEqual(["AK1|PO|1421", "AK2|850|0010", "AK5|A", "AK9|A|1|1|1"]);
  });
});

describe("ackStatus", () => {
  const problem = (severity: "error" | "warning", ack: boolean) => ({ severity, code: "X", message: "segment 1 (X): x", segment: 1, position: 1, tag: "X", ...(ack ? { ack: { segmentError: "8" as const } } : {}) });
  it("R for any error, E for a reported warning, A otherwise", () => {
    expect(ackStatus([])).toBe("A");
    expect(ackStatus([problem("warning", false)])).toBe("A");
    expect(ackStatus([problem("warning", true)])).toBe("E");
    expect(ackStatus([problem("warning", true), problem("error", false)])).toBe("R");
  });
});
