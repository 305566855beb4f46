import { describe, expect, it } from "vitest";
import { readIsa } from "./x12-isa";

const ISA = "ISA*00*          *00*          *ZZ*SENDER         *12*4405197800     *240501*1430*U*00401*000000007*0*P*>~";

describe("readIsa", () => {
  it("reads the 16 fixed-width elements and the three delimiters", () => {
    const read = readIsa(ISA, 0, 1);
    expect(read.ok && read.isa.delimiters).toEqual({ element: "*", component: ">", segment: "~", repetition: null });
    expect(read.ok && read.isa.elements).toHaveLength(16);
    expect(read.ok && read.isa.elements[5]).toBe("SENDER         ");
  });

  it("takes ISA11 as the repetition separator from 00402 on", () => {
    const read = readIsa(ISA.replace("*U*00401*", "*^*00501*"), 0, 1);
    expect(read.ok && read.isa.delimiters.repetition).toBe("^");
  });

  it("reads an ISA in the middle of a text, naming its segment number", () => {
    const read = readIsa(`xx${ISA.replace("*P*", "*Q*")}`, 2, 40);
    expect(read).toEqual({ ok: false, code: "X12.BAD_ISA", error: 'segment 40 (ISA): ISA15 (usage indicator) must be P (production) or T (test); found "Q"' });
  });

  it.each([
    [ISA.replace("SENDER         ", "SENDER"), "ISA06 (sender id) must be exactly 15 characters"],
    [ISA.replace("*240501*", "*20240501*"), "ISA09 (date) must be exactly 6 characters"],
    [ISA.replace(/\*/g, "1"), "the element separator (the character after \"ISA\") is \"1\""],
    [ISA.replace(/\*/g, " "), "it must be a character that is neither a letter, a digit nor white space"],
    [ISA.replace(">~", "~~"), "must be three different characters"],
    [ISA.replace(">~", ">A"), 'the segment terminator (the character after ISA16) is "A"'],
    [ISA.replace(">~", " ~"), "the component separator (ISA16) is \" \""],
    [ISA.replace("*U*00401*", "*>*00501*"), "the repetition separator (ISA11) \">\" is also used as another delimiter"],
    [ISA.replace("SENDER         ", "               "), "ISA06 (sender id) is empty"],
    [ISA.replace("*0*P*", "*2*P*"), "ISA14 (acknowledgment requested) must be 0 or 1"],
    [ISA.slice(0, 50), "truncated interchange"],
    [ISA.slice(0, 105), "truncated interchange"],
  ])("refuses %j", (text, message) => {
    const read = readIsa(text, 0, 1);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toContain(message);
    expect(!read.ok && read.error).toMatch(/^segment 1 \(ISA\): /);
  });
});
