// What a customer sees of their order in the portal (ADR 0026), as pure rules: how an order number they type is
// matched, whether a lookup is allowed, and the journey told in their words — never our locations' names or
// stock, only where the order is and how to follow it.

/** Lookups per client and per order number in one window; the next one is refused (429). */
export const PORTAL_LIMITS = { windowMs: 3_600_000, perClient: 100, perOrder: 20 } as const;

/** The names an order number may be stored under (Shopify's are "#1001"); null when it cannot be one. */
export function orderNameCandidates(typed: string): string[] | null {
  const bare = typed.trim().replace(/^#/, "");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(bare)) return null;
  return [`#${bare}`, bare];
}

export function sameEmail(typed: string, stored: string | null): boolean {
  if (!stored) return false;
  return typed.trim().toLowerCase() === stored.trim().toLowerCase();
}

/** The start of the window a moment falls in. */
export function windowStart(now: Date, windowMs: number = PORTAL_LIMITS.windowMs): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

export function lookupAllowed(counts: { client: number; order: number }, limits: { perClient: number; perOrder: number } = PORTAL_LIMITS): boolean {
  return counts.client <= limits.perClient && counts.order <= limits.perOrder;
}

export interface JourneyInput {
  name: string;
  status: string;
  placedAt: string;
  cancelledAt: string | null;
  promisedBy: string | null;
  units: { ordered: number; byStatus: Record<string, number>; backorderExpectedAt: string | null };
  shipments: { carrier: string | null; numbers: string[]; urls: string[]; shippedAt: string | null; units: number }[];
}

export interface Journey {
  name: string;
  placedOn: string;
  headline: string;
  steps: { label: string; done: boolean }[];
  backorder: string | null;
  shipments: { carrier: string; shippedOn: string | null; units: number; tracking: { number: string; url: string | null }[] }[];
}

const CARRIER_LINKS: [RegExp, (n: string) => string][] = [
  [/\bups\b/i, (n) => `https://www.ups.com/track?tracknum=${encodeURIComponent(n)}`],
  [/\busps\b/i, (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${encodeURIComponent(n)}`],
  [/fed\s?ex/i, (n) => `https://www.fedex.com/fedextrack/?trknbr=${encodeURIComponent(n)}`],
  [/\bdhl\b/i, (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=${encodeURIComponent(n)}`],
];

/** A tracking link: the one the channel gave for this number, else the carrier's public page when we know it. */
export function trackingLink(carrier: string | null, number: string, given: string[], index: number): string | null {
  const exact = given.find((u) => u.includes(number)) ?? given[index] ?? null;
  if (exact) return exact;
  const known = carrier ? CARRIER_LINKS.find(([re]) => re.test(carrier)) : undefined;
  return known ? known[1](number) : null;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

/** Where the order is, as a state a customer-facing surface words in its own language (the portal page, the customer-account extension). */
export type JourneyState = "cancelled" | "delivered" | "shipped" | "partly_shipped" | "waiting_for_stock" | "preparing";
export type JourneyStepKey = "ordered" | "being_prepared" | "partly_shipped" | "shipped" | "delivered" | "cancelled";

/** The journey as facts, no words: what `journey` tells in English and the customer-account extension tells in the customer's language. */
export interface JourneyFacts {
  name: string;
  placedOn: string;
  state: JourneyState;
  units: { ordered: number; shipped: number; backordered: number };
  steps: { key: JourneyStepKey; done: boolean }[];
  backorder: { units: number; expectedOn: string | null } | null;
  shipments: { carrier: string | null; shippedOn: string | null; units: number; tracking: { number: string; url: string | null }[] }[];
}

export function journeyFacts(o: JourneyInput): JourneyFacts {
  const shipped = o.units.byStatus.fulfilled ?? 0;
  const backordered = o.units.byStatus.backordered ?? 0;
  const cancelled = o.status === "cancelled" || o.cancelledAt !== null;
  const all = o.units.ordered > 0 && shipped >= o.units.ordered;
  const state: JourneyState = cancelled
    ? "cancelled"
    : o.status === "delivered"
      ? "delivered"
      : all
        ? "shipped"
        : shipped > 0
          ? "partly_shipped"
          : backordered > 0
            ? "waiting_for_stock"
            : "preparing";
  const steps: JourneyFacts["steps"] = cancelled
    ? [{ key: "ordered", done: true }, { key: "cancelled", done: true }]
    : [
        { key: "ordered", done: true },
        { key: "being_prepared", done: shipped > 0 || ["reserved", "routed", "picking", "packed", "partially_shipped", "shipped", "delivered"].includes(o.status) },
        { key: shipped > 0 && !all ? "partly_shipped" : "shipped", done: shipped > 0 },
        { key: "delivered", done: o.status === "delivered" },
      ];
  return {
    name: o.name,
    placedOn: day(o.placedAt)!,
    state,
    units: { ordered: o.units.ordered, shipped, backordered },
    steps,
    backorder: !cancelled && backordered > 0 ? { units: backordered, expectedOn: day(o.units.backorderExpectedAt) } : null,
    shipments: o.shipments.map((s) => ({
      carrier: s.carrier,
      shippedOn: day(s.shippedAt),
      units: s.units,
      tracking: s.numbers.map((number, i) => ({ number, url: trackingLink(s.carrier, number, s.urls, i) })),
    })),
  };
}

const STEP_LABELS: Record<JourneyStepKey, string> = {
  ordered: "Ordered", being_prepared: "Being prepared", partly_shipped: "Partly shipped", shipped: "Shipped", delivered: "Delivered", cancelled: "Cancelled",
};

/** The journey told in English (the portal page). */
export function journey(o: JourneyInput): Journey {
  const f = journeyFacts(o);
  const headline = {
    cancelled: "This order was cancelled.",
    delivered: "Delivered.",
    shipped: "Shipped: everything is on its way.",
    partly_shipped: `Partly shipped: ${f.units.shipped} of ${f.units.ordered} items are on their way; the rest follow.`,
    waiting_for_stock: "Received: some items are waiting for stock.",
    preparing: "Received: we are preparing it.",
  }[f.state];
  const b = f.backorder;
  const backorder = b
    ? `${b.units} item${b.units === 1 ? " is" : "s are"} on backorder${b.expectedOn ? `, expected around ${b.expectedOn}` : ""}: we ship ${b.units === 1 ? "it" : "them"} as soon as ${b.units === 1 ? "it arrives" : "they arrive"}.`
    : null;
  return {
    name: f.name,
    placedOn: f.placedOn,
    headline,
    steps: f.steps.map((s) => ({ label: STEP_LABELS[s.key], done: s.done })),
    backorder,
    shipments: f.shipments.map((s) => ({ ...s, carrier: s.carrier ?? "Carrier not given" })),
  };
}
