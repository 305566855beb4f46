import { describe, expect, it } from "vitest";
import { csvPoTemplate } from "./csv-po-columns";
import { parseCsvPurchaseOrders } from "./csv-po";

const HEADER = "po_number,order_date,currency,buyer_name,email,phone,ship_to_name,ship_to_address1,ship_to_city,ship_to_province,ship_to_country,ship_to_zip,line_number,sku,buyer_part_number,quantity,unit_price,requested_ship_date,notes";
const SHIP = "Corner Shop,100 Main St,Reno,NV,US,89501";
const row = (po: string, line: string, sku: string, qty: string, price = "12.50", extra: { date?: string; ship?: string; bpn?: string; notes?: string } = {}) =>
  `${po},${extra.date ?? "2026-03-01"},USD,Corner Shops,buyer@example.com,+1 775 555 0100,${extra.ship ?? SHIP},${line},${sku},${extra.bpn ?? ""},${qty},${price},2026-03-10,${extra.notes ?? ""}`;
const file = (...rows: string[]) => [HEADER, ...rows].join("\r\n") + "\r\n";
const messages = (text: string | Uint8Array) => parseCsvPurchaseOrders(text).lines.map((l) => [l.line, l.ok, l.message]);

describe("parseCsvPurchaseOrders", () => {
  it("reads one row per PO line, groups a PO's rows wherever they stand, and takes PO fields given once", () => {
    const parsed = parseCsvPurchaseOrders(file(row("PO-1", "1", "SKU-A", "12"), row("PO-2", "1", "SKU-B", "1"), `PO-1,,,,,,,,,,,,2,SKU-B,,3,,,`));
    expect(parsed.fileError).toBeNull();
    expect(parsed.totalLines).toBe(3);
    expect(parsed.lines.every((l) => l.ok)).toBe(true);
    expect(parsed.documents.map((d) => [d.key, d.lines])).toEqual([["PO-1", [2, 4]], ["PO-2", [3]]]);
    const po = parsed.documents[0].payload;
    expect(po).toMatchObject({ poNumber: "PO-1", orderDate: "2026-03-01T00:00:00.000Z", currency: "USD", buyerName: "Corner Shops", email: "buyer@example.com", shipTo: { name: "Corner Shop", address1: "100 Main St", city: "Reno", province: "NV", countryCode: "US", zip: "89501" }, order: null });
    expect(po.lines).toEqual([
      { line: 2, lineId: "1", sku: "SKU-A", buyerPartNumber: null, quantity: 12, unitPrice: "12.50", requestedShipDate: "2026-03-10T00:00:00.000Z", notes: null },
      { line: 4, lineId: "2", sku: "SKU-B", buyerPartNumber: null, quantity: 3, unitPrice: null, requestedShipDate: null, notes: null },
    ]);
    expect(parsed.notes).toEqual(["comma-separated"]);
  });

  it("reads semicolons with a decimal comma, tabs, a BOM, CR or LF line ends, aliases in any case, and notes unknown columns once", () => {
    const semi = "\uFEFFPO Number;Ship To Name;Address;City;Country;SKU;Qty;Price;Colour\rA-1;Shop;1 Rue;Lyon;fr;S-1;2;12,50;red\rA-1;Shop;1 Rue;Lyon;FR;S-2;1;3;blue\r";
    const parsed = parseCsvPurchaseOrders(new TextEncoder().encode(semi));
    expect(parsed.fileError).toBeNull();
    expect(parsed.documents[0].payload.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.lineId])).toEqual([["S-1", 2, "12.50", "1"], ["S-2", 1, "3", "2"]]);
    expect(parsed.documents[0].payload.shipTo.countryCode).toBe("FR");
    expect(parsed.notes).toEqual(["semicolon-separated", 'columns not read (not purchase-order columns): "Colour"']);
    const tabbed = parseCsvPurchaseOrders("po\tship_to_name\tship_to_address1\tship_to_city\tship_to_country\tbuyer_part_number\tquantity\nB-7\tShop\t1 St\tReno\tUS\tBP-1\t4\n");
    expect(tabbed.documents[0].payload.lines[0]).toMatchObject({ sku: null, buyerPartNumber: "BP-1", quantity: 4 });
  });

  it("reads Windows-1252 (a legacy spreadsheet's CSV) and quoted values holding the delimiter, quotes and line breaks", () => {
    const text = `${HEADER}\r\n"PO-9",2026-03-01,USD,"Müller, GmbH",,,"Café ""Zur Post""","Hauptstr. 1\nHinterhaus",Köln,,DE,50667,1,SKU-A,,2,1.00,,"two\nlines"\r\n`;
    const latin1 = Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
    const parsed = parseCsvPurchaseOrders(latin1);
    expect(parsed.notes).toContain("the file is not UTF-8: read as Windows-1252");
    const po = parsed.documents[0].payload;
    expect([po.buyerName, po.shipTo.name, po.shipTo.address1, po.shipTo.city, po.lines[0].notes]).toEqual(["Müller, GmbH", 'Café "Zur Post"', "Hauptstr. 1 Hinterhaus", "Köln", "two lines"]);
  });

  it("says every problem of a line at once, with its number, and refuses the rest of its PO", () => {
    const parsed = parseCsvPurchaseOrders(file(
      row("PO-1", "1", "SKU-A", "2"),
      row("PO-1", "2", "SKU-B", "2.5", "-1"),
      row("", "1", "SKU-A", "0", "abc"),
      row("PO-3", "1", "", "-3", "1.2.3"),
      row("PO-4", "1", "SKU-A", "x", "12,50"),
    ));
    expect(parsed.lines.map((l) => [l.line, l.ok, l.message])).toEqual([
      [2, false, "line 2: PO PO-1 is not taken in part: line 3 of it is refused"],
      [3, false, 'line 3: quantity "2.5" is not a whole number; unit_price "-1" is negative'],
      [4, false, 'line 4: po_number is missing; quantity is 0: a line orders at least 1 unit; unit_price "abc" is not a number (write the unit price in the PO\'s currency, e.g. 12.50)'],
      [5, false, 'line 5: names no item: give sku or buyer_part_number; quantity "-3" is negative; unit_price "1.2.3" is not a number (write the unit price in the PO\'s currency, e.g. 12.50)'],
      [6, false, 'line 6: has 20 fields where the header has 19: a value holding the delimiter must be quoted; quantity "x" is not a whole number; requested_ship_date "50" is not a date we can read (expected e.g. 2024-01-15T10:20:30+00:00)'],
    ]);
    expect(parsed.documents).toEqual([]);
  });

  it("refuses a PO whose rows disagree (naming both lines), lack a ship-to, repeat a line number or repeat a row", () => {
    expect(messages(file(row("PO-1", "1", "A", "1"), row("PO-1", "2", "B", "1", "1", { date: "2026-03-02" })))).toEqual([
      [2, false, 'line 2: PO PO-1: order_date "2026-03-02T00:00:00.000Z" on line 3 differs from "2026-03-01T00:00:00.000Z" on line 2'],
      [3, false, 'line 3: PO PO-1: order_date "2026-03-02T00:00:00.000Z" on line 3 differs from "2026-03-01T00:00:00.000Z" on line 2'],
    ]);
    expect(messages(file(row("PO-1", "1", "A", "1", "1", { ship: "Shop,,,NV,US," })))).toEqual([[2, false, "line 2: PO PO-1: no ship-to ship_to_address1, ship_to_city on any of its lines"]]);
    expect(messages(file(row("PO-1", "1", "A", "1"), row("PO-1", "1", "B", "1")))).toEqual([
      [2, false, "line 2: PO PO-1 is not taken in part: line 3 of it is refused"],
      [3, false, "line 3: line_number 1 of PO PO-1 is also line 2's"],
    ]);
    expect(messages(file(row("PO-1", "", "A", "1"), row("PO-1", "", "A", "1")))[1]).toEqual([3, false, "line 3: repeats line 2 of PO PO-1 exactly (a file joined twice?): give line_number to list the same item twice"]);
    // The same item twice under its own line numbers is two lines.
    expect(parseCsvPurchaseOrders(file(row("PO-1", "1", "A", "1"), row("PO-1", "2", "A", "1"))).documents).toHaveLength(1);
  });

  it("refuses a file it cannot read as a whole, saying why", () => {
    expect(parseCsvPurchaseOrders(new Uint8Array()).fileError).toBe("the file is empty");
    expect(parseCsvPurchaseOrders(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])).fileError).toMatch(/^the file is not text/);
    expect(parseCsvPurchaseOrders("hello,world\n1,2\n").fileError).toMatch(/^the first line is not a purchase-order header/);
    expect(parseCsvPurchaseOrders("po_number,sku,quantity\n1,A,2\n").fileError).toBe("the header lacks ship_to_name, ship_to_address1, ship_to_city, ship_to_country (download the template for the columns a purchase order needs)");
    expect(parseCsvPurchaseOrders("po_number,PO,sku\n").fileError).toBe('the header names po_number twice (columns 1 "po_number" and 2 "PO")');
  });

  it("refuses a quote left open on the line it starts on, and a cut line, keeping the lines before", () => {
    const parsed = parseCsvPurchaseOrders(`${file(row("PO-1", "1", "A", "1"))}${row("PO-2", "1", "A", "1", "1", { notes: '"never closed' })}\n${row("PO-3", "1", "A", "1")}\n`);
    expect(parsed.lines.map((l) => [l.line, l.ok])).toEqual([[2, true], [3, false]]);
    expect(parsed.lines[1].message).toBe("line 3: a quote opened here is never closed, so lines 3–4 cannot be read");
    const cut = parseCsvPurchaseOrders(file(row("PO-1", "1", "A", "1"), row("PO-2", "1", "A", "12").slice(0, 60)));
    expect(cut.lines[1]).toMatchObject({ line: 3, ok: false, message: expect.stringMatching(/^line 3: has \d+ fields where the header has 19 \(a cut line, or a delimiter missing\)/) });
  });

  it("writes a template that reads back as one good PO", () => {
    const template = csvPoTemplate({ skus: ["SKU-A", "SKU-B"], currency: "USD", today: new Date("2026-03-01T00:00:00Z") });
    const parsed = parseCsvPurchaseOrders(template);
    expect(parsed.lines.every((l) => l.ok)).toBe(true);
    expect(parsed.documents.map((d) => d.payload.lines.map((l) => [l.sku, l.quantity, l.unitPrice]))).toEqual([[["SKU-A", 12, "12.50"], ["SKU-B", 3, "8.99"]]]);
  });
});
