import { database } from "../db/database";
import { addOptOut, optedOutAmong } from "../db/notifications-sql";
import { findShopByDomain, type ShopRow } from "../db/shops";
import { env } from "../env";
import { readUnsubscribeToken } from "../notifications/unsubscribe-token";

// A customer leaving the shop's non-essential e-mails by themselves (ADR 0038): from the link in a courtesy notice
// (the confirm page behind the app proxy, then its POST) or in one click from the mail provider (RFC 8058). The
// token names shop + address + purpose under the app's HMAC; the opt-out is the same row the merchant's page adds
// (NotificationOptOut), so recording it twice changes nothing. Essential notices still go (ADR 0024).

export type UnsubscribeCheck =
  | { kind: "invalid" }
  | { kind: "valid"; shop: ShopRow; email: string; maskedEmail: string; alreadyOptedOut: boolean };

export type UnsubscribeOutcome = { kind: "invalid" } | { kind: "opted_out"; shopId: string; shopName: string; maskedEmail: string; created: boolean };

/** "ana@example.com" → "a**@example.com": enough for the customer to recognise, not to read off a forwarded link. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  return `${local.slice(0, 1)}${"*".repeat(Math.max(1, Math.min(local.length - 1, 8)))}${email.slice(at)}`;
}

/**
 * What a token names, if it is valid for an installed shop — and, through the proxy, for the shop Shopify signed the
 * request for (`proxyShopDomain`): a token of another shop is refused like a forged one.
 */
export async function checkUnsubscribe(token: string, opts: { proxyShopDomain?: string } = {}): Promise<UnsubscribeCheck> {
  const claim = readUnsubscribeToken(env().SHOPIFY_API_SECRET, token);
  if (!claim) return { kind: "invalid" };
  if (opts.proxyShopDomain !== undefined && opts.proxyShopDomain.toLowerCase() !== claim.shopDomain) return { kind: "invalid" };
  const shop = await findShopByDomain(database(), claim.shopDomain);
  if (!shop || shop.status !== "installed") return { kind: "invalid" };
  const already = (await optedOutAmong(database(), shop.id, [claim.email])).size > 0;
  return { kind: "valid", shop, email: claim.email, maskedEmail: maskEmail(claim.email), alreadyOptedOut: already };
}

/** Records the opt-out the token names (once: `created` is false when it was there already). */
export async function unsubscribeCustomer(token: string, opts: { proxyShopDomain?: string; now?: Date } = {}): Promise<UnsubscribeOutcome> {
  const checked = await checkUnsubscribe(token, opts);
  if (checked.kind === "invalid") return checked;
  const created = await database().transaction((tx) => addOptOut(tx, checked.shop.id, checked.email, opts.now));
  return { kind: "opted_out", shopId: checked.shop.id, shopName: checked.shop.name, maskedEmail: checked.maskedEmail, created };
}
