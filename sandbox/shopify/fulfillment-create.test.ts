import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { cancelFulfillment } from "./order-events";
import { startTestSandbox, TEST_SHOP } from "./test-support";

// fulfillmentCreate in the stand-in (ADR 0033): what Shopify does with the warehouse module's shipments — fulfillment
// order lines shipped from their location with tracking, on hand and committed down, the FO closed when empty, the
// order fulfilled; problems as userErrors with nothing changed.

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox;
afterEach(() => sandbox.close());

const seed = demoShopSeed();
const variants = seed.products.flatMap((p) => p.variants);
const [x, y] = variants.filter((v) => seed.locations.every((l) => v.stock[l.id] !== undefined));

const FOS = `query($id: ID!) { order(id: $id) { displayFulfillmentStatus fulfillmentOrders(first: 10) { nodes { id status assignedLocation { location { id } } lineItems(first: 10) { nodes { id remainingQuantity lineItem { id sku } } } } }
  fulfillments(first: 10) { id status trackingInfo(first: 5) { company number } } } }`;
const CREATE = `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id status trackingInfo(first: 5) { company number } } userErrors { field message } } }`;

type Fo = { id: string; status: string; assignedLocation: { location: { id: string } }; lineItems: { nodes: { id: string; remainingQuantity: number; lineItem: { sku: string } }[] } };
let orderGid: string;
let orderId: bigint;
beforeEach(async () => {
  sandbox = await startTestSandbox();
  const order = sandbox.orders(TEST_SHOP).create({ lines: [{ sku: x.sku, quantity: 3 }, { sku: y.sku, quantity: 1 }] });
  orderGid = order.admin_graphql_api_id;
  orderId = order.id;
});

const read = async () => (await sandbox.gql(FOS, { id: orderGid })).body.data!.order as { displayFulfillmentStatus: string; fulfillmentOrders: { nodes: Fo[] }; fulfillments: { id: string; status: string; trackingInfo: { company: string; number: string }[] }[] };
const onHand = (sku: string, locationGid: string) => {
  const shop = sandbox.store.shop(TEST_SHOP);
  return sandbox.store.level(shop, sandbox.store.variantBySku(shop, sku)!.inventoryItemId, BigInt(locationGid.split("/").pop()!))!.quantities;
};

describe("fulfillmentCreate", () => {
  it("ships part of a fulfillment order with tracking, then the rest, closing it and fulfilling the order", async () => {
    const [fo] = (await read()).fulfillmentOrders.nodes;
    const location = fo.assignedLocation.location.id;
    const lineX = fo.lineItems.nodes.find((l) => l.lineItem.sku === x.sku)!;
    const before = { ...onHand(x.sku, location) };
    const first = (await sandbox.gql(CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: lineX.id, quantity: 2 }] }], trackingInfo: { company: "UPS", number: "1Z1" } } })).body.data!.fulfillmentCreate;
    expect(first).toMatchObject({ userErrors: [], fulfillment: { status: "SUCCESS", trackingInfo: [{ company: "UPS", number: "1Z1" }] } });
    expect(onHand(x.sku, location)).toMatchObject({ on_hand: before.on_hand - 2, committed: before.committed - 2 });
    let state = await read();
    expect(state.fulfillmentOrders.nodes[0]).toMatchObject({ status: "IN_PROGRESS" });
    expect(state.displayFulfillmentStatus).toBe("PARTIALLY_FULFILLED");
    const rest = (await sandbox.gql(CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }], trackingInfo: { company: "UPS", number: "1Z2" } } })).body.data!.fulfillmentCreate;
    expect(rest.userErrors).toEqual([]);
    state = await read();
    expect(state.fulfillmentOrders.nodes[0].status).toBe("CLOSED");
    expect(state.displayFulfillmentStatus).toBe("FULFILLED");
    expect(state.fulfillments.map((f) => f.trackingInfo[0].number)).toEqual(["1Z1", "1Z2"]);
    // A cancelled fulfillment gives its units back to the fulfillment order it came from.
    cancelFulfillment(sandbox.store, TEST_SHOP, BigInt(first.fulfillment.id.split("/").pop()));
    expect((await read()).fulfillmentOrders.nodes[0]).toMatchObject({ status: "OPEN" });
    expect(sandbox.store.shop(TEST_SHOP).orders.get(orderId)!.payload.fulfillment_status).toBe("partial");
  });

  it("answers userErrors and changes nothing: unknown FO, a line of another FO, too many units, a closed FO", async () => {
    const [fo] = (await read()).fulfillmentOrders.nodes;
    const lineX = fo.lineItems.nodes.find((l) => l.lineItem.sku === x.sku)!;
    const before = JSON.stringify(await read());
    const send = async (f: unknown) => (await sandbox.gql(CREATE, { f })).body.data!.fulfillmentCreate as { fulfillment: unknown; userErrors: { message: string }[] };
    expect(await send({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" }] })).toMatchObject({ fulfillment: null, userErrors: [{ message: "Fulfillment order does not exist." }] });
    expect((await send({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: "gid://shopify/FulfillmentOrderLineItem/1", quantity: 1 }] }] })).userErrors[0].message).toMatch(/does not belong/);
    expect((await send({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: lineX.id, quantity: 4 }] }] })).userErrors[0].message).toMatch(/Invalid quantity 4/);
    expect(await send({ lineItemsByFulfillmentOrder: [] })).toMatchObject({ fulfillment: null });
    expect(JSON.stringify(await read())).toBe(before);
    await send({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] });
    expect((await send({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] })).userErrors[0].message).toMatch(/unfulfillable status= closed/);
  });
});
