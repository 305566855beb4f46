import { journeyFacts, type JourneyFacts } from "~/domain/portal/journey";
import { shopifyOrderOfCustomer } from "../db/customer-account-sql";
import { database } from "../db/database";
import type { PortalOrderRow } from "../db/portal-sql";
import { portalShipments, portalUnits } from "../db/portal-sql";
import { findShopByDomain } from "../db/shops";

// The customer-account extension on the order status page (ADR 0028) asks for an order by its Shopify GID, with
// a verified session naming the shop (`dest`) and the signed-in customer (`sub`). The order is shown only to the
// customer who placed it, in the shop that took it; every other case is the same "not found".

const ORDER_GID = /^gid:\/\/shopify\/Order\/(\d{1,20})$/;

export interface CustomerAccountSession {
  shopDomain: string;
  customerId: string | null;
}

type Access = { kind: "found"; shopId: string; order: PortalOrderRow } | { kind: "not_found" };

async function orderOfCustomer(session: CustomerAccountSession, orderGid: string): Promise<Access> {
  const orderId = ORDER_GID.exec(orderGid)?.[1];
  // A token without `sub` (no signed-in customer, or no access to customer data) cannot prove the order is theirs.
  if (!orderId || !session.customerId) return { kind: "not_found" };
  const shop = await findShopByDomain(database(), session.shopDomain);
  if (!shop || shop.status !== "installed") return { kind: "not_found" };
  const order = await shopifyOrderOfCustomer(database(), shop.id, orderId, session.customerId);
  return order ? { kind: "found", shopId: shop.id, order } : { kind: "not_found" };
}

/** The journey of the customer's own order (steps, what is on its way and how to follow it, what waits for stock): never our locations. */
export async function customerOrderJourney(session: CustomerAccountSession, orderGid: string): Promise<{ kind: "found"; journey: JourneyFacts } | { kind: "not_found" }> {
  const access = await orderOfCustomer(session, orderGid);
  if (access.kind !== "found") return access;
  const { shopId, order } = access;
  const [units, shipments] = await Promise.all([portalUnits(database(), shopId, order.id), portalShipments(database(), shopId, order.id)]);
  return { kind: "found", journey: journeyFacts({ name: order.name, status: order.status, placedAt: order.placedAt, cancelledAt: order.cancelledAt, promisedBy: order.promisedBy, units, shipments }) };
}

/**
 * A customer asks to return (part of) their order from the order status page. Ownership is checked first, so
 * the answer for someone else's order is "not found" as everywhere else. Returns (RMAs) do not exist server-side
 * yet: a found order answers `not_available` until the returns workflow takes the request.
 */
export async function requestReturnFromCustomerAccount(session: CustomerAccountSession, orderGid: string): Promise<{ kind: "not_found" } | { kind: "not_available" }> {
  const access = await orderOfCustomer(session, orderGid);
  if (access.kind !== "found") return access;
  return { kind: "not_available" };
}
