import { describe, expect, it } from "vitest";
import { parsePriceList, priceListCsv } from "./price-list";

describe("parsePriceList", () => {
  it("reads sku, buyer part number and price (aliases, any case, ; with a decimal comma, Windows-1252)", () => {
    expect(parsePriceList("SKU,Buyer Part Number,Price\r\nA,BP-1,12.50\r\nB,,3\r\nC,BP-3,\r\n", { currency: "USD" })).toEqual({
      ok: true,
      notes: [],
      items: [{ line: 2, sku: "A", buyerPartNumber: "BP-1", unitPriceMinor: 1250 }, { line: 3, sku: "B", buyerPartNumber: null, unitPriceMinor: 300 }, { line: 4, sku: "C", buyerPartNumber: "BP-3", unitPriceMinor: null }],
    });
    const latin1 = Uint8Array.from([..."sku;bpn;agreed price\nÉTÉ-1;X;12,5\n"].map((c) => c.charCodeAt(0)));
    expect(parsePriceList(latin1, { currency: "EUR" })).toEqual({ ok: true, notes: ["the file is not UTF-8: read as Windows-1252"], items: [{ line: 2, sku: "ÉTÉ-1", buyerPartNumber: "X", unitPriceMinor: 1250 }] });
  });

  it("lists every bad line with its number and takes nothing", () => {
    const read = parsePriceList("sku,buyer_part_number,unit_price\nA,BP-1,-1\nA,BP-2,1.234\n,BP-3,1\nD,BP-1,x\nE,,\n", { currency: "USD" });
    expect(read).toEqual({
      ok: false,
      errors: [
        'line 2: unit_price "-1" is negative',
        "line 3: unit_price 1.234 has more decimals than USD has (2); SKU A is also on line 2",
        "line 4: sku is missing",
        'line 5: unit_price "x" is not a number (write e.g. 12.50); buyer part number BP-1 is also on line 2 (for SKU A)',
        "line 6: SKU E has neither a buyer part number nor a price",
      ],
    });
  });

  it("refuses a file that is not a price list, saying why", () => {
    expect(parsePriceList("", { currency: "USD" })).toEqual({ ok: false, errors: ["The file is empty."] });
    expect(parsePriceList("name,colour\nx,y\n", { currency: "USD" })).toMatchObject({ ok: false, errors: [expect.stringMatching(/^The first line is not a price-list header/)] });
    expect(parsePriceList("sku\nA\n", { currency: "USD" })).toMatchObject({ ok: false, errors: [expect.stringMatching(/neither buyer_part_number nor unit_price/)] });
    expect(parsePriceList("sku,price\n", { currency: "USD" })).toMatchObject({ ok: false, errors: [expect.stringMatching(/no items: nothing was changed/)] });
  });

  it("writes the list back as the CSV it is uploaded as", () => {
    const items = [{ sku: "A", buyerPartNumber: "BP,1", unitPriceMinor: 1250 }, { sku: "B", buyerPartNumber: null, unitPriceMinor: null }];
    const text = priceListCsv(items, "USD");
    expect(text).toBe('sku,buyer_part_number,unit_price\r\nA,"BP,1",12.50\r\nB,,\r\n');
    expect(parsePriceList(text, { currency: "USD" })).toMatchObject({ ok: false }); // B has neither: a list must say something per SKU
    expect(parsePriceList(priceListCsv([items[0]], "USD"), { currency: "USD" })).toMatchObject({ ok: true, items: [{ sku: "A", buyerPartNumber: "BP,1", unitPriceMinor: 1250 }] });
  });
});
