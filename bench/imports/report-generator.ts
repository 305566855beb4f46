import { mulberry32 } from "../oversell/prng";

// A deterministic Amazon all-orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL) of any number of
// lines, in Amazon's 33 columns: orders of 1–4 items (mean ≈ 1.5), 78 % merchant-fulfilled (of which a few are
// cancelled with quantity 0, a few shipped), 20 % FBA, 2 % multi-channel (Non-Amazon); taxes, shipping, promotion
// discounts and ids, business orders with PO numbers, product names with commas and quotes, US addresses, dates as
// Amazon writes them (+00:00). CRLF line ends and a UTF-8 BOM, as a file saved from Seller Central may have.

export const ALL_ORDERS_COLUMNS = [
  "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel", "sales-channel", "order-channel",
  "ship-service-level", "product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price", "shipping-tax",
  "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
  "promotion-ids", "cpf", "is-business-order", "purchase-order-number", "price-designation", "signature-confirmation-recommended",
];

const CITIES = [["SEATTLE", "WA", "98109"], ["KERRVILLE", "TX", "78028-6411"], ["Brooklyn", "NY", "11201"], ["Clinton Township", "MI", "48035"], ["PORT ARTHUR", "TX", "77642-6487"], ["North Andover", "MA", "01845"], ["Denver", "CO", "80202"], ["SAN JOSE", "CA", "95112-3310"]];
const NAMES = ["Beyond Meat Beyond Burger Plant-Based Patties 2 pk, 8 oz (Frozen)", "House Foods, Tofu Shirataki, Spaghetti Shaped Tofu, 8 oz", 'Carry-on 22" Spinner, Black', "Merino Tee – Men's, Navy", "Travel Mug 12 oz, \"Stay Hot\" Lid"];
const LEVELS = ["Standard", "Standard", "Standard", "Expedited", "SecondDay", "NextDay"];

export interface GeneratedReport {
  text: string;
  lines: number;
  orders: number;
}

const money = (minor: number) => (minor / 100).toFixed(2);
const time = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "+00:00");

export function generateAllOrdersReport(opts: { lines: number; seed: number; skus: string[]; start?: number }): GeneratedReport {
  const u = mulberry32(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(u() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(u() * items.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(u() * 10)).join("");
  const out: string[] = ["\uFEFF" + ALL_ORDERS_COLUMNS.join("\t")];
  let lines = 0;
  let orders = 0;
  let t = opts.start ?? Date.parse("2026-02-01T00:00:00Z");
  const used = new Set<string>();
  while (lines < opts.lines) {
    let id: string;
    do id = `${pick(["111", "112", "113", "114"])}-${digits(7)}-${digits(7)}`;
    while (used.has(id));
    used.add(id);
    orders += 1;
    t += int(1, 40) * 1000;
    const r = u();
    const afn = r < 0.2;
    const mcf = r >= 0.2 && r < 0.22;
    const state = afn ? "Shipped" : u() < 0.04 ? "Cancelled" : u() < 0.1 ? "Shipped" : u() < 0.05 ? "Pending" : "Unshipped";
    const items = Math.min(opts.lines - lines, u() < 0.6 ? 1 : u() < 0.6 ? 2 : int(3, 4));
    const [city, st, zip] = pick(CITIES);
    const business = !afn && u() < 0.05;
    const promo = u() < 0.15;
    const updated = time(t + int(60, 86_400) * 1000);
    const skus = new Set<string>();
    for (let i = 0; i < items; i++) {
      let sku: string;
      do sku = pick(opts.skus);
      while (skus.has(sku) && skus.size < opts.skus.length);
      skus.add(sku);
      const quantity = state === "Cancelled" ? 0 : u() < 0.85 ? 1 : int(2, 5);
      const unit = int(499, 15_999);
      const price = unit * Math.max(quantity, 1);
      const row: Record<string, string> = {
        "amazon-order-id": mcf ? `S01-${id.slice(4)}` : id,
        "purchase-date": time(t),
        "last-updated-date": updated,
        "order-status": state,
        "fulfillment-channel": afn || mcf ? "Amazon" : "Merchant",
        "sales-channel": mcf ? "Non-Amazon" : "Amazon.com",
        "order-channel": afn ? "" : "WebsiteOrderChannel",
        "ship-service-level": pick(LEVELS),
        "product-name": pick(NAMES),
        sku,
        asin: `B0${digits(8)}`,
        "item-status": state === "Cancelled" ? "Cancelled" : state === "Shipped" ? "Shipped" : "Unshipped",
        quantity: String(quantity),
        currency: state === "Pending" ? "" : "USD",
        "item-price": state === "Pending" ? "" : money(price),
        "item-tax": state === "Pending" ? "" : money(Math.round(price * 0.0825)),
        "shipping-price": state === "Pending" || u() < 0.5 ? "" : money(499),
        "shipping-tax": "",
        "gift-wrap-price": "",
        "gift-wrap-tax": "",
        "item-promotion-discount": promo && state !== "Pending" ? money(-Math.round(price * 0.1)) : "",
        "ship-promotion-discount": "",
        "ship-city": city,
        "ship-state": st,
        "ship-postal-code": zip,
        "ship-country": "US",
        "promotion-ids": promo ? `PLM-${digits(6)} Core Free Shipping Promo,PLM-${digits(6)}` : "",
        cpf: "",
        "is-business-order": business ? "true" : "false",
        "purchase-order-number": business ? `PO-${digits(8)}` : "",
        "price-designation": business ? "BusinessPrice" : "",
        "signature-confirmation-recommended": "false",
      };
      out.push(ALL_ORDERS_COLUMNS.map((c) => row[c]).join("\t"));
      lines += 1;
    }
  }
  return { text: out.join("\r\n") + "\r\n", lines, orders };
}
