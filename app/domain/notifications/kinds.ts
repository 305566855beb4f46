// Customer notifications (ADR 0024): the kinds of e-mail the app sends, the languages it writes them in, and the
// variables each kind's template may use. Essential kinds tell the customer something about their order they need
// (it waits for stock, it left): an opt-out does not stop them. Confirmation and split notices are courtesy.

export const NOTIFICATION_KINDS = ["order_confirmation", "backorder", "split_shipment", "shipped"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

export const ESSENTIAL: Record<NotificationKind, boolean> = { order_confirmation: false, backorder: true, split_shipment: false, shipped: true };

export const KIND_LABELS: Record<NotificationKind, string> = {
  order_confirmation: "Order confirmation",
  backorder: "Backorder notice",
  split_shipment: "Split shipment notice",
  shipped: "Shipped, with tracking",
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
};

export const isKind = (value: unknown): value is NotificationKind => typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);
export const isLanguage = (value: unknown): value is Language => typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
