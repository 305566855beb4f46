import { randomBytes } from "node:crypto";
import { catalogLineTitle, filledRows, formProblems, manualOrderInput, skusOf, type FormProblem, type ManualOrderFields } from "~/domain/orders/manual-order-form";
import { variantsBySku } from "../db/catalog";
import { database } from "../db/database";
import type { ShopRow } from "../db/shops";
import { AppError } from "../errors";
import type { GraphqlFn } from "./apply-routing-to-shopify";
import { createApiOrder } from "./create-api-order";
import { createShopifyDraftOrder, type DraftOrderOutcome } from "./create-shopify-draft-order";

/** The token a "Create order" page is served with (FORM_TOKEN): 16 random bytes as hex. */
export function newFormToken(): string {
  return randomBytes(16).toString("hex");
}

export type ManualOrderOutcome =
  | { ok: true; orderId: string; created: boolean; draft: DraftOrderOutcome | null }
  | { ok: false; problems: FormProblem[] };

/**
 * Take in an order the merchant keys in on the admin's "Create order" page, through the same path as an order
 * posted to the API (createApiOrder, channel manual): reserved and routed as it lands. Every problem of the form
 * comes back at once and nothing is stored; the same form sent twice makes one order. When asked, a Shopify draft
 * order follows once the order is stored — Shopify refusing it leaves the order as it is.
 */
export async function takeManualOrder(shop: ShopRow, fields: ManualOrderFields, opts: { actor: string; graphql?: GraphqlFn; now?: Date }): Promise<ManualOrderOutcome> {
  const catalog = await variantsBySku(database(), shop.id, skusOf(fields));
  const entries = new Map(catalog.map((v) => [v.sku, { title: catalogLineTitle(v.productTitle, v.title), priceMinor: v.priceMinor }]));
  const read = manualOrderInput(fields, { currency: shop.currency, catalog: entries });
  if (!read.ok) return read;
  let result;
  try {
    result = await createApiOrder(shop, read.input, { actor: opts.actor, now: opts.now });
  } catch (error) {
    if (!(error instanceof AppError) || (error.type !== "invalid_data" && error.type !== "conflict")) throw error;
    const listed = (error.details as { problems?: string[] } | undefined)?.problems;
    const reference = fields.reference.trim();
    if (listed) return { ok: false, problems: formProblems(listed, filledRows(fields).map((r) => r.row), Boolean(reference)) };
    if (error.code !== "ORDER.EXTERNAL_ID_TAKEN") return { ok: false, problems: [{ field: null, message: error.message }] };
    return {
      ok: false,
      problems: [reference
        ? { field: "reference", message: `Reference: an order ${reference} already exists with other content; nothing was changed. Give this order another reference.` }
        : { field: null, message: "This form already made an order with other content; nothing was changed. Reload the page to enter a new order." }],
    };
  }
  // Only the request that made the order drafts it: a repeated form answers the order it made, and no second draft.
  const draft = read.createDraft && result.created ? await createShopifyDraftOrder(shop, result.order.id, { actor: opts.actor, graphql: opts.graphql, now: opts.now }) : null;
  return { ok: true, orderId: result.order.id, created: result.created, draft };
}
