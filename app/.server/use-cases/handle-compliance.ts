import { z } from "zod";
import { audit } from "../db/audit";
import { customerDataSummary, deleteAllShopData, deleteSessions, redactCustomerData, type CustomerRef } from "../db/privacy";
import { database } from "../db/database";
import { setSessionScopes } from "../db/sessions";
import { findShopByDomain, markShopUninstalled } from "../db/shops";
import { revokeAllApiKeys } from "../db/api-keys-sql";
import { deleteHeldWebhooks } from "../db/webhook-inbox";
import { AppError } from "../errors";
import { parseWebhookBody } from "../shopify/parse-webhook-body";

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
    phone: p.customer.phone ?? null,
    orderExternalIds: p.orders_to_redact ?? p.orders_requested ?? [],
  };
  return { payload: p, ref };
}

/**
 * customers/redact: remove the customer from everything we keep (their orders stay, anonymised, for
 * accounting) and remember them, so later webhooks about them are stored anonymised too (db/privacy.ts).
 * Also for a domain with no shop yet: webhooks held for its install may mention them.
 */
export async function redactCustomer(shopDomain: string, raw: string) {
  const { ref } = parseCustomerPayload(raw);
  const result = await redactCustomerData(shopDomain, ref);
  const shop = await findShopByDomain(database(), shopDomain);
  if (shop) await audit(database(), shop.id, "webhook", "customer.redacted", undefined, { ...result });
  return result;
}

/**
 * customers/data_request: record what we hold so the merchant can answer the customer — every personal
 * field per order and per webhook body still kept (names of fields, never their values).
 */
export async function reportCustomerData(shopDomain: string, raw: string) {
  const { payload, ref } = parseCustomerPayload(raw);
  const summary = await customerDataSummary(shopDomain, ref);
  const shop = await findShopByDomain(database(), shopDomain);
  if (shop) await audit(database(), shop.id, "webhook", "customer.data_requested", payload.data_request ? { type: "data_request", id: payload.data_request.id } : undefined, summary);
  return summary;
}

/** shop/redact (48 h after uninstall): delete everything of the shop. */
export async function redactShop(shopDomain: string): Promise<{ shopDeleted: boolean }> {
  const outcome = await deleteAllShopData(shopDomain);
  return outcome;
}

/**
 * app/uninstalled: sessions go at once and nothing is taken in any more; data stays until shop/redact (the
 * merchant may reinstall). Webhooks held for a domain that never opened the app go with it. API keys are
 * revoked: a reinstall starts with no integration holding access, and the merchant hands out new keys.
 */
export async function uninstallShop(shopDomain: string): Promise<void> {
  await deleteSessions(shopDomain);
  await deleteHeldWebhooks(database(), shopDomain);
  const shopId = await markShopUninstalled(shopDomain);
  if (!shopId) return;
  const revoked = await revokeAllApiKeys(database(), shopId);
  await audit(database(), shopId, "webhook", "app.uninstalled", null, { apiKeysRevoked: revoked });
}

/** app/scopes_update: keep the stored offline session's scope in step with what the merchant granted. */
export async function updateScopes(shopDomain: string, raw: string): Promise<void> {
  const parsed = z.object({ current: z.array(z.string()) }).safeParse(parseWebhookBody(raw, "app/scopes_update"));
  if (!parsed.success) throw new AppError("invalid_data", "SCOPES.INVALID_PAYLOAD", "app/scopes_update payload has no current scopes");
  await setSessionScopes(database(), shopDomain, parsed.data.current.join(","));
}
