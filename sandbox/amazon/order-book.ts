// Amazon orders in the stand-in: created through the control API for SKUs in the catalogue, with seeded,
// deterministic ids (3-7-7 digits, e.g. 902-1234567-1234567), and shown in Orders API v0 shapes. A
// merchant-fulfilled order lowers the listing's buyer-visible quantity at once, as a purchase does.
import { isoSeconds } from "./http";
import type { ListingStore } from "./store";
import { createRng } from "../shopify/prng";

export const ORDER_STATUSES = ["Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled", "Unfulfillable", "InvoiceUnconfirmed", "PendingAvailability"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItemInput { sku: string; quantity: number; /** Unit price in minor units (default: the listing's). */ priceMinor?: number }

export interface CreateOrderInput {
  items: OrderItemInput[];
  status?: OrderStatus;
  /** Default: now (sandbox clock). */
  purchaseDate?: number;
  fulfillmentChannel?: "MFN" | "AFN";
  /** Allow more units than buyers can see (default false: throws, as a buyer cannot buy what is not shown). */
  ignoreStock?: boolean;
  /** Where it ships (the parts Amazon shows without a Restricted Data Token). Default: Seattle, WA 98109, US. */
  shipTo?: ShipTo;
}

export interface ShipTo { City: string; StateOrRegion: string; PostalCode: string; CountryCode: string }
const DEFAULT_SHIP_TO: ShipTo = { City: "Seattle", StateOrRegion: "WA", PostalCode: "98109", CountryCode: "US" };
/** Statuses whose orders show a ShippingAddress (the Orders v0 model's note). */
const ADDRESSED = new Set<OrderStatus>(["Unshipped", "PartiallyShipped", "Shipped", "InvoiceUnconfirmed"]);

export interface StoredOrderItem { orderItemId: string; sku: string; asin: string; title: string; quantity: number; quantityShipped: number; unitPriceMinor: number }

/** A package confirmed shipped by the seller (confirmShipment). */
export interface ConfirmedPackage { packageReferenceId: string; carrierCode: string; carrierName?: string; trackingNumber: string; shipDate: string; items: { orderItemId: string; quantity: number }[]; confirmedAt: number }

export interface StoredOrder {
  amazonOrderId: string;
  packages?: ConfirmedPackage[];
  purchaseDate: number;
  lastUpdateDate: number;
  status: OrderStatus;
  fulfillmentChannel: "MFN" | "AFN";
  currency: string;
  items: StoredOrderItem[];
  shipTo: ShipTo;
}

const money = (minor: number, currency: string) => ({ CurrencyCode: currency, Amount: (minor / 100).toFixed(2) });
const DAY = 24 * 60 * 60 * 1000;

export class OrderBook {
  readonly orders = new Map<string, StoredOrder>();
  private readonly random: () => number;

  constructor(
    private readonly store: ListingStore,
    private readonly marketplaceId: string,
    seed = 1,
  ) {
    const rng = createRng(seed); // the Shopify stand-in's seeded PRNG: the same seed gives the same ids
    this.random = () => rng.next();
  }

  private digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i += 1) s += Math.floor(this.random() * 10);
    return s;
  }

  create(input: CreateOrderInput): StoredOrder {
    if (!input.items?.length) throw new Error("an order needs at least one item");
    const at = input.purchaseDate ?? this.store.now();
    const channel = input.fulfillmentChannel ?? "MFN";
    const status = input.status ?? "Unshipped";
    const units = new Map<string, number>();
    for (const item of input.items) {
      if (!Number.isInteger(item.quantity) || item.quantity < 1) throw new Error(`quantity must be a positive integer, got ${item.quantity}`);
      if (!this.store.has(item.sku)) throw new Error(`SKU ${item.sku} is not in the catalogue`);
      units.set(item.sku, (units.get(item.sku) ?? 0) + item.quantity);
    }
    if (channel === "MFN" && !input.ignoreStock) {
      for (const [sku, n] of units) {
        const visible = this.store.visibleQuantity(sku, at) ?? 0;
        if (n > visible) throw new Error(`SKU ${sku}: ${n} ordered but buyers see ${visible}`);
      }
    }
    let amazonOrderId: string;
    do amazonOrderId = `902-${this.digits(7)}-${this.digits(7)}`;
    while (this.orders.has(amazonOrderId));
    const currencies = new Set(input.items.map((i) => this.store.get(i.sku)!.currency));
    if (currencies.size > 1) throw new Error("all items of an order must share one currency");
    const order: StoredOrder = {
      amazonOrderId,
      purchaseDate: at,
      lastUpdateDate: at,
      status,
      fulfillmentChannel: channel,
      currency: [...currencies][0],
      shipTo: input.shipTo ?? DEFAULT_SHIP_TO,
      items: input.items.map((item) => {
        const listing = this.store.get(item.sku)!;
        return { orderItemId: this.digits(14), sku: item.sku, asin: listing.asin, title: listing.itemName, quantity: item.quantity, quantityShipped: 0, unitPriceMinor: item.priceMinor ?? listing.priceMinor };
      }),
    };
    this.orders.set(amazonOrderId, order);
    if (channel === "MFN" && status !== "Canceled") {
      for (const [sku, n] of units) if (this.store.visibleQuantity(sku, at) !== null) this.store.decrementForOrder(sku, n, amazonOrderId, at);
    }
    return order;
  }

  /** Changes an order's status (its LastUpdateDate becomes now). */
  setStatus(amazonOrderId: string, status: OrderStatus): StoredOrder {
    const order = this.orders.get(amazonOrderId);
    if (!order) throw new Error(`unknown order ${amazonOrderId}`);
    order.status = status;
    order.lastUpdateDate = Math.max(order.lastUpdateDate, this.store.now());
    if (status === "Shipped") for (const item of order.items) item.quantityShipped = item.quantity;
    return order;
  }

  /** The Order object of getOrders. */
  orderView(order: StoredOrder): Record<string, unknown> {
    const total = order.items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity, 0);
    const unitsShipped = order.items.reduce((s, i) => s + i.quantityShipped, 0);
    const unitsOrdered = order.items.reduce((s, i) => s + i.quantity, 0);
    const pending = order.status === "Pending" || order.status === "PendingAvailability";
    return {
      AmazonOrderId: order.amazonOrderId,
      PurchaseDate: isoSeconds(order.purchaseDate),
      LastUpdateDate: isoSeconds(order.lastUpdateDate),
      OrderStatus: order.status,
      FulfillmentChannel: order.fulfillmentChannel,
      SalesChannel: "Amazon.com",
      ShipServiceLevel: "Std US D2D Dom",
      ...(pending ? {} : { OrderTotal: money(total, order.currency) }),
      ...(ADDRESSED.has(order.status) ? { ShippingAddress: { ...order.shipTo } } : {}),
      NumberOfItemsShipped: unitsShipped,
      NumberOfItemsUnshipped: unitsOrdered - unitsShipped,
      PaymentMethod: "Other",
      PaymentMethodDetails: ["Standard"],
      MarketplaceId: this.marketplaceId,
      ShipmentServiceLevelCategory: "Standard",
      OrderType: "StandardOrder",
      EarliestShipDate: isoSeconds(order.purchaseDate + DAY),
      LatestShipDate: isoSeconds(order.purchaseDate + 2 * DAY),
      EarliestDeliveryDate: isoSeconds(order.purchaseDate + 3 * DAY),
      LatestDeliveryDate: isoSeconds(order.purchaseDate + 7 * DAY),
      IsBusinessOrder: false,
      IsPrime: false,
      IsPremiumOrder: false,
      IsGlobalExpressEnabled: false,
      IsReplacementOrder: false,
      IsSoldByAB: false,
      IsIBA: false,
      IsISPU: false,
      IsAccessPointOrder: false,
      AutomatedShippingSettings: { HasAutomatedShippingSettings: false },
      ElectronicInvoiceStatus: "NotRequired",
    };
  }

  /**
   * A seller's shipment confirmation: the package's units count as shipped (the order becomes PartiallyShipped or
   * Shipped). Refused, changing nothing: an FBA or cancelled order, an unknown item, more units than are left to
   * ship, a package reference already used on the order. Returns the refusal's message, or null.
   */
  confirmShipment(amazonOrderId: string, pkg: Omit<ConfirmedPackage, "confirmedAt">): string | null {
    const order = this.orders.get(amazonOrderId);
    if (!order) return `Order '${amazonOrderId}' not found.`;
    if (order.fulfillmentChannel !== "MFN") return `Order '${amazonOrderId}' is fulfilled by Amazon: the seller cannot confirm its shipment.`;
    if (order.status === "Canceled" || order.status === "Pending") return `Order '${amazonOrderId}' is ${order.status}: it cannot be shipped.`;
    if (!/^[1-9]\d*$/.test(pkg.packageReferenceId)) return `packageReferenceId '${pkg.packageReferenceId}' must be a positive number.`;
    if (order.packages?.some((p) => p.packageReferenceId === pkg.packageReferenceId)) return `packageReferenceId '${pkg.packageReferenceId}' is already used on order '${amazonOrderId}'.`;
    if (Number.isNaN(Date.parse(pkg.shipDate)) || !/T/.test(pkg.shipDate)) return `shipDate '${pkg.shipDate}' is not an ISO 8601 date-time.`;
    const units = new Map<string, number>();
    for (const item of pkg.items) units.set(item.orderItemId, (units.get(item.orderItemId) ?? 0) + item.quantity);
    for (const [id, n] of units) {
      const item = order.items.find((i) => i.orderItemId === id);
      if (!item) return `Order item '${id}' is not part of order '${amazonOrderId}'.`;
      if (!Number.isInteger(n) || n < 1) return `Order item '${id}': quantity must be a positive integer.`;
      if (item.quantityShipped + n > item.quantity) return `Order item '${id}': ${n} confirmed but ${item.quantity - item.quantityShipped} left to ship.`;
    }
    for (const [id, n] of units) order.items.find((i) => i.orderItemId === id)!.quantityShipped += n;
    (order.packages ??= []).push({ ...pkg, confirmedAt: this.store.now() });
    order.status = order.items.every((i) => i.quantityShipped === i.quantity) ? "Shipped" : "PartiallyShipped";
    order.lastUpdateDate = Math.max(order.lastUpdateDate, this.store.now());
    return null;
  }

  /** The OrderItem objects of getOrderItems. */
  itemViews(order: StoredOrder): Record<string, unknown>[] {
    return order.items.map((item) => ({
      ASIN: item.asin,
      OrderItemId: item.orderItemId,
      SellerSKU: item.sku,
      Title: item.title,
      QuantityOrdered: item.quantity,
      QuantityShipped: item.quantityShipped,
      ProductInfo: { NumberOfItems: "1" },
      ItemPrice: money(item.unitPriceMinor * item.quantity, order.currency),
      ItemTax: money(0, order.currency),
      PromotionDiscount: money(0, order.currency),
      IsGift: "false",
      ConditionId: "New",
      ConditionSubtypeId: "New",
      IsTransparency: false,
      SerialNumberRequired: false,
    }));
  }
}
