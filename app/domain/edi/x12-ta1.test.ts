import { describe, expect, it } from "vitest";
import type { X12ReadError } from "./x12-model";
import { readInterchange, readInterchanges } from "./x12-read";
import { buildTa1, ta1ForReadError, TA1_ACCEPTED } from "./x12-ta1";
import { editSegment, segmentsOf, write850, write850s } from "./x12-test-kit";

// Segments of write850(): 1 ISA, 2 GS, 3 ST … 19 SE, 20 GE, 21 IEA; ISA13 000003438, ISA09/10 240501/1719.
const GOOD = write850();
const ENVELOPE = { control: { interchange: 77 }, createdAt: "2024-05-02T08:30:00Z", lineBreaks: true };

function received(text = GOOD) {
  const read = readInterchange(text);
  if (!read.ok) throw new Error(read.error);
  return read.interchange;
}

function refused(text: string): X12ReadError {
  const read = readInterchanges(text);
  if (read.ok) throw new Error("expected the reader to refuse it");
  return read;
}

describe("buildTa1", () => {
  it("answers the interchange's ISA13, ISA09 and ISA10 in an interchange of its own with no group, sender and receiver swapped", () => {
    const built = buildTa1(received(), TA1_ACCEPTED, ENVELOPE);
    if (!built.ok) throw new Error(built.error);
    expect(segmentsOf(built.text)).toEqual([
      "ISA*00*          *00*          *ZZ*OPENOMS        *12*4405197800     *240502*0830*U*00401*000000077*0*P*>",
      "TA1*000003438*240501*1719*A*000",
      "IEA*0*000000077",
    ]);
    expect(built.controlNumbers.interchange).toBe("000000077");
  });

  it("rejects with a note code, in the partner's delimiters, version and usage (a test interchange's TA1 is a test one)", () => {
    const text = write850s([{}], { delimiters: { element: "|", segment: "\n", component: ":" }, version: "005010", envelope: { usage: "T" } });
    const ic = received(text);
    const built = buildTa1(ic, { code: "R", note: "001" }, ENVELOPE);
    if (!built.ok) throw new Error(built.error);
    const lines = built.text.split("\n").filter(Boolean);
    expect(ic.delimiters).toMatchObject({ element: "|", segment: "\n", component: ":" });
    expect(lines[0]).toMatch(new RegExp(`^ISA\\|00\\|.*\\|\\${ic.delimiters.repetition}\\|00501\\|000000077\\|0\\|T\\|:$`));
    expect(lines[1]).toBe(`TA1|${ic.controlNumber}|${ic.date}|${ic.time}|R|001`);
    expect(lines[2]).toBe("IEA|0|000000077");
  });

  it("refuses what a TA1 cannot carry: an answer without a known note code, a date that is not one", () => {
    expect(buildTa1(received(), { code: "R", note: "999" as never }, ENVELOPE)).toMatchObject({ ok: false, error: expect.stringContaining("TA105") });
    expect(buildTa1({ ...received(), date: "24-5-1" }, TA1_ACCEPTED, ENVELOPE)).toMatchObject({ ok: false, error: expect.stringContaining("TA102") });
  });
});

describe("ta1ForReadError: what a TA1 says of an interchange the reader refused", () => {
  it("IEA02 not the ISA13: R 001, naming the interchange", () => {
    const error = refused(editSegment(GOOD, 21, "IEA*1*000009999"));
    expect(error).toMatchObject({ code: "X12.CONTROL_MISMATCH", tag: "IEA", interchange: { controlNumber: "000003438", sender: { qualifier: "12", id: "4405197800" } } });
    expect(ta1ForReadError(error)).toEqual({ code: "R", note: "001" });
  });

  it("IEA01 not the number of groups: R 021", () => {
    const error = refused(editSegment(GOOD, 21, "IEA*2*000003438"));
    expect(ta1ForReadError(error)).toEqual({ code: "R", note: "021" });
  });

  it("no IEA: R 023; a set or group the reader refuses: R 024; segments out of order: R 022", () => {
    expect(ta1ForReadError(refused(editSegment(GOOD, 21, null)))).toEqual({ code: "R", note: "023" });
    expect(ta1ForReadError(refused(editSegment(GOOD, 19, "SE*20*0010")))).toEqual({ code: "R", note: "024" });
    expect(ta1ForReadError(refused(editSegment(GOOD, 20, "GE*1*9999")))).toEqual({ code: "R", note: "024" });
    expect(ta1ForReadError(refused(editSegment(GOOD, 3, "GS*PO*A*B*20240501*1719*1*X*004010")))).toEqual({ code: "R", note: "022" });
  });

  it("nothing when no interchange's ISA was read", () => {
    expect(ta1ForReadError(refused("not x12"))).toBeNull();
    expect(ta1ForReadError(refused(GOOD.replace("*00401*", "*0040*")))).toBeNull();
  });

  it("a failure after an interchange read whole is in the next one, or in none", () => {
    const two = write850s([{}]) + write850s([{}], { envelope: { control: { interchange: 3439, group: 1422, transactionSet: 1 } } });
    const error = refused(editSegment(two, 42, "IEA*1*000000001"));
    expect(error.interchange?.controlNumber).toBe("000003439");
    expect(refused(`${GOOD}XYZ*1~`).interchange).toBeUndefined();
  });
});
