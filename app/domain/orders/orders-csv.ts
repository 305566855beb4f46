import { currencyExponent, formatDecimal } from "../shared/money";

// Orders as a spreadsheet (GET /api/v1/orders.csv): one row per order line, the order's columns repeated on each,
// money as exact decimals in the order's currency, where each line's units are held. An order without lines
// still gets one row (its line columns empty), so no order drops out of the export.

export const ORDER_CSV_COLUMNS = [
  "order_id", "order_name", "channel", "external_id", "status", "placed_at", "currency", "order_total",
  "customer", "ship_city", "ship_province", "ship_country",
  "line_external_id", "sku", "title", "quantity", "unit_price", "line_total", "allocated_locations", "backordered_quantity",
] as const;

export type OrderCsvCell = string | number | null;

export interface CsvOrder {
  id: string;
  name: string;
  externalId: string;
  status: string;
  placedAt: string;
  currency: string;
  totalMinor: number;
  customerName: string | null;
  shipCity: string | null;
  shipProvince: string | null;
  shipCountryCode: string | null;
  channel: { kind: string };
  lines: {
    externalId: string;
    sku: string | null;
    title: string;
    quantity: number;
    priceMinor: number;
    allocations: { quantity: number; status: string; location: { name: string } | null }[];
  }[];
}

/** "Dallas (2); Newark (1)": units reserved or shipped per location, in the order they were allocated. */
export function allocatedLocations(allocations: CsvOrder["lines"][number]["allocations"]): string {
  const units = new Map<string, number>();
  for (const a of allocations) {
    if ((a.status !== "reserved" && a.status !== "fulfilled") || a.location === null) continue;
    units.set(a.location.name, (units.get(a.location.name) ?? 0) + a.quantity);
  }
  return [...units].map(([name, quantity]) => `${name} (${quantity})`).join("; ");
}

/** price × quantity as a decimal, exact even past 2^53 minor units (a big line of a big price). */
function lineTotal(priceMinor: number, quantity: number, currency: string): string {
  const product = priceMinor * quantity;
  if (Number.isSafeInteger(product)) return formatDecimal(product, currency);
  const exp = currencyExponent(currency);
  const digits = (BigInt(priceMinor) * BigInt(quantity)).toString().replace("-", "").padStart(exp + 1, "0");
  const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return product < 0 ? `-${text}` : text;
}

/** The order's rows, in ORDER_CSV_COLUMNS order. */
export function orderCsvRows(order: CsvOrder): OrderCsvCell[][] {
  const head: OrderCsvCell[] = [
    order.id, order.name, order.channel.kind, order.externalId, order.status, order.placedAt, order.currency, formatDecimal(order.totalMinor, order.currency),
    order.customerName, order.shipCity, order.shipProvince, order.shipCountryCode,
  ];
  if (order.lines.length === 0) return [[...head, null, null, null, null, null, null, null, null]];
  return order.lines.map((l) => [
    ...head,
    l.externalId, l.sku, l.title, l.quantity, formatDecimal(l.priceMinor, order.currency), lineTotal(l.priceMinor, l.quantity, order.currency),
    allocatedLocations(l.allocations),
    l.allocations.filter((a) => a.status === "backordered").reduce((sum, a) => sum + a.quantity, 0),
  ]);
}
