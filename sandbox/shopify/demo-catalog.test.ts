import { describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";

describe("demo catalog", () => {
  const seed = demoShopSeed();
  const variants = seed.products.flatMap((p) => p.variants);

  it("is deterministic plain data", () => {
    expect(demoShopSeed()).toEqual(seed);
    expect(JSON.parse(JSON.stringify(seed))).toEqual(seed); // no classes, no BigInt
  });

  it("has three US locations with distinct cut-offs and real coordinates", () => {
    expect(seed.locations.map((l) => [l.address.city, l.address.provinceCode, l.carrierCutoff])).toEqual([
      ["Newark", "NJ", "15:00"], ["Dallas", "TX", "16:00"], ["Reno", "NV", "17:00"],
    ]);
    for (const l of seed.locations) {
      expect(l.address.latitude).toBeGreaterThan(24);
      expect(l.address.latitude).toBeLessThan(50);
      expect(l.address.longitude).toBeLessThan(-66);
      expect(l.dailyCapacity).toBeGreaterThan(0);
    }
  });

  it("has ~50 unique SKUs over ~15 products with uneven stock", () => {
    expect(seed.products.length).toBeGreaterThanOrEqual(15);
    expect(variants.length).toBeGreaterThanOrEqual(45);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    const absentSomewhere = variants.filter((v) => Object.keys(v.stock).length < seed.locations.length);
    const soldOut = variants.filter((v) => Object.values(v.stock).every((q) => q === 0));
    expect(absentSomewhere.length).toBeGreaterThan(5);
    expect(soldOut.length).toBeGreaterThanOrEqual(3);
    for (const v of variants) {
      expect(v.price).toMatch(/^\d+\.\d{2}$/);
      expect(v.weightGrams).toBeGreaterThan(0);
    }
  });

  it("uses 64-bit-looking ids above 2^53, distinct per shop domain", () => {
    const ids = [seed.id, ...seed.locations.map((l) => l.id), ...variants.flatMap((v) => [v.id, v.inventoryItemId])];
    for (const id of ids) expect(BigInt(id.split("/").pop()!) > 2n ** 53n).toBe(true);
    const other = demoShopSeed("second-shop.myshopify.com");
    expect(other.locations[0].id).not.toBe(seed.locations[0].id);
    expect(other.domain).toBe("second-shop.myshopify.com");
  });
});
