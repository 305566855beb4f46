import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigInts } from "../shared/safe-json";
import { customerKeys, mentionsCustomer, personalDataPaths, scrubPersonalData, withoutInputExcerpts } from "./personal-data";

const order = parseJsonKeepingBigInts(`{"id":820982911946154508,"name":"#1001","email":"Ana@Example.com","phone":"+15555550100","note":"ring twice",
  "customer":{"id":7220000000000000001,"first_name":"Ana","last_name":"Lopez","default_address":{"address1":"1 Main St","zip":"78701","country_code":"US"}},
  "shipping_address":{"name":"Ana Lopez","address1":"1 Main St","city":"Austin","province_code":"TX","country_code":"US","zip":"78701","latitude":30.27,"longitude":-97.74},
  "line_items":[{"id":8209829119461545080,"name":"Tee - M","sku":"TEE-M","quantity":2,"price":"21.25"}],"total_price":"42.50"}`);

describe("scrubPersonalData", () => {
  it("nulls every personal value and keeps ids of orders and lines, quantities, money and the region", () => {
    const scrubbed = JSON.stringify(scrubPersonalData(order));
    for (const value of ["Ana", "Lopez", "Example.com", "+15555550100", "1 Main St", "78701", "Austin", "30.27", "ring twice", "7220000000000000001"]) {
      expect(scrubbed).not.toContain(value);
    }
    expect(scrubPersonalData(order)).toMatchObject({
      id: "820982911946154508", name: "#1001", total_price: "42.50",
      shipping_address: { province_code: "TX", country_code: "US", zip: null, name: null },
      line_items: [{ id: "8209829119461545080", name: "Tee - M", sku: "TEE-M", quantity: 2 }],
    });
  });

  it("lists where personal data is held, the kept region included", () => {
    expect(personalDataPaths(order)).toEqual([
      "customer.default_address.address1", "customer.default_address.country_code", "customer.default_address.zip",
      "customer.first_name", "customer.id", "customer.last_name", "email", "note", "phone",
      "shipping_address.address1", "shipping_address.city", "shipping_address.country_code", "shipping_address.latitude",
      "shipping_address.longitude", "shipping_address.name", "shipping_address.province_code", "shipping_address.zip",
    ]);
    expect(personalDataPaths(scrubPersonalData(order))).toEqual(["customer.default_address.country_code", "shipping_address.country_code", "shipping_address.province_code"]);
  });
});

describe("mentionsCustomer", () => {
  const keys = customerKeys({ customerIds: ["7220000000000000001"], emails: ["ana@example.com"], orderIds: ["820982911946154508"] });

  it("finds the customer by id, email (any case) or one of their orders, wherever the topic puts it", () => {
    expect(mentionsCustomer(order, "orders/updated", keys)).toBe(true);
    expect(mentionsCustomer({ id: 1, order_id: "820982911946154508" }, "fulfillments/create", keys)).toBe(true);
    expect(mentionsCustomer({ order_edit: { id: 5, order_id: 820982911946154508n.toString() } }, "orders/edited", keys)).toBe(true);
    expect(mentionsCustomer({ customer: { id: 1, email: "ANA@example.com " } }, "customers/redact", keys)).toBe(true);
  });

  it("does not take another customer's payload, nor an id of another kind that happens to match", () => {
    expect(mentionsCustomer({ id: 9, email: "bo@example.com", customer: { id: 42 } }, "orders/create", keys)).toBe(false);
    expect(mentionsCustomer({ id: "7220000000000000001", line_items: [{ id: "820982911946154508" }] }, "orders/create", keys)).toBe(false);
    expect(mentionsCustomer({ id: "820982911946154508" }, "inventory_levels/update", keys)).toBe(false);
  });
});

describe("withoutInputExcerpts", () => {
  it("drops the excerpt of the input that V8 quotes in JSON errors", () => {
    let message = "";
    try {
      JSON.parse("ana.secret@example.com");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("ana.secret");
    expect(withoutInputExcerpts(`orders/create payload is not valid JSON: ${message}`)).toBe("orders/create payload is not valid JSON: Unexpected token 'a', (input) is not valid JSON");
  });
});
