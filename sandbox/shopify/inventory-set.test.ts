import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { startTestSandbox } from "./test-support";

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(() => sandbox.close());

const seed = demoShopSeed();
const [newark, , reno] = seed.locations;
const variant = seed.products.flatMap((p) => p.variants).find((v) => (v.stock[newark.id] ?? 0) > 0)!;
const unstockedInReno = seed.products.flatMap((p) => p.variants).find((v) => v.stock[reno.id] === undefined)!;
const start = variant.stock[newark.id];

const SET = (directive = "") => `mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) ${directive} {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange } } userErrors { code field message } } }`;
const LEVEL = `query($item: ID!, $loc: ID!) { inventoryItem(id: $item) { inventoryLevel(locationId: $loc) { quantities(names: ["available", "on_hand"]) { name quantity } } } }`;
const input = (quantity: number, compareQuantity?: number | null, extra: Record<string, unknown> = {}) => ({
  input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: variant.inventoryItemId, locationId: newark.id, quantity, compareQuantity }], ...extra },
});
async function available(): Promise<number> {
  const { body } = await sandbox.gql(LEVEL, { item: variant.inventoryItemId, loc: newark.id });
  return body.data!.inventoryItem.inventoryLevel.quantities.find((q: { name: string }) => q.name === "available").quantity;
}

describe("inventorySetQuantities", () => {
  it("sets available with compare-and-set and reports the changes", async () => {
    const r = (await sandbox.gql(SET(), input(start + 5, start))).body.data!.inventorySetQuantities;
    expect(r.userErrors).toEqual([]);
    expect(r.inventoryAdjustmentGroup.reason).toBe("correction");
    expect(r.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: 5, quantityAfterChange: start + 5 },
      { name: "on_hand", delta: 5, quantityAfterChange: start + 5 },
    ]);
    expect(await available()).toBe(start + 5);
  });

  it("refuses a stale or missing compareQuantity unless told to ignore it", async () => {
    const stale = (await sandbox.gql(SET(), input(1, start + 1))).body.data!.inventorySetQuantities;
    expect(stale).toMatchObject({ inventoryAdjustmentGroup: null, userErrors: [{ code: "COMPARE_QUANTITY_STALE" }] });
    const missing = (await sandbox.gql(SET(), input(1))).body.data!.inventorySetQuantities;
    expect(missing.userErrors[0].code).toBe("COMPARE_QUANTITY_REQUIRED");
    expect(await available()).toBe(start);
    const ignored = (await sandbox.gql(SET(), input(1, null, { ignoreCompareQuantity: true }))).body.data!.inventorySetQuantities;
    expect(ignored.userErrors).toEqual([]);
    expect(await available()).toBe(1);
  });

  it("refuses an item that is not stocked at the location", async () => {
    const vars = { input: { name: "available", reason: "correction", ignoreCompareQuantity: true,
      quantities: [{ inventoryItemId: unstockedInReno.inventoryItemId, locationId: reno.id, quantity: 3 }] } };
    const r = (await sandbox.gql(SET(), vars)).body.data!.inventorySetQuantities;
    expect(r.userErrors).toEqual([{ code: "ITEM_NOT_STOCKED_AT_LOCATION", field: ["input", "quantities", "0", "locationId"], message: expect.any(String) }]);
  });

  it("@idempotent: the same key replays the first result with no second effect", async () => {
    const mutation = SET('@idempotent(key: "push-42")');
    const first = (await sandbox.gql(mutation, input(start + 1, start))).body.data!.inventorySetQuantities;
    // A second execution would fail compare-and-set (the quantity moved); a replay returns the first result.
    const again = (await sandbox.gql(mutation, input(start + 1, start))).body.data!.inventorySetQuantities;
    expect(again).toEqual(first);
    expect(first.userErrors).toEqual([]);
    const otherKey = (await sandbox.gql(SET('@idempotent(key: "push-43")'), input(start + 1, start))).body.data!.inventorySetQuantities;
    expect(otherKey.userErrors[0].code).toBe("COMPARE_QUANTITY_STALE");
  });

  it("@idempotent is optional in 2026-01, required from 2026-04, unknown before 2026-01", async () => {
    expect((await sandbox.gql(SET(), input(start, start), { version: "2026-01" })).body.errors).toBeUndefined();
    const required = await sandbox.gql(SET(), input(start, start), { version: "2026-04" });
    expect(required.body.errors).toMatchObject([{ message: expect.stringContaining("@idempotent directive is required") }]);
    const early = await sandbox.gql(SET('@idempotent(key: "k")'), input(start, start), { version: "2025-10" });
    expect(early.body.errors).toMatchObject([{ message: expect.stringContaining("not supported") }]);
  });
});
