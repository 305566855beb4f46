import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { X12Parser, type X12FatInterchange, type X12Interchange as NodeX12Interchange } from "node-x12";
import { describe, expect, it } from "vitest";
import { read850 } from "~/domain/edi/x12-850";
import { build810 } from "~/domain/edi/x12-810";
import { build855 } from "~/domain/edi/x12-855";
import { build856 } from "~/domain/edi/x12-856";
import { build997 } from "~/domain/edi/x12-997";
import type { X12Interchange } from "~/domain/edi/x12-model";
import { readInterchange, readInterchanges } from "~/domain/edi/x12-read";
import type { OutboundEnvelope } from "~/domain/edi/x12-write";

// node-x12's own sample interchanges (its test data, verbatim, MIT; ../shared/fixtures/edi_x12/node_x12, see
// SOURCE.md there): every 850 becomes a wholesale order document with the PO number, lines, prices and ship-to
// the file states; every sample (855 and 856 too) is cut into the same segments node-x12's parser cuts; and
// the documents we send back for those orders — 997, 855, 856, 810 — parse with node-x12 and carry the right
// control numbers, line counts and totals.

const FIXTURES_ENV = "EDI_X12_FIXTURES";
/** $EDI_X12_FIXTURES, else ../shared/fixtures/edi_x12/node_x12 beside the repo. */
function fixturesDir(): string {
  const dir = path.resolve(process.env[FIXTURES_ENV] ?? path.resolve(process.cwd(), "../shared/fixtures/edi_x12/node_x12"));
  if (!existsSync(path.join(dir, "850.edi"))) throw new Error(`node-x12's sample interchanges missing at ${dir}: clone the repo beside ../shared, or set ${FIXTURES_ENV} to that folder.`);
  return dir;
}
const read = (name: string) => readFileSync(path.join(fixturesDir(), name));

function one(name: string): X12Interchange {
  const r = readInterchange(read(name));
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r.interchange;
}

/** What the files say, read by hand. */
const WIDGETS = {
  poNumber: "08292233294",
  orderDate: "2010-11-27",
  requestedDeliveryDate: "2010-12-14",
  shipTo: { name: "XYZ RETAIL", idQualifier: "9", id: "0003947268292", addressLines: ["31875 SOLON RD"], city: "SOLON", state: "OH", postalCode: "44139" },
  lines: [
    ["1", 120, "EA", "9.25", 925, "AB3542", "065322-117", "SMALL WIDGET"],
    ["2", 220, "EA", "13.79", 1379, "RD5322", "066850-116", "MEDIUM WIDGET"],
    ["3", 126, "EA", "10.99", 1099, "XY5266", "060733-110", "LARGE WIDGET"],
    ["4", 76, "EA", "4.35", 435, "VX2332", "065308-116", "NANO WIDGET"],
    ["5", 72, "EA", "7.5", 750, "RV0524", "065374-118", "BLUE WIDGET"],
    ["6", 696, "EA", "9.55", 955, "DX1875", "067504-118", "ORANGE WIDGET"],
  ],
  total: "13045.94",
};
const lineFacts = (lines: { lineNumber: string; quantity: number | null; uom: string | null; unitPrice: string | null; unitPriceMinor: number | null; vendorPartNumber: string | null; buyerPartNumber: string | null; description: string | null }[]) =>
  lines.map((l) => [l.lineNumber, l.quantity, l.uom, l.unitPrice, l.unitPriceMinor, l.vendorPartNumber, l.buyerPartNumber, l.description]);

describe("node-x12's 850 samples become wholesale order documents", () => {
  it.each(["850.edi", "850_2.edi"])("%s: six widget lines for PO 08292233294, totalling the AMT", (name) => {
    const ic = one(name);
    expect(ic).toMatchObject({ sender: { qualifier: "12", id: "4405197800" }, receiver: { qualifier: "01", id: "999999999" }, controlNumber: "000003438", usage: "P" });
    expect(ic.delimiters.segment).toBe(name === "850.edi" ? "~" : "\n");
    const { document, problems, rejected } = read850(ic.groups[0].transactionSets[0], ic);
    expect(problems).toEqual([]);
    expect(rejected).toBe(false);
    expect(document).toMatchObject({ poNumber: WIDGETS.poNumber, purpose: "original", orderType: "SA", orderDate: WIDGETS.orderDate, requestedDeliveryDate: WIDGETS.requestedDeliveryDate, currency: "USD", shipTo: WIDGETS.shipTo, declaredLineCount: 6, declaredTotal: WIDGETS.total, computedTotal: WIDGETS.total });
    expect(document.references.map((r) => [r.qualifier, r.value])).toEqual([["DP", "038"], ["PS", "R"]]);
    expect(lineFacts(document.lines)).toEqual(WIDGETS.lines);
  });

  it("850_3.edi: one kit for a Petco store, priced 225, with the buyer's note", () => {
    const ic = one("850_3.edi");
    const { document, problems } = read850(ic.groups[0].transactionSets[0], ic);
    expect(problems).toEqual([]);
    expect(document).toMatchObject({ poNumber: "----------", orderType: "NE", orderDate: "2016-04-26", requestedDeliveryDate: "2016-05-02", declaredLineCount: 1, computedTotal: "225" });
    expect(document.shipTo).toMatchObject({ name: "PETCO - CORPORATE", idQualifier: "92", id: "100", addressLines: ["9125 REHCO RD"], city: "SAN DIEGO", state: "CA", postalCode: "92121" });
    expect(document.parties.map((p) => p.role)).toEqual(["VN", "ST"]);
    expect(lineFacts(document.lines)).toEqual([["1", 1, "KI", "225", 22500, "UNKNOWN", "000000000001010700", "SU - SPARK - AQ FREEZER PUSHER"]]);
    expect(document.notes).toHaveLength(1);
    expect(document.notes[0]).toContain("SHIP TO: 000");
  });

  it("850_fat.edi: two interchanges in one file, each the widget order; readInterchange asks for readInterchanges", () => {
    const all = readInterchanges(read("850_fat.edi"));
    if (!all.ok) throw new Error(all.error);
    expect(all.interchanges.map((i) => [i.segmentNumber, i.controlNumber])).toEqual([[1, "000003438"], [38, "000003438"]]);
    for (const ic of all.interchanges) {
      const { document, problems } = read850(ic.groups[0].transactionSets[0], ic);
      expect(problems).toEqual([]);
      expect(document.poNumber).toBe(WIDGETS.poNumber);
      expect(lineFacts(document.lines)).toEqual(WIDGETS.lines);
    }
    expect(all.interchanges[1].groups[0].transactionSets[0].segments[0].number).toBe(40);
    expect(readInterchange(read("850_fat.edi"))).toMatchObject({ ok: false, code: "X12.MULTIPLE_INTERCHANGES", segment: 38 });
  });
});

describe("every sample is cut into the segments node-x12 cuts", () => {
  it.each(["850.edi", "850_2.edi", "850_3.edi", "850_fat.edi", "855.edi", "856.edi"])("%s", (name) => {
    const ours = readInterchanges(read(name));
    if (!ours.ok) throw new Error(ours.error);
    const parsed = new X12Parser(true).parse(read(name).toString("utf8")) as NodeX12Interchange | X12FatInterchange;
    const theirs: NodeX12Interchange[] = "interchanges" in parsed ? Array.from(parsed.interchanges) : [parsed]; // a fat interchange is an Array subclass: copy it
    const cut = (tag: string, elements: string[]) => [tag, ...elements].join("*");
    expect(ours.interchanges.map((ic) => ic.groups.map((g) => g.transactionSets.map((t) => t.segments.map((s) => cut(s.tag, s.elements)))))).toEqual(
      theirs.map((ic) => ic.functionalGroups.map((g) => g.transactions.map((t) => [t.header, ...t.segments, t.trailer].map((s) => cut(s.tag, s.elements.map((e) => e.value)))))),
    );
    expect(ours.interchanges.map((ic) => ic.groups.map((g) => [g.functionalId, g.controlNumber]))).toEqual(theirs.map((ic) => ic.functionalGroups.map((g) => [g.header.valueOf(1), g.header.valueOf(6)])));
  });

  it("855.edi and 856.edi: a partner's acknowledgment and ship notice read with their counts", () => {
    const ack = one("855.edi").groups[0].transactionSets[0];
    expect([ack.id, ack.controlNumber, ack.segments.filter((s) => s.tag === "PO1").length, ack.segments.find((s) => s.tag === "CTT")?.elements[0]]).toEqual(["855", "0005", 4, "4"]);
    const asn = one("856.edi");
    expect(asn.delimiters.repetition).toBe("-");
    const set = asn.groups[0].transactionSets[0];
    expect([set.id, set.segments.filter((s) => s.tag === "HL").length, set.segments.find((s) => s.tag === "CTT")?.elements]).toEqual(["856", 4, ["4", "30"]]);
  });
});

describe("what we send back for those orders parses with node-x12", () => {
  const at = "2024-05-02T09:30:00Z";
  const control = { interchange: 900, group: 90, transactionSet: 9 };
  const envelopeFor = (ic: X12Interchange): OutboundEnvelope => ({
    ours: { isaQualifier: ic.receiver.qualifier, isaId: ic.receiver.id, gsId: ic.groups[0].receiverAppId },
    theirs: { isaQualifier: ic.sender.qualifier, isaId: ic.sender.id, gsId: ic.groups[0].senderAppId },
    control,
    createdAt: at,
  });
  const body = (text: string) => {
    const parsed = new X12Parser(true).parse(text) as NodeX12Interchange;
    return { parsed, segments: parsed.functionalGroups[0].transactions[0].segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)]) };
  };

  it.each([
    ["850.edi", "1421", "000000010"],
    ["850_2.edi", "1421", "000000010"],
    ["850_3.edi", "10000774", "8830"],
  ])("997 for %s acknowledges GS06 %s in AK1 and ST02 %s in AK2, from its receiver to its sender", (name, gs06, st02) => {
    const ic = one(name);
    const set = ic.groups[0].transactionSets[0];
    const made = build997(ic, [{ setSegment: set.segmentNumber, problems: read850(set, ic).problems }], { control, createdAt: at });
    if (!made.ok) throw new Error(made.error);
    const { parsed, segments } = body(made.text);
    expect(segments).toEqual([["AK1", "PO", gs06], ["AK2", "850", st02], ["AK5", "A"], ["AK9", "A", "1", "1", "1"]]);
    expect([parsed.header.valueOf(6)!.trim(), parsed.header.valueOf(8)!.trim(), parsed.header.valueOf(15)]).toEqual([ic.receiver.id, ic.sender.id, ic.usage]);
    expect(parsed.functionalGroups[0].header.valueOf(1)).toBe("FA");
  });

  it("855, 856 and 810 for the widget order: line counts, HL count, units and TDS = Σ lines = the buyer's AMT", () => {
    const ic = one("850.edi");
    const po = read850(ic.groups[0].transactionSets[0], ic).document;
    const env = envelopeFor(ic);

    const ack = build855({ poNumber: po.poNumber, poDate: po.orderDate!, lines: po.lines.map((l, i) => ({ ...l, orderedQuantity: l.quantity!, uom: l.uom!, acceptedQuantity: i === 5 ? 600 : l.quantity!, backorderedQuantity: i === 5 ? 96 : 0, backorderDate: "2024-06-01" })) }, env);
    if (!ack.ok) throw new Error(ack.error);
    const a = body(ack.text).segments;
    expect(a[0].slice(0, 5)).toEqual(["BAK", "00", "AC", "08292233294", "20101127"]);
    expect(a.filter((s) => s[0] === "PO1").map((s) => s.slice(1, 5))).toEqual(WIDGETS.lines.map((l) => [l[0], String(l[1]), l[2], l[3]]));
    expect(a.filter((s) => s[0] === "ACK").map((s) => s.slice(1, 3))).toEqual([["IA", "120"], ["IA", "220"], ["IA", "126"], ["IA", "76"], ["IA", "72"], ["IA", "600"], ["IB", "96"]]);
    expect(a.find((s) => s[0] === "CTT")).toEqual(["CTT", "6"]);

    const asn = build856({ shipmentId: "SHP-08292233294", shippedAt: "2024-05-03T15:00:00Z", carrier: { scac: "ABFS" }, shipTo: { name: po.shipTo!.name!, idQualifier: po.shipTo!.idQualifier, id: po.shipTo!.id, addressLines: po.shipTo!.addressLines, city: po.shipTo!.city, state: po.shipTo!.state, postalCode: po.shipTo!.postalCode }, shipFrom: { name: "OPEN OMS WAREHOUSE" }, orders: [{ poNumber: po.poNumber, poDate: po.orderDate, cartons: po.lines.map((l, i) => ({ cartonId: `CTN-${i + 1}`, trackingNumber: `TRK${i + 1}`, items: [{ lineNumber: l.lineNumber, quantity: l.quantity!, uom: l.uom!, vendorPartNumber: l.vendorPartNumber, buyerPartNumber: l.buyerPartNumber }] })) }] }, env);
    if (!asn.ok) throw new Error(asn.error);
    const s = body(asn.text).segments;
    const hls = s.filter((x) => x[0] === "HL");
    expect(hls.length).toBe(1 + 1 + 6 + 6);
    expect(s.find((x) => x[0] === "CTT")).toEqual(["CTT", String(hls.length), String(120 + 220 + 126 + 76 + 72 + 696)]);
    expect(s.filter((x) => x[0] === "MAN" && x[1] === "CP").map((x) => x[2])).toEqual(["TRK1", "TRK2", "TRK3", "TRK4", "TRK5", "TRK6"]);

    const invoice = build810({ invoiceNumber: "INV-3438", invoiceDate: "2024-05-04", poNumber: po.poNumber, poDate: po.orderDate, currency: po.currency, billTo: { name: po.shipTo!.name! }, lines: po.lines.map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantity!, uom: l.uom!, unitPriceMinor: l.unitPriceMinor!, vendorPartNumber: l.vendorPartNumber, description: l.description })) }, env);
    if (!invoice.ok) throw new Error(invoice.error);
    const v = body(invoice.text).segments;
    expect(v.filter((x) => x[0] === "IT1")).toHaveLength(6);
    const sum = v.filter((x) => x[0] === "IT1").reduce((n, x) => n + Number(x[2]) * Math.round(Number(x[4]) * 100), 0);
    expect(v.find((x) => x[0] === "TDS")).toEqual(["TDS", String(sum)]);
    expect(v.find((x) => x[0] === "TDS")![1]).toBe(WIDGETS.total.replace(".", ""));
    expect(v.find((x) => x[0] === "CTT")).toEqual(["CTT", "6"]);
    expect(v[0]).toEqual(["BIG", "20240504", "INV-3438", "20101127", "08292233294"]);
  });
});
