import { describe, expect, it } from "vitest";
import { anyStockLeft, backorderClaim, stockByVariant } from "./backorder-fill";

describe("backorder fill rules", () => {
  it("sums stock per variant over locations, a short location counting as none", () => {
    const stock = stockByVariant([
      { variantId: "v1", available: 3 },
      { variantId: "v1", available: -2 },
      { variantId: "v2", available: 0 },
    ]);
    expect([...stock]).toEqual([["v1", 3], ["v2", 0]]);
    expect(anyStockLeft(stock)).toBe(true);
    expect(anyStockLeft(new Map([["v2", 0]]))).toBe(false);
  });

  it("an order claims its backordered units of variants with stock, per line, and supersedes those rows", () => {
    const claim = backorderClaim(
      [
        { id: "a1", orderLineId: "l1", variantId: "v1", quantity: 2, status: "backordered" },
        { id: "a2", orderLineId: "l1", variantId: "v1", quantity: 1, status: "backordered" },
        { id: "a3", orderLineId: "l2", variantId: "v2", quantity: 5, status: "backordered" }, // no stock of v2
        { id: "a4", orderLineId: "l3", variantId: "v1", quantity: 4, status: "reserved" }, // already holds stock
        { id: "a5", orderLineId: "l4", variantId: null, quantity: 1, status: "backordered" }, // unknown item
      ],
      new Map([["v1", 1], ["v2", 0]]),
    );
    expect(claim).toEqual({ release: ["a1", "a2"], wanted: new Map([["l1", 3]]) });
  });

  it("an order waiting only for variants without stock claims nothing", () => {
    expect(backorderClaim([{ id: "a", orderLineId: "l", variantId: "v", quantity: 1, status: "backordered" }], new Map())).toBeNull();
  });
});
