import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unquotedTabRecords } from "./delimited-text";

// The splitter the Amazon report parser uses instead of csv-parse (ADR 0039) must read every text exactly as
// csv-parse read it with the options the parser used before.
const csvParse = (text: string) =>
  parse(text, { delimiter: "\t", quote: false, record_delimiter: ["\r\n", "\n", "\r"], relax_column_count: true }) as string[][];

describe("unquotedTabRecords", () => {
  it("reads any text exactly as csv-parse does without quoting", () => {
    const piece = fc.constantFrom("a", "b", "\t", "\r", "\n", "\r\n", '"', ",", " ", "é", "", "\u2028");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }).map((parts) => parts.join("")), (text) => {
        expect(unquotedTabRecords(text)).toEqual(csvParse(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it("keeps blank lines as records and drops only the closing line break", () => {
    expect(unquotedTabRecords("h1\th2\r\n\r\nx\t\"y\r\n")).toEqual([["h1", "h2"], [""], ["x", '"y']]);
    expect(unquotedTabRecords("a\r\rb")).toEqual([["a"], [""], ["b"]]);
    expect(unquotedTabRecords("")).toEqual([]);
  });
});
