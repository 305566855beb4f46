import { createHmac, timingSafeEqual } from "node:crypto";

// Tokens the portal hands a customer (ADR 0036), keyed with the app's secret so no one can make or change one:
// - a return ticket, in the "Start a return" form after a successful lookup: it names the shop and the order the
//   customer proved they know (number + email), and expires; the form's order cannot be changed without breaking it.
// - a label token, in the link to an RMA's prepaid label: unguessable per shop and RMA, so the link works from the
//   portal page and from the e-mail, and knowing an RMA number alone opens nothing.

/** How long a "Start a return" form stays valid after the lookup that showed it. */
export const RETURN_TICKET_TTL_MS = 30 * 60_000;

const mac = (secret: string, message: string) => createHmac("sha256", secret).update(message).digest("base64url");

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function returnTicket(secret: string, shopDomain: string, orderId: string, now = new Date()): string {
  const expires = String(now.getTime() + RETURN_TICKET_TTL_MS);
  return `${orderId}.${expires}.${mac(secret, `portal-return\n${shopDomain.toLowerCase()}\n${orderId}\n${expires}`)}`;
}

/** The order a ticket names, or null when it is malformed, changed, another shop's or expired. */
export function readReturnTicket(secret: string, shopDomain: string, ticket: string, now = new Date()): string | null {
  const parts = ticket.slice(0, 300).split(".");
  if (parts.length !== 3) return null;
  const [orderId, expires, given] = parts;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(orderId) || !/^\d{1,16}$/.test(expires)) return null;
  if (!same(given, mac(secret, `portal-return\n${shopDomain.toLowerCase()}\n${orderId}\n${expires}`))) return null;
  return Number(expires) >= now.getTime() ? orderId : null;
}

export function labelToken(secret: string, shopDomain: string, rmaNumber: string): string {
  return mac(secret, `portal-label\n${shopDomain.toLowerCase()}\n${rmaNumber}`).slice(0, 32);
}

export function labelTokenValid(secret: string, shopDomain: string, rmaNumber: string, token: string): boolean {
  return /^[A-Za-z0-9]{1,20}$/.test(rmaNumber) && same(token.slice(0, 64), labelToken(secret, shopDomain, rmaNumber));
}

/** The label link under the proxy path the customer sees (`/apps/orders`), optionally absolute on the shop's domain. */
export function portalLabelPath(secret: string, shopDomain: string, proxyPath: string, rmaNumber: string): string {
  return `${proxyPath}?${new URLSearchParams({ label: rmaNumber, t: labelToken(secret, shopDomain, rmaNumber) })}`;
}
