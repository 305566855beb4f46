import { describe, expect, it } from "vitest";
import { isTerminalJobError } from "../queues/queue-port";
import type { FulfillmentOrderNode } from "../shopify/graphql/fulfillment-order-fields";
import { FULFILLMENT_ORDER_LINE_ITEMS_QUERY } from "../shopify/graphql/fulfillment-order-line-items-query";
import { ORDER_FULFILLMENT_ORDERS_QUERY } from "../shopify/graphql/order-fulfillment-orders-query";
import { applyRoutingToShopify, executeFulfillmentOrderOperations, type GraphqlFn } from "./apply-routing-to-shopify";

// What the sandbox cannot easily produce: paging past the first page, userErrors that a retry can fix
// (the FO changed meanwhile) against ones it cannot, and input refused before any call to Shopify.
// The end-to-end behaviour runs against the stand-in Shopify in tests/integration/apply-routing.test.ts.

const SHOP = "unit.myshopify.com";

function foNode(id: number, location: number, lines: Array<[foLine: number, lineItem: number, remaining: number]>, more = false): FulfillmentOrderNode {
  return {
    id: `gid://shopify/FulfillmentOrder/${id}`, status: "OPEN", assignedLocation: { location: { id: `gid://shopify/Location/${location}` } }, fulfillmentHolds: [],
    lineItems: {
      nodes: lines.map(([l, li, q]) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${l}`, remainingQuantity: q, lineItem: { id: `gid://shopify/LineItem/${li}` } })),
      pageInfo: { hasNextPage: more, endCursor: more ? "lines-2" : null },
    },
  };
}

/** A fake Admin API: answers by document, records every call. */
function fakeShopify(answer: (query: string, variables: Record<string, unknown>) => unknown) {
  const calls: Array<{ query: string; variables: Record<string, unknown> }> = [];
  const graphql: GraphqlFn = async <T,>(_shop: string, query: string, variables: Record<string, unknown>) => {
    calls.push({ query, variables });
    return answer(query, variables) as T;
  };
  return { graphql, calls };
}

const orderPage = (nodes: FulfillmentOrderNode[], next: string | null = null) => ({
  order: { id: "gid://shopify/Order/7", fulfillmentOrders: { nodes, pageInfo: { hasNextPage: next !== null, endCursor: next } } },
});

describe("applyRoutingToShopify", () => {
  it("reads every page of fulfillment orders and of their lines before planning", async () => {
    const { graphql, calls } = fakeShopify((query, vars) => {
      if (query === ORDER_FULFILLMENT_ORDERS_QUERY) {
        return vars.after === null ? orderPage([foNode(1, 10, [[100, 1000, 1]], true)], "fos-2") : orderPage([foNode(2, 10, [[200, 2000, 1]])]);
      }
      if (query === FULFILLMENT_ORDER_LINE_ITEMS_QUERY) {
        return { fulfillmentOrder: { id: vars.id, lineItems: { nodes: foNode(1, 10, [[101, 1001, 4]]).lineItems.nodes, pageInfo: { hasNextPage: false, endCursor: null } } } };
      }
      throw new Error(`unexpected ${query}`);
    });
    const result = await applyRoutingToShopify(SHOP, "7", [{ locationId: "10", lines: [{ lineItemId: "1000", quantity: 1 }, { lineItemId: "1001", quantity: 4 }, { lineItemId: "2000", quantity: 1 }] }], { graphql });
    expect(result).toEqual({ applied: [], skipped: [] });
    expect(calls.map((c) => [c.query === ORDER_FULFILLMENT_ORDERS_QUERY ? "order" : "lines", c.variables.after])).toEqual([["order", null], ["order", "fos-2"], ["lines", "lines-2"]]);
    expect(calls[0].variables.id).toBe("gid://shopify/Order/7");
  });

  it("refuses ids that are not Shopify legacy ids and bad quantities before calling Shopify", async () => {
    const { graphql, calls } = fakeShopify(() => orderPage([]));
    for (const desired of [[{ locationId: "gid://shopify/Location/1", lines: [] }], [{ locationId: "1", lines: [{ lineItemId: "x", quantity: 1 }] }]]) {
      expect(isTerminalJobError(await applyRoutingToShopify(SHOP, "7", desired, { graphql }).catch((e: unknown) => e))).toBe(true);
    }
    expect(calls).toEqual([]);
    const negative = await applyRoutingToShopify(SHOP, "7", [{ locationId: "1", lines: [{ lineItemId: "5", quantity: -2 }] }], { graphql }).catch((e: unknown) => e);
    expect(isTerminalJobError(negative)).toBe(true);
  });
});

describe("executeFulfillmentOrderOperations", () => {
  const current = [{ id: "gid://shopify/FulfillmentOrder/1", status: "OPEN", locationId: "10", lineItems: [{ id: "gid://shopify/FulfillmentOrderLineItem/100", lineItemId: "1000", remainingQuantity: 3 }] }];
  const userErrors = (errors: unknown[]) => fakeShopify(() => ({
    fulfillmentOrderMove: { movedFulfillmentOrder: null, originalFulfillmentOrder: null, userErrors: errors },
    fulfillmentOrderHold: { fulfillmentHold: null, fulfillmentOrder: null, remainingFulfillmentOrder: null, userErrors: errors },
    fulfillmentOrderReleaseHold: { fulfillmentOrder: null, userErrors: errors },
  }));

  it("sends FO line item gids and location gids, and binds the new FO's handle for later steps", async () => {
    const moved = foNode(2, 20, [[201, 1000, 1]]);
    const { graphql, calls } = fakeShopify((_q, vars) => (vars.newLocationId
      ? { fulfillmentOrderMove: { movedFulfillmentOrder: moved, originalFulfillmentOrder: foNode(1, 10, [[100, 1000, 2]]), userErrors: [] } }
      : { fulfillmentOrderHold: { fulfillmentHold: { id: "h", handle: "x" }, fulfillmentOrder: moved, remainingFulfillmentOrder: null, userErrors: [] } }));
    const applied = await executeFulfillmentOrderOperations(graphql, SHOP, current, [
      { kind: "move", fulfillmentOrder: current[0].id, newLocationId: "20", lineItems: [{ lineItemId: "1000", quantity: 1 }], movedAs: "@1" },
      { kind: "hold", fulfillmentOrder: "@1", reason: "INVENTORY_OUT_OF_STOCK", handle: "x", notes: "n", lineItems: [{ lineItemId: "1000", quantity: 1 }] },
    ]);
    expect(calls[0].variables).toEqual({
      id: current[0].id, newLocationId: "gid://shopify/Location/20", fulfillmentOrderLineItems: [{ id: "gid://shopify/FulfillmentOrderLineItem/100", quantity: 1 }],
    });
    expect(calls[1].variables).toMatchObject({ id: moved.id, fulfillmentHold: { fulfillmentOrderLineItems: [{ id: "gid://shopify/FulfillmentOrderLineItem/201", quantity: 1 }] } });
    expect(applied.map((a) => [a.fulfillmentOrderId, a.createdFulfillmentOrderId])).toEqual([[current[0].id, moved.id], [moved.id, undefined]]);
  });

  it("retries (plain Error) on userErrors a fresh plan can fix", async () => {
    const { graphql } = userErrors([{ field: ["fulfillmentOrderLineItems"], message: "Invalid quantity 3 for fulfillment order line item 100 (remaining 1).", code: "INVALID_LINE_ITEM_QUANTITY" }]);
    const error = await executeFulfillmentOrderOperations(graphql, SHOP, current, [
      { kind: "hold", fulfillmentOrder: current[0].id, reason: "INVENTORY_OUT_OF_STOCK", handle: "x", notes: "n" },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isTerminalJobError(error)).toBe(false);
    expect((error as Error).message).toMatch(/hold of gid:\/\/shopify\/FulfillmentOrder\/1 failed: fulfillmentOrderLineItems: Invalid quantity/);
    const sameLocation = userErrors([{ field: ["newLocationId"], message: "Cannot move a fulfillment order to the location it is already assigned to." }]);
    const moved = await executeFulfillmentOrderOperations(sameLocation.graphql, SHOP, current, [{ kind: "move", fulfillmentOrder: current[0].id, newLocationId: "10" }]).catch((e: unknown) => e);
    expect(isTerminalJobError(moved)).toBe(false);
  });

  it("fails terminally where no retry can help: someone else's hold, the hold limit", async () => {
    for (const code of ["INVALID_ACCESS", "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED"]) {
      const { graphql } = userErrors([{ field: ["id"], message: "no", code }]);
      const op = code === "INVALID_ACCESS"
        ? { kind: "releaseHold" as const, fulfillmentOrder: current[0].id }
        : { kind: "hold" as const, fulfillmentOrder: current[0].id, reason: "INVENTORY_OUT_OF_STOCK" as const, handle: "x", notes: "n" };
      expect(isTerminalJobError(await executeFulfillmentOrderOperations(graphql, SHOP, current, [op]).catch((e: unknown) => e))).toBe(true);
    }
  });

  it("refuses a handle no earlier step declared", async () => {
    const { graphql, calls } = fakeShopify(() => ({}));
    await expect(executeFulfillmentOrderOperations(graphql, SHOP, current, [{ kind: "releaseHold", fulfillmentOrder: "@9" }])).rejects.toThrow(/@9/);
    expect(calls).toEqual([]);
  });
});
