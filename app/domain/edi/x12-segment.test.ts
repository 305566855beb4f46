import { describe, expect, it } from "vitest";
import { read850 } from "./x12-850";
import type { X12SegmentData, X12TransactionSet } from "./x12-model";
import { readInterchange, readInterchanges } from "./x12-read";
import { elementCount, elementValue, setSegments } from "./x12-segment";
import { write850, write850s } from "./x12-test-kit";

// The segments the reader keeps (x12-segment.ts) read exactly as plain segments with their elements cut would.

function only(text: string) {
  const read = readInterchange(text);
  if (!read.ok) throw new Error(read.error);
  return read.interchange;
}

/** The same segment as plain data: what elementValue must read alike. */
const plain = (s: X12SegmentData): X12SegmentData => ({ tag: s.tag, elements: [...s.elements], number: s.number, position: s.position });

describe("elementValue and elementCount on the reader's segments", () => {
  it("read every element of every segment as the plain segment does: trimmed, null when blank or absent", () => {
    const text = write850().replace("*PO-1001*", "*  PO 77  *").replace("BP*B-200", "BP* ").replace("JANE BUYER", "JANE\u00a0");
    expect(text).toContain("*  PO 77  *");
    const ic = only(text);
    for (const s of ic.groups[0].transactionSets[0].segments) {
      const copy = plain(s);
      expect(elementCount(s)).toBe(copy.elements.length);
      for (let n = 0; n <= copy.elements.length + 2; n += 1) expect(elementValue(s, n)).toBe(elementValue(copy, n));
    }
    const beg = ic.groups[0].transactionSets[0].segments[1];
    expect(elementValue(beg, 3)).toBe("PO 77");
    expect(elementValue(beg, 4)).toBeNull();
  });

  it("one string per distinct short value of a file, a fresh one for longer values", () => {
    const read = readInterchanges(write850s([{ poNumber: "PO-A" }, { poNumber: "PO-B" }]));
    if (!read.ok) throw new Error(read.error);
    const [a, b] = read.interchanges[0].groups[0].transactionSets.map((set) => setSegments(set).find((s) => s.tag === "PO1")!);
    expect(elementValue(a, 3)).toBe("EA");
    expect(elementValue(a, 3)).toBe(elementValue(b, 3));
    const [po1, po2] = read.interchanges[0].groups[0].transactionSets.map((set) => read850(set, read.interchanges[0]).document);
    expect(po1.poNumber).toBe("PO-A");
    expect(po2.poNumber).toBe("PO-B");
  });

  it("a segment with no elements has none; an empty last element is blank", () => {
    const text = write850().replace("CTT*2~", "CTT*2*~");
    const set = only(text).groups[0].transactionSets[0];
    const ctt = set.segments.find((s) => s.tag === "CTT")!;
    expect(ctt.elements).toEqual(["2", ""]);
    expect(elementCount(ctt)).toBe(2);
    expect(elementValue(ctt, 2)).toBeNull();
  });
});

describe("the sets the reader keeps", () => {
  it("set.segments is built once and kept; setSegments gives the same segments without keeping them", () => {
    const set = only(write850()).groups[0].transactionSets[0];
    const once = setSegments(set);
    expect(setSegments(set)).not.toBe(once);
    expect(once.map(plain)).toEqual(set.segments.map(plain));
    expect(set.segments).toBe(set.segments);
    expect(setSegments(set)).toBe(set.segments);
    expect(set.segments.map((s) => s.position)).toEqual(set.segments.map((_, i) => i + 1));
    expect(set.segments.map((s) => s.number)).toEqual(set.segments.map((_, i) => set.segmentNumber + i));
  });

  it("read850 reads a kept set exactly as the same set made of plain segments", () => {
    const text = write850s([{ poNumber: "PO-1" }, { poNumber: "PO-2", lines: [{ quantity: 0, uom: null, price: "x", ids: ["VP", "A"] }] }]);
    const read = readInterchanges(text);
    if (!read.ok) throw new Error(read.error);
    const ic = read.interchanges[0];
    for (const set of ic.groups[0].transactionSets) {
      const copy: X12TransactionSet = { id: set.id, controlNumber: set.controlNumber, implementationReference: set.implementationReference, segmentNumber: set.segmentNumber, segments: setSegments(set).map(plain) };
      expect(read850(set, ic)).toEqual(read850(copy, ic));
    }
  });
});
