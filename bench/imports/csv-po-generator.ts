import { mulberry32 } from "../oversell/prng";

// A deterministic wholesale purchase-order CSV (ADR 0018) of any number of lines, in the csv-po columns: POs of
// 1–9 lines (mean 5), each line naming the item by our SKU (60 %) or by the buyer's part number (40 %), 70 % with a
// price of their own and 30 % taking the partner's agreed price; the PO's fields repeated on every row (as ERPs
// export them), ship-to names and streets with commas and quotes (so quoted), CRLF line ends and a UTF-8 BOM.

export const CSV_PO_HEADER = ["po_number", "order_date", "currency", "buyer_name", "email", "phone", "ship_to_name", "ship_to_address1", "ship_to_city", "ship_to_province", "ship_to_country", "ship_to_zip", "line_number", "sku", "buyer_part_number", "quantity", "unit_price", "requested_ship_date", "notes"];

const STORES = [["Corner Shop, Reno", "100 Main St, Suite 4", "Reno", "NV", "89501"], ["Bob's \"Best\" Goods", "22 Elm Ave", "Dallas", "TX", "75201"], ["Northside Market", "9 Lake Shore Dr", "Chicago", "IL", "60601"], ["Harbor Supply Co.", "400 Broad St", "Newark", "NJ", "07102"]];

export interface GeneratedPurchaseOrders {
  text: string;
  lines: number;
  orders: number;
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** `skus[i]` is known to the buyer as `parts[i]` (the partner's items map them). */
export function generatePurchaseOrders(opts: { lines: number; seed: number; skus: string[]; parts: string[]; poPrefix?: string }): GeneratedPurchaseOrders {
  if (opts.skus.length === 0) throw new Error("generatePurchaseOrders needs at least one SKU");
  const u = mulberry32(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(u() * (hi - lo + 1));
  const out: string[] = ["\uFEFF" + CSV_PO_HEADER.join(",")];
  let lines = 0;
  let orders = 0;
  while (lines < opts.lines) {
    orders += 1;
    const po = `${opts.poPrefix ?? "PO"}-${String(100_000 + orders)}`;
    const store = STORES[int(0, STORES.length - 1)];
    const day = `2026-03-${String(int(1, 28)).padStart(2, "0")}`;
    // A PO lists an item once: never more lines than there are SKUs (with fewer than 9 the search below found no free one and looped forever).
    const n = Math.min(int(1, 9), opts.lines - lines, opts.skus.length);
    const used = new Set<number>();
    for (let i = 1; i <= n; i++) {
      let k = int(0, opts.skus.length - 1);
      while (used.has(k)) k = (k + 1) % opts.skus.length;
      used.add(k);
      const byPart = u() < 0.4;
      const price = u() < 0.7 ? `${int(1, 200)}.${String(int(0, 99)).padStart(2, "0")}` : "";
      out.push([po, day, "USD", "Corner Shops Inc.", "orders@example.com", "+1 775 555 0100", quote(store[0]), quote(store[1]), store[2], store[3], "US", store[4], String(i), byPart ? "" : opts.skus[k], byPart ? opts.parts[k] : "", String(int(1, 24)), price, day, i === 1 ? quote("deliver to the back door, ring twice") : ""].join(","));
      lines += 1;
    }
  }
  return { text: out.join("\r\n") + "\r\n", lines, orders };
}
