import { z } from "zod";
import type { ChannelOrder } from "../orders/channel-order";
import { toMinorUnits } from "../shared/money";

// Amazon's Orders API v0 (getOrders + getOrderItems) → the one order shape (ADR 0015). Pure. Amazon fulfils
// AFN orders itself (FBA): they are recorded, never routed to the merchant's locations. For MFN orders the
// status says what Amazon knows: Canceled cancels ours; what it reports shipped (QuantityShipped per item,
// from Seller Central or another tool) is a fulfillment of ours.

const money = z.object({ CurrencyCode: z.string().length(3), Amount: z.string().regex(/^-?\d+(\.\d+)?$/, "not a decimal amount") });
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date-time");

export const amazonV0Order = z.object({
  AmazonOrderId: z.string().regex(/^\d{3}-\d{7}-\d{7}$/, "not an Amazon order id (3-7-7 digits)"),
  PurchaseDate: isoTime,
  LastUpdateDate: isoTime,
  OrderStatus: z.enum(["Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled", "Unfulfillable", "InvoiceUnconfirmed", "PendingAvailability"]),
  FulfillmentChannel: z.enum(["MFN", "AFN"]).optional(),
  OrderTotal: money.optional(),
  ShipmentServiceLevelCategory: z.string().optional(),
  LatestDeliveryDate: isoTime.optional(),
  ShippingAddress: z
    .object({ Name: z.string().optional(), AddressLine1: z.string().optional(), City: z.string().optional(), StateOrRegion: z.string().optional(), PostalCode: z.string().optional(), CountryCode: z.string().optional() })
    .optional(),
  BuyerInfo: z.object({ BuyerEmail: z.string().optional(), BuyerName: z.string().optional() }).optional(),
});
export type AmazonV0Order = z.infer<typeof amazonV0Order>;

export const amazonV0OrderItem = z.object({
  OrderItemId: z.string().min(1),
  SellerSKU: z.string().optional(),
  ASIN: z.string().optional(),
  Title: z.string().optional(),
  QuantityOrdered: z.number().int().min(0).max(1_000_000),
  QuantityShipped: z.number().int().min(0).max(1_000_000).optional(),
  /** The line's price: the unit price times the quantity ordered. */
  ItemPrice: money.optional(),
});
export type AmazonV0OrderItem = z.infer<typeof amazonV0OrderItem>;

export interface MappedAmazonOrder {
  order: ChannelOrder;
  /** AFN: Amazon ships it from its own stock; the order is recorded and never routed. */
  fulfilledByAmazon: boolean;
  /** Units Amazon reports shipped per item (MFN): what our fulfillments must have consumed. */
  shipped: { lineExternalId: string; quantity: number }[];
}

export type AmazonOrderMapping = { ok: true; mapped: MappedAmazonOrder } | { ok: false; error: string };

function issues(error: z.ZodError, where: string): string {
  return error.issues.map((i) => `${where}${i.path.length ? `.${i.path.join(".")}` : ""}: ${i.message}`).join("; ");
}

const iso = (s: string) => new Date(Date.parse(s)).toISOString();

export function mapAmazonV0Order(rawOrder: unknown, rawItems: unknown[]): AmazonOrderMapping {
  const order = amazonV0Order.safeParse(rawOrder);
  if (!order.success) return { ok: false, error: issues(order.error, "Order") };
  const o = order.data;
  const items: AmazonV0OrderItem[] = [];
  for (const [i, raw] of rawItems.entries()) {
    const item = amazonV0OrderItem.safeParse(raw);
    if (!item.success) return { ok: false, error: `order ${o.AmazonOrderId}: ${issues(item.error, `OrderItems[${i}]`)}` };
    items.push(item.data);
  }
  if (items.length === 0) return { ok: false, error: `order ${o.AmazonOrderId} has no items` };
  const currency = o.OrderTotal?.CurrencyCode ?? items.find((i) => i.ItemPrice)?.ItemPrice?.CurrencyCode ?? "USD";
  if (items.some((i) => i.ItemPrice && i.ItemPrice.CurrencyCode !== currency)) return { ok: false, error: `order ${o.AmazonOrderId} mixes currencies` };
  let linesTotal = 0;
  const lines = items
    .filter((i) => i.QuantityOrdered > 0)
    .map((i) => {
      const lineMinor = i.ItemPrice ? toMinorUnits(i.ItemPrice.Amount, currency) : 0;
      linesTotal += lineMinor;
      return { externalId: i.OrderItemId, sku: i.SellerSKU ?? null, variantExternalId: null, title: i.Title ?? i.SellerSKU ?? i.ASIN ?? i.OrderItemId, quantity: i.QuantityOrdered, priceMinor: Math.round(lineMinor / i.QuantityOrdered) };
    });
  const a = o.ShippingAddress;
  const mapped: ChannelOrder = {
    externalId: o.AmazonOrderId,
    name: o.AmazonOrderId,
    currency,
    // Pending orders carry no OrderTotal yet: the items' prices stand in.
    totalMinor: o.OrderTotal ? toMinorUnits(o.OrderTotal.Amount, currency) : linesTotal,
    financialStatus: o.OrderStatus === "Pending" || o.OrderStatus === "PendingAvailability" ? "pending" : "paid",
    email: o.BuyerInfo?.BuyerEmail ?? null,
    phone: null,
    customerExternalId: null,
    customerName: o.BuyerInfo?.BuyerName ?? a?.Name ?? null,
    shipTo: a ? { name: a.Name ?? null, address1: a.AddressLine1 ?? null, city: a.City ?? null, province: a.StateOrRegion ?? null, countryCode: a.CountryCode ?? null, zip: a.PostalCode ?? null, latitude: null, longitude: null } : null,
    placedAt: iso(o.PurchaseDate),
    updatedAt: iso(o.LastUpdateDate),
    cancelledAt: o.OrderStatus === "Canceled" ? iso(o.LastUpdateDate) : null,
    lines,
    shippingMethod: o.ShipmentServiceLevelCategory ?? null,
    promisedBy: o.LatestDeliveryDate ? iso(o.LatestDeliveryDate) : null,
  };
  const shipped = items.filter((i) => (i.QuantityShipped ?? 0) > 0).map((i) => ({ lineExternalId: i.OrderItemId, quantity: Math.min(i.QuantityShipped!, i.QuantityOrdered) }));
  return { ok: true, mapped: { order: mapped, fulfilledByAmazon: o.FulfillmentChannel === "AFN", shipped } };
}

/**
 * The fulfillment that brings ours up to what Amazon reports shipped: per item, the units shipped beyond those our
 * fulfillments already consumed. Its id names the shipped totals it reaches, so reading the same report again
 * names the same fulfillment (applied once), and a later, larger total is a new one for the difference.
 */
export function shippedDelta(orderId: string, shipped: MappedAmazonOrder["shipped"], fulfilledByLine: ReadonlyMap<string, number>): { externalId: string; lines: { lineExternalId: string; quantity: number }[] } | null {
  const lines = shipped.map((s) => ({ lineExternalId: s.lineExternalId, quantity: s.quantity - (fulfilledByLine.get(s.lineExternalId) ?? 0) })).filter((l) => l.quantity > 0);
  if (lines.length === 0) return null;
  const reached = shipped.map((s) => `${s.lineExternalId}=${s.quantity}`).join(",");
  return { externalId: `amazon:${orderId}:shipped:${reached}`, lines };
}

// ---- Orders API 2026-01-01 (searchOrders / getOrder): items come with the order, money as { amount, currencyCode } ----

const money2026 = z.object({ amount: z.string().regex(/^-?\d+(\.\d+)?$/, "not a decimal amount"), currencyCode: z.string().length(3) });

export const amazon2026Order = z.object({
  orderId: z.string().regex(/^\d{3}-\d{7}-\d{7}$/, "not an Amazon order id (3-7-7 digits)"),
  createdTime: isoTime,
  lastUpdatedTime: isoTime,
  buyer: z.object({ buyerName: z.string().optional(), buyerEmail: z.string().optional() }).optional(),
  recipient: z
    .object({ deliveryAddress: z.object({ name: z.string().optional(), addressLine1: z.string().optional(), city: z.string().optional(), stateOrRegion: z.string().optional(), postalCode: z.string().optional(), countryCode: z.string().optional() }).optional() })
    .optional(),
  proceeds: z.object({ grandTotal: money2026.optional() }).optional(),
  fulfillment: z
    .object({
      fulfillmentStatus: z.string(),
      fulfilledBy: z.enum(["AMAZON", "MERCHANT"]).optional(),
      fulfillmentServiceLevel: z.string().optional(),
      deliveryByWindow: z.object({ latestDateTime: isoTime.optional() }).optional(),
    })
    .optional(),
  orderItems: z
    .array(
      z.object({
        orderItemId: z.string().min(1),
        quantityOrdered: z.number().int().min(0).max(1_000_000),
        product: z.object({ sellerSku: z.string().optional(), asin: z.string().optional(), title: z.string().optional(), price: z.object({ unitPrice: money2026.optional() }).optional() }).optional(),
        fulfillment: z.object({ quantityFulfilled: z.number().int().min(0).optional() }).optional(),
      }),
    )
    .min(1, "has no items"),
});

/** One order of searchOrders / getOrder (2026-01-01) → the same mapping as v0's. */
export function mapAmazon2026Order(raw: unknown): AmazonOrderMapping {
  const parsed = amazon2026Order.safeParse(raw);
  if (!parsed.success) return { ok: false, error: issues(parsed.error, "order") };
  const o = parsed.data;
  const currency = o.proceeds?.grandTotal?.currencyCode ?? o.orderItems.find((i) => i.product?.price?.unitPrice)?.product?.price?.unitPrice?.currencyCode ?? "USD";
  if (o.orderItems.some((i) => i.product?.price?.unitPrice && i.product.price.unitPrice.currencyCode !== currency)) return { ok: false, error: `order ${o.orderId} mixes currencies` };
  const lines = o.orderItems
    .filter((i) => i.quantityOrdered > 0)
    .map((i) => ({
      externalId: i.orderItemId,
      sku: i.product?.sellerSku ?? null,
      variantExternalId: null,
      title: i.product?.title ?? i.product?.sellerSku ?? i.product?.asin ?? i.orderItemId,
      quantity: i.quantityOrdered,
      priceMinor: i.product?.price?.unitPrice ? toMinorUnits(i.product.price.unitPrice.amount, currency) : 0,
    }));
  const status = o.fulfillment?.fulfillmentStatus ?? "UNSHIPPED";
  const a = o.recipient?.deliveryAddress;
  const order: ChannelOrder = {
    externalId: o.orderId,
    name: o.orderId,
    currency,
    totalMinor: o.proceeds?.grandTotal ? toMinorUnits(o.proceeds.grandTotal.amount, currency) : lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0),
    financialStatus: status === "PENDING" ? "pending" : "paid",
    email: o.buyer?.buyerEmail ?? null,
    phone: null,
    customerExternalId: null,
    customerName: o.buyer?.buyerName ?? a?.name ?? null,
    shipTo: a ? { name: a.name ?? null, address1: a.addressLine1 ?? null, city: a.city ?? null, province: a.stateOrRegion ?? null, countryCode: a.countryCode ?? null, zip: a.postalCode ?? null, latitude: null, longitude: null } : null,
    placedAt: iso(o.createdTime),
    updatedAt: iso(o.lastUpdatedTime),
    cancelledAt: status === "CANCELLED" ? iso(o.lastUpdatedTime) : null,
    lines,
    shippingMethod: o.fulfillment?.fulfillmentServiceLevel ?? null,
    promisedBy: o.fulfillment?.deliveryByWindow?.latestDateTime ? iso(o.fulfillment.deliveryByWindow.latestDateTime) : null,
  };
  const shipped = o.orderItems
    .filter((i) => (i.fulfillment?.quantityFulfilled ?? 0) > 0)
    .map((i) => ({ lineExternalId: i.orderItemId, quantity: Math.min(i.fulfillment!.quantityFulfilled!, i.quantityOrdered) }));
  return { ok: true, mapped: { order, fulfilledByAmazon: o.fulfillment?.fulfilledBy === "AMAZON", shipped } };
}
