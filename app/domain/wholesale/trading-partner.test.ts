import { describe, expect, it } from "vitest";
import { checkTradingPartner, indexPartnerItems, nextControlNumber, resolveBuyerItem } from "./trading-partner";

const { bySku, byBuyerPart } = indexPartnerItems([
  { sku: "SKU-1", buyerPartNumber: "BP-1", unitPriceMinor: 1200 },
  { sku: "SKU-2", buyerPartNumber: null, unitPriceMinor: 450 },
]);
const catalog = new Set(["SKU-1", "SKU-2", "SKU-3"]);
const known = (sku: string) => catalog.has(sku);

describe("resolveBuyerItem", () => {
  it("takes the buyer's mapped part number first, with its agreed price", () => {
    expect(resolveBuyerItem({ vendorPartNumber: null, buyerPartNumber: "BP-1" }, bySku, byBuyerPart, known)).toEqual({ ok: true, sku: "SKU-1", listPriceMinor: 1200 });
    expect(resolveBuyerItem({ vendorPartNumber: "SKU-1", buyerPartNumber: "BP-1" }, bySku, byBuyerPart, known)).toEqual({ ok: true, sku: "SKU-1", listPriceMinor: 1200 });
  });
  it("takes a vendor part number that is one of our SKUs, with the list price when there is one", () => {
    expect(resolveBuyerItem({ vendorPartNumber: "SKU-2", buyerPartNumber: null }, bySku, byBuyerPart, known)).toEqual({ ok: true, sku: "SKU-2", listPriceMinor: 450 });
    expect(resolveBuyerItem({ vendorPartNumber: "SKU-3", buyerPartNumber: "UNMAPPED" }, bySku, byBuyerPart, known)).toEqual({ ok: true, sku: "SKU-3", listPriceMinor: null });
  });
  it("refuses a contradiction, an unknown item and a line that names none, saying which", () => {
    expect(resolveBuyerItem({ vendorPartNumber: "SKU-2", buyerPartNumber: "BP-1" }, bySku, byBuyerPart, known)).toEqual({ ok: false, message: "buyer part number BP-1 is mapped to SKU SKU-1, but the line names SKU SKU-2" });
    expect(resolveBuyerItem({ vendorPartNumber: "X", buyerPartNumber: null }, bySku, byBuyerPart, known)).toEqual({ ok: false, message: "unknown SKU X" });
    expect(resolveBuyerItem({ vendorPartNumber: null, buyerPartNumber: "BP-9" }, bySku, byBuyerPart, known)).toMatchObject({ ok: false, message: expect.stringContaining("BP-9 is not mapped") });
    expect(resolveBuyerItem({ vendorPartNumber: "X", buyerPartNumber: "BP-9" }, bySku, byBuyerPart, known)).toMatchObject({ ok: false, message: expect.stringContaining("SKU X is not in the catalog and buyer part number BP-9") });
    expect(resolveBuyerItem({ vendorPartNumber: " ", buyerPartNumber: null }, bySku, byBuyerPart, known)).toMatchObject({ ok: false, message: expect.stringContaining("names no item") });
  });
});

describe("checkTradingPartner", () => {
  it("takes a partner without X12, and one with all six ids; blank fields count as absent", () => {
    expect(checkTradingPartner({ code: "A", name: "A", currency: "USD", isaId: " " })).toMatchObject({ ok: true, partner: { documents: [], usage: "P", x12Version: "004010" } });
    const six = { isaQualifier: "ZZ", isaId: "THEM", gsId: "TG", ourIsaQualifier: "01", ourIsaId: "123456789", ourGsId: "OG" };
    expect(checkTradingPartner({ code: "A", name: "A", currency: "USD", ...six, documents: ["855"] }).ok).toBe(true);
  });
  it("refuses documents without X12 ids, and ids longer than the envelope holds", () => {
    expect(checkTradingPartner({ code: "A", name: "A", currency: "USD", documents: ["810"] })).toEqual({ ok: false, errors: ["documents: documents are sent by X12: give the partner's and our interchange ids"] });
    const check = checkTradingPartner({ code: "A", name: "A", currency: "USD", isaQualifier: "ZZZ", isaId: "X".repeat(16), gsId: "G", ourIsaQualifier: "ZZ", ourIsaId: "US", ourGsId: "UG" });
    expect(check.ok ? [] : check.errors).toEqual(["isaQualifier: two characters, such as ZZ, 01 or 12", "isaId: 1–15 printable characters", "gsId: 2–15 printable characters"]);
  });
});

describe("nextControlNumber", () => {
  it("counts up and wraps past nine digits to 1", () => {
    expect(nextControlNumber(0)).toBe(1);
    expect(nextControlNumber(41)).toBe(42);
    expect(nextControlNumber(999_999_999)).toBe(1);
  });
});
