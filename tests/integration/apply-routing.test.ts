import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTerminalJobError } from "~/.server/queues/queue-port";
import { adminGraphql } from "~/.server/shopify/admin-graphql";
import { applyRoutingToShopify, executeFulfillmentOrderOperations, readFulfillmentOrders, type GraphqlFn } from "~/.server/use-cases/apply-routing-to-shopify";
import type { DesiredPlacement } from "~/domain/fulfillment/fulfillment-order-types";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";
import { DEFAULT_SCOPES, startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { addSession } from "../support/sessions";

// A routing decision reaches Shopify: the app's real Admin client (offline session from our DB) talks
// to the stand-in Shopify, whose fulfillment-order rules are Shopify's. After each step the stand-in's
// FOs are read back, and applying the same decision again sends no mutation at all.

const SHOP = "apply-test.myshopify.com";
const seed = demoShopSeed(SHOP);
const [newark, dallas, reno] = seed.locations.map((l) => ({ gid: l.id, id: l.id.split("/").pop()! }));
const variants = seed.products.flatMap((p) => p.variants);
const stockedEverywhere = variants.filter((v) => seed.locations.every((l) => v.stock[l.id] !== undefined));
const notInReno = variants.find((v) => v.stock[reno.gid] === undefined)!;
const [skuA, skuB] = [stockedEverywhere[0].sku, stockedEverywhere[1].sku];

let sandbox: ShopifySandbox;
let unroute: () => void;
let orderId: string;
let lineA: string;
let lineB: string;

beforeAll(async () => {
  sandbox = await startShopifySandbox({
    port: 0, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl: "http://127.0.0.1:1", shops: [seed],
  });
  unroute = routeShopTrafficTo(sandbox.url);
  // An offline session as after install, holding a token the stand-in issued: unauthenticated.admin(SHOP) works.
  await addSession({
    id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: sandbox.issueAccessToken(SHOP),
    scope: process.env.SCOPES ?? DEFAULT_SCOPES, expires: new Date(Date.now() + 86_400_000),
  });
  const order = sandbox.orders(SHOP).create({ lines: [{ sku: skuA, quantity: 3 }, { sku: skuB, quantity: 2 }] });
  orderId = String(order.id);
  [lineA, lineB] = order.line_items.map((l) => String(l.id));
});

afterAll(async () => {
  unroute?.();
  await sandbox?.close();
});

type Row = readonly [status: string, locationId: string, remaining: Record<string, number>];
const sorted = (rows: Row[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The stand-in's FOs for the order, as rows [status, location, { sku: remaining }] in a stable order. */
function sandboxState(): Row[] {
  const shop = sandbox.store.shop(SHOP);
  return sorted(sandbox.store.fulfillmentOrdersOf(shop, BigInt(orderId))
    .map((fo) => [fo.status, String(fo.locationId), Object.fromEntries(fo.lineItems.map((l) => [l.sku ?? "", l.remainingQuantity]))]));
}

/** Everything about the order's FOs, ids and timestamps included: any mutation would change it. */
const rawState = () => JSON.stringify(sandbox.store.fulfillmentOrdersOf(sandbox.store.shop(SHOP), BigInt(orderId)), (_k, v) => (typeof v === "bigint" ? String(v) : v));

const place = (locationId: string | null, a: number, b: number): DesiredPlacement => ({
  locationId, lines: [{ lineItemId: lineA, quantity: a }, { lineItemId: lineB, quantity: b }].filter((l) => l.quantity > 0),
});

/** Applies, then applies again and checks the second run sent no mutation and changed nothing. */
async function applyTwice(desired: DesiredPlacement[]) {
  const first = await applyRoutingToShopify(SHOP, orderId, desired);
  const before = rawState();
  const sent: string[] = [];
  const recording: GraphqlFn = (shop, query, variables) => {
    sent.push(query);
    return adminGraphql(shop, query, variables);
  };
  const second = await applyRoutingToShopify(SHOP, orderId, desired, { graphql: recording });
  expect(second.applied).toEqual([]);
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((q) => /^\s*mutation\b/m.test(q.replace("#graphql", "")))).toEqual([]);
  expect(rawState()).toBe(before);
  return first;
}

describe("applyRoutingToShopify against the stand-in Shopify", () => {
  it("starts from the one OPEN fulfillment order Shopify opens at the first location", async () => {
    expect(sandboxState()).toEqual([["OPEN", newark.id, { [skuA]: 3, [skuB]: 2 }]]);
    const fos = await readFulfillmentOrders(adminGraphql, SHOP, orderId);
    expect(fos).toEqual([expect.objectContaining({ status: "OPEN", locationId: newark.id, holds: [] })]);
    expect(fos[0].lineItems.map((l) => [l.lineItemId, l.remainingQuantity])).toEqual([[lineA, 3], [lineB, 2]]);
  });

  it("(a) all lines to another location: one whole move", async () => {
    const { applied, skipped } = await applyTwice([place(dallas.id, 3, 2)]);
    expect(applied.map((o) => o.kind)).toEqual(["move"]);
    expect(skipped).toEqual([]);
    expect(sandboxState()).toEqual([["OPEN", dallas.id, { [skuA]: 3, [skuB]: 2 }]]);
  });

  it("(b) split across two locations: one partial move", async () => {
    const { applied } = await applyTwice([place(dallas.id, 1, 2), place(reno.id, 2, 0)]);
    expect(applied).toEqual([expect.objectContaining({ kind: "move", newLocationId: reno.id, createdFulfillmentOrderId: expect.stringMatching(/FulfillmentOrder/) })]);
    expect(sandboxState()).toEqual(sorted([["OPEN", dallas.id, { [skuA]: 1, [skuB]: 2 }], ["OPEN", reno.id, { [skuA]: 2 }]]));
  });

  it("(c) part backordered: those units end ON_HOLD for INVENTORY_OUT_OF_STOCK, the rest stays open", async () => {
    const { applied } = await applyTwice([place(dallas.id, 0, 2), place(reno.id, 2, 0), place(null, 1, 0)]);
    expect(applied.map((o) => o.kind)).toEqual(["hold"]);
    expect(sandboxState()).toEqual(sorted([
      ["ON_HOLD", dallas.id, { [skuA]: 1 }], ["OPEN", dallas.id, { [skuB]: 2 }], ["OPEN", reno.id, { [skuA]: 2 }],
    ]));
    const held = [...sandbox.store.shop(SHOP).fulfillmentOrders.values()].find((fo) => fo.status === "ON_HOLD")!;
    expect(held.holds).toEqual([expect.objectContaining({ reason: "INVENTORY_OUT_OF_STOCK", handle: "open-oms-backorder" })]);
  });

  it("(d) the backorder filled at another location: hold released, then moved", async () => {
    const { applied } = await applyTwice([place(dallas.id, 0, 2), place(reno.id, 2, 0), place(newark.id, 1, 0)]);
    expect(applied.map((o) => o.kind)).toEqual(["releaseHold", "move"]);
    expect(sandboxState()).toEqual(sorted([
      ["OPEN", dallas.id, { [skuB]: 2 }], ["OPEN", newark.id, { [skuA]: 1 }], ["OPEN", reno.id, { [skuA]: 2 }],
    ]));
    expect([...sandbox.store.shop(SHOP).fulfillmentOrders.values()].every((fo) => fo.holds.length === 0)).toBe(true);
  });

  it("runs a split and resolves the new FO's handle for the next step (executor support; the planner prefers partial moves)", async () => {
    const fos = await readFulfillmentOrders(adminGraphql, SHOP, orderId);
    const reno2 = fos.find((fo) => fo.locationId === reno.id)!;
    const applied = await executeFulfillmentOrderOperations(adminGraphql, SHOP, fos, [
      { kind: "split", fulfillmentOrder: reno2.id, lineItems: [{ lineItemId: lineA, quantity: 1 }], splitAs: "@1" },
      { kind: "move", fulfillmentOrder: "@1", newLocationId: newark.id },
    ]);
    expect(applied[1].fulfillmentOrderId).toBe(applied[0].createdFulfillmentOrderId);
    expect(sandboxState()).toEqual(sorted([
      ["OPEN", dallas.id, { [skuB]: 2 }], ["OPEN", newark.id, { [skuA]: 1 }], ["OPEN", newark.id, { [skuA]: 1 }], ["OPEN", reno.id, { [skuA]: 1 }],
    ]));
  });

  it("fails terminally for a location Shopify does not know, or one that does not stock the item", async () => {
    const unknown = await applyRoutingToShopify(SHOP, orderId, [place("123456789", 3, 2)]).catch((e: unknown) => e);
    expect(isTerminalJobError(unknown)).toBe(true);
    expect((unknown as Error).message).toMatch(/Location could not be found/);

    // A backordered order whose stock "arrives" at a location that does not stock the item: the
    // release goes through, the move is refused, and the FO is put back on hold rather than left OPEN.
    const other = sandbox.orders(SHOP).create({ lines: [{ sku: notInReno.sku, quantity: 1 }] });
    const line = String(other.line_items[0].id);
    await applyRoutingToShopify(SHOP, String(other.id), [{ locationId: null, lines: [{ lineItemId: line, quantity: 1 }] }]);
    const notStocked = await applyRoutingToShopify(SHOP, String(other.id), [{ locationId: reno.id, lines: [{ lineItemId: line, quantity: 1 }] }])
      .catch((e: unknown) => e);
    expect(isTerminalJobError(notStocked)).toBe(true);
    expect((notStocked as Error).message).toMatch(/not stocked/);
    const [fo] = sandbox.store.fulfillmentOrdersOf(sandbox.store.shop(SHOP), other.id);
    expect([fo.status, String(fo.locationId), fo.holds.map((h) => h.handle)]).toEqual(["ON_HOLD", newark.id, ["open-oms-backorder"]]);
  });

  it("fails terminally for an order Shopify does not have", async () => {
    const error = await applyRoutingToShopify(SHOP, "42", []).catch((e: unknown) => e);
    expect(isTerminalJobError(error)).toBe(true);
  });
});
