import { createHmac } from "node:crypto";
import { journey, lookupAllowed, orderNameCandidates, PORTAL_LIMITS, sameEmail, windowStart, type Journey } from "~/domain/portal/journey";
import { database } from "../db/database";
import { countLookup, ordersByName, portalShipments, portalUnits } from "../db/portal-sql";
import { returnByNumber, returnOrder } from "../db/returns-sql";
import { findShopByDomain } from "../db/shops";
import { env } from "../env";
import { AppError } from "../errors";
import { labelTokenValid, readReturnTicket } from "../portal/portal-tokens";
import { customerReturnOptions, type CustomerReturnOptions } from "./customer-returns";
import { issueReturnLabel } from "./issue-return-label";
import { requestReturn } from "./request-return";
import type { ReturnView } from "./return-view";

// A customer looks up their order in the portal (ADR 0026): by order number and the email it was placed with.
// Every lookup counts against the client and the order number in the current window, found or not; past the
// limit it is refused. A wrong email, an unknown number, another shop's order and a forgotten (redacted) customer
// all answer the same "not found": nothing says whether an order exists.
// A customer who found their order may start a return from the page (ADR 0036): the form carries a ticket naming
// the order (signed, expiring), each submission and each label download counts against the client too.

export type PortalLookup =
  | { kind: "found"; journey: Journey; shopId: string; orderId: string; returns: CustomerReturnOptions | null }
  | { kind: "not_found" } | { kind: "throttled" } | { kind: "unknown_shop" };

/** The client counted by a keyed digest of its address or customer id: no address is stored. */
const clientBucket = (client: string) => `client:${createHmac("sha256", env().SHOPIFY_API_SECRET).update(`portal-client:${client}`).digest("base64url").slice(0, 32)}`;

async function installedShop(shopDomain: string) {
  const shop = await findShopByDomain(database(), shopDomain);
  return shop && shop.status === "installed" ? shop : null;
}

export async function lookupOrderForCustomer(shopDomain: string, input: { number: string; email: string; client: string }, now = new Date()): Promise<PortalLookup> {
  const shop = await installedShop(shopDomain);
  if (!shop) return { kind: "unknown_shop" };
  const names = orderNameCandidates(input.number.slice(0, 64));
  const bucketNumber = (names?.[1] ?? input.number.trim().slice(0, 40)).toLowerCase();
  const [client, order] = await database().transaction((tx) => countLookup(tx, shop.id, [clientBucket(input.client), `order:${bucketNumber}`], windowStart(now)));
  if (!lookupAllowed({ client, order })) return { kind: "throttled" };
  if (!names) return { kind: "not_found" };
  const email = input.email.slice(0, 254);
  const match = (await ordersByName(database(), shop.id, names)).find((o) => o.redactedAt === null && sameEmail(email, o.email));
  if (!match) return { kind: "not_found" };
  const [units, shipments, returns] = await Promise.all([portalUnits(database(), shop.id, match.id), portalShipments(database(), shop.id, match.id), customerReturnOptions(shop.id, match.id, now)]);
  return {
    kind: "found", shopId: shop.id, orderId: match.id, returns,
    journey: journey({ name: match.name, status: match.status, placedAt: match.placedAt, cancelledAt: match.cancelledAt, promisedBy: match.promisedBy, units, shipments }),
  };
}

/** Counts one request of the client in the current window; false past the limit. */
async function clientAllowed(shopId: string, client: string, now: Date): Promise<boolean> {
  const [count] = await database().transaction((tx) => countLookup(tx, shopId, [clientBucket(client)], windowStart(now)));
  return count <= PORTAL_LIMITS.perClient;
}

export type PortalReturnStart =
  | { kind: "started"; rma: ReturnView; created: boolean; orderName: string }
  | { kind: "refused"; status: number; error: string; orderName: string; returns: CustomerReturnOptions }
  | { kind: "bad_ticket" } | { kind: "throttled" } | { kind: "unknown_shop" };

/**
 * The portal's "Start a return": the ticket from the lookup's page names the order (a changed, foreign or expired
 * ticket is refused, whatever order it names); the lines are checked by `requestReturn` against the shop's policy.
 */
export async function startPortalReturn(
  shopDomain: string,
  input: { ticket: string; client: string; lines: { orderLineId: string; quantity: number; reason: string }[] },
  now = new Date(),
): Promise<PortalReturnStart> {
  const shop = await installedShop(shopDomain);
  if (!shop) return { kind: "unknown_shop" };
  if (!(await clientAllowed(shop.id, input.client, now))) return { kind: "throttled" };
  const orderId = readReturnTicket(env().SHOPIFY_API_SECRET, shopDomain, input.ticket, now);
  if (!orderId) return { kind: "bad_ticket" };
  const order = await returnOrder(database(), shop.id, orderId);
  if (!order) return { kind: "bad_ticket" };
  const refused = async (status: number, error: string): Promise<PortalReturnStart> => ({ kind: "refused", status, error, orderName: order.name, returns: (await customerReturnOptions(shop.id, orderId, now))! });
  if (input.lines.length === 0) return refused(400, "Choose at least one item and how many to return.");
  const result = await requestReturn(shop.id, { orderId, lines: input.lines, source: "portal" }, { now, actor: "customer:portal" });
  if (!result.ok) return refused(result.status, result.error);
  return { kind: "started", rma: result.rma, created: result.created, orderName: order.name };
}

export type PortalLabel = { kind: "label"; number: string; pdf: Buffer } | { kind: "not_found" } | { kind: "throttled" };

/** An RMA's prepaid label through the portal: only with the link's token (made with the app's secret for this shop and RMA). */
export async function portalReturnLabel(shopDomain: string, input: { number: string; token: string; client: string }, now = new Date()): Promise<PortalLabel> {
  const shop = await installedShop(shopDomain);
  if (!shop) return { kind: "not_found" };
  if (!(await clientAllowed(shop.id, input.client, now))) return { kind: "throttled" };
  if (!labelTokenValid(env().SHOPIFY_API_SECRET, shopDomain, input.number, input.token)) return { kind: "not_found" };
  if (!(await returnByNumber(database(), shop.id, input.number))) return { kind: "not_found" };
  try {
    const label = await issueReturnLabel(shop.id, input.number, { now });
    return { kind: "label", number: input.number, pdf: label.pdf };
  } catch (error) {
    if (error instanceof AppError) return { kind: "not_found" }; // declined or closed before a label was issued
    throw error;
  }
}
