import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { cancelOrder } from "./order-factory";
import { startTestSandbox, TEST_SHOP } from "./test-support";

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox;
afterEach(() => sandbox.close());

const seed = demoShopSeed();
const [newark, dallas, reno] = seed.locations;
const variants = seed.products.flatMap((p) => p.variants);
// Two SKUs that Dallas stocks, one of them not stocked in Reno: picked from the seed, not hard-coded.
const both = variants.find((v) => v.stock[dallas.id] !== undefined && v.stock[reno.id] !== undefined)!;
const notInReno = variants.find((v) => v.stock[dallas.id] !== undefined && v.stock[reno.id] === undefined)!;

const FO_FIELDS = `id status assignedLocation { location { id } } fulfillmentHolds { reason reasonNotes }
  lineItems(first: 10) { nodes { id remainingQuantity totalQuantity lineItem { id sku } } }`;
const ORDER_FOS = `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 10) { nodes { ${FO_FIELDS} } } } }`;
const MOVE = `mutation($id: ID!, $to: ID!, $lines: [FulfillmentOrderLineItemInput!]) {
  fulfillmentOrderMove(id: $id, newLocationId: $to, fulfillmentOrderLineItems: $lines) {
    movedFulfillmentOrder { ${FO_FIELDS} } originalFulfillmentOrder { ${FO_FIELDS} } remainingFulfillmentOrder { id }
    userErrors { field message } } }`;

let orderGid: string;
beforeEach(async () => {
  sandbox = await startTestSandbox();
  const order = sandbox.orders(TEST_SHOP).create({ lines: [{ sku: both.sku, quantity: 3 }, { sku: notInReno.sku, quantity: 1 }] });
  orderGid = order.admin_graphql_api_id;
});

async function fulfillmentOrders() {
  const { body } = await sandbox.gql(ORDER_FOS, { id: orderGid });
  return body.data!.order.fulfillmentOrders.nodes as Array<{
    id: string; status: string; assignedLocation: { location: { id: string } }; fulfillmentHolds: unknown[];
    lineItems: { nodes: Array<{ id: string; remainingQuantity: number; totalQuantity: number; lineItem: { sku: string } }> };
  }>;
}

function committed(sku: string, locationGid: string): number {
  const shop = sandbox.store.shop(TEST_SHOP);
  const v = sandbox.store.variantBySku(shop, sku)!;
  return sandbox.store.level(shop, v.inventoryItemId, BigInt(locationGid.split("/").pop()!))!.quantities.committed;
}

describe("fulfillment orders", () => {
  it("a new order gets one OPEN fulfillment order at the first active location holding every line", async () => {
    const [fo, ...rest] = await fulfillmentOrders();
    expect(rest).toEqual([]);
    expect(fo.status).toBe("OPEN");
    expect(fo.assignedLocation.location.id).toBe(newark.id);
    expect(fo.lineItems.nodes.map((l) => [l.lineItem.sku, l.totalQuantity, l.remainingQuantity])).toEqual([[both.sku, 3, 3], [notInReno.sku, 1, 1]]);
    expect(committed(both.sku, newark.id)).toBe(3);
  });

  it("moves part of a line into a new fulfillment order at the new location", async () => {
    const [fo] = await fulfillmentOrders();
    const line = fo.lineItems.nodes[0];
    const { body } = await sandbox.gql(MOVE, { id: fo.id, to: dallas.id, lines: [{ id: line.id, quantity: 2 }] });
    const r = body.data!.fulfillmentOrderMove;
    expect(r.userErrors).toEqual([]);
    expect(r.movedFulfillmentOrder.id).not.toBe(fo.id);
    expect(r.movedFulfillmentOrder.assignedLocation.location.id).toBe(dallas.id);
    expect(r.movedFulfillmentOrder.lineItems.nodes.map((l: { lineItem: { sku: string }; totalQuantity: number }) => [l.lineItem.sku, l.totalQuantity])).toEqual([[both.sku, 2]]);
    expect(r.originalFulfillmentOrder.id).toBe(fo.id);
    expect(r.originalFulfillmentOrder.lineItems.nodes.map((l: { totalQuantity: number }) => l.totalQuantity)).toEqual([1, 1]);
    expect(r.remainingFulfillmentOrder).toBeNull();
    expect([committed(both.sku, newark.id), committed(both.sku, dallas.id)]).toEqual([1, 2]);
    expect(await fulfillmentOrders()).toHaveLength(2);
  });

  it("moving every line moves the fulfillment order itself", async () => {
    const [fo] = await fulfillmentOrders();
    const r = (await sandbox.gql(MOVE, { id: fo.id, to: dallas.id })).body.data!.fulfillmentOrderMove;
    expect(r.userErrors).toEqual([]);
    expect(r.movedFulfillmentOrder.id).toBe(fo.id);
    expect(r.movedFulfillmentOrder.assignedLocation.location.id).toBe(dallas.id);
    expect(committed(notInReno.sku, dallas.id)).toBe(1);
  });

  it("reports userErrors for an unknown location and for an item the location does not stock", async () => {
    const [fo] = await fulfillmentOrders();
    const unknown = (await sandbox.gql(MOVE, { id: fo.id, to: "gid://shopify/Location/123" })).body;
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.fulfillmentOrderMove).toMatchObject({ movedFulfillmentOrder: null, userErrors: [{ field: ["newLocationId"] }] });
    const unstocked = (await sandbox.gql(MOVE, { id: fo.id, to: reno.id })).body.data!.fulfillmentOrderMove;
    expect(unstocked.userErrors[0].message).toContain(notInReno.sku);
    expect((await fulfillmentOrders())[0].assignedLocation.location.id).toBe(newark.id);
  });

  it("splits the given quantities into a new fulfillment order", async () => {
    const [fo] = await fulfillmentOrders();
    const split = `mutation($splits: [FulfillmentOrderSplitInput!]!) { fulfillmentOrderSplit(fulfillmentOrderSplits: $splits) {
      fulfillmentOrderSplits { fulfillmentOrder { ${FO_FIELDS} } remainingFulfillmentOrder { ${FO_FIELDS} } } userErrors { code field message } } }`;
    const lines = [{ id: fo.lineItems.nodes[0].id, quantity: 1 }];
    const r = (await sandbox.gql(split, { splits: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: lines }] })).body.data!.fulfillmentOrderSplit;
    expect(r.userErrors).toEqual([]);
    const [{ fulfillmentOrder, remainingFulfillmentOrder }] = r.fulfillmentOrderSplits;
    expect(fulfillmentOrder.id).toBe(fo.id);
    expect(fulfillmentOrder.lineItems.nodes.map((l: { totalQuantity: number }) => l.totalQuantity)).toEqual([2, 1]);
    expect(remainingFulfillmentOrder.lineItems.nodes.map((l: { totalQuantity: number }) => l.totalQuantity)).toEqual([1]);
    const tooMany = [{ id: fo.lineItems.nodes[1].id, quantity: 5 }];
    const bad = (await sandbox.gql(split, { splits: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: tooMany }] })).body.data!.fulfillmentOrderSplit;
    expect(bad).toMatchObject({ fulfillmentOrderSplits: null, userErrors: [{ code: "INVALID_LINE_ITEM_QUANTITY" }] });
  });

  it("holds and releases, and refuses to hold a cancelled fulfillment order", async () => {
    const [fo] = await fulfillmentOrders();
    const hold = `mutation($id: ID!) { fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: INCORRECT_ADDRESS, reasonNotes: "Check the zip" }) {
      fulfillmentHold { reason } fulfillmentOrder { status fulfillmentHolds { reason reasonNotes } } userErrors { code field message } } }`;
    const release = `mutation($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { fulfillmentOrder { status fulfillmentHolds { reason } } userErrors { field message } } }`;
    const held = (await sandbox.gql(hold, { id: fo.id })).body.data!.fulfillmentOrderHold;
    expect(held).toMatchObject({
      fulfillmentHold: { reason: "INCORRECT_ADDRESS" }, userErrors: [],
      fulfillmentOrder: { status: "ON_HOLD", fulfillmentHolds: [{ reason: "INCORRECT_ADDRESS", reasonNotes: "Check the zip" }] },
    });
    const released = (await sandbox.gql(release, { id: fo.id })).body.data!.fulfillmentOrderReleaseHold;
    expect(released).toEqual({ fulfillmentOrder: { status: "OPEN", fulfillmentHolds: [] }, userErrors: [] });
    expect((await sandbox.gql(release, { id: fo.id })).body.data!.fulfillmentOrderReleaseHold.userErrors).toHaveLength(1);

    cancelOrder(sandbox.store, TEST_SHOP, BigInt(orderGid.split("/").pop()!));
    expect((await fulfillmentOrders())[0].status).toBe("CANCELLED");
    expect(committed(both.sku, newark.id)).toBe(0);
    const refused = (await sandbox.gql(hold, { id: fo.id })).body.data!.fulfillmentOrderHold;
    expect(refused.fulfillmentOrder).toBeNull();
    expect(refused.userErrors[0].message).toMatch(/CANCELLED/);
  });
});
