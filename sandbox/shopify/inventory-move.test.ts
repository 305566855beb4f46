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
const [newark] = seed.locations;
const variant = seed.products.flatMap((p) => p.variants).find((v) => (v.stock[newark.id] ?? 0) >= 4)!;
const start = variant.stock[newark.id];
const DOC = "oms://channel-hold/shopify";

const MOVE = (directive = "") => `mutation($input: InventoryMoveQuantitiesInput!) {
  inventoryMoveQuantities(input: $input) ${directive} {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange } } userErrors { code field message } } }`;
const LEVELS = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryItem { id
  inventoryLevels(first: 10) { nodes { location { id } quantities(names: ["available", "on_hand", "safety_stock", "committed"]) { name quantity } } } } } }`;

const hold = (quantity: number, fromAvailable: number | null, fromSafety: number | null, extra: Partial<{ fromDoc: string; toDoc: string | null; toName: string }> = {}) => ({
  input: {
    reason: "safety_stock", referenceDocumentUri: "oms://channel/shopify",
    changes: [{
      inventoryItemId: variant.inventoryItemId, quantity,
      from: { locationId: newark.id, name: "available", changeFromQuantity: fromAvailable, ...(extra.fromDoc ? { ledgerDocumentUri: extra.fromDoc } : {}) },
      to: { locationId: newark.id, name: extra.toName ?? "safety_stock", changeFromQuantity: fromSafety, ledgerDocumentUri: extra.toDoc === undefined ? DOC : extra.toDoc },
    }],
  },
});

async function quantities(): Promise<Record<string, number>> {
  const { body } = await sandbox.gql(LEVELS, { ids: [variant.inventoryItemId] });
  const level = body.data!.nodes[0].inventoryLevels.nodes.find((l: { location: { id: string } }) => l.location.id === newark.id);
  return Object.fromEntries(level.quantities.map((q: { name: string; quantity: number }) => [q.name, q.quantity]));
}

describe("inventoryMoveQuantities", () => {
  it("moves available into safety stock and back, on hand untouched", async () => {
    const r = (await sandbox.gql(MOVE(), hold(3, start, 0))).body.data!.inventoryMoveQuantities;
    expect(r.userErrors).toEqual([]);
    expect(r.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: -3, quantityAfterChange: start - 3 },
      { name: "safety_stock", delta: 3, quantityAfterChange: 3 },
    ]);
    expect(await quantities()).toEqual({ available: start - 3, on_hand: start, safety_stock: 3, committed: 0 });
    const back = { input: { ...hold(0, null, null).input, changes: [{ inventoryItemId: variant.inventoryItemId, quantity: 2,
      from: { locationId: newark.id, name: "safety_stock", changeFromQuantity: 3, ledgerDocumentUri: DOC },
      to: { locationId: newark.id, name: "available", changeFromQuantity: start - 3 } }] } };
    expect((await sandbox.gql(MOVE(), back)).body.data!.inventoryMoveQuantities.userErrors).toEqual([]);
    expect(await quantities()).toMatchObject({ available: start - 1, on_hand: start, safety_stock: 1 });
  });

  it("refuses a stale figure on either side, and changes nothing", async () => {
    const staleFrom = (await sandbox.gql(MOVE(), hold(1, start + 1, 0))).body.data!.inventoryMoveQuantities;
    expect(staleFrom).toEqual({ inventoryAdjustmentGroup: null, userErrors: [{ code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changes", "0", "from", "changeFromQuantity"], message: expect.any(String) }] });
    const staleTo = (await sandbox.gql(MOVE(), hold(1, start, 5))).body.data!.inventoryMoveQuantities;
    expect(staleTo.userErrors[0]).toMatchObject({ code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changes", "0", "to", "changeFromQuantity"] });
    expect(await quantities()).toMatchObject({ available: start, safety_stock: 0 });
  });

  it("wants a ledger document on safety stock, refuses one on available, and keeps to two documents a call", async () => {
    const none = (await sandbox.gql(MOVE(), hold(1, start, 0, { toDoc: null }))).body.data!.inventoryMoveQuantities;
    expect(none.userErrors.map((e: { code: string }) => e.code)).toEqual(["INVALID_QUANTITY_DOCUMENT"]);
    const onAvailable = (await sandbox.gql(MOVE(), hold(1, start, 0, { fromDoc: "oms://x/1" }))).body.data!.inventoryMoveQuantities;
    expect(onAvailable.userErrors.map((e: { code: string }) => e.code)).toEqual(["INVALID_AVAILABLE_DOCUMENT"]);
    const internal = (await sandbox.gql(MOVE(), hold(1, start, 0, { toDoc: "gid://shopify/Order/1" }))).body.data!.inventoryMoveQuantities;
    expect(internal.userErrors.map((e: { code: string }) => e.code)).toEqual(["INTERNAL_LEDGER_DOCUMENT"]);
    const onHand = (await sandbox.gql(MOVE(), hold(1, start, 0, { toName: "on_hand" }))).body.data!.inventoryMoveQuantities;
    expect(onHand.userErrors.map((e: { code: string }) => e.code)).toEqual(["INVALID_QUANTITY_NAME"]);
    const three = hold(1, null, null);
    three.input.changes = ["a", "b", "c"].map((d) => ({ ...hold(1, null, null).input.changes[0], to: { ...hold(1, null, null).input.changes[0].to, ledgerDocumentUri: `oms://x/${d}` } }));
    const tooMany = (await sandbox.gql(MOVE(), three)).body.data!.inventoryMoveQuantities;
    expect(tooMany.userErrors.map((e: { code: string }) => e.code)).toEqual(["MAXIMUM_LEDGER_DOCUMENT_URIS"]);
    expect(await quantities()).toMatchObject({ available: start, safety_stock: 0 });
  });

  it("cannot take out of safety stock more than it holds", async () => {
    const out = { input: { reason: "safety_stock", referenceDocumentUri: "oms://channel/shopify", changes: [{ inventoryItemId: variant.inventoryItemId, quantity: 1,
      from: { locationId: newark.id, name: "safety_stock", changeFromQuantity: 0, ledgerDocumentUri: DOC },
      to: { locationId: newark.id, name: "available", changeFromQuantity: start } }] } };
    const r = (await sandbox.gql(MOVE(), out)).body.data!.inventoryMoveQuantities;
    expect(r.userErrors.map((e: { code: string }) => e.code)).toEqual(["MOVE_QUANTITIES_FAILED"]);
  });

  it("replays a repeated idempotency key once, and refuses the key with other arguments", async () => {
    const directive = `@idempotent(key: "hold-1")`;
    const first = (await sandbox.gql(MOVE(directive), hold(2, start, 0))).body.data!.inventoryMoveQuantities;
    const again = (await sandbox.gql(MOVE(directive), hold(2, start, 0))).body.data!.inventoryMoveQuantities;
    expect(again).toEqual(first);
    expect(await quantities()).toMatchObject({ available: start - 2, safety_stock: 2 });
    const other = (await sandbox.gql(MOVE(directive), hold(1, start - 2, 2))).body.data!.inventoryMoveQuantities;
    expect(other.userErrors.map((e: { code: string }) => e.code)).toEqual(["IDEMPOTENCY_KEY_PARAMETER_MISMATCH"]);
    expect(await quantities()).toMatchObject({ available: start - 2, safety_stock: 2 });
  });
});
