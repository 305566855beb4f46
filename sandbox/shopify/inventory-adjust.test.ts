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
const DOC = "oms://stock-push/batch-1";

const ADJUST = (directive = "") => `mutation($input: InventoryAdjustQuantitiesInput!) {
  inventoryAdjustQuantities(input: $input) ${directive} {
    inventoryAdjustmentGroup { id reason referenceDocumentUri changes { name delta quantityAfterChange } } userErrors { code field message } } }`;
const LEVELS = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryItem { id
  inventoryLevels(first: 10) { nodes { location { id } quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } } } }`;

const change = (delta: number, changeFromQuantity: number | null, extra: Partial<{ doc: string | null; name: string }> = {}) => ({
  input: {
    name: extra.name ?? "on_hand", reason: "received", referenceDocumentUri: "oms://receipt/PO-1",
    changes: [{ inventoryItemId: variant.inventoryItemId, locationId: newark.id, delta, changeFromQuantity, ...(extra.doc === null ? {} : { ledgerDocumentUri: extra.doc ?? DOC }) }],
  },
});

async function quantities(): Promise<Record<string, number>> {
  const { body } = await sandbox.gql(LEVELS, { ids: [variant.inventoryItemId] });
  const level = body.data!.nodes[0].inventoryLevels.nodes.find((l: { location: { id: string } }) => l.location.id === newark.id);
  return Object.fromEntries(level.quantities.map((q: { name: string; quantity: number }) => [q.name, q.quantity]));
}
const adjust = async (vars: ReturnType<typeof change>, directive = "") => (await sandbox.gql(ADJUST(directive), vars)).body.data!.inventoryAdjustQuantities;
const codes = (r: { userErrors: { code: string }[] }) => r.userErrors.map((e) => e.code);

describe("inventoryAdjustQuantities", () => {
  it("adds to on hand by a delta from the figure it was compared with; available moves with it", async () => {
    const r = await adjust(change(5, start));
    expect(r.userErrors).toEqual([]);
    expect(r.inventoryAdjustmentGroup).toMatchObject({ reason: "received", referenceDocumentUri: "oms://receipt/PO-1" });
    expect(r.inventoryAdjustmentGroup.changes).toEqual([
      { name: "on_hand", delta: 5, quantityAfterChange: start + 5 },
      { name: "available", delta: 5, quantityAfterChange: start + 5 },
    ]);
    expect(await quantities()).toEqual({ available: start + 5, on_hand: start + 5, committed: 0 });
  });

  it("refuses a stale figure and changes nothing", async () => {
    const r = await adjust(change(5, start + 1));
    expect(r).toEqual({ inventoryAdjustmentGroup: null, userErrors: [{ code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changes", "0", "changeFromQuantity"], message: expect.any(String) }] });
    expect(await quantities()).toMatchObject({ on_hand: start });
  });

  it("moves a figure below zero and back up from it (an adjustment, unlike a set, may end negative)", async () => {
    expect((await adjust(change(-(start + 3), start))).userErrors).toEqual([]);
    expect(await quantities()).toMatchObject({ on_hand: -3, available: -3 });
    const up = await adjust(change(2, -3));
    expect(up.userErrors).toEqual([]);
    expect(await quantities()).toMatchObject({ on_hand: -1 });
  });

  it("wants one ledger document on on_hand, refuses one on available and Shopify's own", async () => {
    expect(codes(await adjust(change(1, start, { doc: null })))).toEqual(["INVALID_QUANTITY_DOCUMENT"]);
    expect(codes(await adjust(change(1, start, { name: "available" })))).toEqual(["INVALID_AVAILABLE_DOCUMENT"]);
    expect(codes(await adjust(change(1, start, { doc: "gid://shopify/Order/1" })))).toEqual(["INTERNAL_LEDGER_DOCUMENT"]);
    expect(codes(await adjust(change(1, start, { name: "committed" })))).toEqual(["INVALID_QUANTITY_NAME"]);
    const two = change(1, null);
    two.input.changes = ["a", "b"].map((d) => ({ ...change(1, null).input.changes[0], ledgerDocumentUri: `oms://x/${d}` }));
    expect(codes(await adjust(two))).toEqual(["MAX_ONE_LEDGER_DOCUMENT"]);
    expect(await quantities()).toMatchObject({ on_hand: start });
  });

  it("replays a repeated idempotency key once, and refuses the key with other arguments", async () => {
    const first = await adjust(change(4, start), `@idempotent(key: "k-1")`);
    const again = await adjust(change(4, start), `@idempotent(key: "k-1")`);
    expect(again).toEqual(first);
    expect(await quantities()).toMatchObject({ on_hand: start + 4 });
    const other = await adjust(change(5, start + 4), `@idempotent(key: "k-1")`);
    expect(codes(other)).toEqual(["IDEMPOTENCY_KEY_PARAMETER_MISMATCH"]);
    expect(await quantities()).toMatchObject({ on_hand: start + 4 });
  });
});
