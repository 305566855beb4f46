import { z } from "zod";
import { documentLines, lineQuantity } from "../shared/bounded-input";
import { parseMinorUnits } from "../shared/money";
import { legacyIdFromGid } from "../shared/safe-json";
import type { ChannelOrder } from "./channel-order";
import { mapValidated, type MapResult } from "./map-result";
import { draftOrigin } from "./map-shopify-order";

// An Admin GraphQL `Order` node (as OrdersUpdatedSince selects it) → ChannelOrder. For the fields both
// carry it yields exactly what mapShopifyOrder yields from the same order's REST webhook payload:
// legacy numeric ids from the gids, shop-currency money in minor units, financial status lower-cased,
// times as UTC ISO with milliseconds. The node's lineItems must already hold every line.

const nullableText = z.string().nullish().transform((v) => v ?? null);
const nullableNumber = z.number().nullish().transform((v) => v ?? null);
const gid = z.string().min(1);
const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "not a date").transform((v) => new Date(v).toISOString());
const shopMoney = z.object({ shopMoney: z.object({ amount: z.union([z.string(), z.number()]) }) });

const lineItemNode = z.object({
  id: gid,
  sku: nullableText,
  title: z.string(),
  quantity: lineQuantity(),
  /** Units removed by order edits and refunds are gone from it (as REST's current_quantity). */
  currentQuantity: lineQuantity().optional(),
  variant: z.object({ id: gid }).nullish(),
  originalUnitPriceSet: shopMoney,
});

export const graphqlOrderNode = z.object({
  id: gid,
  name: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  cancelledAt: isoDate.nullish().transform((v) => v ?? null),
  email: nullableText,
  phone: nullableText,
  currencyCode: z.string().length(3),
  displayFinancialStatus: nullableText,
  totalPriceSet: shopMoney,
  customer: z.object({ id: gid, firstName: nullableText, lastName: nullableText }).nullish(),
  shippingAddress: z
    .object({
      name: nullableText,
      address1: nullableText,
      city: nullableText,
      province: nullableText,
      provinceCode: nullableText,
      countryCodeV2: nullableText,
      zip: nullableText,
      latitude: nullableNumber,
      longitude: nullableNumber,
    })
    .nullish(),
  lineItems: z.object({ nodes: documentLines(lineItemNode) }),
  /** Shopify's summary of the order's shipping (the first shipping line); optional for older documents. */
  shippingLine: z.object({ title: nullableText, code: nullableText }).nullish(),
  customAttributes: z.array(z.object({ key: z.string(), value: z.string().nullish() })).nullish(),
});

export type GraphqlOrderInput = z.input<typeof graphqlOrderNode>;

export function mapGraphqlOrder(node: unknown): MapResult {
  return mapValidated(graphqlOrderNode, node, toChannelOrder);
}

function toChannelOrder(o: z.output<typeof graphqlOrderNode>): ChannelOrder {
  const currency = o.currencyCode.toUpperCase();
  const ship = o.shippingAddress;
  const customerName = [o.customer?.firstName, o.customer?.lastName].filter(Boolean).join(" ") || ship?.name || null;
  const order: ChannelOrder = {
    externalId: legacyIdFromGid(o.id)!,
    name: o.name,
    currency,
    totalMinor: parseMinorUnits(o.totalPriceSet.shopMoney.amount, currency, { field: "totalPriceSet.shopMoney.amount", allowNegative: false }),
    financialStatus: o.displayFinancialStatus?.toLowerCase() ?? null, // PAID → "paid", as REST spells it
    email: o.email,
    phone: o.phone,
    customerExternalId: legacyIdFromGid(o.customer?.id ?? null),
    customerName,
    shipTo: ship
      ? {
          name: ship.name,
          address1: ship.address1,
          city: ship.city,
          province: ship.provinceCode ?? ship.province,
          countryCode: ship.countryCodeV2,
          zip: ship.zip,
          latitude: ship.latitude,
          longitude: ship.longitude,
        }
      : null,
    placedAt: o.createdAt,
    updatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt,
    shippingMethod: o.shippingLine ? o.shippingLine.title || o.shippingLine.code || null : null,
    supersedes: draftOrigin(o.customAttributes?.map((a) => ({ name: a.key, value: a.value }))),
    lines: o.lineItems.nodes.map((li, i) => ({
      externalId: legacyIdFromGid(li.id)!,
      sku: li.sku || null,
      variantExternalId: legacyIdFromGid(li.variant?.id ?? null),
      title: li.title,
      quantity: li.currentQuantity ?? li.quantity,
      priceMinor: parseMinorUnits(li.originalUnitPriceSet.shopMoney.amount, currency, { field: `lineItems.nodes.${i}.originalUnitPriceSet.shopMoney.amount`, allowNegative: false }),
    })),
  };
  return order;
}
