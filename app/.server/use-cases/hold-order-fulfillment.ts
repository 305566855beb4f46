import { decideFulfillmentHold, MERCHANT_HOLD_HANDLE, MERCHANT_HOLD_REASON, merchantHoldNotes } from "~/domain/integrations/fulfillment-hold";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { clearFulfillmentHold, orderFulfillmentHold, setFulfillmentHold } from "../db/fulfillment-hold-sql";
import { getOrder, latestDecisionId, openPlacements } from "../db/pipeline-sql";
import { findShopById } from "../db/shops";
import { adminGraphql } from "../shopify/admin-graphql";
import { FULFILLMENT_ORDER_HOLD_MUTATION, type FulfillmentOrderHoldResult } from "../shopify/graphql/fulfillment-order-hold-mutation";
import { FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION, type FulfillmentOrderReleaseHoldResult } from "../shopify/graphql/fulfillment-order-release-hold-mutation";
import type { FulfillmentOrderNode } from "../shopify/graphql/fulfillment-order-fields";
import { FULFILLMENT_ORDERS_PAGE, ORDER_FULFILLMENT_ORDERS_QUERY, type OrderFulfillmentOrdersResult } from "../shopify/graphql/order-fulfillment-orders-query";
import { desiredPlacement } from "../channels/shopify/shopify-channel";
import { applyRoutingToShopify, type GraphqlFn } from "./apply-routing-to-shopify";

// Holding and releasing an order's fulfillment (ADR 0037; the Flow actions hold-fulfillment / release-fulfillment):
// the order row's hold is set or cleared by compare-and-set with its audit event (order.fulfillment_held /
// _released) in one transaction; a Shopify order's fulfillment orders then get (or lose) the app's own hold
// (handle open-oms-fulfillment-hold, beside the routing's backorder hold). The Shopify step reads the FOs every
// time and changes only what differs, so it runs again safely: a call that failed after the order was held is
// carried out by the retry (which finds the order held already and mirrors again).
// Releasing also re-applies the order's current routing decision to its FOs (the apply-routing path): while the
// app's hold was on, the routing's changes to those FOs were skipped (ADR 0031's HELD_BY_OTHERS), so they reach
// Shopify now; the planner changes only what differs, so a release with nothing pending sends no mutation.

export type HoldOutcome =
  | { kind: "held" | "released" | "unchanged"; orderId: string; status: string; heldAt: string | null; reason: string | null; shopify: ShopifyHoldOutcome | null }
  | { kind: "refused"; orderId: string; problem: string };

/** What changed in Shopify: holds placed / released, and (on a release) routing operations re-applied. */
export interface ShopifyHoldOutcome {
  holdsPlaced: number;
  holdsReleased: number;
  routingReapplied: number;
}

/** Statuses whose routing is no longer applied to Shopify (completeRouting's rule). */
const ROUTING_CLOSED = new Set(["cancelled", "returned"]);

export async function setOrderFulfillmentHold(
  shopId: string, orderId: string, want: { hold: true; reason: string | null } | { hold: false }, opts: { actor: string; now?: Date; graphql?: GraphqlFn },
): Promise<HoldOutcome> {
  const now = opts.now ?? new Date();
  const decided = await database().transaction(async (tx) => {
    if (!(await getOrder(tx, shopId, orderId))) return { kind: "refused" as const, problem: `No order ${orderId}` }; // locks the order row
    const row = (await orderFulfillmentHold(tx, shopId, orderId))!;
    const decision = decideFulfillmentHold({ status: row.status, fulfillmentHoldAt: row.fulfillmentHoldAt }, want.hold ? "hold" : "release");
    if (!decision.ok) return { kind: "refused" as const, problem: decision.problem };
    if (decision.change === "hold" && want.hold && (await setFulfillmentHold(tx, shopId, orderId, want.reason, now))) {
      await audit(tx, shopId, opts.actor, "order.fulfillment_held", { type: "order", id: orderId }, { reason: want.reason });
      return { kind: "held" as const };
    }
    if (decision.change === "release" && (await clearFulfillmentHold(tx, shopId, orderId, now))) {
      await audit(tx, shopId, opts.actor, "order.fulfillment_released", { type: "order", id: orderId }, { reason: row.fulfillmentHoldReason });
      return { kind: "released" as const };
    }
    return { kind: "unchanged" as const };
  });
  if (decided.kind === "refused") return { kind: "refused", orderId, problem: decided.problem };
  const row = (await orderFulfillmentHold(database(), shopId, orderId))!;
  let shopify: ShopifyHoldOutcome | null = null;
  if (row.channelKind === "shopify" && /^\d+$/.test(row.externalId)) {
    const shop = await findShopById(database(), shopId);
    const graphql = opts.graphql ?? adminGraphql;
    if (shop) {
      const mirrored = await mirrorFulfillmentHold(graphql, shop.domain, row.externalId, row.fulfillmentHoldAt !== null ? { reason: row.fulfillmentHoldReason } : null);
      shopify = { ...mirrored, routingReapplied: 0 };
      if (!want.hold && row.fulfillmentHoldAt === null && !ROUTING_CLOSED.has(row.status) && (await latestDecisionId(database(), shopId, orderId)) !== undefined) {
        const placements = await openPlacements(database(), shopId, orderId);
        if (placements.length > 0) shopify.routingReapplied = (await applyRoutingToShopify(shop.domain, row.externalId, desiredPlacement(placements), { graphql })).applied.length;
      }
    }
  }
  return { kind: decided.kind, orderId, status: row.status, heldAt: row.fulfillmentHoldAt, reason: row.fulfillmentHoldReason, shopify };
}

/** FO statuses Shopify lets a hold be placed on. */
const HOLDABLE_FO = new Set(["OPEN", "IN_PROGRESS", "SCHEDULED", "ON_HOLD"]);

/** Makes the order's FOs in Shopify carry the app's hold (held) or not (null); changes only what differs. */
export async function mirrorFulfillmentHold(graphql: GraphqlFn, shopDomain: string, orderExternalId: string, held: { reason: string | null } | null): Promise<{ holdsPlaced: number; holdsReleased: number }> {
  const nodes: FulfillmentOrderNode[] = [];
  let after: string | null = null;
  do {
    const page: OrderFulfillmentOrdersResult = await graphql(shopDomain, ORDER_FULFILLMENT_ORDERS_QUERY, { id: `gid://shopify/Order/${orderExternalId}`, first: FULFILLMENT_ORDERS_PAGE, after });
    if (!page.order) throw new Error(`Shopify has no order ${orderExternalId} in ${shopDomain}`);
    nodes.push(...page.order.fulfillmentOrders.nodes);
    after = page.order.fulfillmentOrders.pageInfo.hasNextPage ? page.order.fulfillmentOrders.pageInfo.endCursor : null;
  } while (after);
  const done = { holdsPlaced: 0, holdsReleased: 0 };
  for (const fo of nodes) {
    const ours = fo.fulfillmentHolds.filter((h) => h.handle === MERCHANT_HOLD_HANDLE);
    if (held && ours.length === 0 && HOLDABLE_FO.has(fo.status)) {
      const r = (await graphql<FulfillmentOrderHoldResult>(shopDomain, FULFILLMENT_ORDER_HOLD_MUTATION, {
        id: fo.id, fulfillmentHold: { reason: MERCHANT_HOLD_REASON, reasonNotes: merchantHoldNotes(held.reason), handle: MERCHANT_HOLD_HANDLE, notifyMerchant: false },
      })).fulfillmentOrderHold;
      if (!r || r.userErrors.length > 0) throw new Error(`Shopify refused to hold ${fo.id}: ${r?.userErrors.map((e) => e.message).join("; ") ?? "no answer"}`);
      done.holdsPlaced += 1;
    }
    if (!held && ours.length > 0) {
      const r = (await graphql<FulfillmentOrderReleaseHoldResult>(shopDomain, FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION, { id: fo.id, holdIds: ours.map((h) => h.id) })).fulfillmentOrderReleaseHold;
      if (!r || r.userErrors.length > 0) throw new Error(`Shopify refused to release ${fo.id}: ${r?.userErrors.map((e) => e.message).join("; ") ?? "no answer"}`);
      done.holdsReleased += 1;
    }
  }
  return done;
}
