import { DRAFT_ORDER_ATTRIBUTE } from "./draft-order";
import { z } from "zod";
import { documentLines, lineQuantity } from "../shared/bounded-input";
import { parseMinorUnits } from "../shared/money";
import { legacyIdFromGid } from "../shared/safe-json";
import type { ChannelOrder } from "./channel-order";
import { mapValidated, type MapResult } from "./map-result";

// Shopify's REST-shaped order webhook payload (orders/create, orders/updated, orders/cancelled) →
// ChannelOrder. Parse the raw body with parseJsonKeepingBigInts first: ids may be 64-bit.

const id = z.union([z.string(), z.number()]).transform(String);
const nullableText = z.string().nullish().transform((v) => v ?? null);
const coordinate = z.union([z.number(), z.string()]).nullish().transform((v) => (v === null || v === undefined || v === "" ? null : Number(v)));
const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "not a date").transform((v) => new Date(v).toISOString());

const address = z
  .object({
    name: nullableText,
    first_name: nullableText,
    last_name: nullableText,
    address1: nullableText,
    city: nullableText,
    province_code: nullableText,
    province: nullableText,
    country_code: nullableText,
    zip: nullableText,
    latitude: coordinate,
    longitude: coordinate,
  })
  .passthrough();

const lineItem = z
  .object({
    id,
    admin_graphql_api_id: z.string().optional(),
    variant_id: id.nullish(),
    sku: nullableText,
    title: z.string(),
    quantity: lineQuantity(),
    /** Since API 2024-01: the quantity minus units removed by order edits (`quantity` stays as bought). */
    current_quantity: lineQuantity().optional(),
    price: z.union([z.string(), z.number()]),
  })
  .passthrough();

export const shopifyOrderPayload = z
  .object({
    id,
    admin_graphql_api_id: z.string().optional(),
    name: z.string(),
    currency: z.string().length(3),
    total_price: z.union([z.string(), z.number()]),
    financial_status: nullableText,
    email: nullableText,
    contact_email: nullableText,
    phone: nullableText,
    created_at: isoDate,
    updated_at: isoDate,
    cancelled_at: isoDate.nullish().transform((v) => v ?? null),
    customer: z
      .object({ id: id.nullish(), admin_graphql_api_id: z.string().optional(), first_name: nullableText, last_name: nullableText })
      .passthrough()
      .nullish(),
    shipping_address: address.nullish(),
    line_items: documentLines(lineItem),
    /** The customer's shipping method(s); Shopify states no delivery date in order webhooks. */
    shipping_lines: z.array(z.object({ title: nullableText, code: nullableText, is_removed: z.boolean().nullish() }).passthrough()).nullish(),
    /** The order's custom attributes (a draft's customAttributes are copied here when it is completed). */
    note_attributes: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]).nullish() }).passthrough()).nullish(),
  })
  .passthrough();

export type ShopifyOrderPayload = z.input<typeof shopifyOrderPayload>;

export type { MapResult } from "./map-result";

export function mapShopifyOrder(payload: unknown): MapResult {
  return mapValidated(shopifyOrderPayload, payload, toChannelOrder);
}

function toChannelOrder(p: z.output<typeof shopifyOrderPayload>): ChannelOrder {
  const currency = p.currency.toUpperCase();
  const ship = p.shipping_address;
  const customerName = [p.customer?.first_name, p.customer?.last_name].filter(Boolean).join(" ") || ship?.name || null;
  const order: ChannelOrder = {
    externalId: legacyIdFromGid(p.admin_graphql_api_id ?? p.id)!,
    name: p.name,
    currency,
    totalMinor: parseMinorUnits(p.total_price, currency, { field: "total_price", allowNegative: false }),
    financialStatus: p.financial_status,
    email: p.email ?? p.contact_email,
    phone: p.phone,
    customerExternalId: legacyIdFromGid(p.customer?.admin_graphql_api_id ?? p.customer?.id ?? null),
    customerName,
    shipTo: ship
      ? {
          name: ship.name ?? ([ship.first_name, ship.last_name].filter(Boolean).join(" ") || null),
          address1: ship.address1,
          city: ship.city,
          province: ship.province_code ?? ship.province,
          countryCode: ship.country_code,
          zip: ship.zip,
          latitude: ship.latitude,
          longitude: ship.longitude,
        }
      : null,
    placedAt: p.created_at,
    updatedAt: p.updated_at,
    cancelledAt: p.cancelled_at,
    shippingMethod: shippingMethodOf(p.shipping_lines),
    supersedes: draftOrigin(p.note_attributes),
    lines: p.line_items.map((li, i) => ({
      externalId: legacyIdFromGid(li.admin_graphql_api_id ?? li.id)!,
      sku: li.sku || null,
      variantExternalId: li.variant_id ?? null,
      title: li.title,
      quantity: li.current_quantity ?? li.quantity,
      priceMinor: parseMinorUnits(li.price, currency, { field: `line_items.${i}.price`, allowNegative: false }),
    })),
  };
  return order;
}

/**
 * The order of ours a Shopify order replaces: the one we made a draft order for (ADR 0019), named by the draft's
 * `oms_order_id` attribute, which Shopify copies to the order the draft becomes. Null for any other order.
 */
export function draftOrigin(attributes: { name: string; value?: string | number | null }[] | null | undefined): string | null {
  const value = (attributes ?? []).find((a) => a.name === DRAFT_ORDER_ATTRIBUTE)?.value;
  return value === null || value === undefined || String(value).trim() === "" ? null : String(value).trim();
}

/** The first shipping line still on the order: its title (what the customer chose), else its code. */
export function shippingMethodOf(lines: { title: string | null; code: string | null; is_removed?: boolean | null }[] | null | undefined): string | null {
  const line = (lines ?? []).find((l) => !l.is_removed);
  return line ? (line.title || line.code || null) : null;
}
