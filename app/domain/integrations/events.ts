// Which outgoing events the audit trail gives (ADR 0031), decided without I/O. The automation sweep reads the audit
// actions listed here, loads the facts of their orders, and `planAutomation` turns each event into outbox rows: one
// per subscribed webhook endpoint and topic, and one per Flow trigger — each keyed by its natural key (endpoint or
// trigger + audit event), so reading an event twice adds nothing.
//
// Adding an event (returns, warehouse): one entry in EVENT_SOURCES — the audit action, the topic, the resource it
// orders by, the Flow trigger handle if it has one — and its topic in WEBHOOK_TOPICS.

export const WEBHOOK_TOPICS = [
  "order.created",
  "order.updated",
  "order.cancelled",
  "order.backordered",
  "order.routed",
  "order.split",
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export const isWebhookTopic = (value: string): value is WebhookTopic => (WEBHOOK_TOPICS as readonly string[]).includes(value);

/** What an order event's payload is built from (read by the sweep in one query per page of events). */
export interface OrderFacts {
  id: string;
  name: string;
  channelKind: string;
  /** The channel's own id of the order (Shopify's numeric order id for the Shopify channel). */
  externalId: string;
  status: string;
  currency: string;
  /** Locations the order's units are reserved at or shipped from now, by name. */
  locations: { id: string; name: string }[];
  /** The latest routing decision's landed cost (shipping + handling), minor units of the shop's currency. */
  landedCostMinor: number | null;
  unitsBackordered: number;
}

export interface AuditEventIn {
  id: string;
  action: string;
  subjectId: string;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface EventSource {
  /** The audit action read. */
  action: string;
  topic: WebhookTopic;
  /** The Flow trigger (extensions/flow-trigger-<handle>) this event also fires, if any. */
  flowHandle?: string;
  /** Same-millisecond events of one transaction, in the order they happen (as the order timeline ranks them). */
  rank: number;
  /** Whether this event applies (e.g. a routed order that ships from more than one location is also split). */
  when?: (order: OrderFacts, data: Record<string, unknown>) => boolean;
  /** The event's own fields, besides the order's. */
  fields?: (order: OrderFacts, data: Record<string, unknown>) => Record<string, unknown>;
}

const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** Every event the sweep turns into webhooks and Flow triggers. */
export const EVENT_SOURCES: readonly EventSource[] = [
  { action: "order.received", topic: "order.created", rank: 0 },
  { action: "order.edited", topic: "order.updated", rank: 1, fields: () => ({ change: "lines_edited" }) },
  { action: "order.cancelled", topic: "order.cancelled", rank: 1 },
  { action: "order.backorder_filled", topic: "order.updated", rank: 3, fields: (_o, d) => ({ change: "backorder_filled", unitsFilled: num(d.units) }) },
  { action: "order.fulfillment_recorded", topic: "order.updated", rank: 6, fields: (_o, d) => ({ change: "fulfillment_recorded", fulfillmentStatus: typeof d.status === "string" ? d.status : null }) },
  { action: "order.fulfillment_cancelled", topic: "order.updated", rank: 6, fields: () => ({ change: "fulfillment_cancelled" }) },
  {
    action: "order.backordered", topic: "order.backordered", flowHandle: "order-backordered", rank: 4,
    fields: (_o, d) => ({ unitsOrdered: num(d.unitsOrdered), unitsReserved: num(d.unitsReserved), unitsBackordered: num(d.unitsBackordered) }),
  },
  { action: "order.routed", topic: "order.routed", flowHandle: "order-routed", rank: 5, fields: (o) => routedFields(o) },
  { action: "order.routed", topic: "order.split", flowHandle: "order-split", rank: 5, when: (o) => o.locations.length > 1, fields: (o) => routedFields(o) },
];

function routedFields(o: OrderFacts) {
  return { locations: o.locations.map((l) => ({ id: l.id, name: l.name })), landedCostMinor: o.landedCostMinor, currency: o.currency };
}

/** The audit actions the sweep reads. */
export const AUTOMATION_ACTIONS: readonly string[] = [...new Set(EVENT_SOURCES.map((s) => s.action))];

export interface EndpointView {
  id: string;
  topics: readonly string[];
  /** When it was registered: it gets the events from then on, none from before. */
  since: string;
}

export interface PlannedDelivery {
  key: string;
  target: "webhook" | "flow";
  endpointId: string | null;
  lane: string;
  eventId: string;
  topic: string;
  resource: string;
  occurredAt: string;
  rank: number;
  payload: Record<string, unknown>;
}

export interface PlanInput {
  shopDomain: string;
  events: AuditEventIn[];
  orders: Map<string, OrderFacts>;
  endpoints: EndpointView[];
}

/** The outbox rows these events call for. An order that is gone (redacted, deleted) gives nothing. */
export function planAutomation(input: PlanInput): PlannedDelivery[] {
  const out = new Map<string, PlannedDelivery>();
  for (const event of input.events) {
    const order = input.orders.get(event.subjectId);
    if (!order) continue;
    for (const source of EVENT_SOURCES) {
      if (source.action !== event.action || (source.when && !source.when(order, event.data))) continue;
      const eventId = `${event.id}.${source.topic}`;
      const resource = `order:${order.id}`;
      const fields = source.fields?.(order, event.data) ?? {};
      const base = { eventId, resource, occurredAt: event.createdAt, rank: source.rank };
      for (const endpoint of input.endpoints) {
        if (!endpoint.topics.includes(source.topic) || event.createdAt < endpoint.since) continue;
        const key = `webhook:${endpoint.id}:${eventId}`;
        out.set(key, {
          ...base, key, target: "webhook", endpointId: endpoint.id, lane: `webhook:${endpoint.id}`, topic: source.topic,
          payload: { id: eventId, topic: source.topic, occurredAt: event.createdAt, shop: input.shopDomain, data: { order: orderView(order), ...fields } },
        });
      }
      const flow = source.flowHandle && flowPayload(order, fields);
      if (source.flowHandle && flow) {
        const key = `flow:${source.flowHandle}:${event.id}`;
        out.set(key, { ...base, key, target: "flow", endpointId: null, lane: `flow:${source.flowHandle}`, topic: source.flowHandle, payload: flow });
      }
    }
  }
  return [...out.values()];
}

function orderView(o: OrderFacts) {
  return { id: o.id, name: o.name, channel: o.channelKind, externalId: o.externalId, status: o.status };
}

/**
 * A Flow trigger's payload: `order_id` (Shopify's numeric order id, what an `order_reference` field takes) and our
 * fields under the keys the trigger's TOML declares. Only Shopify orders have an id Flow can look up: none for others.
 */
export function flowPayload(o: OrderFacts, fields: Record<string, unknown>): Record<string, unknown> | null {
  if (o.channelKind !== "shopify" || !/^\d+$/.test(o.externalId)) return null;
  // A JSON number as Flow takes it; an id past 2^53 (Shopify issues none today) as its exact digits rather than a rounded number.
  const id = Number(o.externalId);
  const payload: Record<string, unknown> = { order_id: Number.isSafeInteger(id) ? id : o.externalId, "Order name": o.name, "OMS order id": o.id };
  if ("unitsBackordered" in fields) payload["Units backordered"] = fields.unitsBackordered;
  if ("locations" in fields) {
    payload["Location names"] = o.locations.map((l) => l.name).join(", ");
    payload["Location count"] = o.locations.length;
    payload["Landed cost"] = (o.landedCostMinor ?? 0) / 100; // a routed order always has its decision
    payload["Currency"] = o.currency;
  }
  return payload;
}
