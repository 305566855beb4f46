// Which outgoing events the audit trail gives (ADR 0031, ADR 0037), decided without I/O. The automation sweep reads
// the audit actions listed here, loads the facts of what they are about — an order, or a SKU — and `planAutomation`
// turns each event into outbox rows: one per subscribed webhook endpoint and topic, and one per Flow trigger — each
// keyed by its natural key (endpoint or trigger + audit event), so reading an event twice adds nothing. The stock
// ledger gives `inventory.changed` (`planInventoryChanges`), one delivery per ledger entry, ordered per SKU and location.
//
// Adding an event: one entry in EVENT_SOURCES — the audit action, the topic, what it is about (an order: its own
// subject, or the order its data names; a SKU: the variant its data names), the Flow trigger handle if it has one,
// its fields and the Flow payload keys they give — and its topic in WEBHOOK_TOPICS.

export const WEBHOOK_TOPICS = [
  "order.created",
  "order.updated",
  "order.cancelled",
  "order.backordered",
  "order.routed",
  "order.split",
  "order.fulfillment_held",
  "order.fulfillment_released",
  "return.requested",
  "return.received",
  "pick.short",
  "stock.below_buffer",
  "inventory.changed",
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

/** What a SKU event's payload is built from: the variant and the Shopify product it belongs to. */
export interface SkuFacts {
  variantId: string;
  sku: string;
  title: string;
  /** The product's id in Shopify (numeric, what a `product_reference` field takes); null when not a Shopify product. */
  productExternalId: string | null;
  productTitle: string;
}

export interface AuditEventIn {
  id: string;
  action: string;
  subjectType?: string | null;
  subjectId: string;
  data: Record<string, unknown>;
  createdAt: string;
}

interface SourceBase {
  /** The audit action read. */
  action: string;
  topic: WebhookTopic;
  /** The Flow trigger (extensions/flow-trigger-<handle>) this event also fires, if any. */
  flowHandle?: string;
  /** Same-millisecond events of one transaction, in the order they happen (as the order timeline ranks them). */
  rank: number;
}

export interface OrderEventSource extends SourceBase {
  about: "order";
  /** The order the event is about: the audit subject (default), or one its data names (a return's `orderId`). */
  orderOf?: (event: AuditEventIn) => string | null;
  /** Whether this event applies (e.g. a routed order that ships from more than one location is also split). */
  when?: (order: OrderFacts, data: Record<string, unknown>) => boolean;
  /** The event's own fields, besides the order's. */
  fields?: (order: OrderFacts, data: Record<string, unknown>) => Record<string, unknown>;
  /** The Flow payload's keys (the trigger TOML's fields) besides order_id, "Order name" and "OMS order id". */
  flowFields?: (order: OrderFacts, fields: Record<string, unknown>) => Record<string, unknown>;
}

export interface SkuEventSource extends SourceBase {
  about: "sku";
  /** The variant the event is about (its data's `variantId`). */
  variantOf: (event: AuditEventIn) => string | null;
  fields: (sku: SkuFacts, data: Record<string, unknown>) => Record<string, unknown>;
  /** The Flow payload's keys besides product_id. */
  flowFields: (sku: SkuFacts, fields: Record<string, unknown>) => Record<string, unknown>;
}

export type EventSource = OrderEventSource | SkuEventSource;

const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const text = (value: unknown) => (typeof value === "string" ? value : null);
const dataString = (key: string) => (event: AuditEventIn) => text(event.data[key]);

/** A return's received lines as the audit row has them: what came back, and what was done with it. */
function receivedLines(data: Record<string, unknown>): { returnLineId: string; quantity: number; disposition: string }[] {
  const lines = Array.isArray(data.lines) ? data.lines : [];
  return lines
    .filter((l): l is Record<string, unknown> => Boolean(l) && typeof l === "object")
    .map((l) => ({ returnLineId: String(l.returnLineId ?? ""), quantity: num(l.quantity), disposition: text(l.disposition) ?? "unknown" }))
    .filter((l) => l.quantity > 0);
}

/** "restock 2, scrap 1": units per disposition, in the order they first appear. */
export function dispositionSummary(lines: { quantity: number; disposition: string }[]): string {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.disposition, (totals.get(l.disposition) ?? 0) + l.quantity);
  return [...totals].map(([d, n]) => `${d} ${n}`).join(", ");
}

/** Every event the sweep turns into webhooks and Flow triggers. */
export const EVENT_SOURCES: readonly EventSource[] = [
  { about: "order", action: "order.received", topic: "order.created", rank: 0 },
  { about: "order", action: "order.edited", topic: "order.updated", rank: 1, fields: () => ({ change: "lines_edited" }) },
  { about: "order", action: "order.cancelled", topic: "order.cancelled", rank: 1 },
  { about: "order", action: "order.backorder_filled", topic: "order.updated", rank: 3, fields: (_o, d) => ({ change: "backorder_filled", unitsFilled: num(d.units) }) },
  { about: "order", action: "order.fulfillment_recorded", topic: "order.updated", rank: 6, fields: (_o, d) => ({ change: "fulfillment_recorded", fulfillmentStatus: typeof d.status === "string" ? d.status : null }) },
  { about: "order", action: "order.fulfillment_cancelled", topic: "order.updated", rank: 6, fields: () => ({ change: "fulfillment_cancelled" }) },
  {
    about: "order", action: "order.backordered", topic: "order.backordered", flowHandle: "order-backordered", rank: 4,
    fields: (_o, d) => ({ unitsOrdered: num(d.unitsOrdered), unitsReserved: num(d.unitsReserved), unitsBackordered: num(d.unitsBackordered) }),
    flowFields: (_o, f) => ({ "Units backordered": f.unitsBackordered }),
  },
  { about: "order", action: "order.routed", topic: "order.routed", flowHandle: "order-routed", rank: 5, fields: (o) => routedFields(o), flowFields: (o) => routedFlowFields(o) },
  { about: "order", action: "order.routed", topic: "order.split", flowHandle: "order-split", rank: 5, when: (o) => o.locations.length > 1, fields: (o) => routedFields(o), flowFields: (o) => routedFlowFields(o) },
  { about: "order", action: "order.fulfillment_held", topic: "order.fulfillment_held", rank: 7, fields: (_o, d) => ({ reason: text(d.reason) }) },
  { about: "order", action: "order.fulfillment_released", topic: "order.fulfillment_released", rank: 7 },
  // Returns (ADR 0027): the audit subject is the return; the order is its data's orderId.
  {
    about: "order", action: "return.requested", topic: "return.requested", flowHandle: "return-requested", rank: 8, orderOf: dataString("orderId"),
    fields: (_o, d) => ({ return: { number: text(d.number), units: num(d.units), source: text(d.source) } }),
    flowFields: (_o, f) => ({ "Return number": (f.return as { number: string | null }).number ?? "", "Units requested": (f.return as { units: number }).units }),
  },
  {
    about: "order", action: "return.received", topic: "return.received", flowHandle: "return-received", rank: 8, orderOf: dataString("orderId"),
    fields: (_o, d) => {
      const lines = receivedLines(d);
      return { return: { number: text(d.number), status: text(d.to) }, lines, unitsReceived: lines.reduce((s, l) => s + l.quantity, 0), disposition: dispositionSummary(lines) };
    },
    flowFields: (_o, f) => ({ "Return number": (f.return as { number: string | null }).number ?? "", "Units received": f.unitsReceived, Disposition: f.disposition }),
  },
  // The warehouse (issue 13): a picker found fewer units in the bin than the pick line asked for.
  {
    about: "order", action: "pick.short", topic: "pick.short", flowHandle: "pick-short", rank: 6,
    fields: (_o, d) => ({ locationId: text(d.locationId), binId: text(d.binId), binCode: text(d.binCode), sku: text(d.sku), shortQuantity: num(d.shortQuantity), pickLineId: text(d.pickLineId) }),
    flowFields: (_o, f) => ({ SKU: f.sku ?? "", Bin: f.binCode ?? "", "Short quantity": f.shortQuantity }),
  },
  // A channel's sellable stock of a SKU fell to or under its buffer (a crossing, ADR 0037; written by the push).
  {
    about: "sku", action: "stock.below_buffer", topic: "stock.below_buffer", flowHandle: "stock-under-buffer", rank: 0, variantOf: dataString("variantId"),
    fields: (_s, d) => ({ channel: { id: text(d.channelId), name: text(d.channelName), kind: text(d.channelKind) }, sellable: num(d.sellable), buffer: num(d.buffer), crossing: num(d.crossing) }),
    flowFields: (s, f) => ({ SKU: s.sku, Channel: (f.channel as { name: string | null }).name ?? "", Available: f.sellable, "Buffer units": f.buffer }),
  },
];

function routedFields(o: OrderFacts) {
  return { locations: o.locations.map((l) => ({ id: l.id, name: l.name })), landedCostMinor: o.landedCostMinor, currency: o.currency };
}

function routedFlowFields(o: OrderFacts) {
  return {
    "Location names": o.locations.map((l) => l.name).join(", "),
    "Location count": o.locations.length,
    "Landed cost": (o.landedCostMinor ?? 0) / 100, // a routed order always has its decision
    Currency: o.currency,
  };
}

/** The audit actions the sweep reads. */
export const AUTOMATION_ACTIONS: readonly string[] = [...new Set(EVENT_SOURCES.map((s) => s.action))];

/** The order an event is about under this source (null: none). */
export const orderIdOf = (source: OrderEventSource, event: AuditEventIn): string | null => (source.orderOf ? source.orderOf(event) : event.subjectId);

/** What the sweep must load for these events: their orders and their variants. */
export function subjectsOf(events: AuditEventIn[]): { orderIds: string[]; variantIds: string[] } {
  const orderIds = new Set<string>();
  const variantIds = new Set<string>();
  for (const event of events) {
    for (const source of EVENT_SOURCES) {
      if (source.action !== event.action) continue;
      const id = source.about === "order" ? orderIdOf(source, event) : source.variantOf(event);
      if (id) (source.about === "order" ? orderIds : variantIds).add(id);
    }
  }
  return { orderIds: [...orderIds], variantIds: [...variantIds] };
}

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
  skus?: Map<string, SkuFacts>;
  endpoints: EndpointView[];
}

/** The outbox rows these events call for. An order or SKU that is gone (redacted, deleted) gives nothing. */
export function planAutomation(input: PlanInput): PlannedDelivery[] {
  const out = new Map<string, PlannedDelivery>();
  for (const event of input.events) {
    for (const source of EVENT_SOURCES) {
      if (source.action !== event.action) continue;
      const made = source.about === "order" ? orderEvent(source, event, input.orders) : skuEvent(source, event, input.skus ?? new Map());
      if (!made) continue;
      const eventId = `${event.id}.${source.topic}`;
      const base = { eventId, resource: made.resource, occurredAt: event.createdAt, rank: source.rank };
      for (const endpoint of input.endpoints) {
        if (!endpoint.topics.includes(source.topic) || event.createdAt < endpoint.since) continue;
        const key = `webhook:${endpoint.id}:${eventId}`;
        out.set(key, {
          ...base, key, target: "webhook", endpointId: endpoint.id, lane: `webhook:${endpoint.id}`, topic: source.topic,
          payload: { id: eventId, topic: source.topic, occurredAt: event.createdAt, shop: input.shopDomain, data: made.data },
        });
      }
      if (source.flowHandle && made.flow) {
        const key = `flow:${source.flowHandle}:${event.id}`;
        out.set(key, { ...base, key, target: "flow", endpointId: null, lane: `flow:${source.flowHandle}`, topic: source.flowHandle, payload: made.flow });
      }
    }
  }
  return [...out.values()];
}

interface MadeEvent {
  resource: string;
  data: Record<string, unknown>;
  flow: Record<string, unknown> | null;
}

function orderEvent(source: OrderEventSource, event: AuditEventIn, orders: Map<string, OrderFacts>): MadeEvent | null {
  const orderId = orderIdOf(source, event);
  const order = orderId ? orders.get(orderId) : undefined;
  if (!order || (source.when && !source.when(order, event.data))) return null;
  const fields = source.fields?.(order, event.data) ?? {};
  return { resource: `order:${order.id}`, data: { order: orderView(order), ...fields }, flow: flowPayload(order, source.flowFields?.(order, fields) ?? {}) };
}

function skuEvent(source: SkuEventSource, event: AuditEventIn, skus: Map<string, SkuFacts>): MadeEvent | null {
  const variantId = source.variantOf(event);
  const sku = variantId ? skus.get(variantId) : undefined;
  if (!sku) return null;
  const fields = source.fields(sku, event.data);
  return { resource: `sku:${sku.variantId}`, data: { sku: skuView(sku), ...fields }, flow: skuFlowPayload(sku, source.flowFields(sku, fields)) };
}

function orderView(o: OrderFacts) {
  return { id: o.id, name: o.name, channel: o.channelKind, externalId: o.externalId, status: o.status };
}

function skuView(s: SkuFacts) {
  return { variantId: s.variantId, sku: s.sku, title: s.title, productId: s.productExternalId, productTitle: s.productTitle };
}

/** A Shopify numeric id as Flow takes it: a JSON number, or its exact digits past 2^53 (Shopify issues none today). */
const flowId = (digits: string): number | string => (Number.isSafeInteger(Number(digits)) ? Number(digits) : digits);

/**
 * An order trigger's payload: `order_id` (Shopify's numeric order id, what an `order_reference` field takes) and our
 * fields under the keys the trigger's TOML declares. Only Shopify orders have an id Flow can look up: none for others.
 */
export function flowPayload(o: OrderFacts, flowFields: Record<string, unknown>): Record<string, unknown> | null {
  if (o.channelKind !== "shopify" || !/^\d+$/.test(o.externalId)) return null;
  return { order_id: flowId(o.externalId), "Order name": o.name, "OMS order id": o.id, ...flowFields };
}

/** A SKU trigger's payload: `product_id` (the Shopify product of the variant, what a `product_reference` field takes). */
export function skuFlowPayload(s: SkuFacts, flowFields: Record<string, unknown>): Record<string, unknown> | null {
  if (!s.productExternalId || !/^\d+$/.test(s.productExternalId)) return null;
  return { product_id: flowId(s.productExternalId), ...flowFields };
}

// ---- inventory.changed, from the stock ledger ------------------------------------------------------------------------

/** A stock ledger entry as the sweep reads it (the ledger outlives variants and locations: their facts may be gone). */
export interface LedgerEntryIn {
  id: number;
  variantId: string;
  locationId: string;
  bucket: string;
  delta: number;
  reason: string;
  refType: string | null;
  refId: string | null;
  createdAt: string;
}

/** The ledger id as text that sorts as the number does (the outbox orders same-time rows by event id). */
const ledgerEventId = (id: number) => `ledger-${String(id).padStart(16, "0")}.inventory.changed`;

/**
 * One `inventory.changed` delivery per ledger entry per subscribed endpoint (registered before the entry), ordered
 * per SKU and location (resource `stock:<variant>:<location>`): a receiver adds the deltas, or reads the level again.
 */
export function planInventoryChanges(input: { shopDomain: string; entries: LedgerEntryIn[]; skus: Map<string, SkuFacts>; locations: Map<string, string>; endpoints: EndpointView[] }): PlannedDelivery[] {
  const endpoints = input.endpoints.filter((e) => e.topics.includes("inventory.changed"));
  const out: PlannedDelivery[] = [];
  for (const entry of input.entries) {
    const eventId = ledgerEventId(entry.id);
    const sku = input.skus.get(entry.variantId);
    const data = {
      ledgerEntryId: entry.id,
      sku: sku ? skuView(sku) : { variantId: entry.variantId, sku: null, title: null, productId: null, productTitle: null },
      location: { id: entry.locationId, name: input.locations.get(entry.locationId) ?? null },
      bucket: entry.bucket, delta: entry.delta, reason: entry.reason, ref: entry.refType ? { type: entry.refType, id: entry.refId } : null,
    };
    for (const endpoint of endpoints) {
      if (entry.createdAt < endpoint.since) continue;
      out.push({
        key: `webhook:${endpoint.id}:${eventId}`, target: "webhook", endpointId: endpoint.id, lane: `webhook:${endpoint.id}`, eventId, topic: "inventory.changed",
        resource: `stock:${entry.variantId}:${entry.locationId}`, occurredAt: entry.createdAt, rank: 0,
        payload: { id: eventId, topic: "inventory.changed", occurredAt: entry.createdAt, shop: input.shopDomain, data },
      });
    }
  }
  return out;
}
