import { describe, expect, it } from "vitest";
import { apiOrderSchema, canonicalRequest, checkApiOrder, schemaProblems, toChannelOrder } from "./api-order";

const parse = (body: unknown) => apiOrderSchema.parse(body);
const NOW = new Date("2026-11-20T10:00:00.000Z");

describe("the body of POST /api/v1/orders", () => {
  it("lists every problem of a bad body at once, each with its field", () => {
    const result = apiOrderSchema.safeParse({ channel: "amazon", externalId: " spaced ", currency: "usd", placedAt: "yesterday", lines: [{ sku: "", quantity: 0 }, { sku: "A", quantity: 1.5, priceMinor: -1 }], extra: 1 });
    expect(result.success).toBe(false);
    const problems = result.success ? [] : schemaProblems(result.error);
    for (const field of ["channel", "externalId", "currency", "placedAt", "lines.0.sku", "lines.0.quantity", "lines.1.quantity", "lines.1.priceMinor", "(body)"]) {
      expect(problems.some((p) => p.startsWith(`${field}: `)), field).toBe(true);
    }
  });

  it("needs at least one line", () => {
    const result = apiOrderSchema.safeParse({ lines: [] });
    expect(result.success ? [] : schemaProblems(result.error)).toEqual(["lines: an order needs at least one line"]);
  });
});

describe("checking an order against the shop's catalog", () => {
  it("lists unknown SKUs and repeated line ids together", () => {
    const order = parse({ lines: [{ sku: "A", quantity: 1 }, { sku: "NOPE", quantity: 1, externalId: "1" }, { sku: "B", quantity: 2 }] });
    expect(checkApiOrder(order, new Set(["A", "B"]))).toEqual(["lines.1.externalId: 1 is also line 0's id", "lines.1.sku: no product variant of this shop has SKU NOPE"]);
    expect(checkApiOrder(parse({ lines: [{ sku: "A", quantity: 1 }] }), new Set(["A"]))).toEqual([]);
  });
});

describe("the order as a channel's order", () => {
  it("fills what the body leaves out: name, currency, total, line ids, placed now", () => {
    const order = toChannelOrder(parse({ lines: [{ sku: "A", quantity: 2, priceMinor: 1250 }, { sku: "B", quantity: 1 }] }), { externalId: "api-1" }, { currency: "EUR", placedAt: NOW });
    expect(order).toMatchObject({ externalId: "api-1", name: "api-1", currency: "EUR", totalMinor: 2500, placedAt: NOW.toISOString(), updatedAt: NOW.toISOString(), cancelledAt: null, shipTo: null });
    expect(order.lines).toEqual([
      { externalId: "1", sku: "A", variantExternalId: null, title: "A", quantity: 2, priceMinor: 1250 },
      { externalId: "2", sku: "B", variantExternalId: null, title: "B", quantity: 1, priceMinor: 0 },
    ]);
  });

  it("keeps what the body says", () => {
    const body = parse({ externalId: "W-1", name: "Wholesale W-1", currency: "USD", placedAt: "2026-11-19T08:00:00+02:00", totalMinor: 99, customer: { name: "Acme" }, shipTo: { city: "Reno", countryCode: "US", zip: "89501" }, lines: [{ externalId: "L1", sku: "A", title: "Anvil", quantity: 3 }] });
    const order = toChannelOrder(body, { externalId: "W-1" }, { currency: "EUR", placedAt: NOW });
    expect(order).toMatchObject({ name: "Wholesale W-1", currency: "USD", totalMinor: 99, placedAt: "2026-11-19T06:00:00.000Z", customerName: "Acme", shipTo: { city: "Reno", countryCode: "US", zip: "89501", latitude: null } });
    expect(order.lines[0]).toMatchObject({ externalId: "L1", title: "Anvil" });
  });
});

describe("the request's fingerprint", () => {
  it("is the same whatever order the keys come in, and differs with the content or the channel", () => {
    const a = canonicalRequest(parse({ externalId: "X", lines: [{ sku: "A", quantity: 1 }] }), "ch1");
    const b = canonicalRequest(parse({ lines: [{ quantity: 1, sku: "A" }], externalId: "X", channel: "manual" }), "ch1");
    expect(a).toBe(b);
    expect(canonicalRequest(parse({ externalId: "X", lines: [{ sku: "A", quantity: 2 }] }), "ch1")).not.toBe(a);
    expect(canonicalRequest(parse({ externalId: "X", lines: [{ sku: "A", quantity: 1 }] }), "ch2")).not.toBe(a);
  });
});
