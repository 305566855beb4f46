import fc from "fast-check";
import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { read850 } from "./x12-850";
import { readInterchanges, type ReadInterchanges } from "./x12-read";
import { buyerEnvelope, editSegment, segmentsOf, write850, write850s } from "./x12-test-kit";
import { writeInterchange, type SegmentSpec } from "./x12-write";

// Whatever arrives as an X12 file — binary garbage, a real interchange cut anywhere or edited at random, counts
// that lie, mixed encodings, a 1 MB line, any delimiters — readInterchanges returns (never throws; each case is
// timed), every error names the segment it was found at (only "not X12 at all" has none), and every 850 it reads
// reads through read850 with each problem naming its segment. A purchase order written with random delimiters
// reads back as written, and our segments are node-x12's own parse of the same text.

const PER_CASE_MS = 1_500;
const GOOD = write850s([{}, { poNumber: "PO-2" }]);
const GOOD_BYTES = new TextEncoder().encode(GOOD);

function check(input: Uint8Array | string): ReadInterchanges {
  const started = performance.now();
  const read = readInterchanges(input);
  const took = performance.now() - started;
  expect(took, `reading took ${took.toFixed(0)} ms`).toBeLessThan(PER_CASE_MS);
  if (!read.ok) {
    expect(read.code).not.toBe("X12.INTERNAL");
    expect(read.error.length).toBeGreaterThan(10);
    expect(read.error.length).toBeLessThan(600); // a message, not an echo of the file
    if (read.code !== "X12.NOT_X12") expect(read.segment, read.error).toBeGreaterThan(0);
    if (read.segment !== undefined) expect(read.error).toContain(`segment ${read.segment}`);
    return read;
  }
  let last = 0;
  for (const ic of read.interchanges) {
    expect(ic.segmentNumber).toBeGreaterThan(last);
    for (const g of ic.groups) {
      for (const set of g.transactionSets) {
        set.segments.forEach((s, i) => {
          expect(s.position).toBe(i + 1);
          expect(s.number).toBe(set.segmentNumber + i);
        });
        last = set.segments[set.segments.length - 1].number;
        if (set.id !== "850") continue;
        const po = read850(set, ic);
        for (const p of po.problems) expect(p.message.startsWith(`segment ${p.segment} (${p.tag}): `), p.message).toBe(true);
      }
    }
  }
  return read;
}

describe("readInterchanges on anything", () => {
  it("binary garbage, alone and after a valid ISA", () => {
    const isa = GOOD.slice(0, 106);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3_000 }), fc.boolean(), (bytes, afterIsa) => {
        const input = afterIsa ? Uint8Array.from([...new TextEncoder().encode(isa), ...bytes]) : bytes;
        const read = check(input);
        if (!afterIsa && !(bytes[0] === 0x49 && bytes[1] === 0x53 && bytes[2] === 0x41)) expect(read.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("a real interchange cut anywhere is refused as truncated, naming where", () => {
    const end = GOOD.trimEnd().length;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: GOOD_BYTES.length }), (cut) => {
        const read = check(GOOD_BYTES.subarray(0, cut));
        if (cut >= end) expect(read.ok).toBe(true);
        else {
          expect(read.ok).toBe(false);
          if (!read.ok) expect(read.code).toBe(cut < 3 ? "X12.NOT_X12" : "X12.TRUNCATED");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("random edits of a real interchange: bytes replaced, inserted (delimiters, line breaks, NUL, Latin-1, UTF-8), removed", () => {
    const special = fc.constantFrom(0x2a, 0x7e, 0x3e, 0x0a, 0x0d, 0x00, 0xe9, 0xff, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0x20, 0x30, 0x39, 0x49, 0x53, 0x41);
    const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom("replace", "insert", "delete"), byte: fc.oneof(special, fc.integer({ min: 0, max: 255 })) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 10 }), (edits) => {
        const bytes = [...GOOD_BYTES];
        for (const e of edits) {
          const i = e.at % (bytes.length + 1);
          if (e.kind === "replace" && i < bytes.length) bytes[i] = e.byte;
          else if (e.kind === "insert") bytes.splice(i, 0, e.byte);
          else if (e.kind === "delete" && i < bytes.length) bytes.splice(i, 1);
        }
        check(Uint8Array.from(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it("counts that do not match (SE01, GE01, IEA01) are refused on that segment", () => {
    // GOOD: 1 ISA, 2 GS, 3–19 first set (SE 19), 20–36 second set (SE 36), 37 GE, 38 IEA.
    const trailers = [19, 36, 37, 38];
    fc.assert(
      fc.property(fc.constantFrom(...trailers), fc.integer({ min: 0, max: 99 }), (n, count) => {
        const segments = segmentsOf(GOOD);
        const [tag, actual, control] = segments[n - 1].split("*");
        fc.pre(Number(actual) !== count);
        const read = check(editSegment(GOOD, n, `${tag}*${count}*${control}`));
        expect(read).toMatchObject({ ok: false, code: "X12.COUNT_MISMATCH", segment: n });
        expect(!read.ok && read.error).toMatch(new RegExp(`^segment ${n} \\(${tag}\\): ${tag}01 says ${count} `));
      }),
      { numRuns: 100 },
    );
  });

  it("mixed encodings in text fields still read, byte for byte", () => {
    const chunk = fc.oneof(fc.constantFrom([0xe9], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xff], [0xc3]), fc.array(fc.integer({ min: 0x41, max: 0x5a }), { maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(chunk, { minLength: 1, maxLength: 6 }), (chunks) => {
        const name = chunks.flat();
        const head = new TextEncoder().encode(GOOD.slice(0, GOOD.indexOf("XYZ RETAIL DC 4")));
        const tail = new TextEncoder().encode(GOOD.slice(GOOD.indexOf("XYZ RETAIL DC 4") + "XYZ RETAIL DC 4".length));
        const read = check(Uint8Array.from([...head, ...name, ...tail]));
        expect(read.ok).toBe(true);
        if (!read.ok) return;
        const ic = read.interchanges[0];
        const shipTo = read850(ic.groups[0].transactionSets[0], ic).document.shipTo;
        expect(shipTo?.name ?? "").toBe(ic.encoding === "latin1" ? String.fromCharCode(...name).trim() : new TextDecoder().decode(Uint8Array.from(name)).trim());
      }),
      { numRuns: 200 },
    );
  });

  it("a 1 MB line: without a terminator, as one huge element, and 1 MB of one character", () => {
    const mb = "A".repeat(1_000_000);
    expect(check(`${GOOD.slice(0, 200)}${mb}`)).toMatchObject({ ok: false, code: "X12.TRUNCATED" });
    const huge = check(GOOD.replace("PID*F****RED WIDGET", `PID*F****${mb}`));
    expect(huge.ok && read850(huge.interchanges[0].groups[0].transactionSets[0], huge.interchanges[0]).document.lines[0].description?.length).toBe(1_000_000);
    expect(check(mb)).toMatchObject({ ok: false, code: "X12.NOT_X12" });
    expect(check("~".repeat(1_000_000))).toMatchObject({ ok: false, code: "X12.NOT_X12" });
    expect(check(`${GOOD.slice(0, 106)}${"*".repeat(1_000_000)}~`)).toMatchObject({ ok: false, code: "X12.BAD_SEGMENT", segment: 2 });
    // 1 MB of segments without elements inside a set: each is looked at once, not rescanned to the end of the file.
    expect(check(GOOD.replace("PID*F****RED WIDGET~\n", `PID*F****RED WIDGET~${"AB~".repeat(333_333)}`))).toMatchObject({ ok: false, code: "X12.COUNT_MISMATCH", segment: 333_352 });
    expect(check(GOOD.replace("PID*F****RED WIDGET~\n", `PID*F****RED WIDGET~${"\n".repeat(1_000_000)}`)).ok).toBe(true);
  });
});

// Delimiters a partner may declare: printable characters that are neither letters, digits, space nor the decimal
// point, and the information separators some translators use. The segment terminator may also be a line break.
const PRINTABLE = [..."!\"#$%&'()*+,-/:;<=>?@[\\]^_`{|}~"];
const CONTROL = ["\u001c", "\u001d", "\u001e", "\u001f"];
const word = fc.stringMatching(/^[A-Z0-9]{1,12}$/);
const text = fc.stringMatching(/^[A-Z0-9][A-Z0-9 ]{0,20}[A-Z0-9]$/);
const lineSpec = fc.record({ quantity: fc.integer({ min: 1, max: 100_000 }), cents: fc.integer({ min: 0, max: 10_000_000 }), uom: fc.constantFrom("EA", "CA", "KI", "PK"), sku: word, buyerPart: fc.option(word, { nil: null }), description: text });
const po = fc.record({ poNumber: word, day: fc.integer({ min: 1, max: 28 }), shipTo: text, city: text, lines: fc.array(lineSpec, { minLength: 1, maxLength: 8 }) });
type GeneratedPo = { poNumber: string; day: number; shipTo: string; city: string; lines: { quantity: number; cents: number; uom: string; sku: string; buyerPart: string | null; description: string }[] };
const price = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

function segmentsFor(p: GeneratedPo): SegmentSpec[] {
  return [
    ["BEG", "00", "SA", p.poNumber, null, `202405${String(p.day).padStart(2, "0")}`],
    ["N1", "ST", p.shipTo, "92", "0004"],
    ["N4", p.city, "OH", "44139"],
    ...p.lines.flatMap((l, i): SegmentSpec[] => [["PO1", String(i + 1), l.quantity, l.uom, price(l.cents), "PE", "VP", l.sku, ...(l.buyerPart ? ["BP", l.buyerPart] : [])], ["PID", "F", null, null, null, l.description]]),
    ["CTT", p.lines.length],
  ];
}

describe("any delimiters, with or without line breaks", () => {
  it("an 850 written with them reads back as written, and node-x12 cuts it the same way", () => {
    const delimiters = fc.tuple(fc.uniqueArray(fc.constantFrom(...PRINTABLE, ...CONTROL), { minLength: 4, maxLength: 4 }), fc.boolean()).map(([[element, component, segment, repetition], newline]) => ({ element, component, segment: newline ? "\n" : segment, repetition }));
    fc.assert(
      fc.property(delimiters, fc.constantFrom("004010", "005010"), fc.boolean(), fc.array(po, { minLength: 1, maxLength: 3 }), (d, version, lineBreaks, orders) => {
        const made = writeInterchange(buyerEnvelope({ delimiters: d, version, lineBreaks }), "PO", orders.map((o) => ({ id: "850", segments: segmentsFor(o) })));
        if (!made.ok) throw new Error(made.error);
        const read = check(made.text);
        if (!read.ok) throw new Error(read.error);
        const ic = read.interchanges[0];
        expect(ic.delimiters).toEqual({ element: d.element, component: d.component, segment: d.segment, repetition: version === "005010" ? d.repetition : null });
        const sets = ic.groups[0].transactionSets;
        expect(sets).toHaveLength(orders.length);
        sets.forEach((set, k) => {
          const { document: doc, problems } = read850(set, ic);
          const o = orders[k];
          expect(problems).toEqual([]);
          expect(doc.poNumber).toBe(o.poNumber);
          expect(doc.orderDate).toBe(`2024-05-${String(o.day).padStart(2, "0")}`);
          expect(doc.shipTo).toMatchObject({ name: o.shipTo, city: o.city });
          expect(doc.lines.map((l) => [l.quantity, l.uom, l.unitPriceMinor, l.vendorPartNumber, l.buyerPartNumber, l.description])).toEqual(o.lines.map((l) => [l.quantity, l.uom, l.cents, l.sku, l.buyerPart, l.description]));
        });
        // node-x12's own reader (its character loop) agrees on every segment of every set.
        const theirs = new X12Parser(true).parse(made.text) as NodeX12Interchange;
        const cut = (tag: string, elements: string[]) => [tag, ...elements].join("\u0000");
        expect(sets.map((s) => s.segments.map((x) => cut(x.tag, x.elements)))).toEqual(theirs.functionalGroups[0].transactions.map((t) => [t.header, ...t.segments, t.trailer].map((x) => cut(x.tag, x.elements.map((e) => e.value)))));
      }),
      { numRuns: 150 },
    );
  });

  it("the same interchange with LF, CRLF, CR or nothing after terminators reads the same", () => {
    const base = write850({}, { lineBreaks: false });
    const expected = check(base);
    fc.assert(
      fc.property(fc.array(fc.constantFrom("", "\n", "\r\n", "\r", "\n\n"), { minLength: 40, maxLength: 40 }), (breaks) => {
        let i = 0;
        const text = base.replace(/~/g, () => `~${breaks[i++ % breaks.length]}`);
        const read = check(text);
        expect(read.ok && read.interchanges[0].groups[0].transactionSets[0].segments.map((s) => [s.tag, s.elements])).toEqual(expected.ok && expected.interchanges[0].groups[0].transactionSets[0].segments.map((s) => [s.tag, s.elements]));
      }),
      { numRuns: 100 },
    );
  });
});
