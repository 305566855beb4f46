import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { parseGid } from "./ids";
import { startTestSandbox, TEST_SHOP } from "./test-support";

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

// API 2026-01 compare-and-set: changeFromQuantity, given at all (an integer or an explicit null), wins over
// compareQuantity and ignoreCompareQuantity; left out, the older compareQuantity rules apply unchanged.
describe("inventorySetQuantities: changeFromQuantity", () => {
  const other = seed.products.flatMap((p) => p.variants).filter((v) => (v.stock[newark.id] ?? 0) > 0 && v !== variant)[0];
  const otherStart = other.stock[newark.id];
  const entry = (quantity: number, fields: Record<string, unknown> = {}, item = variant) =>
    ({ inventoryItemId: item.inventoryItemId, locationId: newark.id, quantity, ...fields });
  const cas = (quantities: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    ({ input: { name: "available", reason: "correction", quantities, ...extra } });
  const set = async (vars: Record<string, unknown>, directive = "") => (await sandbox.gql(SET(directive), vars)).body.data!.inventorySetQuantities;
  async function level(item = variant): Promise<{ available: number; on_hand: number }> {
    const { body } = await sandbox.gql(LEVEL, { item: item.inventoryItemId, loc: newark.id });
    const qs = body.data!.inventoryItem.inventoryLevel.quantities as { name: "available" | "on_hand"; quantity: number }[];
    return Object.fromEntries(qs.map((q) => [q.name, q.quantity])) as { available: number; on_hand: number };
  }
  const STALE = { code: "CHANGE_FROM_QUANTITY_STALE", message: "The changeFromQuantity value does not match persisted value." };

  it("applies when it equals the persisted quantity of the named state (available, or on_hand)", async () => {
    const r = await set(cas([entry(start + 3, { changeFromQuantity: start })]));
    expect(r.userErrors).toEqual([]);
    expect(r.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: 3, quantityAfterChange: start + 3 },
      { name: "on_hand", delta: 3, quantityAfterChange: start + 3 },
    ]);
    expect(await level()).toEqual({ available: start + 3, on_hand: start + 3 });

    // Two units committed to an order: on hand stays, available goes down; name on_hand compares on hand.
    const shop = sandbox.store.shop(TEST_SHOP);
    sandbox.store.commit(shop, parseGid(variant.inventoryItemId)!.id, parseGid(newark.id)!.id, 2);
    const onHand = (quantity: number, changeFromQuantity: number) => cas([entry(quantity, { changeFromQuantity })], { name: "on_hand" });
    expect((await set(onHand(start + 10, start + 1))).userErrors).toEqual([{ ...STALE, field: ["input", "quantities", "0", "changeFromQuantity"] }]);
    expect((await set(onHand(start + 10, start + 3))).userErrors).toEqual([]);
    expect(await level()).toEqual({ available: start + 8, on_hand: start + 10 });
  });

  it("a stale value is refused with CHANGE_FROM_QUANTITY_STALE and nothing applies, whatever compareQuantity and ignoreCompareQuantity say", async () => {
    const r = await set(cas([
      entry(start + 1, { changeFromQuantity: start }), // right
      entry(otherStart + 1, { changeFromQuantity: otherStart + 7, compareQuantity: otherStart }, other), // stale; compareQuantity right but ignored
    ], { ignoreCompareQuantity: true }));
    expect(r).toEqual({ inventoryAdjustmentGroup: null, userErrors: [{ ...STALE, field: ["input", "quantities", "1", "changeFromQuantity"] }] });
    expect(await level()).toEqual({ available: start, on_hand: start });
    expect(await level(other)).toEqual({ available: otherStart, on_hand: otherStart });
  });

  it("an explicit null skips the check, overriding a wrong compareQuantity (in variables and written in the query)", async () => {
    const r = await set(cas([entry(start + 4, { changeFromQuantity: null, compareQuantity: start + 99 })], { ignoreCompareQuantity: false }));
    expect(r.userErrors).toEqual([]);
    expect(await available()).toBe(start + 4);

    const literal = `mutation { inventorySetQuantities(input: { name: "available", reason: "correction", quantities: [
      { inventoryItemId: "${variant.inventoryItemId}", locationId: "${newark.id}", quantity: 2, changeFromQuantity: null }] }) { userErrors { code field } } }`;
    expect((await sandbox.gql(literal)).body.data!.inventorySetQuantities.userErrors).toEqual([]);
    expect(await available()).toBe(2);
  });

  it("left out, the compareQuantity rules apply as before (a variable not sent is left out; sent as null, it is given)", async () => {
    const missing = await set(cas([entry(1)]));
    expect(missing.userErrors).toEqual([{
      code: "COMPARE_QUANTITY_REQUIRED", field: ["input", "quantities", "0", "compareQuantity"],
      message: "The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.",
    }]);
    expect((await set(cas([entry(1, { compareQuantity: start + 1 })]))).userErrors[0].code).toBe("COMPARE_QUANTITY_STALE");
    expect(await available()).toBe(start);

    const viaVariable = `mutation($item: ID!, $loc: ID!, $cfq: Int) { inventorySetQuantities(input: { name: "available", reason: "correction",
      quantities: [{ inventoryItemId: $item, locationId: $loc, quantity: 5, changeFromQuantity: $cfq }] }) { userErrors { code } } }`;
    const vars = { item: variant.inventoryItemId, loc: newark.id };
    expect((await sandbox.gql(viaVariable, vars)).body.data!.inventorySetQuantities.userErrors).toEqual([{ code: "COMPARE_QUANTITY_REQUIRED" }]);
    expect(await available()).toBe(start);
    expect((await sandbox.gql(viaVariable, { ...vars, cfq: null })).body.data!.inventorySetQuantities.userErrors).toEqual([]);
    expect(await available()).toBe(5);
  });

  it("@idempotent: the same key with the same arguments gives the first result and applies once", async () => {
    const key = '@idempotent(key: "cas-1")';
    const first = await set(cas([entry(start + 2, { changeFromQuantity: start })]), key);
    expect(first.userErrors).toEqual([]);
    // The same arguments in another key order; run again they would be stale, replayed they are not.
    const again = await set({ input: { quantities: [{ changeFromQuantity: start, quantity: start + 2, locationId: newark.id, inventoryItemId: variant.inventoryItemId }], reason: "correction", name: "available" } }, key);
    expect(again).toEqual(first);
    expect(await level()).toEqual({ available: start + 2, on_hand: start + 2 });
  });

  it("@idempotent: the same key with other arguments is refused with IDEMPOTENCY_KEY_PARAMETER_MISMATCH and applies nothing", async () => {
    const key = '@idempotent(key: "cas-2")';
    const first = await set(cas([entry(start + 2, { changeFromQuantity: start })]), key);
    expect(first.userErrors).toEqual([]);
    const mismatch = await set(cas([entry(start + 5, { changeFromQuantity: start + 2 })]), key);
    expect(mismatch).toEqual({
      inventoryAdjustmentGroup: null,
      userErrors: [{ code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", field: null, message: "The same idempotency key cannot be used with different operation parameters." }],
    });
    // An explicit null is another argument than a field left out.
    expect((await set(cas([entry(start + 2, { changeFromQuantity: start, compareQuantity: null })]), key)).userErrors[0].code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect(await level()).toEqual({ available: start + 2, on_hand: start + 2 });
    // The first arguments still replay the first result; another key runs (and is stale now).
    expect(await set(cas([entry(start + 2, { changeFromQuantity: start })]), key)).toEqual(first);
    expect((await set(cas([entry(start + 5, { changeFromQuantity: start })]), '@idempotent(key: "cas-3")')).userErrors[0].code).toBe("CHANGE_FROM_QUANTITY_STALE");
  });
});
