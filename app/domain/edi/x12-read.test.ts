import { describe, expect, it } from "vitest";
import { readInterchange, readInterchanges } from "./x12-read";
import { editSegment, segmentsOf, write850, write850s } from "./x12-test-kit";

// Segments of write850(): 1 ISA, 2 GS, 3 ST, 4 BEG, 5 CUR, 6 REF, 7 PER, 8–9 DTM, 10 N1, 11 N3, 12 N4, 13 N1,
// 14 PO1, 15 PID, 16 PO1, 17 PID, 18 CTT, 19 SE, 20 GE, 21 IEA.
const GOOD = write850();

function ok(input: Uint8Array | string) {
  const read = readInterchange(input);
  if (!read.ok) throw new Error(`expected to read, got: ${read.error}`);
  return read.interchange;
}

function fails(input: Uint8Array | string) {
  const read = readInterchange(input);
  if (read.ok) throw new Error("expected an error");
  return read;
}

describe("readInterchange: the envelope", () => {
  it("reads ids, control numbers, usage, delimiters and every segment with its number and position", () => {
    const ic = ok(GOOD);
    expect(ic).toMatchObject({ sender: { qualifier: "12", id: "4405197800" }, receiver: { qualifier: "ZZ", id: "OPENOMS" }, controlNumber: "000003438", controlVersion: "00401", usage: "P", ackRequested: false, encoding: "utf-8", segmentNumber: 1 });
    expect(ic.delimiters).toEqual({ element: "*", component: ">", segment: "~", repetition: null });
    expect(ic.groups).toHaveLength(1);
    const group = ic.groups[0];
    expect(group).toMatchObject({ functionalId: "PO", senderAppId: "4405197800", receiverAppId: "OPENOMS", controlNumber: "1421", version: "004010", segmentNumber: 2 });
    const set = group.transactionSets[0];
    expect(set).toMatchObject({ id: "850", controlNumber: "0010", segmentNumber: 3 });
    expect(set.segments.map((s) => s.tag)).toEqual(["ST", "BEG", "CUR", "REF", "PER", "DTM", "DTM", "N1", "N3", "N4", "N1", "PO1", "PID", "PO1", "PID", "CTT", "SE"]);
    expect(set.segments.map((s) => s.number)).toEqual(Array.from({ length: 17 }, (_, i) => i + 3));
    expect(set.segments.map((s) => s.position)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(set.segments[1].elements).toEqual(["00", "SA", "PO-1001", "", "20240501"]);
  });

  it("reads a test interchange (ISA15 T) and one that asks for a TA1", () => {
    const text = GOOD.replace("*0*P*>~", "*1*T*>~");
    expect(ok(text)).toMatchObject({ usage: "T", ackRequested: true });
  });

  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
    ["no line breaks", ""],
  ])("reads the same with %s after terminators", (_name, eol) => {
    const text = segmentsOf(GOOD).map((s) => `${s}~${eol}`).join("");
    const ic = ok(text);
    expect(ic.groups[0].transactionSets[0].segments.map((s) => [s.tag, ...s.elements])).toEqual(ok(GOOD).groups[0].transactionSets[0].segments.map((s) => [s.tag, ...s.elements]));
  });

  it("takes whatever delimiters the ISA declares, a line break as terminator included", () => {
    for (const delimiters of [{ element: "|", component: "^", segment: "\n" }, { element: "\u001d", component: "\u001f", segment: "\u001c" }, { element: "+", component: ":", segment: "'" }]) {
      const ic = ok(write850({}, { delimiters, lineBreaks: false }));
      expect(ic.delimiters).toMatchObject(delimiters);
      expect(ic.groups[0].transactionSets[0].segments[1].elements[2]).toBe("PO-1001");
    }
  });

  it("reports the repetition separator from version 00402 on", () => {
    const ic = ok(write850({}, { version: "005010", delimiters: { repetition: "!" } }));
    expect(ic.delimiters.repetition).toBe("!");
    expect(ic.controlVersion).toBe("00501");
  });

  it("drops a UTF-8 byte-order mark and leading blank lines, from bytes or a string", () => {
    const bytes = new TextEncoder().encode(GOOD);
    expect(ok(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes])).controlNumber).toBe("000003438");
    expect(ok(`\ufeff${GOOD}`).controlNumber).toBe("000003438");
    expect(ok(`\r\n\r\n${GOOD}`).controlNumber).toBe("000003438");
  });

  it("reads Latin-1 bytes when they are not UTF-8, and UTF-8 as UTF-8", () => {
    const latin = Uint8Array.from(GOOD.replace("XYZ RETAIL DC 4", "CAF\u00c9 DC 4"), (c) => c.charCodeAt(0));
    const read = ok(latin);
    expect(read.encoding).toBe("latin1");
    expect(read.groups[0].transactionSets[0].segments[7].elements[1]).toBe("CAF\u00c9 DC 4");
    const utf8 = ok(new TextEncoder().encode(GOOD.replace("XYZ RETAIL DC 4", "CAF\u00c9 \u00d6ST")));
    expect(utf8.encoding).toBe("utf-8");
    expect(utf8.groups[0].transactionSets[0].segments[7].elements[1]).toBe("CAF\u00c9 \u00d6ST");
  });

  it("reads several interchanges in one file with readInterchanges; readInterchange refuses them", () => {
    const two = GOOD + GOOD.replace(/000003438/g, "000003439");
    const all = readInterchanges(two);
    expect(all.ok && all.interchanges.map((i) => [i.controlNumber, i.segmentNumber])).toEqual([["000003438", 1], ["000003439", 22]]);
    expect(fails(two)).toMatchObject({ code: "X12.MULTIPLE_INTERCHANGES", segment: 22, error: "segment 22 (ISA): the file holds 2 interchanges; read it with readInterchanges" });
  });

  it("reads several transaction sets and numbers them across the file", () => {
    const ic = ok(write850s([{ poNumber: "A" }, { poNumber: "B" }]));
    const sets = ic.groups[0].transactionSets;
    expect(sets.map((s) => [s.controlNumber, s.segmentNumber])).toEqual([["0010", 3], ["0011", 20]]);
  });
});

describe("readInterchange: what it refuses, and where", () => {
  it("text that is not X12", () => {
    expect(fails("hello, world")).toEqual({ ok: false, code: "X12.NOT_X12", error: 'not an X12 interchange: it must start with ISA; it starts with "hello, world"' });
    expect(fails("")).toMatchObject({ code: "X12.NOT_X12", error: "not an X12 interchange: the file is empty" });
    expect(fails(Uint8Array.from([0xff, 0xfe, 0x49, 0x00]))).toMatchObject({ code: "X12.NOT_X12", error: expect.stringContaining("UTF-16") });
  });

  it("a truncated file: inside the ISA, before the IEA, inside the last segment", () => {
    expect(fails(GOOD.slice(0, 60))).toMatchObject({ code: "X12.TRUNCATED", segment: 1, error: expect.stringContaining("truncated interchange") });
    const noIea = editSegment(GOOD, 21, null);
    expect(fails(noIea)).toMatchObject({ code: "X12.TRUNCATED", segment: 20, error: "truncated interchange: no IEA; the file ends after segment 20 (GE)" });
    expect(fails(GOOD.slice(0, GOOD.indexOf("IEA") + 6))).toMatchObject({ code: "X12.TRUNCATED", segment: 21, error: expect.stringMatching(/^truncated interchange: no IEA; the file ends inside segment 21/) });
    expect(fails(GOOD.slice(0, GOOD.indexOf("PO1*2")))).toMatchObject({ code: "X12.TRUNCATED", error: expect.stringMatching(/^truncated interchange: no SE; the file ends after segment 15 \(PID\)/) });
  });

  it("counts that do not match (IEA01, GE01, SE01)", () => {
    expect(fails(editSegment(GOOD, 21, "IEA*2*000003438"))).toMatchObject({ code: "X12.COUNT_MISMATCH", segment: 21, error: "segment 21 (IEA): IEA01 says 2 groups, the interchange has 1 (the interchange begun at segment 1)" });
    expect(fails(editSegment(GOOD, 20, "GE*3*1421"))).toMatchObject({ code: "X12.COUNT_MISMATCH", segment: 20, error: "segment 20 (GE): GE01 says 3 transaction sets, the group has 1 (the group begun at segment 2)" });
    expect(fails(editSegment(GOOD, 19, "SE*20*0010"))).toMatchObject({ code: "X12.COUNT_MISMATCH", segment: 19, error: "segment 19 (SE): SE01 says 20 segments, the set has 17 (the set begun at segment 3)" });
    expect(fails(editSegment(GOOD, 19, "SE*many*0010"))).toMatchObject({ code: "X12.COUNT_MISMATCH", segment: 19, error: 'segment 19 (SE): SE01 must be the number of segments in the set; found "many"' });
  });

  it("control numbers that do not match (ISA13/IEA02, GS06/GE02, ST02/SE02) or repeat", () => {
    expect(fails(editSegment(GOOD, 21, "IEA*1*000003439"))).toMatchObject({ code: "X12.CONTROL_MISMATCH", segment: 21, error: 'segment 21 (IEA): IEA02 "000003439" does not match ISA13 "000003438" of segment 1' });
    expect(fails(editSegment(GOOD, 20, "GE*1*1422"))).toMatchObject({ code: "X12.CONTROL_MISMATCH", segment: 20, error: 'segment 20 (GE): GE02 "1422" does not match GS06 "1421" of segment 2' });
    expect(fails(editSegment(GOOD, 19, "SE*17*0011"))).toMatchObject({ code: "X12.CONTROL_MISMATCH", segment: 19, error: 'segment 19 (SE): SE02 "0011" does not match ST02 "0010" of segment 3' });
    const twice = write850s([{}, {}]).replace("ST*850*0011", "ST*850*0010").replace("SE*17*0011", "SE*17*0010");
    expect(fails(twice)).toMatchObject({ code: "X12.CONTROL_MISMATCH", segment: 20, error: 'segment 20 (ST): ST02 "0010" repeats the control number of the transaction set at segment 3' });
  });

  it("segments out of order: a missing SE, GE or ST, a segment outside its set", () => {
    expect(fails(editSegment(GOOD, 19, null))).toMatchObject({ code: "X12.OUT_OF_ORDER", segment: 19, error: "segment 19 (GE): the transaction set begun at segment 3 (ST) has no SE" });
    expect(fails(editSegment(GOOD, 20, null))).toMatchObject({ code: "X12.OUT_OF_ORDER", segment: 20, error: "segment 20 (IEA): the group begun at segment 2 (GS) has no GE" });
    expect(fails(editSegment(GOOD, 3, null))).toMatchObject({ code: "X12.OUT_OF_ORDER", segment: 3, error: "segment 3 (BEG): a segment outside a transaction set (no ST before it)" });
    expect(fails(editSegment(GOOD, 2, null))).toMatchObject({ code: "X12.OUT_OF_ORDER", segment: 2, error: "segment 2 (ST): a transaction set outside a functional group (no GS before it)" });
    expect(fails(GOOD + "ZZZ*1~\n")).toMatchObject({ code: "X12.OUT_OF_ORDER", segment: 22, error: "segment 22 (ZZZ): a segment outside a transaction set (after the IEA)" });
  });

  it("segments that are not segments", () => {
    expect(fails(editSegment(GOOD, 5, "cur*BY*USD"))).toMatchObject({ code: "X12.BAD_SEGMENT", segment: 5, error: 'segment 5 does not start with a segment identifier (2–3 capital letters or digits): "cur"' });
    expect(fails(GOOD.replace("CUR*BY*USD~", "CUR*BY*USD~~"))).toMatchObject({ code: "X12.BAD_SEGMENT", segment: 6, error: "segment 6 is empty (two segment terminators in a row)" });
    expect(fails(`${GOOD}garbage`)).toMatchObject({ code: "X12.BAD_SEGMENT", segment: 22, error: expect.stringContaining("text after the last IEA") });
  });

  it("an ISA that is not fixed-width or declares unusable delimiters", () => {
    expect(fails(GOOD.replace("4405197800     *ZZ", "4405197800*ZZ"))).toMatchObject({ code: "X12.BAD_ISA", segment: 1, error: expect.stringContaining("ISA06 (sender id) must be exactly 15 characters") });
    expect(fails(GOOD.replace(/^ISA\*/, "ISAA").replace(/\*/g, "A"))).toMatchObject({ code: "X12.BAD_ISA", error: expect.stringContaining("neither a letter, a digit nor white space") });
    expect(fails(GOOD.replace("*P*>~", "*P*~~"))).toMatchObject({ code: "X12.BAD_ISA", error: expect.stringContaining("must be three different characters") });
    expect(fails(GOOD.replace("*0*P*>~", "*0*X*>~"))).toMatchObject({ code: "X12.BAD_ISA", error: 'segment 1 (ISA): ISA15 (usage indicator) must be P (production) or T (test); found "X"' });
    expect(fails(GOOD.replace("*000003438*", "*00000343A*"))).toMatchObject({ code: "X12.BAD_ISA", error: expect.stringContaining("ISA13 (control number) must be 9 digits") });
  });

  it("a second interchange that declares other delimiters", () => {
    const other = write850({}, { delimiters: { element: "|" } });
    expect(fails(GOOD + other)).toMatchObject({ code: "X12.BAD_ISA", segment: 22, error: expect.stringContaining("declares other delimiters") });
  });
});
