import { trackingLink } from "../portal/journey";
import { DEFAULT_TEMPLATES, UNKNOWN_DATE, type TemplateText } from "./default-templates";
import { ESSENTIAL, type Language, type NotificationKind } from "./kinds";

// Which e-mails the audit trail calls for (ADR 0024), decided without I/O: the sweep reads the events and the facts
// about their orders, this returns one draft per effect, keyed by the effect's natural key (so reading an event twice
// adds nothing), and the sweep renders and stores them.

/** The audit actions the sweep reads. */
export const NOTIFYING_ACTIONS = ["order.received", "order.backordered", "order.routed", "order.fulfillment_recorded"] as const;

/** The returns core's audit actions (subject `return`, ADR 0027) that tell the customer about their return (ADR 0036). */
export const RETURN_NOTIFYING_ACTIONS = ["return.requested", "return.approved", "return.declined", "return.received", "return.refunded", "return.exchanged"] as const;

const RETURN_KIND: Record<(typeof RETURN_NOTIFYING_ACTIONS)[number], NotificationKind> = {
  "return.requested": "return_requested", "return.approved": "return_approved", "return.declined": "return_declined",
  "return.received": "return_received", "return.refunded": "return_refunded", "return.exchanged": "return_exchanged",
};
const isReturnAction = (action: string): action is (typeof RETURN_NOTIFYING_ACTIONS)[number] => action in RETURN_KIND;

export interface NotifyingEvent {
  action: string;
  orderId: string;
  /** For a return event: the RMA's id (the event's subject). */
  returnId?: string;
  data: Record<string, unknown>;
}

/** An RMA a return event is about, with the link to its prepaid label (through the app proxy, tokenised). */
export interface ReturnNoticeFacts {
  id: string;
  orderId: string;
  number: string;
  labelUrl: string;
}

export interface OrderFacts {
  id: string;
  name: string;
  email: string | null;
  customerName: string | null;
  channelKind: string;
  redacted: boolean;
  cancelled: boolean;
  /** Distinct locations the order's units are (or were) reserved at and shipped from. */
  shipFromLocations: number;
  /** The earliest date stock is expected for its backordered SKUs (purchase orders), if any. */
  backorderExpectedAt: string | null;
}

export interface ShipmentFacts {
  id: string;
  orderId: string;
  carrier: string;
  trackingNumber: string | null;
}

export interface NotificationSettingsView {
  confirmationEnabled: boolean;
  language: Language;
}

export interface NotificationDraft {
  orderId: string;
  kind: NotificationKind;
  key: string;
  recipient: string;
  language: Language;
  values: Record<string, string>;
}

export interface PlanInput {
  shopName: string;
  settings: NotificationSettingsView;
  events: NotifyingEvent[];
  orders: Map<string, OrderFacts>;
  shipments: Map<string, ShipmentFacts>;
  /** Lower-cased addresses that opted out of non-essential e-mails. */
  optedOut: Set<string>;
  /** The RMAs of the return events, by id. */
  returns?: Map<string, ReturnNoticeFacts>;
}

/** The shipment a `shipment:<id>` fulfillment records (ship-order.ts), or null for a channel's own fulfillment. */
export function shipmentIdOfFulfillment(fulfillment: unknown): string | null {
  return typeof fulfillment === "string" && fulfillment.startsWith("shipment:") ? fulfillment.slice("shipment:".length) : null;
}

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A usable address (one, no display name, no line breaks), or null. */
export function recipientOf(email: string | null): string | null {
  const e = email?.trim() ?? "";
  return EMAIL.test(e) && e.length <= 254 ? e : null;
}

export function planNotifications(input: PlanInput): NotificationDraft[] {
  const drafts = new Map<string, NotificationDraft>();
  const { settings } = input;
  for (const event of input.events) {
    const order = input.orders.get(event.orderId);
    if (!order || order.redacted || order.cancelled) continue;
    const recipient = recipientOf(order.email);
    if (!recipient) continue;
    const common = { shopName: input.shopName, orderName: order.name, customerName: order.customerName ?? "" };
    let draft: Omit<NotificationDraft, "recipient" | "language" | "orderId"> | null = null;
    if (isReturnAction(event.action)) {
      const rma = input.returns?.get(event.returnId ?? "");
      if (rma && rma.orderId === order.id) {
        const kind = RETURN_KIND[event.action];
        const values: Record<string, string> = { ...common, rmaNumber: rma.number };
        if (kind === "return_requested" || kind === "return_approved") values.labelUrl = rma.labelUrl;
        if (kind === "return_declined") values.declineReason = typeof event.data.reason === "string" ? event.data.reason : "";
        draft = { kind, key: `${kind}:${rma.id}`, values };
      }
    } else if (event.action === "order.received" && settings.confirmationEnabled) {
      draft = { kind: "order_confirmation", key: `order_confirmation:${order.id}`, values: common };
    } else if (event.action === "order.backordered") {
      draft = { kind: "backorder", key: `backordered:${order.id}`, values: { ...common, expectedDate: order.backorderExpectedAt?.slice(0, 10) ?? UNKNOWN_DATE[settings.language] } };
    } else if (event.action === "order.routed" && order.shipFromLocations > 1) {
      draft = { kind: "split_shipment", key: `split:${order.id}`, values: { ...common, parcelCount: String(order.shipFromLocations) } };
    } else if (event.action === "order.fulfillment_recorded" && order.channelKind !== "shopify") {
      // Shopify e-mails its own orders' shipping confirmations; the app tells customers of the shipments it records.
      const shipment = input.shipments.get(shipmentIdOfFulfillment(event.data.fulfillment) ?? "");
      if (shipment && shipment.orderId === order.id) {
        const number = shipment.trackingNumber ?? "";
        draft = {
          kind: "shipped", key: `shipped:${shipment.id}`,
          values: { ...common, carrier: shipment.carrier, trackingNumber: number, trackingUrl: number ? (trackingLink(shipment.carrier, number, [], 0) ?? "") : "" },
        };
      }
    }
    if (!draft) continue;
    if (!ESSENTIAL[draft.kind] && input.optedOut.has(normalizeEmail(recipient))) continue;
    if (!drafts.has(draft.key)) drafts.set(draft.key, { ...draft, orderId: order.id, recipient, language: settings.language });
  }
  return [...drafts.values()];
}

/** The template in force: the shop's own wording, else the default. */
export function templateFor(kind: NotificationKind, language: Language, overrides: { kind: string; language: string; subject: string; body: string }[]): TemplateText {
  const own = overrides.find((t) => t.kind === kind && t.language === language);
  return own ? { subject: own.subject, body: own.body } : DEFAULT_TEMPLATES[kind][language];
}

/** Values to preview a template with (the admin's editor). */
export function sampleValues(language: Language, shopName: string): Record<string, string> {
  return {
    shopName, orderName: "#1001", customerName: language === "es" ? "Ana López" : "Ana Lopez", expectedDate: "2026-12-24",
    parcelCount: "2", carrier: "UPS", trackingNumber: "1Z999AA10123456784", trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    rmaNumber: "R1001", labelUrl: "https://example.myshopify.com/apps/orders?label=R1001&t=sample",
    declineReason: language === "es" ? "El plazo de devolución terminó." : "The return window had closed.",
  };
}
