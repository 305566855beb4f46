import { describe, expect, it } from "vitest";
import { allocationAfterLineChanges, linesToRelease, planLineChanges, type StoredLine } from "./plan-line-changes";

const held: StoredLine[] = [
  { id: "l1", externalId: "a", variantId: "v1", sku: "RED", quantity: 2 },
  { id: "l2", externalId: "b", variantId: "v2", sku: "BLUE", quantity: 1 },
  { id: "l3", externalId: "c", variantId: null, sku: "MYSTERY", quantity: 1 },
];
const same = held.map(({ externalId, variantId, sku, quantity }) => ({ externalId, variantId, sku, quantity }));

describe("planLineChanges", () => {
  it("the same lines: nothing changed, nothing to release", () => {
    const changes = planLineChanges(held, same);
    expect(changes).toEqual({ added: [], replaced: [], removed: [], requantified: [], changed: false });
    expect(allocationAfterLineChanges("reserved", changes)).toBe("none");
  });

  it("a line whose variant changed at the same quantity is a replacement: what it holds is released first", () => {
    const changes = planLineChanges(held, [{ ...same[0], variantId: "v9", sku: "GREEN" }, same[1], same[2]]);
    expect(changes.replaced).toEqual([{ lineId: "l1", externalId: "a", from: "variant:v1", to: "variant:v9" }]);
    expect(changes.requantified).toEqual([]);
    expect(changes.changed).toBe(true);
    expect(linesToRelease(changes)).toEqual(["l1"]);
  });

  it("a line of an unknown item is told apart by its SKU; the item becoming known is a replacement too", () => {
    expect(planLineChanges(held, [same[0], same[1], { ...same[2], sku: "OTHER" }]).replaced).toEqual([{ lineId: "l3", externalId: "c", from: "sku:MYSTERY", to: "sku:OTHER" }]);
    expect(planLineChanges(held, [same[0], same[1], { ...same[2], variantId: "v3" }]).replaced).toEqual([{ lineId: "l3", externalId: "c", from: "sku:MYSTERY", to: "variant:v3" }]);
    // Same variant, SKU text renamed in the catalog: the same item.
    expect(planLineChanges(held, [{ ...same[0], sku: "RED-2024" }, same[1], same[2]]).changed).toBe(false);
  });

  it("quantity changes, added lines and lines no longer listed", () => {
    const changes = planLineChanges(held, [{ ...same[0], quantity: 5 }, same[2], { externalId: "d", variantId: "v4", sku: "NEW", quantity: 1 }]);
    expect(changes.requantified).toEqual([{ lineId: "l1", externalId: "a", from: 2, to: 5 }]);
    expect(changes.added).toEqual(["d"]);
    expect(changes.removed).toEqual([{ lineId: "l2", externalId: "b" }]);
    expect(linesToRelease(changes)).toEqual(["l2"]);
  });

  it("a line removed before (quantity 0) and still not listed is not removed again", () => {
    const gone = [{ ...held[0], quantity: 0 }, held[1]];
    expect(planLineChanges(gone, [same[1]]).changed).toBe(false);
  });
});

describe("allocationAfterLineChanges", () => {
  const replaced = planLineChanges(held, [{ ...same[0], variantId: "v9" }, same[1], same[2]]);
  const requantified = planLineChanges(held, [{ ...same[0], quantity: 1 }, same[1], same[2]]);

  it("before picking the order is re-routed whole", () => {
    for (const status of ["received", "reserved", "backordered", "routed"]) expect(allocationAfterLineChanges(status, replaced)).toBe("reroute");
  });

  it("once shipping started, what the lines miss is reserved on top; finished orders take no stock", () => {
    expect(allocationAfterLineChanges("partially_shipped", requantified)).toBe("top_up");
    expect(allocationAfterLineChanges("picking", replaced)).toBe("top_up");
    expect(allocationAfterLineChanges("picking", requantified)).toBe("none");
    for (const status of ["shipped", "delivered", "returned", "cancelled"]) expect(allocationAfterLineChanges(status, replaced)).toBe("none");
  });
});
