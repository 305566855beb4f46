// GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL as the stand-in writes it from its order book: tab-separated,
// one row per item, in Amazon's column layout. The header is the one of the Airbyte connector's record in
// ../shared/fixtures/amazon_sp_api/flat_file_reports (checked by reports.test.ts), dates as Amazon writes them
// ("2022-07-18T18:52:47+00:00"), a cancelled item with quantity 0, as in Amazon's own files.
import type { StoredOrder } from "./order-book";

export const ALL_ORDERS_HEADER = [
  "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel", "sales-channel", "order-channel",
  "ship-service-level", "product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price", "shipping-tax",
  "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
  "promotion-ids", "cpf", "is-business-order", "purchase-order-number", "price-designation", "signature-confirmation-recommended",
] as const;

/** Orders API v0 statuses → what the order report writes. */
const REPORT_STATUS: Record<StoredOrder["status"], string> = {
  Pending: "Pending",
  PendingAvailability: "Pending",
  Unshipped: "Unshipped",
  PartiallyShipped: "Shipping",
  Shipped: "Shipped",
  Canceled: "Cancelled",
  Unfulfillable: "Unshipped",
  InvoiceUnconfirmed: "Unshipped",
};

/** Amazon's report time form: whole seconds with an explicit +00:00 offset. */
export function reportTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "+00:00");
}

const amount = (minor: number) => (minor / 100).toFixed(2);
/** Tabs and line breaks cannot be in a flat file's value: Amazon writes them as spaces. */
const clean = (text: string) => text.replace(/[\t\r\n]+/g, " ");

export function allOrdersReport(orders: StoredOrder[]): string {
  const rows = [ALL_ORDERS_HEADER.join("\t")];
  for (const o of orders) {
    const cancelled = o.status === "Canceled";
    for (const item of o.items) {
      const row: Record<(typeof ALL_ORDERS_HEADER)[number], string> = {
        "amazon-order-id": o.amazonOrderId,
        "merchant-order-id": "",
        "purchase-date": reportTime(o.purchaseDate),
        "last-updated-date": reportTime(o.lastUpdateDate),
        "order-status": REPORT_STATUS[o.status],
        "fulfillment-channel": o.fulfillmentChannel === "AFN" ? "Amazon" : "Merchant",
        "sales-channel": "Amazon.com",
        "order-channel": o.fulfillmentChannel === "AFN" ? "" : "WebsiteOrderChannel",
        "ship-service-level": "Standard",
        "product-name": clean(item.title),
        sku: item.sku,
        asin: item.asin,
        "item-status": cancelled ? "Cancelled" : o.status === "Shipped" || item.quantityShipped >= item.quantity ? "Shipped" : "Unshipped",
        quantity: String(cancelled ? 0 : item.quantity),
        currency: o.currency,
        "item-price": amount(item.unitPriceMinor * item.quantity),
        "item-tax": "0.00",
        "shipping-price": "",
        "shipping-tax": "",
        "gift-wrap-price": "",
        "gift-wrap-tax": "",
        "item-promotion-discount": "",
        "ship-promotion-discount": "",
        "ship-city": o.shipTo.City,
        "ship-state": o.shipTo.StateOrRegion,
        "ship-postal-code": o.shipTo.PostalCode,
        "ship-country": o.shipTo.CountryCode,
        "promotion-ids": "",
        cpf: "",
        "is-business-order": "false",
        "purchase-order-number": "",
        "price-designation": "",
        "signature-confirmation-recommended": "false",
      };
      rows.push(ALL_ORDERS_HEADER.map((c) => row[c]).join("\t"));
    }
  }
  return rows.join("\n") + "\n";
}
