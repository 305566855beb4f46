import { DRAFT_CREATED, DRAFT_FAILED, draftOrderInput, userErrorsText } from "~/domain/orders/draft-order";
import { claimIdempotencyKey, releaseIdempotencyKeys } from "../db/api-keys-sql";
import { audit } from "../db/audit";
import { variantsById } from "../db/catalog";
import { database } from "../db/database";
import { orderWithLines } from "../db/orders";
import type { ShopRow } from "../db/shops";
import { AppError } from "../errors";
import { adminGraphql } from "../shopify/admin-graphql";
import { DRAFT_ORDER_CREATE_MUTATION, type DraftOrderCreateResult } from "../shopify/graphql/draft-order-create-mutation";
import type { GraphqlFn } from "./apply-routing-to-shopify";

// A Shopify draft order for an order already stored (a phone order the merchant wants Shopify to invoice). The
// order stands whatever Shopify answers: the outcome is recorded on the order's audit trail — the draft's id and
// name, or why Shopify refused — and shown on the order page. One draft per order: the attempt holds a key
// (order id) for as long as it runs, kept when Shopify made the draft and given back when it did not, so a
// double click makes one draft and a refused attempt can be tried again.

const DRAFT_KEY = "orders.shopify_draft";

export type DraftOrderOutcome =
  | { kind: "created"; draftOrderId: string; name: string }
  | { kind: "refused"; message: string }
  /** An earlier attempt made one (or is making one now): nothing sent. */
  | { kind: "exists" };

/** Draft the stored order in Shopify (Admin GraphQL draftOrderCreate); `actor` for the audit trail. */
export async function createShopifyDraftOrder(shop: ShopRow, orderId: string, opts: { actor: string; graphql?: GraphqlFn; now?: Date }): Promise<DraftOrderOutcome> {
  const db = database();
  const order = await orderWithLines(db, shop.id, orderId);
  if (!order) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${orderId} in this shop.`);
  const claim = await db.transaction((tx) => claimIdempotencyKey(tx, shop.id, DRAFT_KEY, orderId, { requestHash: "draftOrderCreate", channelId: order.channelId, externalId: order.externalId }, opts.now ?? new Date()));
  if (!claim.fresh) return { kind: "exists" };

  const variants = new Map((await variantsById(db, shop.id, order.lines.flatMap((l) => (l.variantId ? [l.variantId] : [])))).map((v) => [v.id, v]));
  const input = draftOrderInput({
    orderId: order.id, name: order.name, currency: order.currency, email: order.email, customerName: order.customerName,
    shipTo: { address1: order.shipAddress1, city: order.shipCity, province: order.shipProvince, countryCode: order.shipCountryCode, zip: order.shipZip },
    lines: order.lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, priceMinor: l.priceMinor, shopifyVariantId: (l.variantId && variants.get(l.variantId)?.externalId) || null })),
  });
  const subject = { type: "order", id: order.id };
  let refusal: string;
  try {
    const result = await (opts.graphql ?? adminGraphql)<DraftOrderCreateResult>(shop.domain, DRAFT_ORDER_CREATE_MUTATION, { input });
    const payload = result.draftOrderCreate;
    const draft = payload?.draftOrder;
    if (draft && !payload.userErrors.length) {
      await audit(db, shop.id, opts.actor, DRAFT_CREATED, subject, { draftOrderId: draft.id, legacyId: draft.legacyResourceId, name: draft.name });
      return { kind: "created", draftOrderId: draft.id, name: draft.name };
    }
    refusal = payload?.userErrors.length ? userErrorsText(payload.userErrors) : "Shopify made no draft order and gave no reason.";
  } catch (error) {
    refusal = (error as Error).message || String(error);
  }
  // Nothing was made in Shopify: the key goes back so the merchant can try again from the order page.
  const message = refusal.length > 500 ? `${refusal.slice(0, 497)}…` : refusal;
  await releaseIdempotencyKeys(db, shop.id, [claim.id]);
  await audit(db, shop.id, opts.actor, DRAFT_FAILED, subject, { message });
  return { kind: "refused", message };
}
