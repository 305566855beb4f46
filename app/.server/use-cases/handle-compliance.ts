import { z } from "zod";
import { audit } from "../db/audit";
import { customerDataSummary, deleteAllShopData, deleteSessions, redactCustomerOrders, type CustomerRef } from "../db/privacy";
import { findShopByDomain } from "../db/shops";
import { db } from "../db/client";
import { AppError } from "../errors";
import { parseWebhookBody } from "../shopify/parse-webhook-body";
import { sessionStorage } from "../shopify/session-storage";

// The mandatory compliance topics and app/uninstalled, handled for real.

const id = z.union([z.string(), z.number()]).transform(String);
const customerPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: id.nullish(), email: z.string().nullish(), phone: z.string().nullish() }),
  orders_to_redact: z.array(id).optional(),
  orders_requested: z.array(id).optional(),
  data_request: z.object({ id }).optional(),
});

function parseCustomerPayload(raw: string) {
  const parsed = customerPayload.safeParse(parseWebhookBody(raw, "Compliance"));
  if (!parsed.success) throw new AppError("invalid_data", "COMPLIANCE.INVALID_PAYLOAD", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const p = parsed.data;
  const ref: CustomerRef = {
    customerExternalId: p.customer.id ?? null,
    email: p.customer.email ?? null,
    orderExternalIds: p.orders_to_redact ?? p.orders_requested ?? [],
  };
  return { payload: p, ref };
}

/** customers/redact: anonymise the customer's orders (orders themselves stay for accounting). */
export async function redactCustomer(shopDomain: string, raw: string): Promise<{ ordersRedacted: number }> {
  const { ref } = parseCustomerPayload(raw);
  const shop = await findShopByDomain(shopDomain);
  if (!shop) return { ordersRedacted: 0 }; // nothing held for an unknown shop
  const ordersRedacted = await redactCustomerOrders(shop.id, ref);
  await audit(shop.id, "webhook", "customer.redacted", undefined, { ordersRedacted });
  return { ordersRedacted };
}

/** customers/data_request: record what we hold so the merchant can answer the customer. */
export async function reportCustomerData(shopDomain: string, raw: string) {
  const { payload, ref } = parseCustomerPayload(raw);
  const shop = await findShopByDomain(shopDomain);
  if (!shop) return { orders: [] };
  const orders = await customerDataSummary(shop.id, ref);
  await audit(shop.id, "webhook", "customer.data_requested", payload.data_request ? { type: "data_request", id: payload.data_request.id } : undefined, { orders });
  return { orders };
}

/** shop/redact (48 h after uninstall): delete everything of the shop. */
export async function redactShop(shopDomain: string): Promise<{ shopDeleted: boolean }> {
  const outcome = await deleteAllShopData(shopDomain);
  sessionStorage.forgetShop(shopDomain);
  return outcome;
}

/** app/uninstalled: sessions go at once; data stays until shop/redact (the merchant may reinstall). */
export async function uninstallShop(shopDomain: string): Promise<void> {
  await deleteSessions(shopDomain);
  sessionStorage.forgetShop(shopDomain);
  const shop = await findShopByDomain(shopDomain);
  if (!shop) return;
  await db().shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
  await audit(shop.id, "webhook", "app.uninstalled");
}

/** app/scopes_update: keep the stored offline session's scope in step with what the merchant granted. */
export async function updateScopes(shopDomain: string, raw: string): Promise<void> {
  const parsed = z.object({ current: z.array(z.string()) }).safeParse(parseWebhookBody(raw, "app/scopes_update"));
  if (!parsed.success) throw new AppError("invalid_data", "SCOPES.INVALID_PAYLOAD", "app/scopes_update payload has no current scopes");
  await db().session.updateMany({ where: { shop: shopDomain }, data: { scope: parsed.data.current.join(",") } });
  sessionStorage.forgetShop(shopDomain);
}
