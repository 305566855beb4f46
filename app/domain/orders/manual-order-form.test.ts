import { describe, expect, it } from "vitest";
import { catalogLineTitle, fieldLabel, formProblems, manualOrderFields, manualOrderInput, skusOf, tokenKey, type ManualOrderFields } from "./manual-order-form";

const TOKEN = "0123456789abcdef0123456789abcdef";
const catalog = new Map([
  ["MUG", { title: "Mug - Blue", priceMinor: 1250 }],
  ["CAP", { title: "Cap", priceMinor: 900 }],
]);
const fields = (patch: Partial<ManualOrderFields> = {}): ManualOrderFields => ({
  formToken: TOKEN, reference: "", customerName: "Ada Lovelace", email: "ada@example.com", phone: "", shipName: "", address1: "1 Main St",
  city: "Reno", province: "NV", countryCode: "us", zip: "89501", lines: [{ sku: "MUG", quantity: "2", price: "" }], createDraft: false, ...patch,
});
const read = (f: ManualOrderFields, currency = "USD") => manualOrderInput(f, { currency, catalog });

describe("a manual order form as the API's order body", () => {
  it("fills the catalog's price and title, the customer's name as ship-to, the key from the token", () => {
    const r = read(fields({ lines: [{ sku: "MUG", quantity: "2", price: "" }, { sku: "", quantity: "", price: "" }, { sku: " CAP ", quantity: "1", price: "7.5" }], createDraft: true }));
    expect(r).toEqual({
      ok: true,
      createDraft: true,
      input: {
        channel: "manual", externalId: `manual-${TOKEN}`, name: "M-01234567", email: "ada@example.com", customer: { name: "Ada Lovelace" },
        shipTo: { name: "Ada Lovelace", address1: "1 Main St", city: "Reno", province: "NV", countryCode: "US", zip: "89501" },
        lines: [{ sku: "MUG", title: "Mug - Blue", quantity: 2, priceMinor: 1250 }, { sku: "CAP", title: "Cap", quantity: 1, priceMinor: 750 }],
      },
    });
  });

  it("keys the order by the reference when there is one: the same form twice is the same body", () => {
    const a = read(fields({ reference: "PO-77" }));
    const b = read(fields({ reference: "PO-77" }));
    expect(a.ok && a.input.externalId).toBe("PO-77");
    expect(a).toEqual(b);
    expect(tokenKey(TOKEN)).toEqual({ externalId: `manual-${TOKEN}`, name: "M-01234567" });
  });

  it("reads prices exactly in the shop's currency", () => {
    const yen = read(fields({ lines: [{ sku: "MUG", quantity: "1", price: "1500" }] }), "JPY");
    expect(yen.ok && yen.input.lines[0].priceMinor).toBe(1500);
    const cents = read(fields({ lines: [{ sku: "MUG", quantity: "1", price: "0.10" }] }));
    expect(cents.ok && cents.input.lines[0].priceMinor).toBe(10);
  });

  it("lists every problem at once, each on its field and row", () => {
    const r = read(fields({
      formToken: "", reference: "bad ref!", customerName: " ", email: "nope", countryCode: "usa", address1: "",
      lines: [{ sku: "MUG", quantity: "two", price: "" }, { sku: "", quantity: "", price: "" }, { sku: "GHOST", quantity: "0", price: "-1" }, { sku: "", quantity: "1", price: "1.2.3" }],
    }));
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems.map((p) => p.field)).toEqual([
      null, "customerName", "address1", "lines.0.quantity", "lines.2.sku", "lines.2.price", "lines.3.sku", "lines.3.price", "reference", "email", "countryCode", "lines.2.quantity",
    ]);
    expect(problems.find((p) => p.field === "lines.2.sku")!.message).toBe("Line 3 SKU: no product of this shop has SKU GHOST");
    expect(problems.find((p) => p.field === "lines.2.price")!.message).toBe("Line 3 unit price: cannot be negative");
    expect(problems.find((p) => p.field === "lines.3.price")!.message).toBe("Line 4 unit price: not an amount in USD (e.g. 12.50)");
    expect(problems.find((p) => p.field === "lines.2.quantity")!.message).toBe("Line 3 quantity: at least 1 unit");
    expect(problems.find((p) => p.field === "countryCode")!.message).toMatch(/^Country code: a two-letter ISO 3166 code/);
  });

  it("needs at least one line", () => {
    const r = read(fields({ lines: [{ sku: "", quantity: "", price: "" }] }));
    expect(r.ok ? [] : r.problems).toEqual([{ field: "lines", message: "Lines: add at least one line (a SKU and a quantity)" }]);
  });
});

describe("the API's problems on the form", () => {
  it("names the row on the page of each filled line, and the form's key as the form's problem", () => {
    expect(formProblems(["lines.1.sku: no product variant of this shop has SKU X", "externalId: taken", "shipTo.zip: too long", "totalMinor: too much"], [0, 3], false)).toEqual([
      { field: "lines.3.sku", message: "Line 4 SKU: no product variant of this shop has SKU X" },
      { field: null, message: "taken" },
      { field: "zip", message: "ZIP / postal code: too long" },
      { field: null, message: "too much" },
    ]);
    expect(fieldLabel("lines.0.price")).toBe("Line 1 unit price");
  });
});

describe("reading the submitted form", () => {
  it("pairs the line fields by row and reads the draft checkbox", () => {
    const form = new FormData();
    for (const [k, v] of [["formToken", TOKEN], ["customerName", "Ada"], ["sku", "MUG"], ["quantity", "1"], ["price", ""], ["sku", "CAP"], ["quantity", "2"], ["price", "3"], ["createDraft", "on"]]) form.append(k, v);
    const f = manualOrderFields(form);
    expect(f.lines).toEqual([{ sku: "MUG", quantity: "1", price: "" }, { sku: "CAP", quantity: "2", price: "3" }]);
    expect([f.createDraft, f.customerName, f.email]).toEqual([true, "Ada", ""]);
    expect(skusOf(f)).toEqual(["MUG", "CAP"]);
    expect(catalogLineTitle("Mug", "Default Title")).toBe("Mug");
  });
});
