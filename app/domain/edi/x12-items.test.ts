import { describe, expect, it } from "vitest";
import { gtinQualifier, itemIdPairs, priceText } from "./x12-items";
import { X12Values } from "./x12-write";

const values = new X12Values({ element: "*", component: ">", segment: "~", repetition: null });

describe("item ids on the documents we send", () => {
  it("names a GTIN by its length", () => {
    expect([gtinQualifier("036000291452"), gtinQualifier("4006381333931"), gtinQualifier("12345670"), gtinQualifier("10036000291459"), gtinQualifier("123")]).toEqual(["UP", "EN", "EN", "UK", null]);
  });

  it("writes VP, BP and the GTIN, or the buyer's own pairs when given", () => {
    expect(itemIdPairs({ vendorPartNumber: "SKU-1", buyerPartNumber: "B1", gtin: "036000291452" }, values, "line")).toEqual(["VP", "SKU-1", "BP", "B1", "UP", "036000291452"]);
    expect(itemIdPairs({ vendorPartNumber: "SKU-1", productIds: [{ qualifier: "CB", value: "065322-117" }, { qualifier: "PD", value: "BIG ~ WIDGET" }] }, values, "line")).toEqual(["CB", "065322-117", "PD", "BIG WIDGET"]);
    expect(() => itemIdPairs({}, values, "lines[3]")).toThrow("lines[3] names no item");
    expect(() => itemIdPairs({ gtin: "12345" }, values, "line")).toThrow('line.gtin "12345" is not 8, 12, 13 or 14 digits');
  });

  it("echoes a decimal price in canonical form", () => {
    expect([priceText("009.250", "p"), priceText(null, "p"), priceText("", "p")]).toEqual(["9.25", null, null]);
    expect(() => priceText("-1", "p")).toThrow('p "-1" is not a decimal price');
  });
});
