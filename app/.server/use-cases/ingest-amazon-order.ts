import { adoptStoredLineIds } from "~/domain/channels/amazon-line-ids";
import type { ChannelFulfillment } from "~/domain/fulfillment/map-shopify-fulfillment";
import { shippedDelta, type MappedAmazonOrder } from "~/domain/channels/amazon-orders";
import type { IntakeChannel } from "../channels/intake-channel";
import { database } from "../db/database";
import { unitsByLine } from "../db/fulfillment-sql";
import { findOrder, orderLines } from "../db/pipeline-sql";
import { ingestChannelOrder, type IngestOutcome } from "./ingest-channel-order";
import { recordChannelFulfillment, recordChannelFulfillments } from "./record-fulfillment";

// One Amazon order, however it was read (Orders API poll, flat-file report: ADR 0015, 0016), through the one
// ingestion path: stored once on (channel, AmazonOrderId), an older state dropped by its last update time; FBA
// orders recorded and never routed; units Amazon reports shipped consumed once. Lines named differently by the
// two sources (OrderItemId, or `report:<sku>` in reports without item ids) keep the ids already stored.

export interface AmazonIngestResult {
  outcome: IngestOutcome;
  /** Units Amazon reports shipped were consumed now (a fulfillment of ours for the difference). */
  shipped: boolean;
}

export async function ingestAmazonOrder(channel: IntakeChannel, mapped: MappedAmazonOrder, actor: string): Promise<AmazonIngestResult> {
  const db = database();
  const stored = await findOrder(db, channel.shopId, channel.channelId, mapped.order.externalId);
  const aligned = stored ? adoptStoredLineIds(mapped, await orderLines(db, channel.shopId, stored.id)) : mapped;
  const { order, fulfilledByAmazon, shipped } = aligned;
  const outcome = await ingestChannelOrder(channel, order, { actor, fulfilledByChannel: fulfilledByAmazon });
  const consumed = !fulfilledByAmazon && !order.cancelledAt && shipped.length > 0 && (await recordShipped(channel, order.externalId, shipped, actor));
  return { outcome, shipped: consumed };
}

/** Units Amazon reports shipped that our fulfillments have not consumed yet: consumed now, once. */
export async function recordShipped(channel: IntakeChannel, orderId: string, shipped: ShippedUnits, actor: string): Promise<boolean> {
  const f = await shippedFulfillment(channel, orderId, shipped);
  if (!f) return false;
  await recordChannelFulfillment(channel, f, actor);
  return true;
}

/**
 * The same for several orders (an import's batch, ADR 0032): what each has left to consume read first, the
 * fulfillments then applied in one transaction, in this order — as recordShipped one after another. An order the
 * caller has just created (`created`: its lines) has consumed nothing yet, so nothing is read for it. Per order:
 * whether units were consumed.
 */
export async function recordShippedMany(
  channel: IntakeChannel, orders: readonly { orderId: string; shipped: ShippedUnits; created?: readonly { externalId: string; sku: string | null }[] }[], actor: string,
): Promise<boolean[]> {
  const fulfillments = await Promise.all(orders.map((o) => (o.created ? fulfillmentOf(o.orderId, o.shipped, o.created, NOTHING_FULFILLED) : shippedFulfillment(channel, o.orderId, o.shipped))));
  await recordChannelFulfillments(channel, fulfillments.filter((f) => f !== null), actor);
  return fulfillments.map((f) => f !== null);
}

type ShippedUnits = { lineExternalId: string; quantity: number }[];
const NOTHING_FULFILLED: ReadonlyMap<string, number> = new Map();

async function shippedFulfillment(channel: IntakeChannel, orderId: string, shipped: ShippedUnits): Promise<ChannelFulfillment | null> {
  const db = database();
  const row = await findOrder(db, channel.shopId, channel.channelId, orderId);
  if (!row) return null;
  const [lines, units] = await Promise.all([orderLines(db, channel.shopId, row.id), unitsByLine(db, channel.shopId, row.id)]);
  const fulfilled = new Map(lines.map((l) => [l.externalId, (units.get(l.id)?.fulfilled ?? 0) + (units.get(l.id)?.returned ?? 0)]));
  return fulfillmentOf(orderId, shipped, lines, fulfilled);
}

/** Our fulfillment for the units Amazon reports shipped beyond those already consumed (`fulfilled`, by line), or null. */
function fulfillmentOf(orderId: string, shipped: ShippedUnits, lines: readonly { externalId: string; sku: string | null }[], fulfilled: ReadonlyMap<string, number>): ChannelFulfillment | null {
  const delta = shippedDelta(orderId, shipped, fulfilled);
  if (!delta) return null;
  return {
    externalId: delta.externalId,
    orderExternalId: orderId,
    status: "success",
    standing: true,
    locationExternalId: null,
    lines: delta.lines.map((l) => ({ ...l, sku: lines.find((x) => x.externalId === l.lineExternalId)?.sku ?? null })),
  };
}
