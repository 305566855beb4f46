// Shopify's REST order shape (what orders/create, orders/updated and orders/cancelled webhooks carry),
// built from a small draft. Field names follow Shopify's documented sample payload; ids are BigInt
// and must be serialized with toExactJson.
import { gid } from "./ids";

export interface MoneySet {
  shop_money: { amount: string; currency_code: string };
  presentment_money: { amount: string; currency_code: string };
}
export interface RestAddress {
  first_name: string; last_name: string; name: string; company: string | null;
  address1: string; address2: string | null; city: string; province: string; province_code: string;
  country: string; country_code: string; zip: string; phone: string | null;
  latitude: number | null; longitude: number | null;
}
export interface RestLineItem {
  id: bigint; admin_graphql_api_id: string; variant_id: bigint | null; product_id: bigint | null;
  sku: string | null; title: string; variant_title: string | null; name: string; vendor: string | null;
  quantity: number; current_quantity: number; fulfillable_quantity: number; price: string; price_set: MoneySet;
  grams: number; [key: string]: unknown;
}
export interface RestCustomer {
  id: bigint; admin_graphql_api_id: string; email: string; first_name: string; last_name: string;
  phone: string | null; [key: string]: unknown;
}
export interface RestOrderPayload {
  id: bigint; admin_graphql_api_id: string; name: string; order_number: number; email: string;
  created_at: string; updated_at: string; cancelled_at: string | null; cancel_reason: string | null;
  currency: string; total_price: string; financial_status: string; fulfillment_status: string | null;
  customer: RestCustomer | null; shipping_address: RestAddress | null; line_items: RestLineItem[];
  note: string | null; tags: string; [key: string]: unknown;
}

export interface OrderDraft {
  id: bigint;
  orderNumber: number;
  shopDomain: string;
  shopId: bigint;
  currency: string;
  timezone: string;
  createdAt: Date;
  financialStatus: string; // "paid", "pending", "authorized"...
  token: string;
  shippingLineId: bigint;
  customer: { id: bigint; addressId: bigint; firstName: string; lastName: string; email: string; phone: string | null; createdAt: Date };
  address: Omit<RestAddress, "first_name" | "last_name" | "name">;
  shippingPrice: string;
  /** The order's custom attributes (a completed draft's customAttributes). */
  noteAttributes?: { name: string; value: string }[];
  lines: Array<{
    id: bigint; variantId: bigint; productId: bigint; sku: string; productTitle: string;
    variantTitle: string; vendor: string; price: string; quantity: number; grams: number;
  }>;
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const dollars = (value: number) => (value / 100).toFixed(2);

export function moneySet(amount: string, currency: string): MoneySet {
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

/** Formats a moment in the shop's zone the way Shopify's REST API does: 2026-01-05T10:22:01-05:00. */
export function formatInZone(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "longOffset",
    }).formatToParts(date).map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : String(parts.timeZoneName).replace("GMT", "");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export function buildOrderPayload(d: OrderDraft): RestOrderPayload {
  const at = formatInZone(d.createdAt, d.timezone);
  const subtotal = d.lines.reduce((sum, l) => sum + cents(l.price) * l.quantity, 0);
  const total = subtotal + cents(d.shippingPrice);
  const grams = d.lines.reduce((sum, l) => sum + l.grams * l.quantity, 0);
  const m = (value: number) => moneySet(dollars(value), d.currency);
  const fullName = `${d.customer.firstName} ${d.customer.lastName}`;
  const address: RestAddress = { first_name: d.customer.firstName, last_name: d.customer.lastName, name: fullName, ...d.address };
  return {
    id: d.id, admin_graphql_api_id: gid("Order", d.id), app_id: null, browser_ip: null, buyer_accepts_marketing: false,
    cancel_reason: null, cancelled_at: null, cart_token: null, checkout_token: null, client_details: null, closed_at: null,
    confirmation_number: d.token.slice(0, 9).toUpperCase(), confirmed: true, contact_email: d.customer.email,
    created_at: at, currency: d.currency,
    current_shipping_price_set: moneySet(d.shippingPrice, d.currency),
    current_subtotal_price: dollars(subtotal), current_subtotal_price_set: m(subtotal),
    current_total_additional_fees_set: null, current_total_discounts: "0.00", current_total_discounts_set: m(0),
    current_total_duties_set: null, current_total_price: dollars(total), current_total_price_set: m(total),
    current_total_tax: "0.00", current_total_tax_set: m(0), customer_locale: "en", device_id: null, discount_codes: [],
    duties_included: false, email: d.customer.email, estimated_taxes: false, financial_status: d.financialStatus,
    fulfillment_status: null, landing_site: null, landing_site_ref: null, location_id: null,
    merchant_business_entity_id: Buffer.from(String(d.shopId)).toString("base64").replace(/=+$/, ""),
    merchant_of_record_app_id: null, name: `#${d.orderNumber}`, note: null, note_attributes: (d.noteAttributes ?? []).map((a) => ({ name: a.name, value: a.value })),
    number: d.orderNumber - 1000, order_number: d.orderNumber,
    order_status_url: `https://${d.shopDomain}/orders/${d.token}/authenticate?key=${d.token.slice(0, 12)}`,
    original_total_additional_fees_set: null, original_total_duties_set: null, payment_gateway_names: ["shopify_payments"],
    phone: d.customer.phone, po_number: null, presentment_currency: d.currency, processed_at: at, reference: null,
    referring_site: null, source_identifier: null, source_name: "web", source_url: null,
    subtotal_price: dollars(subtotal), subtotal_price_set: m(subtotal), tags: "", tax_exempt: false, tax_lines: [],
    taxes_included: false, test: false, token: d.token, total_discounts: "0.00", total_discounts_set: m(0),
    total_line_items_price: dollars(subtotal), total_line_items_price_set: m(subtotal), total_outstanding: "0.00",
    total_price: dollars(total), total_price_set: m(total), total_shipping_price_set: moneySet(d.shippingPrice, d.currency),
    total_tax: "0.00", total_tax_set: m(0), total_cash_rounding_payment_adjustment_set: m(0),
    total_cash_rounding_refund_adjustment_set: m(0), total_tip_received: "0.00", total_weight: grams, updated_at: at, user_id: null,
    billing_address: { ...address },
    customer: {
      id: d.customer.id, admin_graphql_api_id: gid("Customer", d.customer.id), email: d.customer.email,
      created_at: formatInZone(d.customer.createdAt, d.timezone), updated_at: at,
      first_name: d.customer.firstName, last_name: d.customer.lastName, state: "disabled", note: null,
      verified_email: true, multipass_identifier: null, tax_exempt: false, phone: d.customer.phone, currency: d.currency,
      tax_exemptions: [],
      default_address: {
        id: d.customer.addressId, customer_id: d.customer.id, country_name: address.country, default: true,
        ...withoutGeo(address),
      },
    },
    discount_applications: [], fulfillments: [],
    line_items: d.lines.map((l) => ({
      id: l.id, admin_graphql_api_id: gid("LineItem", l.id), attributed_staffs: [], current_quantity: l.quantity,
      fulfillable_quantity: l.quantity, fulfillment_service: "manual", fulfillment_status: null, gift_card: false,
      grams: l.grams, name: `${l.productTitle} - ${l.variantTitle}`, price: l.price, price_set: moneySet(l.price, d.currency),
      product_exists: true, product_id: l.productId, properties: [], quantity: l.quantity, requires_shipping: true,
      sales_line_item_group_id: null, sku: l.sku, taxable: true, title: l.productTitle, total_discount: "0.00",
      total_discount_set: moneySet("0.00", d.currency), variant_id: l.variantId, variant_inventory_management: "shopify",
      variant_title: l.variantTitle, vendor: l.vendor, tax_lines: [], duties: [], discount_allocations: [],
    })),
    payment_terms: null, refunds: [],
    shipping_address: address,
    shipping_lines: [{
      id: d.shippingLineId, carrier_identifier: null, code: "Standard", discounted_price: d.shippingPrice,
      discounted_price_set: moneySet(d.shippingPrice, d.currency), is_removed: false, phone: null, price: d.shippingPrice,
      price_set: moneySet(d.shippingPrice, d.currency), requested_fulfillment_service_id: null, source: "shopify",
      title: "Standard Shipping", tax_lines: [], discount_allocations: [],
    }],
    returns: [], line_item_groups: [],
  };
}

function withoutGeo(a: RestAddress): Omit<RestAddress, "latitude" | "longitude"> {
  const { latitude: _lat, longitude: _lng, ...rest } = a;
  return rest;
}
