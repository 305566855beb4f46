import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAmazonOrderReport } from "./amazon-order-report";

// Whatever arrives as an "Amazon order report" — truncated, the wrong delimiter, mixed encodings, a 1 MB line,
// binary garbage, random edits of a real file — the parser returns (never throws, never hangs: each case is
// timed), says why for every line it refuses (with that line's number), and never hands back a document that
// has a refused line.

const HEADER = "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\tcpf\tis-business-order\tpurchase-order-number\tprice-designation\tsignature-confirmation-recommended";
const ROW = (id: string, sku: string, qty: number) =>
  `${id}\t\t2022-07-18T18:52:47+00:00\t2022-07-29T08:19:16+00:00\tShipped\tMerchant\tAmazon.com\tWebsiteOrderChannel\tStandard\tBeyond Burger 2 pk, 8 oz\t${sku}\tB074K5MDLW\tShipped\t${qty}\tUSD\t14.0\t0.50\t\t\t\t\t\t\tKERRVILLE\tTX\t78028-6411\tUS\t\t\tfalse\t\t\tfalse`;
const GOOD = [HEADER, ROW("113-8871452-8288246", "2J-D6V7-C8XI", 1), ROW("113-8871452-8288246", "0R-4KDA-Z2U8", 2), ROW("114-5642155-9428269", "2J-D6V7-C8XI", 3)].join("\r\n") + "\r\n";
const GOOD_BYTES = new TextEncoder().encode(GOOD);
const PER_CASE_MS = 2_000;

/** Parse, timed, and check what must hold whatever the input. */
function check(input: Uint8Array | string): void {
  const started = performance.now();
  const parsed = parseAmazonOrderReport(input);
  const took = performance.now() - started;
  expect(took, `parsing took ${took.toFixed(0)} ms`).toBeLessThan(PER_CASE_MS);
  if (parsed.fileError) {
    expect(parsed.fileError.length).toBeGreaterThan(10);
    expect(parsed.fileError.length).toBeLessThan(1_000); // a message, not an echo of the file
    expect(parsed.documents).toEqual([]);
    return;
  }
  const refused = new Set<number>();
  const numbers = new Set<number>();
  for (const l of parsed.lines) {
    expect(numbers.has(l.line)).toBe(false);
    numbers.add(l.line);
    if (!l.ok) {
      refused.add(l.line);
      expect(l.message).toMatch(new RegExp(`^line ${l.line}: `));
      expect(l.message!.length).toBeLessThan(3_000);
    }
  }
  expect(parsed.totalLines).toBe(parsed.lines.length);
  for (const d of parsed.documents) {
    for (const n of d.lines) expect(refused.has(n), `document ${d.key} has refused line ${n}`).toBe(false);
    const ids = d.payload.order.lines.map((l) => l.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of d.payload.order.lines) expect(Number.isInteger(l.quantity) && l.quantity > 0 && Number.isInteger(l.priceMinor)).toBe(true);
    expect(Number.isSafeInteger(d.payload.order.totalMinor)).toBe(true);
  }
}

describe("parseAmazonOrderReport on anything", () => {
  it("binary garbage", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4_000 }), (bytes) => check(bytes)), { numRuns: 300 });
  });

  it("a real report cut anywhere (truncated file)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: GOOD_BYTES.length }), (cut) => check(GOOD_BYTES.subarray(0, cut))), { numRuns: 300 });
  });

  it("random edits of a real report: bytes replaced, inserted (tabs, line breaks, quotes, NUL, Latin-1, UTF-8), removed", () => {
    const special = fc.constantFrom(0x09, 0x0a, 0x0d, 0x22, 0x2c, 0x3b, 0x00, 0xe9, 0xff, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0x2d, 0x30, 0x39);
    const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom("replace", "insert", "delete"), byte: fc.oneof(special, fc.integer({ min: 0, max: 255 })) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        const bytes = [...GOOD_BYTES];
        for (const e of edits) {
          const i = e.at % (bytes.length + 1);
          if (e.kind === "replace" && i < bytes.length) bytes[i] = e.byte;
          else if (e.kind === "insert") bytes.splice(i, 0, e.byte);
          else if (e.kind === "delete" && i < bytes.length) bytes.splice(i, 1);
        }
        check(Uint8Array.from(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("the wrong or an unusual delimiter is a clear file-level error", () => {
    fc.assert(
      fc.property(fc.constantFrom(",", ";", "|", " ", "\u001f", "  "), (delimiter) => {
        const parsed = parseAmazonOrderReport(GOOD.replace(/\t/g, delimiter));
        expect(parsed.fileError).toMatch(/not tab-separated|not text|not the header/);
        check(GOOD.replace(/\t/g, delimiter));
      }),
    );
  });

  it("random rows of random fields under the real header", () => {
    const field = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("", "0", "-1", "1e9", "14,00", "2024-13-45", "Cancelled", "Amazon", "true", "113-8871452-8288246"));
    const row = fc.array(field, { minLength: 0, maxLength: 40 }).map((fields) => fields.join("\t"));
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), fc.constantFrom("\n", "\r\n", "\r"), (rows, eol) => check([HEADER, ...rows].join(eol))), { numRuns: 300 });
  });

  it("a 1 MB line (and a 1 MB field) is refused with its number, quickly", () => {
    const huge = "x".repeat(1024 * 1024);
    const parsed = parseAmazonOrderReport(`${GOOD}${huge}\n`);
    expect(parsed.lines.at(-1)).toMatchObject({ line: 5, ok: false });
    check(`${GOOD}${huge}\n`);
    const bigField = ROW("115-1234567-1234567", "SKU", 1).replace("Beyond Burger 2 pk, 8 oz", huge);
    const withField = parseAmazonOrderReport(`${HEADER}\n${bigField}\n`);
    expect(withField.lines[0].message).toBe("line 2: product-name is longer than 2000 characters");
    check(`${HEADER}\n${bigField}\n`);
    check(huge); // one line, no header
  });

  it("a NUL in one field refuses that line alone, wherever the file's other lines are", () => {
    const withNul = ROW("115-1234567-1234567", "SKU", 1).replace("Beyond Burger 2 pk, 8 oz", "Beyond\u0000Burger");
    const parsed = parseAmazonOrderReport(`${GOOD}${withNul}\r\n${ROW("116-1234567-1234567", "SKU", 1)}\r\n`);
    expect(parsed.lines.find((l) => l.line === 5)).toMatchObject({ ok: false, message: "line 5: holds NUL characters (binary data, not text)" });
    expect(parsed.documents.map((d) => d.key)).toEqual(["113-8871452-8288246", "114-5642155-9428269", "116-1234567-1234567"]);
  });

  it("a file of UTF-16 (with its byte-order mark) reads as the same report", () => {
    const utf16 = new Uint8Array(2 + GOOD.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < GOOD.length; i++) {
      utf16[2 + i * 2] = GOOD.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = GOOD.charCodeAt(i) >> 8;
    }
    const parsed = parseAmazonOrderReport(utf16);
    expect(parsed.documents.map((d) => d.key)).toEqual(["113-8871452-8288246", "114-5642155-9428269"]);
  });
});
