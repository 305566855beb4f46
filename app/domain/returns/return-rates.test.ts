import { describe, expect, it } from "vitest";
import { returnRates } from "./return-rates";

describe("returnRates", () => {
  it("per product: returned units over shipped units, highest rate first; reasons by units with their share", () => {
    const shipped = [
      { productId: "p1", title: "Tee", units: 10 },
      { productId: "p2", title: "Cap", units: 4 },
      { productId: "p3", title: "Sock", units: 50 },
      { productId: "p1", title: "Tee", units: 10 }, // a product may come in several rows
    ];
    const returned = [
      { productId: "p1", title: "Tee", reason: "wrong_size", units: 3 },
      { productId: "p1", title: "Tee", reason: "damaged", units: 1 },
      { productId: "p2", title: "Cap", reason: "wrong_size", units: 2 },
    ];
    const r = returnRates(shipped, returned);
    expect(r).toEqual({
      days: 90,
      shipped: 74,
      returned: 6,
      rate: 6 / 74,
      products: [
        { productId: "p2", title: "Cap", shipped: 4, returned: 2, rate: 0.5 },
        { productId: "p1", title: "Tee", shipped: 20, returned: 4, rate: 0.2 },
      ],
      reasons: [
        { reason: "wrong_size", units: 5, share: 5 / 6 },
        { reason: "damaged", units: 1, share: 1 / 6 },
      ],
    });
  });

  it("a product returned but not shipped through the app has no rate and comes first; nothing at all is empty, not NaN", () => {
    const r = returnRates([{ productId: "p1", title: "Tee", units: 2 }], [{ productId: "p1", title: "Tee", reason: "other", units: 1 }, { productId: "p9", title: "Old", reason: "other", units: 1 }]);
    expect(r.products.map((p) => [p.title, p.rate])).toEqual([["Old", null], ["Tee", 0.5]]);
    expect(returnRates([], [])).toEqual({ days: 90, shipped: 0, returned: 0, rate: null, products: [], reasons: [] });
  });

  it("ties go to the most returned, then by title; the list is cut at the limit", () => {
    const shipped = ["A", "B", "C"].map((t) => ({ productId: t, title: t, units: t === "A" ? 10 : 20 }));
    const returned = [
      { productId: "A", title: "A", reason: "x", units: 1 },
      { productId: "B", title: "B", reason: "x", units: 2 },
      { productId: "C", title: "C", reason: "x", units: 2 },
    ];
    expect(returnRates(shipped, returned).products.map((p) => p.title)).toEqual(["B", "C", "A"]);
    expect(returnRates(shipped, returned, { limit: 1 }).products.map((p) => p.title)).toEqual(["B"]);
  });
});
