import fc from "fast-check";
import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { read850 } from "./x12-850";
import { build810 } from "./x12-810";
import { build855 } from "./x12-855";
import { build856 } from "./x12-856";
import { readInterchange } from "./x12-read";
import { BUYER, US, write850, type PoLineSpec } from "./x12-test-kit";
import type { OutboundEnvelope } from "./x12-write";

// The documents on anything: read850 on random element values never throws and names the segment of every
// problem; the 855, 856 and 810 builders on random (and half-wrong) input either say why they refuse or write an
// interchange node-x12 parses back whose totals hold (ACK quantities = ordered, HL count and units in CTT, TDS =
// Σ quantity × price).

const ENVELOPE: OutboundEnvelope = { ours: US, theirs: BUYER, control: { interchange: 1, group: 1, transactionSet: 1 }, createdAt: "2024-05-01T12:00:00Z" };
const junk = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("", "0", "-1", "1.5", "12.000", "9.999", "1e3", "abc", "20241301", "20240229", "EA", "VP", "036000291452"), fc.integer({ min: -5, max: 2_000_000 }).map(String));
const clean = (v: string) => v.replace(/[*~>\r\n]/g, "");

function nodeBody(text: string): string[][] {
  const parsed = new X12Parser(true).parse(text) as NodeX12Interchange;
  return parsed.functionalGroups[0].transactions[0].segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)]);
}

describe("read850 on random element values", () => {
  it("never throws; every problem names its segment; rejected exactly when an error is found", () => {
    const line = fc.record({ lineNumber: fc.option(junk, { nil: null }), quantity: junk, uom: junk, price: junk, ids: fc.array(junk, { maxLength: 6 }) });
    fc.assert(
      fc.property(junk, junk, junk, fc.array(line, { maxLength: 6 }), fc.option(junk, { nil: null }), fc.option(junk, { nil: null }), (purpose, poNumber, date, lines, lineCount, currency) => {
        const text = write850({ purpose: clean(purpose), poNumber: clean(poNumber), date: clean(date), currency: currency === null ? null : clean(currency), lineCount: lineCount === null ? null : clean(lineCount) || null, lines: lines.map((l): PoLineSpec => ({ lineNumber: l.lineNumber === null ? null : clean(l.lineNumber), quantity: clean(l.quantity) || (clean(l.uom) || clean(l.price) ? "" : "1"), uom: clean(l.uom), price: clean(l.price), ids: l.ids.map(clean) })) });
        const read = readInterchange(text);
        if (!read.ok) throw new Error(read.error);
        const result = read850(read.interchange.groups[0].transactionSets[0], read.interchange);
        for (const p of result.problems) expect(p.message.startsWith(`segment ${p.segment} (${p.tag}): `), p.message).toBe(true);
        expect(result.rejected).toBe(result.problems.some((p) => p.severity === "error"));
        expect(result.document.lines.length).toBeLessThanOrEqual(lines.length);
        for (const l of result.document.lines) {
          if (l.quantity !== null) expect(Number.isInteger(l.quantity) && l.quantity >= 1).toBe(true);
          if (l.unitPriceMinor !== null) expect(Number.isSafeInteger(l.unitPriceMinor) && l.unitPriceMinor >= 0).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const sku = fc.stringMatching(/^[A-Z0-9-]{1,10}$/);
const uom = fc.constantFrom("EA", "CA", "PK");

describe("builders on random input", () => {
  it("810: TDS is Σ quantity × unit price in cents, CTT01 the number of IT1s", () => {
    const line = fc.record({ quantity: fc.integer({ min: 0, max: 1_100_000 }), unitPriceMinor: fc.integer({ min: -1, max: 10_000_000 }), uom, vendorPartNumber: sku });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom("USD", "EUR", "JPY", "KWD"), (lines, currency) => {
        const made = build810({ invoiceNumber: "INV-1", invoiceDate: "2024-05-04", poNumber: "PO-1", currency, lines: lines.map((l, i) => ({ ...l, lineNumber: String(i + 1) })) }, ENVELOPE);
        if (!made.ok) {
          expect(made.error.length).toBeGreaterThan(5);
          return;
        }
        const body = nodeBody(made.text);
        const it1 = body.filter((s) => s[0] === "IT1");
        expect(it1).toHaveLength(lines.length);
        const minor = lines.reduce((sum, l) => sum + BigInt(l.quantity) * BigInt(l.unitPriceMinor), 0n);
        const cents = currency === "JPY" ? minor * 100n : currency === "KWD" ? minor / 10n : minor;
        expect(body.find((s) => s[0] === "TDS")![1]).toBe(cents.toString());
        if (currency === "KWD") expect(minor % 10n).toBe(0n);
        expect(body.find((s) => s[0] === "CTT")![1]).toBe(String(lines.length));
        expect(lines.every((l) => l.quantity >= 1 && l.quantity <= 1_000_000 && l.unitPriceMinor >= 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("855: per line, the ACK quantities add up to the quantity ordered", () => {
    const line = fc.record({ orderedQuantity: fc.integer({ min: 1, max: 500 }), accepted: fc.integer({ min: 0, max: 500 }), backordered: fc.integer({ min: 0, max: 500 }), uom, vendorPartNumber: sku });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), (lines) => {
        const made = build855({ poNumber: "PO-1", poDate: "2024-05-01", lines: lines.map((l, i) => ({ lineNumber: String(i + 1), orderedQuantity: l.orderedQuantity, uom: l.uom, vendorPartNumber: l.vendorPartNumber, acceptedQuantity: l.accepted, backorderedQuantity: l.backordered })) }, ENVELOPE);
        const valid = lines.every((l) => l.accepted + l.backordered <= l.orderedQuantity);
        expect(made.ok).toBe(valid);
        if (!made.ok) return;
        const body = nodeBody(made.text);
        const acked = new Map<string, number>();
        let current = "";
        for (const s of body) {
          if (s[0] === "PO1") current = s[1];
          if (s[0] === "ACK") acked.set(current, (acked.get(current) ?? 0) + Number(s[2]));
        }
        lines.forEach((l, i) => expect(acked.get(String(i + 1))).toBe(l.orderedQuantity));
        expect(body.find((s) => s[0] === "CTT")![1]).toBe(String(lines.length));
      }),
      { numRuns: 200 },
    );
  });

  it("856: CTT01 counts the HLs, CTT02 the units, and every HL's parent comes before it", () => {
    const item = fc.record({ quantity: fc.integer({ min: 1, max: 999 }), uom, vendorPartNumber: sku });
    const carton = fc.array(item, { minLength: 1, maxLength: 4 });
    const order = fc.array(carton, { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 3 }), (orders) => {
        const made = build856(
          {
            shipmentId: "S-1",
            shippedAt: "2024-05-03T10:00:00Z",
            carrier: { scac: "UPSN" },
            shipTo: { name: "DC" },
            shipFrom: { name: "WH" },
            orders: orders.map((cartons, o) => ({ poNumber: `PO-${o}`, cartons: cartons.map((items, c) => ({ cartonId: `C${o}-${c}`, items: items.map((it, k) => ({ ...it, lineNumber: String(k + 1) })) })) })),
          },
          ENVELOPE,
        );
        if (!made.ok) throw new Error(made.error);
        const body = nodeBody(made.text);
        const hls = body.filter((s) => s[0] === "HL");
        const units = orders.flat(2).reduce((n, it) => n + it.quantity, 0);
        expect(body.find((s) => s[0] === "CTT")!.slice(1)).toEqual([String(hls.length), String(units)]);
        expect(hls.length).toBe(1 + orders.length + orders.flat().length + orders.flat(2).length);
        const levels = new Map<string, string>();
        for (const [, id, parent, code] of hls) {
          if (code === "S") expect(parent).toBe("");
          else expect(levels.get(parent)).toBe({ O: "S", P: "O", I: "P" }[code]);
          levels.set(id, code);
        }
      }),
      { numRuns: 150 },
    );
  });
});
