import { createHmac } from "node:crypto";
import { journey, lookupAllowed, orderNameCandidates, sameEmail, windowStart, type Journey } from "~/domain/portal/journey";
import { database } from "../db/database";
import { countLookup, ordersByName, portalShipments, portalUnits } from "../db/portal-sql";
import { findShopByDomain } from "../db/shops";
import { env } from "../env";

// A customer looks up their order in the portal (ADR 0026): by order number and the email it was placed with.
// Every lookup counts against the client and the order number in the current window, found or not; past the
// limit it is refused. A wrong email, an unknown number, another shop's order and a forgotten (redacted) customer
// all answer the same "not found": nothing says whether an order exists.

export type PortalLookup = { kind: "found"; journey: Journey } | { kind: "not_found" } | { kind: "throttled" } | { kind: "unknown_shop" };

export async function lookupOrderForCustomer(shopDomain: string, input: { number: string; email: string; client: string }, now = new Date()): Promise<PortalLookup> {
  const shop = await findShopByDomain(database(), shopDomain);
  if (!shop || shop.status !== "installed") return { kind: "unknown_shop" };
  const names = orderNameCandidates(input.number.slice(0, 64));
  const bucketNumber = (names?.[1] ?? input.number.trim().slice(0, 40)).toLowerCase();
  // The client is counted by a keyed digest of its address or customer id: no address is stored.
  const clientKey = createHmac("sha256", env().SHOPIFY_API_SECRET).update(`portal-client:${input.client}`).digest("base64url").slice(0, 32);
  const [client, order] = await database().transaction((tx) => countLookup(tx, shop.id, [`client:${clientKey}`, `order:${bucketNumber}`], windowStart(now)));
  if (!lookupAllowed({ client, order })) return { kind: "throttled" };
  if (!names) return { kind: "not_found" };
  const email = input.email.slice(0, 254);
  const match = (await ordersByName(database(), shop.id, names)).find((o) => o.redactedAt === null && sameEmail(email, o.email));
  if (!match) return { kind: "not_found" };
  const [units, shipments] = await Promise.all([portalUnits(database(), shop.id, match.id), portalShipments(database(), shop.id, match.id)]);
  return { kind: "found", journey: journey({ name: match.name, status: match.status, placedAt: match.placedAt, cancelledAt: match.cancelledAt, promisedBy: match.promisedBy, units, shipments }) };
}
