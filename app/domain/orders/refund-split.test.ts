import { describe, expect, it } from "vitest";
import { splitRefundLine, takeUnits } from "./refund-split";

describe("splitRefundLine", () => {
  it("cancel: the units never shipped go back and the line shrinks (unless the order already shows it)", () => {
    expect(splitRefundLine({ restockType: "cancel", quantity: 2 }, { quantity: 5, shipped: 0, reflected: false })).toEqual({ cancelUnits: 2, returnUnits: 0, lineQuantity: 3 });
    expect(splitRefundLine({ restockType: "cancel", quantity: 2 }, { quantity: 3, shipped: 0, reflected: true })).toEqual({ cancelUnits: 2, returnUnits: 0, lineQuantity: null });
  });

  it("return: shipped units come back as stock", () => {
    expect(splitRefundLine({ restockType: "return", quantity: 1 }, { quantity: 2, shipped: 2, reflected: false })).toEqual({ cancelUnits: 0, returnUnits: 1, lineQuantity: 1 });
  });

  it("legacy restock: cancels what was still open, returns the rest", () => {
    // 5 ordered, 3 shipped, 4 refunded: the 2 open units are cancelled, 2 shipped ones returned
    expect(splitRefundLine({ restockType: "legacy_restock", quantity: 4 }, { quantity: 5, shipped: 3, reflected: false })).toEqual({ cancelUnits: 2, returnUnits: 2, lineQuantity: 1 });
  });

  it("no restock moves nothing", () => {
    expect(splitRefundLine({ restockType: "no_restock", quantity: 4 }, { quantity: 5, shipped: 3, reflected: false })).toEqual({ cancelUnits: 0, returnUnits: 0, lineQuantity: null });
  });
});

describe("takeUnits", () => {
  it("takes from the first rows, part of the last", () => {
    expect(takeUnits([{ id: "a", quantity: 2 }, { id: "b", quantity: 5 }, { id: "c", quantity: 1 }], 4)).toEqual([
      { row: { id: "a", quantity: 2 }, units: 2 },
      { row: { id: "b", quantity: 5 }, units: 2 },
    ]);
    expect(takeUnits([{ quantity: 1 }], 0)).toEqual([]);
  });
});
