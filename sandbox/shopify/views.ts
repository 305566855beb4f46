// Maps store records to the objects GraphQL returns. Properties are values or functions of
// (args); graphql-js's default resolver calls them, so nested data is only built when selected.
import { GraphQLError } from "graphql";
import { paginate, type ConnectionArgs } from "./connection";
import { gid } from "./ids";
import type { RestLineItem } from "./order-payload";
import type { SearchWarning } from "./order-search";
import { centsText, draftTotalCents } from "./draft-orders";
import {
  QUANTITY_NAMES, type DraftOrderRec, type FulfillmentHoldRec, type FulfillmentRec, type FulfillmentOrderLineRec, type FulfillmentOrderRec, type LevelRec,
  type LocationRec, type ProductRec, type SandboxStore, type ShopState, type StoredOrder, type VariantRec,
} from "./store";

export interface SandboxContext {
  store: SandboxStore;
  shop: ShopState;
  apiVersion: string;
  searchWarnings: Array<{ path: string[]; query: string; warnings: SearchWarning[] }>;
}

type View = Record<string, unknown>;
const byId = <T extends { id: bigint }>(item: T) => ({ id: item.id, value: String(item.id) });
const money = (amount: string, currencyCode: string) => {
  const m = { amount, currencyCode };
  return { shopMoney: m, presentmentMoney: m };
};
const EXTRA_QUANTITY_NAMES = ["reserved", "damaged", "quality_control"];

export function shopView(shop: ShopState): View {
  return {
    __typename: "Shop", id: gid("Shop", shop.id), name: shop.name, email: shop.email,
    currencyCode: shop.currencyCode, ianaTimezone: shop.ianaTimezone, myshopifyDomain: shop.domain,
  };
}

export function locationView(ctx: SandboxContext, loc: LocationRec): View {
  return {
    __typename: "Location", id: gid("Location", loc.id), legacyResourceId: String(loc.id), name: loc.name,
    isActive: loc.isActive, fulfillsOnlineOrders: loc.isActive, shipsInventory: loc.isActive, address: { ...loc.address },
    inventoryLevel: ({ inventoryItemId }: { inventoryItemId: string }) => {
      const level = ctx.store.level(ctx.shop, idArg(inventoryItemId, "InventoryItem"), loc.id);
      return level ? levelView(ctx, level) : null;
    },
    // The items stocked here, in inventory item id order (the cursor's id).
    inventoryLevels: (args: ConnectionArgs) => {
      const levels = [...ctx.shop.levels.values()].filter((l) => l.locationId === loc.id).sort((a, b) => (a.inventoryItemId < b.inventoryItemId ? -1 : a.inventoryItemId > b.inventoryItemId ? 1 : 0));
      return paginate(levels, args, (l) => ({ id: l.inventoryItemId, value: String(l.inventoryItemId) }), (l) => levelView(ctx, l));
    },
  };
}

export function productView(p: ProductRec): View {
  return { __typename: "Product", id: gid("Product", p.id), title: p.title, handle: p.handle, vendor: p.vendor, productType: p.productType, status: "ACTIVE" };
}

export function variantView(ctx: SandboxContext, v: VariantRec): View {
  const product = ctx.store.product(ctx.shop, v.productId)!;
  return {
    __typename: "ProductVariant", id: gid("ProductVariant", v.id), legacyResourceId: String(v.id), sku: v.sku,
    title: v.title, displayName: `${product.title} - ${v.title}`, price: v.price,
    inventoryQuantity: () => ctx.store.levelsOfItem(ctx.shop, v.inventoryItemId).reduce((s, l) => s + l.quantities.available, 0),
    inventoryItem: () => inventoryItemView(ctx, v),
    product: () => productView(product),
  };
}

export function inventoryItemView(ctx: SandboxContext, v: VariantRec): View {
  return {
    __typename: "InventoryItem", id: gid("InventoryItem", v.inventoryItemId), legacyResourceId: String(v.inventoryItemId),
    sku: v.sku, tracked: true, variant: () => variantView(ctx, v),
    inventoryLevel: ({ locationId }: { locationId: string }) => {
      const level = ctx.store.level(ctx.shop, v.inventoryItemId, idArg(locationId, "Location"));
      return level ? levelView(ctx, level) : null;
    },
    inventoryLevels: (args: ConnectionArgs) =>
      paginate(ctx.store.levelsOfItem(ctx.shop, v.inventoryItemId), args, (l) => ({ id: l.locationId, value: String(l.locationId) }), (l) => levelView(ctx, l)),
  };
}

export function levelView(ctx: SandboxContext, level: LevelRec): View {
  const suffix = `?inventory_item_id=${level.inventoryItemId}`;
  return {
    __typename: "InventoryLevel", id: `gid://shopify/InventoryLevel/${level.locationId}${suffix}`, updatedAt: level.updatedAt,
    item: () => inventoryItemView(ctx, ctx.store.variantByItem(ctx.shop, level.inventoryItemId)!),
    location: () => locationView(ctx, ctx.store.location(ctx.shop, level.locationId)!),
    quantities: ({ names }: { names: string[] }) => names.map((name) => {
      const known = (QUANTITY_NAMES as readonly string[]).includes(name);
      if (!known && !EXTRA_QUANTITY_NAMES.includes(name)) throw new GraphQLError(`Invalid quantity name: ${name}`);
      return {
        __typename: "InventoryQuantity", id: `gid://shopify/InventoryQuantity/${level.locationId}${suffix}&name=${name}`,
        name, quantity: known ? level.quantities[name as keyof LevelRec["quantities"]] : 0, updatedAt: level.updatedAt,
      };
    }),
  };
}

export function orderView(ctx: SandboxContext, o: StoredOrder): View {
  const p = o.payload;
  const fos = () => ctx.store.fulfillmentOrdersOf(ctx.shop, o.id);
  return {
    __typename: "Order", id: p.admin_graphql_api_id, legacyResourceId: String(o.id), name: p.name,
    createdAt: o.createdAt, updatedAt: o.updatedAt, cancelledAt: p.cancelled_at ? new Date(p.cancelled_at).toISOString().replace(/\.\d{3}Z$/, "Z") : null,
    cancelReason: p.cancel_reason ? p.cancel_reason.toUpperCase() : null, closed: Boolean(p.closed_at),
    email: p.email, phone: (p.phone as string | null) ?? null, note: p.note, tags: p.tags ? p.tags.split(/,\s*/) : [],
    currencyCode: p.currency, displayFinancialStatus: p.financial_status.toUpperCase(),
    displayFulfillmentStatus: () =>
      p.fulfillment_status === "fulfilled" ? "FULFILLED" : p.fulfillment_status === "partial" ? "PARTIALLY_FULFILLED" : fos().some((fo) => fo.status === "ON_HOLD") ? "ON_HOLD" : "UNFULFILLED",
    totalPriceSet: money(p.total_price, p.currency),
    subtotalPriceSet: money(String(p.subtotal_price), p.currency),
    customer: () => p.customer && {
      __typename: "Customer", id: p.customer.admin_graphql_api_id, firstName: p.customer.first_name,
      lastName: p.customer.last_name, email: p.customer.email, displayName: `${p.customer.first_name} ${p.customer.last_name}`,
    },
    shippingAddress: () => p.shipping_address && {
      __typename: "MailingAddress", id: `gid://shopify/MailingAddress/${o.id}?model_name=Address`,
      firstName: p.shipping_address.first_name, lastName: p.shipping_address.last_name, name: p.shipping_address.name,
      address1: p.shipping_address.address1, address2: p.shipping_address.address2, city: p.shipping_address.city,
      province: p.shipping_address.province, provinceCode: p.shipping_address.province_code, country: p.shipping_address.country,
      countryCode: p.shipping_address.country_code, countryCodeV2: p.shipping_address.country_code, zip: p.shipping_address.zip,
      phone: p.shipping_address.phone, latitude: p.shipping_address.latitude, longitude: p.shipping_address.longitude,
    },
    shippingLine: () => shippingLineView(p.shipping_lines),
    customAttributes: () => ((p.note_attributes ?? []) as { name: string; value: unknown }[]).map((a) => ({ key: a.name, value: a.value === null || a.value === undefined ? null : String(a.value) })),
    lineItems: (args: ConnectionArgs) => paginate(p.line_items, args, byId, (li) => lineItemView(ctx, li, p.currency)),
    fulfillmentOrders: (args: ConnectionArgs) => paginate(fos(), args, byId, (fo) => fulfillmentOrderView(ctx, fo)),
    fulfillments: (args: { first?: number | null }) => orderFulfillments(ctx, o.id).slice(0, args.first ?? undefined).map((f) => fulfillmentView(ctx, f)),
  };
}

/** Order.shippingLine: the first shipping line still on the order (Shopify's summary of its shipping). */
function shippingLineView(lines: unknown): View | null {
  const line = (Array.isArray(lines) ? (lines as { id: bigint; title: string; code: string | null; source: string | null; is_removed?: boolean }[]) : []).find((l) => !l.is_removed);
  return line ? { __typename: "ShippingLine", id: `gid://shopify/ShippingLine/${line.id}`, title: line.title, code: line.code, source: line.source, isRemoved: false } : null;
}

export function lineItemView(ctx: SandboxContext, li: RestLineItem, currency: string): View {
  const variant = li.variant_id === null ? undefined : ctx.store.variant(ctx.shop, li.variant_id);
  return {
    __typename: "LineItem", id: li.admin_graphql_api_id, name: li.name, title: li.title, sku: li.sku, vendor: li.vendor,
    quantity: li.quantity, currentQuantity: li.current_quantity, originalUnitPriceSet: money(li.price, currency),
    variant: () => (variant ? variantView(ctx, variant) : null),
    product: () => {
      const product = li.product_id === null ? undefined : ctx.store.product(ctx.shop, li.product_id);
      return product ? productView(product) : null;
    },
  };
}

export function fulfillmentOrderView(ctx: SandboxContext, fo: FulfillmentOrderRec): View {
  const loc = ctx.store.location(ctx.shop, fo.locationId)!;
  const order = ctx.shop.orders.get(fo.orderId)!;
  return {
    __typename: "FulfillmentOrder", id: gid("FulfillmentOrder", fo.id), orderId: gid("Order", fo.orderId),
    status: fo.status, createdAt: fo.createdAt, updatedAt: fo.updatedAt,
    order: () => orderView(ctx, order),
    assignedLocation: {
      name: loc.name, address1: loc.address.address1, address2: loc.address.address2, city: loc.address.city,
      province: loc.address.province, zip: loc.address.zip, phone: loc.address.phone, countryCode: loc.address.countryCode,
      location: () => locationView(ctx, loc),
    },
    fulfillmentHolds: () => fo.holds.map(holdView),
    lineItems: (args: ConnectionArgs) => paginate(fo.lineItems, args, byId, (line) => foLineView(ctx, order, line)),
  };
}

function foLineView(ctx: SandboxContext, order: StoredOrder, line: FulfillmentOrderLineRec): View {
  const li = order.payload.line_items.find((x) => x.id === line.lineItemId)!;
  const variant = line.variantId === null ? undefined : ctx.store.variant(ctx.shop, line.variantId);
  return {
    __typename: "FulfillmentOrderLineItem", id: gid("FulfillmentOrderLineItem", line.id), sku: line.sku,
    productTitle: li.title, variantTitle: li.variant_title,
    inventoryItemId: line.inventoryItemId === null ? null : gid("InventoryItem", line.inventoryItemId),
    remainingQuantity: line.remainingQuantity, totalQuantity: line.totalQuantity,
    lineItem: () => lineItemView(ctx, li, order.payload.currency),
    variant: () => (variant ? variantView(ctx, variant) : null),
  };
}

export function holdView(hold: FulfillmentHoldRec): View {
  return { __typename: "FulfillmentHold", id: gid("FulfillmentHold", hold.id), reason: hold.reason, reasonNotes: hold.reasonNotes, handle: hold.handle };
}

/** Parses an ID argument of the expected type; a malformed id is a top-level error, as in Shopify. */
export function idArg(value: string, type: string): bigint {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)/.exec(value);
  if (!match) throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  return match[1] === type ? BigInt(match[2]) : -1n; // wrong type → an id that matches nothing
}

export function draftOrderView(ctx: SandboxContext, d: DraftOrderRec): View {
  const total = money(centsText(draftTotalCents(d)), d.currencyCode);
  const a = d.shippingAddress;
  return {
    __typename: "DraftOrder", id: gid("DraftOrder", d.id), legacyResourceId: String(d.id), name: d.name, status: d.status,
    email: d.email, note2: d.note, invoiceUrl: d.invoiceUrl, createdAt: d.createdAt, updatedAt: d.updatedAt, currencyCode: d.currencyCode,
    customAttributes: d.customAttributes.map((c) => ({ key: c.key, value: c.value })),
    totalPriceSet: total, subtotalPriceSet: total,
    shippingAddress: a && {
      __typename: "MailingAddress", id: `gid://shopify/MailingAddress/${d.id}?model_name=Address`,
      firstName: a.firstName ?? null, lastName: a.lastName ?? null, name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
      address1: a.address1 ?? null, address2: a.address2 ?? null, city: a.city ?? null, provinceCode: a.provinceCode ?? null, province: a.provinceCode ?? null,
      countryCodeV2: a.countryCode ?? null, countryCode: a.countryCode ?? null, zip: a.zip ?? null, phone: a.phone ?? null, latitude: null, longitude: null,
    },
    lineItems: (args: ConnectionArgs) => paginate(d.lineItems, args, byId, (l) => {
      const variant = l.variantId === null ? undefined : ctx.store.variant(ctx.shop, l.variantId);
      return {
        __typename: "DraftOrderLineItem", id: gid("DraftOrderLineItem", l.id), name: l.title, title: l.title, sku: l.sku, quantity: l.quantity, custom: l.custom,
        originalUnitPriceSet: money(centsText(l.unitCents), d.currencyCode), variant: () => (variant ? variantView(ctx, variant) : null),
      };
    }),
  };
}

// Fulfillments and their line items (the returns mutations in returns.ts refer to them by id).
export interface FulfillmentLineItemRec {
  id: bigint;
  fulfillment: FulfillmentRec;
  lineItemId: bigint;
  quantity: number;
}

const fliIds = new WeakMap<FulfillmentRec, bigint[]>();

/** An order's fulfillment line items (successful fulfillments), each with an id of its own, stable for the process. */
export function fulfillmentLineItems(ctx: SandboxContext, fulfillment: FulfillmentRec): FulfillmentLineItemRec[] {
  let ids = fliIds.get(fulfillment);
  if (!ids) fliIds.set(fulfillment, (ids = []));
  return fulfillment.lines.map((l, i) => {
    ids![i] ??= ctx.store.newId();
    return { id: ids![i], fulfillment, lineItemId: l.lineItemId, quantity: l.quantity };
  });
}

export function orderFulfillments(ctx: SandboxContext, orderId: bigint): FulfillmentRec[] {
  return [...ctx.shop.fulfillments.values()].filter((f) => f.orderId === orderId && f.status === "success").sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function fulfillmentView(ctx: SandboxContext, f: FulfillmentRec): Record<string, unknown> {
  const order = ctx.shop.orders.get(f.orderId)!;
  return {
    __typename: "Fulfillment", id: gid("Fulfillment", f.id), createdAt: f.createdAt, status: f.status === "success" ? "SUCCESS" : "CANCELLED",
    trackingInfo: (args: { first?: number | null }) => (f.tracking ?? []).slice(0, args.first ?? undefined),
    fulfillmentLineItems: (args: ConnectionArgs) => paginate(fulfillmentLineItems(ctx, f), args, (i) => ({ id: i.id, value: String(i.id) }), (i) => fliView(ctx, i, order.payload.currency)),
  };
}

export function fliView(ctx: SandboxContext, i: FulfillmentLineItemRec, currency: string): Record<string, unknown> {
  const order = ctx.shop.orders.get(i.fulfillment.orderId)!;
  const li = order.payload.line_items.find((l) => l.id === i.lineItemId)!;
  return { __typename: "FulfillmentLineItem", id: gid("FulfillmentLineItem", i.id), quantity: i.quantity, lineItem: () => lineItemView(ctx, li, currency) };
}
