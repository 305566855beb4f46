import { DRAFT_CREATED, DRAFT_FAILED, draftStateFrom, type ShopifyDraftState } from "~/domain/orders/draft-order";
import { decodeDecision, type RoutingDecision } from "~/domain/routing";
import { formatMinorUnits as money } from "~/domain/shared/money";
import { auditOfSubject } from "../db/audit";
import { listLocations } from "../db/catalog";
import { orderFulfillmentHold } from "../db/fulfillment-hold-sql";
import { database } from "../db/database";
import { decisionsOfOrder, latestDecisionsOfOrders, orderWithLines, type RoutingDecisionRow } from "../db/orders";
import { orderDocuments, type EdiDocumentView } from "./read-partner-documents";

// One order as the order page shows it: lines with where their units are, the timeline of what happened
// (audit events and routing decisions, in words), and every routing decision with its explanation.

export interface ShipmentView {
  location: string;
  distanceKm: number;
  zone: number;
  service: string;
  units: number;
  handlingMinor: number;
  shippingMinor: number;
  totalMinor: number;
  shipDate: string;
  estimatedDeliveryDate: string;
  meetsPromise: boolean | null;
}

export interface CandidateView {
  rank: number;
  locations: string[];
  /** In `scoreKeys` order. */
  scores: number[];
  totalMinor: number;
  unitsAllocated: number;
  meetsPromise: boolean | null;
  excludedBy: string | null;
  /** Stock shadow value of the units the plan takes; null when routing had no stock prices. */
  stockValueMinor: number | null;
}

/** What the planning job's stock prices did to a decision (null when routing had none). */
export interface StockValueView {
  chosenMinor: number;
  changedChoice: boolean;
  passedOver: { locations: string[]; totalMinor: number; stockValueMinor: number } | null;
}

export interface DecisionView {
  id: string;
  decidedAt: string;
  method: string;
  decidedBy: string;
  /** "Lowest landed cost decided: …" */
  headline: string;
  /** The engine's own one-line summary. */
  summary: string;
  totalCostMinor: number;
  unitsAllocated: number;
  unitsBackordered: number;
  meetsPromise: boolean | null;
  promiseFallback: boolean;
  stockValue: StockValueView | null;
  shipments: ShipmentView[];
  scoreKeys: string[];
  candidates: CandidateView[];
  excludedLocations: { location: string; reason: string }[];
  counts: RoutingDecision["explanation"]["counts"];
}

export interface TimelineEntry {
  at: string;
  actor: string;
  action: string;
  sentence: string;
}

export interface OrderDetail {
  order: { id: string; name: string; channel: string; channelName: string; status: string; placedAt: string; promisedBy: string | null; cancelledAt: string | null; currency: string; totalMinor: number; customer: string | null; destination: string };
  lines: { id: string; sku: string | null; title: string; quantity: number; allocations: { location: string | null; quantity: number; status: string }[] }[];
  timeline: TimelineEntry[];
  /** Newest first: the first one is in force. */
  decisions: DecisionView[];
  /** The Shopify draft order made for it (or why Shopify refused the last try); null when none was asked for. */
  shopifyDraft: ShopifyDraftState;
  /** Whether the page offers to make a Shopify draft order: a manual order without one yet. */
  canCreateShopifyDraft: boolean;
  /** EDI documents exchanged with a trading partner about it (850, 855, 856, 810), newest first. */
  ediDocuments: EdiDocumentView[];
  /** Held from fulfillment (ADR 0037: not picked or shipped until released); null when not held. */
  fulfillmentHold: { at: string; reason: string | null } | null;
}

/** The order page's data, within one shop: another shop's order id gives null (a 404 at the edge). */
export async function getOrderDetail(shopId: string, orderId: string): Promise<OrderDetail | null> {
  const q = database();
  const order = await orderWithLines(q, shopId, orderId);
  if (!order) return null;
  const [events, decisionRows, locations, ediDocuments, hold] = await Promise.all([
    auditOfSubject(q, shopId, "order", orderId), decisionsOfOrder(q, shopId, orderId), listLocations(q, shopId), orderDocuments(shopId, orderId), orderFulfillmentHold(q, shopId, orderId),
  ]);
  const names = new Map(locations.map((l) => [l.id, l.name]));
  const decisions = decisionRows.map((row) => decisionView(row, names, order.currency));
  const shopifyDraft = draftStateFrom(events);
  const timeline: (TimelineEntry & { rank: number })[] = [
    ...events.map((e) => ({ at: e.createdAt, actor: actorWords(e.actor), action: e.action, sentence: eventSentence(e.action, safeJson(e.data)), rank: RANK[e.action] ?? 5 })),
    ...decisions.map((d) => ({ at: d.decidedAt, actor: "Routing engine", action: "routing.decided", sentence: d.headline, rank: RANK["routing.decided"] })),
  ];
  timeline.sort((a, b) => a.at.localeCompare(b.at) || a.rank - b.rank);
  return {
    order: {
      id: order.id, name: order.name, channel: order.channel.kind, channelName: order.channel.name, status: order.status, placedAt: order.placedAt, promisedBy: order.promisedBy,
      cancelledAt: order.cancelledAt, currency: order.currency, totalMinor: order.totalMinor, customer: order.customerName,
      destination: [order.shipCity, order.shipProvince, order.shipCountryCode].filter(Boolean).join(", ") || "—",
    },
    lines: order.lines.map((l) => ({ id: l.id, sku: l.sku, title: l.title, quantity: l.quantity, allocations: l.allocations.map((a) => ({ location: a.location?.name ?? null, quantity: a.quantity, status: a.status })) })),
    timeline: timeline.map(({ rank: _rank, ...entry }) => entry),
    decisions,
    shopifyDraft,
    canCreateShopifyDraft: order.channel.kind === "manual" && shopifyDraft?.status !== "created",
    ediDocuments,
    fulfillmentHold: hold?.fulfillmentHoldAt ? { at: hold.fulfillmentHoldAt, reason: hold.fulfillmentHoldReason } : null,
  };
}

/** The decision in force for each of these orders (newest per order), for the API's order list. */
export async function latestDecisions(shopId: string, orderIds: string[]): Promise<Map<string, { row: RoutingDecisionRow; decision: RoutingDecision | null; locations: Map<string, { name: string; externalId: string }> }>> {
  const latest = new Map<string, { row: RoutingDecisionRow; decision: RoutingDecision | null; locations: Map<string, { name: string; externalId: string }> }>();
  if (orderIds.length === 0) return latest;
  const q = database();
  const [rows, locations] = await Promise.all([latestDecisionsOfOrders(q, shopId, orderIds), listLocations(q, shopId)]);
  const byId = new Map(locations.map((l) => [l.id, { name: l.name, externalId: l.externalId }]));
  for (const [orderId, row] of rows) latest.set(orderId, { row, decision: storedDecision(row.explanation), locations: byId });
  return latest;
}

// Same-millisecond events in the order they happen inside one transaction.
const RANK: Record<string, number> = { "order.received": 0, "order.edited": 1, "order.cancelled": 1, "routing.decided": 2, "order.backorder_filled": 3, "order.reserved": 4, "order.backordered": 4, "order.routed": 5 };

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The stored decision, or null when its text cannot be read (the page then shows the row's columns). */
function storedDecision(text: string): RoutingDecision | null {
  try {
    return decodeDecision(text);
  } catch {
    return null;
  }
}

export function actorWords(actor: string): string {
  if (actor === "webhook") return "Shopify webhook";
  if (actor === "user") return "Merchant";
  if (actor === "stock") return "Stock receipt";
  if (actor === "system") return "System";
  if (actor.startsWith("channel:")) return `${actor.slice(8).replace(/^\w/, (c) => c.toUpperCase())} channel`;
  if (actor.startsWith("job:")) return `Job ${actor.slice(4)}`;
  return actor;
}

const units = (n: unknown) => `${Number(n ?? 0)} unit${Number(n) === 1 ? "" : "s"}`;

export function eventSentence(action: string, data: Record<string, unknown> | null): string {
  const d = data ?? {};
  switch (action) {
    case "order.received":
      return `Order ${d.name ? `${String(d.name)} ` : ""}received and stored.`;
    case "order.reserved":
      return `All ${units(d.unitsReserved)} reserved.`;
    case "order.backordered":
      return `${units(d.unitsBackordered)} of ${Number(d.unitsOrdered ?? 0)} backordered; ${units(d.unitsReserved)} reserved.`;
    case "order.backorder_filled":
      return `Stock arrived: ${units(d.units)} that were backordered are now reserved.`;
    case "order.routed":
      return d.channel === "shopify" ? "Shopify's fulfillment orders now follow the routing." : "Routing applied: ready to pick.";
    case "order.cancelled":
      return "Cancelled: its stock went back to the shelf (and to the oldest backorders).";
    case "order.edited":
      return "Lines changed: stock released and the order routed again.";
    case "order.fulfillment_held":
      return `Fulfillment held${d.reason ? `: ${String(d.reason)}` : ""} — not picked or shipped until released.`;
    case "order.fulfillment_released":
      return "Fulfillment hold released: the order can be picked and shipped.";
    case "edi.855_failed":
      return `The 855 acknowledgement to ${String(d.partner ?? "the partner")} could not be written: ${String(d.error ?? "no reason given")}`;
    case DRAFT_CREATED:
      return `Draft order ${String(d.name ?? "")} created in Shopify.`;
    case DRAFT_FAILED:
      return `Shopify did not create a draft order: ${String(d.message ?? "no reason given")}`;
    case "order.superseded":
      return `Its Shopify draft was completed as order ${String(d.name ?? "")}: that order is the sale now, and this one gave its stock to it.`;
    case "order.supersedes":
      return `Made from the Shopify draft of manual order ${String(d.manualOrderName ?? "")}, which gave way to it (stock reserved once).`;
    case "order.draft_completed_not_linked":
      return `Made from the Shopify draft of one of our orders, which was kept (${String(d.reason ?? "no reason given")}): check that the sale is not reserved twice.`;
    default:
      return action.replace(/^order\./, "").replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase()) + ".";
  }
}

const DECIDED_BY: Record<string, string> = {
  lowest_landed_cost: "Lowest landed cost decided",
  fewest_splits: "Fewest shipments decided",
  closest: "Shortest distance decided",
  prefer_locations: "Location preference decided",
  tie_break: "Every rule tied, location order decided",
  only_candidate: "Only one plan passed the rules",
  no_candidate: "Nothing could be allocated",
  baseline: "A baseline policy decided",
};

export function decidedByWords(decidedBy: string): string {
  return DECIDED_BY[decidedBy] ?? `${decidedBy.replace(/_/g, " ")} decided`;
}


function headline(decision: RoutingDecision | null, decidedBy: string, names: (id: string) => string, currency: string): string {
  const words = decidedByWords(decidedBy);
  const candidates = decision?.explanation.candidates ?? [];
  const [winner, runnerUp] = candidates;
  if (!winner || decidedBy === "no_candidate") return `${words}: every unit is backordered.`;
  const plan = (c: { locationIds: string[]; totalMinor: number }) => `${c.locationIds.map(names).join(" + ")} (${money(c.totalMinor, currency)}, ${c.locationIds.length} shipment${c.locationIds.length === 1 ? "" : "s"})`;
  const kept = decision?.explanation.stockValue?.passedOver;
  if (kept && decidedBy === "lowest_landed_cost") {
    // The cheaper plan lost only because it spends stock the demand forecast needs elsewhere: say so.
    return `${words}, counting the value of scarce stock: ship from ${plan(winner)} rather than ${plan(kept)}, which would use stock valued at ${money(kept.stockValueMinor, currency)} that is kept for forecast demand elsewhere.`;
  }
  const rival = runnerUp && !runnerUp.excludedBy ? ` rather than ${plan(runnerUp)}` : "";
  const alsoKept = kept ? ` Scarce stock was counted too: ${plan(kept)} would use stock valued at ${money(kept.stockValueMinor, currency)}.` : "";
  return `${words}: ship from ${plan(winner)}${rival}.${alsoKept}`;
}

function decisionView(row: RoutingDecisionRow, locationNames: Map<string, string>, currency: string): DecisionView {
  const decision = storedDecision(row.explanation);
  const name = (id: string) => locationNames.get(id) ?? id;
  const explanation = decision?.explanation;
  const scoreKeys = explanation?.scoreKeys ?? [];
  return {
    id: row.id,
    decidedAt: row.createdAt,
    method: row.method,
    decidedBy: row.decidedBy,
    headline: headline(decision, row.decidedBy, name, currency),
    summary: explanation?.summary ?? "",
    totalCostMinor: row.totalCostMinor,
    unitsAllocated: row.unitsAllocated,
    unitsBackordered: row.unitsBackordered,
    meetsPromise: row.meetsPromise,
    promiseFallback: explanation?.promiseFallback ?? false,
    stockValue: explanation?.stockValue
      ? {
          chosenMinor: explanation.stockValue.chosenMinor,
          changedChoice: explanation.stockValue.changedChoice,
          passedOver: explanation.stockValue.passedOver ? { locations: explanation.stockValue.passedOver.locationIds.map(name), totalMinor: explanation.stockValue.passedOver.totalMinor, stockValueMinor: explanation.stockValue.passedOver.stockValueMinor } : null,
        }
      : null,
    shipments: (decision?.shipments ?? []).map((s) => ({
      location: name(s.locationId), distanceKm: Math.round(s.distanceKm), zone: s.zone, service: s.service.name, units: s.units, handlingMinor: s.handlingMinor,
      shippingMinor: s.shippingMinor, totalMinor: s.totalMinor, shipDate: s.shipDate, estimatedDeliveryDate: s.estimatedDeliveryDate, meetsPromise: s.meetsPromise,
    })),
    scoreKeys,
    candidates: (explanation?.candidates ?? []).map((c) => ({
      rank: c.rank, locations: c.locationIds.map(name), scores: scoreKeys.map((k) => c.scores[k]), totalMinor: c.totalMinor, unitsAllocated: c.unitsAllocated, meetsPromise: c.meetsPromise, excludedBy: c.excludedBy ?? null,
      stockValueMinor: c.stockValueMinor ?? null,
    })),
    excludedLocations: (explanation?.excludedLocations ?? []).map((e) => ({ location: name(e.locationId), reason: e.reason })),
    counts: explanation?.counts ?? { subsetsEvaluated: 0, candidatePlans: 0, dominated: 0, prunedByBound: 0, excludedByRule: {} },
  };
}
