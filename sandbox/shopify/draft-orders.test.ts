import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { startTestSandbox, TEST_SHOP } from "./test-support";

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(() => sandbox.close());

const seed = demoShopSeed();
const product = seed.products.find((p) => p.variants.length > 1)!;
const variant = product.variants[0];

const CREATE = `mutation($input: DraftOrderInput!) {
  draftOrderCreate(input: $input) {
    draftOrder { id legacyResourceId name status email invoiceUrl customAttributes { key value } totalPriceSet { shopMoney { amount currencyCode } }
      shippingAddress { firstName lastName city provinceCode countryCodeV2 zip }
      lineItems(first: 10) { nodes { title sku quantity custom originalUnitPriceSet { shopMoney { amount } } variant { id } } } }
    userErrors { field message } } }`;
const usd = (amount: string) => ({ amount, currencyCode: "USD" });

describe("draftOrderCreate", () => {
  it("makes a draft from variant and custom lines, priced and named #D<n>, readable back by id", async () => {
    const input = {
      email: "ada@example.com",
      customAttributes: [{ key: "oms_order_id", value: "o-1" }],
      lineItems: [
        { variantId: variant.id, quantity: 2 },
        { variantId: variant.id, quantity: 1, priceOverride: usd("5.00") },
        { title: "Gift wrap", sku: "WRAP", quantity: 3, originalUnitPriceWithCurrency: usd("1.25") },
      ],
      shippingAddress: { firstName: "Ada", lastName: "Lovelace", address1: "1 Main St", city: "Reno", provinceCode: "NV", countryCode: "US", zip: "89501" },
    };
    const r = (await sandbox.gql(CREATE, { input })).body.data!.draftOrderCreate;
    expect(r.userErrors).toEqual([]);
    const d = r.draftOrder;
    expect(d).toMatchObject({ name: "#D1", status: "OPEN", email: "ada@example.com", customAttributes: [{ key: "oms_order_id", value: "o-1" }] });
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    expect(cents(d.totalPriceSet.shopMoney.amount)).toBe(2 * cents(variant.price) + 500 + 375);
    expect(d.lineItems.nodes.map((l: { sku: string; custom: boolean; quantity: number }) => [l.sku, l.custom, l.quantity])).toEqual([[variant.sku, false, 2], [variant.sku, false, 1], ["WRAP", true, 3]]);
    expect(d.lineItems.nodes[0].title).toBe(`${product.title} - ${variant.title}`);
    expect(d.shippingAddress).toEqual({ firstName: "Ada", lastName: "Lovelace", city: "Reno", provinceCode: "NV", countryCodeV2: "US", zip: "89501" });

    const again = (await sandbox.gql(CREATE, { input: { lineItems: [{ variantId: variant.id, quantity: 1 }] } })).body.data!.draftOrderCreate;
    expect(again.draftOrder.name).toBe("#D2");
    const read = (await sandbox.gql(`query($id: ID!) { draftOrder(id: $id) { name email } }`, { id: d.id })).body.data!.draftOrder;
    expect(read).toEqual({ name: "#D1", email: "ada@example.com" });
    expect(sandbox.store.shop(TEST_SHOP).draftOrders.size).toBe(2);
  });

  it("refuses lines it cannot make, every problem at once, and makes nothing", async () => {
    const input = {
      email: "not-an-email",
      lineItems: [
        { variantId: "gid://shopify/ProductVariant/1", quantity: 1 },
        { title: " ", quantity: 0, originalUnitPriceWithCurrency: usd("abc") },
        { title: "Fee", quantity: 1 },
      ],
    };
    const r = (await sandbox.gql(CREATE, { input })).body.data!.draftOrderCreate;
    expect(r.draftOrder).toBeNull();
    expect(r.userErrors.map((e: { field: string[] }) => e.field.join("."))).toEqual([
      "email", "lineItems.0.variantId", "lineItems.1.quantity", "lineItems.1.title", "lineItems.1.originalUnitPriceWithCurrency.amount", "lineItems.2.originalUnitPriceWithCurrency",
    ]);
    expect((await sandbox.gql(CREATE, { input: { lineItems: [] } })).body.data!.draftOrderCreate.userErrors).toEqual([{ field: ["lineItems"], message: "Add at least 1 product" }]);
    expect(sandbox.store.shop(TEST_SHOP).draftOrders.size).toBe(0);
  });

  it("refuses an address country Shopify does not know, before running (as Shopify does)", async () => {
    const r = (await sandbox.gql(CREATE, { input: { lineItems: [{ variantId: variant.id, quantity: 1 }], shippingAddress: { countryCode: "XX" } } })).body;
    expect(r.data).toBeUndefined();
    expect(JSON.stringify(r.errors)).toContain("XX");
    // while any real one is read
    const ok = (await sandbox.gql(CREATE, { input: { lineItems: [{ variantId: variant.id, quantity: 1 }], shippingAddress: { countryCode: "DE", city: "Berlin" } } })).body.data!.draftOrderCreate;
    expect(ok.draftOrder.shippingAddress.countryCodeV2).toBe("DE");
  });
});
