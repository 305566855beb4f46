import { createHmac, timingSafeEqual } from "node:crypto";
import { UNSUBSCRIBE_PURPOSE, type UnsubscribeLinks, type UnsubscribePurpose } from "~/domain/notifications/unsubscribe";

// Unsubscribe tokens (ADR 0038), keyed with the app's secret like the portal's (portal-tokens.ts): the token names the
// shop, the customer's (normalized) e-mail and the purpose, and carries an HMAC over all three, so no one can make
// one for another address or shop, or change the one they got. It does not expire: a link in an old e-mail still
// works (RFC 8058 asks that the one-click URL keep working), and what it does is harmless to repeat.

/** The longest token read (a long address fits; anything longer is refused unread). */
const MAX_TOKEN = 1_200;

export interface UnsubscribeClaim {
  shopDomain: string;
  email: string;
  purpose: UnsubscribePurpose;
}

const mac = (secret: string, payload: string) => createHmac("sha256", secret).update(`notifications-unsubscribe\n${payload}`).digest("base64url");

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function unsubscribeToken(secret: string, shopDomain: string, email: string): string {
  const payload = `${UNSUBSCRIBE_PURPOSE}\n${shopDomain.toLowerCase()}\n${email}`;
  return `${Buffer.from(payload).toString("base64url")}.${mac(secret, payload)}`;
}

/** What a token names, or null when it is malformed or was not made with this secret (changed, forged). */
export function readUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | null {
  if (token.length > MAX_TOKEN) return null;
  const parts = token.split(".");
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]{43}$/.test(parts[1])) return null;
  const payload = Buffer.from(parts[0], "base64url").toString("utf8");
  if (!same(parts[1], mac(secret, payload))) return null;
  const [purpose, shopDomain, email, ...rest] = payload.split("\n");
  if (rest.length > 0 || purpose !== UNSUBSCRIBE_PURPOSE || !shopDomain || !email?.includes("@")) return null;
  return { purpose, shopDomain, email };
}

/** The confirm page through the shop's proxy, and the app's one-click endpoint, for this address. */
export function unsubscribeLinks(secret: string, appUrl: string, shopDomain: string, email: string): UnsubscribeLinks {
  const token = unsubscribeToken(secret, shopDomain, email);
  return {
    page: `https://${shopDomain}/apps/orders?${new URLSearchParams({ unsubscribe: token })}`,
    oneClick: `${appUrl.replace(/\/+$/, "")}/notifications/unsubscribe?${new URLSearchParams({ token })}`,
  };
}
