// Customer notifications (ADR 0024): the kinds of e-mail the app sends, the languages it writes them in, and the
// variables each kind's template may use. Essential kinds tell the customer something about their order they need
// (it waits for stock, it left): an opt-out does not stop them. Confirmation and split notices are courtesy.

// Return updates (ADR 0036) are essential: they are about the customer's own return (its RMA, label, money).
export const NOTIFICATION_KINDS = [
  "order_confirmation", "backorder", "split_shipment", "shipped",
  "return_requested", "return_approved", "return_declined", "return_received", "return_refunded", "return_exchanged",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

export const ESSENTIAL: Record<NotificationKind, boolean> = {
  order_confirmation: false, backorder: true, split_shipment: false, shipped: true,
  return_requested: true, return_approved: true, return_declined: true, return_received: true, return_refunded: true, return_exchanged: true,
};

export const KIND_LABELS: Record<NotificationKind, string> = {
  order_confirmation: "Order confirmation",
  backorder: "Backorder notice",
  split_shipment: "Split shipment notice",
  shipped: "Shipped, with tracking",
  return_requested: "Return requested, with RMA and label",
  return_approved: "Return approved",
  return_declined: "Return declined",
  return_received: "Return received",
  return_refunded: "Return refunded",
  return_exchanged: "Return exchanged",
};

/** A variable a template may name: plain text, or a link (an http(s) URL shown as a link in the HTML part). */
export interface VariableSpec {
  name: string;
  kind: "text" | "url";
  description: string;
}

const COMMON: VariableSpec[] = [
  { name: "shopName", kind: "text", description: "The shop's name" },
  { name: "orderName", kind: "text", description: "The order's number, e.g. #1001" },
  { name: "customerName", kind: "text", description: "The customer's name (empty when unknown)" },
];

const RMA: VariableSpec = { name: "rmaNumber", kind: "text", description: "The return's RMA number, e.g. R1001" };
const LABEL: VariableSpec = { name: "labelUrl", kind: "url", description: "The link to the prepaid return label (PDF), through the store's order page" };

export const KIND_VARIABLES: Record<NotificationKind, VariableSpec[]> = {
  order_confirmation: COMMON,
  backorder: [...COMMON, { name: "expectedDate", kind: "text", description: "When the missing items are expected (YYYY-MM-DD), or a sentence saying it is not known yet" }],
  split_shipment: [...COMMON, { name: "parcelCount", kind: "text", description: "How many parcels the order ships in" }],
  shipped: [
    ...COMMON,
    { name: "carrier", kind: "text", description: "The carrier" },
    { name: "trackingNumber", kind: "text", description: "The tracking number (empty when none was given)" },
    { name: "trackingUrl", kind: "url", description: "The carrier's tracking page, when known" },
  ],
  return_requested: [...COMMON, RMA, LABEL],
  return_approved: [...COMMON, RMA, LABEL],
  return_declined: [...COMMON, RMA, { name: "declineReason", kind: "text", description: "Why the return was declined, as the merchant wrote it" }],
  return_received: [...COMMON, RMA],
  return_refunded: [...COMMON, RMA],
  return_exchanged: [...COMMON, RMA],
};

export const isKind = (value: unknown): value is NotificationKind => typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);
export const isLanguage = (value: unknown): value is Language => typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
