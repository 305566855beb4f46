import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsvPurchaseOrders } from "./csv-po";
import { checkCsvPurchaseOrders } from "./csv-po-check";
import { indexPartnerItems } from "./trading-partner";

// Whatever arrives as a purchase-order CSV — truncated, other delimiters, quotes left open, mixed encodings, a 1 MB
// line, binary garbage, random edits of a good file — the parser and the check return (never throw, never hang:
// each case is timed), every refused line says why with its own number, and no PO handed back has a refused line.

const HEADER = "po_number,order_date,currency,buyer_name,email,ship_to_name,ship_to_address1,ship_to_city,ship_to_province,ship_to_country,ship_to_zip,line_number,sku,buyer_part_number,quantity,unit_price,requested_ship_date,notes";
const ROW = (po: string, line: number, sku: string, qty: number, price: string) => `${po},2026-03-01,USD,"Corner, Shops",b@example.com,Shop,"1 Main St",Reno,NV,US,89501,${line},${sku},,${qty},${price},2026-03-10,"say ""hi"""`;
const GOOD = [HEADER, ROW("PO-1", 1, "SKU-A", 2, "12.50"), ROW("PO-1", 2, "SKU-B", 1, ""), ROW("PO-2", 1, "SKU-A", 5, "3")].join("\r\n") + "\r\n";
const GOOD_BYTES = new TextEncoder().encode(GOOD);
const PER_CASE_MS = 2_000;
const { bySku, byBuyerPart } = indexPartnerItems([{ sku: "SKU-B", buyerPartNumber: "BP-B", unitPriceMinor: 700 }]);
const catalog = new Set(["SKU-A", "SKU-B"]);

function check(input: Uint8Array | string): void {
  const started = performance.now();
  const parsed = parseCsvPurchaseOrders(input);
  const checked = checkCsvPurchaseOrders(parsed, { partner: { code: "P", currency: "USD", channelId: "c" }, knownSku: (s) => catalog.has(s), items: bySku, byBuyerPart, previous: () => "new" });
  const took = performance.now() - started;
  expect(took, `reading took ${took.toFixed(0)} ms`).toBeLessThan(PER_CASE_MS);
  for (const result of [parsed, checked]) {
    if (result.fileError) {
      expect(result.fileError.length).toBeGreaterThan(10);
      expect(result.fileError.length).toBeLessThan(1_000);
      expect(result.documents).toEqual([]);
      continue;
    }
    const refused = new Set<number>();
    const numbers = new Set<number>();
    for (const l of result.lines) {
      expect(numbers.has(l.line), `line ${l.line} has two results`).toBe(false);
      numbers.add(l.line);
      if (!l.ok) {
        refused.add(l.line);
        expect(l.message).toMatch(new RegExp(`^line ${l.line}: `));
        expect(l.message!.length).toBeLessThan(3_000);
      }
    }
    expect(result.totalLines).toBe(result.lines.length);
    for (const d of result.documents) {
      for (const n of d.lines) expect(refused.has(n), `PO ${d.key} has refused line ${n}`).toBe(false);
      for (const l of d.payload.lines) expect(Number.isInteger(l.quantity) && l.quantity > 0).toBe(true);
    }
  }
  for (const d of checked.documents) {
    const order = d.payload.order!;
    expect(order.lines.every((l) => catalog.has(l.sku) && Number.isSafeInteger(l.priceMinor) && l.priceMinor! >= 0)).toBe(true);
  }
}

describe("parseCsvPurchaseOrders + check on anything", () => {
  it("reads the good file whole", () => {
    const parsed = parseCsvPurchaseOrders(GOOD_BYTES);
    expect(parsed.lines.every((l) => l.ok)).toBe(true);
    check(GOOD_BYTES);
  });

  it("binary garbage", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4_000 }), (bytes) => check(bytes)), { numRuns: 300 });
  });

  it("a good file cut anywhere (truncated)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: GOOD_BYTES.length }), (cut) => check(GOOD_BYTES.subarray(0, cut))), { numRuns: 300 });
  });

  it("random edits: bytes replaced, inserted (delimiters, quotes, line breaks, NUL, Latin-1, UTF-8 pieces), removed", () => {
    const special = fc.constantFrom(0x09, 0x0a, 0x0d, 0x22, 0x2c, 0x3b, 0x00, 0xe9, 0xff, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0x2d, 0x30, 0x2e);
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

  it("random delimiters and quotes left open", () => {
    fc.assert(
      fc.property(fc.constantFrom(",", ";", "\t", "|", " ", "  "), fc.array(fc.nat(), { maxLength: 4 }), (delimiter, quotes) => {
        let text = GOOD.replace(/,/g, delimiter);
        for (const q of quotes) text = `${text.slice(0, q % text.length)}"${text.slice(q % text.length)}`;
        check(text);
        // Semicolons and tabs are told from the header and read the same file (its quoted values keep their delimiter).
        if (delimiter === ";" || delimiter === "\t") expect(parseCsvPurchaseOrders(GOOD.replace(/,/g, delimiter)).documents.map((d) => d.key)).toEqual(["PO-1", "PO-2"]);
      }),
      { numRuns: 200 },
    );
  });

  it("random rows of random fields under the real header, any line end", () => {
    const field = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("", "0", "-1", "1.5", "12,50", "1e9", "PO-1", "SKU-A", "BP-B", "US", "2026-13-45", '"', '""', "a\nb"));
    const row = fc.array(field, { maxLength: 22 }).map((fields) => fields.map((f) => (/[",\r\n]/.test(f) && f.length % 2 ? `"${f.replace(/"/g, '""')}"` : f)).join(","));
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), fc.constantFrom("\n", "\r\n", "\r"), (rows, eol) => check([HEADER, ...rows].join(eol))), { numRuns: 300 });
  });

  it("mixed encodings: a Windows-1252 line in a UTF-8 file is refused by its number", () => {
    const mixed = new Uint8Array([...new TextEncoder().encode(`${HEADER}\n${ROW("PO-1", 1, "SKU-A", 1, "1").replace("Shop", "Café")}\n`), ...Uint8Array.from([...`${ROW("PO-2", 1, "SKU-A", 1, "1").replace("Shop", "Caf\u00e9")}\n`].map((c) => c.charCodeAt(0)))]);
    const parsed = parseCsvPurchaseOrders(mixed);
    expect(parsed.lines.map((l) => [l.line, l.ok])).toEqual([[2, true], [3, false]]);
    expect(parsed.lines[1].message).toMatch(/^line 3: holds bytes that are not UTF-8/);
    check(mixed);
  });

  it("a 1 MB line and a 1 MB quoted field are refused with their numbers, quickly", () => {
    const huge = "x".repeat(1024 * 1024);
    const withLine = `${GOOD}${huge}\n`;
    expect(parseCsvPurchaseOrders(withLine).lines.at(-1)).toMatchObject({ line: 5, ok: false });
    check(withLine);
    const withField = `${HEADER}\n${ROW("PO-9", 1, "SKU-A", 1, "1").replace('"say ""hi"""', `"${huge}"`)}\n`;
    expect(parseCsvPurchaseOrders(withField).lines[0].message).toBe("line 2: notes is longer than 1000 characters");
    check(withField);
    check(`${HEADER}\n"${huge}`); // a quote left open for a megabyte
    check(huge);
  });
});
