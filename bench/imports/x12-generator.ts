import { writeInterchange, type SegmentSpec } from "../../app/domain/edi/x12-write";
import { mulberry32 } from "../oversell/prng";

// A deterministic file of X12 850 purchase orders (ADR 0021) of about `bytes` bytes: interchanges of `perInterchange`
// POs each from one buyer (12/4405197800 to ZZ/OPENOMS, as app/domain/edi/x12-test-kit.ts writes it), written with
// the app's own X12 writer so every count and control number is right. A PO is what buyers send: BEG, CUR, REF, PER,
// two DTM, ship-to and bill-to N1 loops, 1–9 PO1 lines (our SKU, the buyer's part number or both, 70 % priced), a
// PID description per line, CTT and AMT; segments end with "~" and a line break.

export interface GeneratedX12 {
  text: string;
  interchanges: number;
  purchaseOrders: number;
  lines: number;
}

const STORES = [["XYZ RETAIL DC 4", "31875 SOLON RD", "SOLON", "OH", "44139"], ["CORNER SHOPS, RENO", "100 MAIN ST", "RENO", "NV", "89501"], ["NORTHSIDE MARKET", "9 LAKE SHORE DR", "CHICAGO", "IL", "60601"], ["HARBOR SUPPLY CO", "400 BROAD ST", "NEWARK", "NJ", "07102"]];
const WORDS = ["RED", "BLUE", "SMALL", "LARGE", "NANO", "ORANGE", "STEEL", "OAK", "WIDGET", "GADGET", "BRACKET", "HINGE"];

/** `skus[i]` is known to the buyer as `parts[i]`. */
export function generateX12PurchaseOrders(opts: { bytes: number; seed: number; skus: string[]; parts: string[]; perInterchange?: number }): GeneratedX12 {
  const u = mulberry32(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(u() * (hi - lo + 1));
  const per = opts.perInterchange ?? 500;
  const out: string[] = [];
  let size = 0;
  let purchaseOrders = 0;
  let lines = 0;
  let interchanges = 0;
  while (size < opts.bytes) {
    interchanges += 1;
    const sets = Array.from({ length: per }, () => {
      purchaseOrders += 1;
      const store = STORES[int(0, STORES.length - 1)];
      const day = `202603${String(int(1, 28)).padStart(2, "0")}`;
      const segments: SegmentSpec[] = [
        ["BEG", "00", "SA", `PO${String(1_000_000 + purchaseOrders)}`, null, day],
        ["CUR", "BY", "USD"],
        ["REF", "DP", String(int(1, 99)).padStart(3, "0")],
        ["PER", "BD", "JANE BUYER", "TE", "5551234567", "EM", "orders@example.com"],
        ["DTM", "002", `202604${String(int(1, 28)).padStart(2, "0")}`],
        ["DTM", "010", `202603${String(int(1, 28)).padStart(2, "0")}`],
        ["N1", "ST", store[0], "92", String(int(1, 9999)).padStart(4, "0")],
        ["N3", store[1]],
        ["N4", store[2], store[3], store[4], "US"],
        ["N1", "BT", "XYZ RETAIL HQ", "92", "0001"],
      ];
      const n = int(1, 9);
      const used = new Set<number>();
      for (let i = 1; i <= n; i++) {
        let k = int(0, opts.skus.length - 1);
        while (used.has(k)) k = (k + 1) % opts.skus.length;
        used.add(k);
        const ids = u() < 0.4 ? ["BP", opts.parts[k]] : u() < 0.5 ? ["VP", opts.skus[k]] : ["VP", opts.skus[k], "BP", opts.parts[k]];
        const price = u() < 0.7 ? `${int(1, 200)}.${String(int(0, 99)).padStart(2, "0")}` : null;
        segments.push(["PO1", String(i), int(1, 240), "EA", price, price ? "PE" : null, ...ids]);
        segments.push(["PID", "F", null, null, null, `${WORDS[int(0, WORDS.length - 1)]} ${WORDS[int(0, WORDS.length - 1)]}`]);
      }
      lines += n;
      segments.push(["CTT", n]);
      return { id: "850", segments };
    });
    const made = writeInterchange(
      { ours: { isaQualifier: "12", isaId: "4405197800", gsId: "4405197800" }, theirs: { isaQualifier: "ZZ", isaId: "OPENOMS", gsId: "OPENOMS" }, control: { interchange: interchanges, group: interchanges, transactionSet: 1 }, createdAt: "2026-03-01T12:00:00Z", lineBreaks: true },
      "PO",
      sets,
    );
    if (!made.ok) throw new Error(made.error);
    out.push(made.text);
    size += made.text.length;
  }
  return { text: out.join(""), interchanges, purchaseOrders, lines };
}
