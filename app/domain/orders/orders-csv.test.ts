import { describe, expect, it } from "vitest";
import { ORDER_CSV_COLUMNS, allocatedLocations, orderCsvRows, type CsvOrder } from "./orders-csv";

const order: CsvOrder = {
  id: "o-1", name: "#1001", externalId: "5001", status: "reserved", placedAt: "2026-11-20T10:00:00.000Z", currency: "USD", totalMinor: 3599,
  customerName: "Ada", shipCity: "Reno", shipProvince: "NV", shipCountryCode: "US", channel: { kind: "shopify" },
  lines: [
    {
      externalId: "l1", sku: "MUG", title: "Mug", quantity: 3, priceMinor: 1000,
      allocations: [
        { quantity: 1, status: "reserved", location: { name: "Dallas" } },
        { quantity: 1, status: "released", location: { name: "Newark" } },
        { quantity: 1, status: "fulfilled", location: { name: "Dallas" } },
        { quantity: 1, status: "backordered", location: null },
      ],
    },
    { externalId: "l2", sku: null, title: "Fee", quantity: 1, priceMinor: 599, allocations: [] },
  ],
};

describe("orders as CSV rows", () => {
  it("one row per line, the order's columns repeated, money as decimals", () => {
    const rows = orderCsvRows(order);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.length === ORDER_CSV_COLUMNS.length)).toBe(true);
    const named = rows.map((r) => Object.fromEntries(ORDER_CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(named[0]).toMatchObject({ order_id: "o-1", channel: "shopify", order_total: "35.99", sku: "MUG", quantity: 3, unit_price: "10.00", line_total: "30.00", allocated_locations: "Dallas (2)", backordered_quantity: 1 });
    expect(named[1]).toMatchObject({ order_id: "o-1", ship_city: "Reno", sku: null, unit_price: "5.99", allocated_locations: "", backordered_quantity: 0 });
  });

  it("keeps an order without lines as one row, and line totals exact past 2^53", () => {
    const [row] = orderCsvRows({ ...order, lines: [] });
    expect(row.slice(0, 3)).toEqual(["o-1", "#1001", "shopify"]);
    expect(row.slice(12).every((c) => c === null)).toBe(true);
    const big = orderCsvRows({ ...order, lines: [{ externalId: "x", sku: "X", title: "X", quantity: 1_000_000, priceMinor: 100_000_000_000_000, allocations: [] }] });
    expect(big[0][ORDER_CSV_COLUMNS.indexOf("line_total")]).toBe("1000000000000000000.00");
    expect(allocatedLocations([{ quantity: 2, status: "reserved", location: { name: "A" } }, { quantity: 1, status: "reserved", location: { name: "B" } }])).toBe("A (2); B (1)");
  });
});
