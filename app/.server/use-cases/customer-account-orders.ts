import { journeyFacts, type JourneyFacts } from "~/domain/portal/journey";
import { shopifyOrderOfCustomer } from "../db/customer-account-sql";
import { database } from "../db/database";
import type { PortalOrderRow } from "../db/portal-sql";
import { portalShipments, portalUnits } from "../db/portal-sql";
import { returnOrderLines } from "../db/returns-sql";
import { findShopByDomain } from "../db/shops";
import { env } from "../env";
import { portalLabelPath } from "../portal/portal-tokens";
import type { ReturnStatus } from "~/domain/returns/status";
import { customerReturnOptions, reasonLabel } from "./customer-returns";
import { requestReturn } from "./request-return";

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

/** The RMA as the extension shows it: lines by their Shopify LineItem GID, and the label link (through the app proxy). */
export interface CustomerAccountReturn {
  number: string;
  status: ReturnStatus;
  createdAt: string;
  labelUrl: string | null;
  lines: { lineItemId: string | null; title: string; quantity: number; reason: string }[];
}

export interface CustomerAccountReturnOptions {
  reasons: { code: string; label: string }[];
  lines: { lineItemId: string; title: string; sku: string | null; returnable: number; message: string | null }[];
  returns: { number: string; status: ReturnStatus; createdAt: string; labelUrl: string | null }[];
}

const lineItemGid = (externalId: string) => `gid://shopify/LineItem/${externalId}`;
const LINE_ITEM_GID = /^gid:\/\/shopify\/LineItem\/(\d{1,20})$/;
/** The label link on the shop's own domain, through the app proxy (shopify.app.toml: /apps/orders). */
const labelUrlOf = (shopDomain: string, number: string, hasLabel: boolean) =>
  hasLabel ? `https://${shopDomain}${portalLabelPath(env().SHOPIFY_API_SECRET, shopDomain, "/apps/orders", number)}` : null;

/** What the customer may return from their order, and its returns so far ("Start a return" on the order status page). */
export async function returnOptionsForCustomerAccount(session: CustomerAccountSession, orderGid: string, now = new Date()): Promise<{ kind: "found"; options: CustomerAccountReturnOptions } | { kind: "not_found" }> {
  const access = await orderOfCustomer(session, orderGid);
  if (access.kind !== "found") return access;
  const options = await customerReturnOptions(access.shopId, access.order.id, now);
  if (!options) return { kind: "not_found" };
  return {
    kind: "found",
    options: {
      reasons: options.reasons.map((code) => ({ code, label: reasonLabel(code) })),
      lines: options.lines.map((l) => ({ lineItemId: lineItemGid(l.externalId), title: l.title, sku: l.sku, returnable: l.returnable, message: l.message })),
      returns: options.returns.map((r) => ({ number: r.number, status: r.status, createdAt: r.createdAt, labelUrl: labelUrlOf(session.shopDomain, r.number, r.hasLabel) })),
    },
  };
}

export interface CustomerAccountReturnRequest {
  lines: { lineItemId: string; quantity: number; reason: string }[];
  note?: string;
}

export type CustomerAccountReturnResult =
  | { kind: "not_found" }
  | { kind: "refused"; status: 400 | 409 | 422; error: string }
  | { kind: "started"; created: boolean; rma: CustomerAccountReturn };

/**
 * A customer asks to return units of their order from the order status page. Ownership is checked first, so the
 * answer for someone else's order is "not found" as everywhere else; the lines (Shopify LineItem GIDs) are mapped
 * to the order's lines and the request goes through `requestReturn` (source customer_account, the shop's policy).
 */
export async function requestReturnFromCustomerAccount(session: CustomerAccountSession, orderGid: string, body: CustomerAccountReturnRequest, now = new Date()): Promise<CustomerAccountReturnResult> {
  const access = await orderOfCustomer(session, orderGid);
  if (access.kind !== "found") return access;
  const { shopId, order } = access;
  const lines = await returnOrderLines(database(), shopId, order.id);
  const byExternal = new Map(lines.map((l) => [l.externalId, l]));
  const problems: string[] = [];
  const mapped = body.lines.map((l, i) => {
    const line = byExternal.get(LINE_ITEM_GID.exec(l.lineItemId)?.[1] ?? "");
    if (!line) problems.push(`lines.${i}.lineItemId: ${JSON.stringify(l.lineItemId.slice(0, 80))} is not a line of this order`);
    return { orderLineId: line?.id ?? "", quantity: l.quantity, reason: l.reason };
  });
  if (problems.length) return { kind: "refused", status: 400, error: `Return not requested: ${problems.join("; ")}.` };
  const result = await requestReturn(shopId, { orderId: order.id, lines: mapped, note: body.note, source: "customer_account" }, { now, actor: `customer:${session.customerId}` });
  if (!result.ok) return { kind: "refused", status: result.status === 404 ? 409 : result.status, error: result.error };
  const externalOf = new Map(lines.map((l) => [l.id, l.externalId]));
  const { rma } = result;
  return {
    kind: "started", created: result.created,
    rma: {
      number: rma.number, status: rma.status, createdAt: rma.createdAt, labelUrl: labelUrlOf(session.shopDomain, rma.number, rma.label !== null),
      lines: rma.lines.map((l) => ({ lineItemId: externalOf.has(l.orderLineId) ? lineItemGid(externalOf.get(l.orderLineId)!) : null, title: l.title, quantity: l.quantity, reason: l.reason })),
    },
  };
}
