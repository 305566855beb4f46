import { describe, expect, it } from "vitest";
import { ListingStore } from "./store";

function storeAt(delay: number) {
  let t = 1_000_000;
  const store = new ListingStore(() => t, delay);
  return { store, advance: (ms: number) => (t += ms), now: () => t };
}

describe("ListingStore visibility", () => {
  it("keeps accepted and buyer-visible quantities apart until the delay has passed", () => {
    const { store, advance, now } = storeAt(5000);
    store.add({ sku: "A", quantity: 4 });
    const accepted = now();
    store.acceptQuantity("A", 10, "listings-patch", "sub-1");
    expect(store.acceptedQuantity("A")).toBe(10);
    expect(store.visibleQuantity("A")).toBe(4);
    advance(5000);
    expect(store.visibleQuantity("A")).toBe(10);
    expect(store.visibleQuantity("A", accepted + 4999)).toBe(4); // history is answerable too
    expect(store.visibilityLog("A").map((u) => [u.quantity, u.visibleAt - u.acceptedAt, u.source])).toEqual([[4, 0, "seed"], [10, 5000, "listings-patch"]]);
  });

  it("a purchase lowers the visible quantity at once; a pending seller push still overrides it when it lands", () => {
    const { store, advance } = storeAt(5000);
    store.add({ sku: "A", quantity: 4 });
    store.acceptQuantity("A", 10, "feed", "feed-1");
    advance(1000);
    store.decrementForOrder("A", 3, "902-0000000-0000001");
    expect(store.visibleQuantity("A")).toBe(1);
    expect(store.acceptedQuantity("A")).toBe(10);
    advance(4000);
    expect(store.visibleQuantity("A")).toBe(10);
  });

  it("refuses bad quantities, duplicate SKUs and unknown SKUs", () => {
    const { store } = storeAt(0);
    store.add({ sku: "A" });
    expect(() => store.add({ sku: "A" })).toThrow(/already/);
    expect(() => store.acceptQuantity("A", 1.5, "feed")).toThrow(/non-negative integer/);
    expect(() => store.acceptQuantity("B", 1, "feed")).toThrow(/unknown SKU/);
    expect(store.visibleQuantity("B")).toBeUndefined();
    expect(() => new ListingStore(() => 0, -1)).toThrow(/visibilityDelayMs/);
  });
});
