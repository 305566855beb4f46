import { createHash } from "node:crypto";
import type { ConsumedPiece } from "../db/fulfillment-sql";
import { planShipment, shipmentInputSchema, type ShipmentCheck, type ShippableLine } from "~/domain/fulfillment/shipment";
import { schemaProblems } from "~/domain/orders/api-order";
import { channelAdapter } from "../channels";
import { database, RetryableConflict } from "../db/database";
import { fulfillmentLine, unitsByLine } from "../db/fulfillment-sql";
import { getOrder, orderLines } from "../db/pipeline-sql";
import { findLocationByReference } from "../db/purchase-orders-sql";
import { insertShipment, locationExternalIdOf, reservedByLine, shipmentByExternalId, shipmentById, type ShipmentRow } from "../db/shipments-sql";
import { channelById } from "../db/shops";
import { insertStockPushes, type NewStockPush } from "../db/stock-push-sql";
import { AppError } from "../errors";
import { enqueueChannelStockSync, enqueuePushOnHand, enqueueShipmentConfirmation } from "../jobs/queue";
import type { AllocationContext } from "./allocate-order";
import { enqueueReallocations } from "./dispatch-reallocations";
import { applyFulfillment } from "./record-fulfillment";

// Recording a shipment of an order no outside system fulfils (Amazon MFN, wholesale, manual): checked whole
// against the order's open units (app/domain/fulfillment/shipment.ts), then in one transaction the shipment row,
// its units consumed as a fulfillment (`shipment:<id>`: reservations → fulfilled, on hand down where they left),
// and the on-hand change queued for Shopify (ADR 0008). After commit, the channel is told in a job (Amazon's
// confirmShipment). Posting the same shipment again (same id, same content) answers the one recorded.

export interface ShipOrderResult {
  created: boolean;
  shipment: ShipmentRow;
}

/** The fulfillment a shipment is recorded as (its FulfillmentLine rows, its ledger entries). */
export const shipmentFulfillmentId = (shipmentId: string) => `shipment:${shipmentId}`;

export async function shipOrder(shopId: string, orderId: string, body: unknown, opts: { actor: string; now?: Date }): Promise<ShipOrderResult> {
  const parsed = shipmentInputSchema.safeParse(body);
  if (!parsed.success) throw invalid(schemaProblems(parsed.error));
  const input = parsed.data;
  const db = database();
  const order = await getOrder(db, shopId, orderId);
  if (!order) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${orderId} in this shop`);
  const channel = (await channelById(db, shopId, order.channelId))!;
  if (channel.kind === "shopify") throw new AppError("not_allowed", "SHIPMENT.CHANNEL_SHIPS", "Shopify orders are fulfilled in Shopify: their fulfillments come back by webhook and are applied here");
  if (order.status === "cancelled") throw new AppError("not_allowed", "SHIPMENT.ORDER_CANCELLED", `Order ${order.externalId} is cancelled: nothing ships`);

  let locationId: string | null = null;
  if (input.location !== undefined) {
    locationId = (await findLocationByReference(db, shopId, input.location)) ?? null;
    if (!locationId) throw invalid([`location: no location ${input.location} in this shop`]);
  }
  const now = opts.now ?? new Date();
  const lines = await shippableLines(shopId, orderId);
  const plan = planShipment(input, lines, { locationId, now });
  // A repeat of a shipment already recorded changes nothing: judged as if it had not shipped yet.
  const existingId = input.externalId ?? (plan.ok ? plan.plan.externalId : input.trackingNumber ? `${input.carrier}:${input.trackingNumber}`.slice(0, 64) : undefined);
  const existing = existingId ? await shipmentByExternalId(db, shopId, orderId, existingId) : undefined;
  if (existing) return { created: false, shipment: sameOrConflict(existing, planShipment(input, withUnitsBack(lines, existing), { locationId, now })) };
  if (!plan.ok) throw invalid(plan.problems);
  const shipment = plan.plan;
  const adapter = channelAdapter(channel.kind);
  const refused = (await adapter.checkShipment?.(shipment, { shopId, channel })) ?? [];
  if (refused.length) throw invalid(refused);
  const contentHash = createHash("sha256").update(shipment.content).digest("hex");
  const locationExternalId = shipment.locationId ? await locationExternalIdOf(db, shopId, shipment.locationId) : undefined;

  const result = await db.transaction(async (tx) => {
    const id = await insertShipment(tx, shopId, {
      orderId, externalId: shipment.externalId, locationId: shipment.locationId, carrier: shipment.carrier, service: shipment.service, trackingNumber: shipment.trackingNumber,
      lines: shipment.lines, cartons: shipment.cartons, contentHash, shippedAt: shipment.shippedAt, channelStatus: adapter.confirmShipment ? "pending" : "none",
    });
    if (!id) throw new RetryableConflict(`Shipment ${shipment.externalId} was recorded meanwhile`); // the retry finds it above
    const ctx: AllocationContext = { tx, shopId, now: now, actor: opts.actor };
    const fulfillmentId = shipmentFulfillmentId(id);
    const applied = await applyFulfillment(ctx, order.channelId, {
      externalId: fulfillmentId, orderExternalId: order.externalId, status: "success", standing: true,
      locationExternalId: locationExternalId ?? null, lines: shipment.lines.map((l) => ({ lineExternalId: l.lineExternalId, quantity: l.quantity, sku: l.sku })),
    });
    if (!applied) throw new AppError("unexpected_state", "SHIPMENT.ORDER_GONE", `Order ${orderId} could not be read while recording its shipment`);
    // Shopify does not know these units left (it fulfils nothing of this order): its on hand follows ours.
    const pushes: NewStockPush[] = [];
    for (const line of shipment.lines) {
      const row = await fulfillmentLine(tx, shopId, fulfillmentId, line.lineExternalId);
      const pieces = row ? (JSON.parse(row.pieces) as ConsumedPiece[]) : [];
      pieces.forEach((p, i) => {
        if (p.variantId && p.shippedFrom && p.onHand > 0) {
          pushes.push({ variantId: p.variantId, locationId: p.shippedFrom, idempotencyKey: `${fulfillmentId}:${line.lineExternalId}:${i}`, delta: -p.onHand, reason: "other", referenceUri: `oms://shipment/${id}` });
        }
      });
    }
    await insertStockPushes(tx, shopId, pushes);
    return { id, pushes, reallocated: applied.reallocated };
  });

  await enqueueReallocations(shopId, result.reallocated);
  for (const push of result.pushes) await enqueuePushOnHand({ shopId, variantId: push.variantId, locationId: push.locationId }, push.idempotencyKey);
  await enqueueChannelStockSync({ shopId });
  if (adapter.confirmShipment) await enqueueShipmentConfirmation(shopId, result.id);
  return { created: true, shipment: (await shipmentById(db, shopId, result.id))! };
}

/** The order's lines with what is still to ship and where it is reserved. */
export async function shippableLines(shopId: string, orderId: string): Promise<ShippableLine[]> {
  const db = database();
  const [lines, units, reserved] = await Promise.all([orderLines(db, shopId, orderId), unitsByLine(db, shopId, orderId), reservedByLine(db, shopId, orderId)]);
  return lines.map((l) => {
    const u = units.get(l.id) ?? {};
    const reservedAt: Record<string, number> = {};
    for (const r of reserved) if (r.orderLineId === l.id) reservedAt[r.locationId] = Number(r.units);
    return { externalId: l.externalId, sku: l.sku, open: Math.max(0, l.quantity - Number(u.fulfilled ?? 0) - Number(u.returned ?? 0)), reservedAt };
  });
}

/** The order's lines as they were before `shipment` took its units. */
function withUnitsBack(lines: ShippableLine[], shipment: ShipmentRow): ShippableLine[] {
  return lines.map((l) => {
    const units = shipment.lines.filter((s) => s.lineExternalId === l.externalId).reduce((n, s) => n + s.quantity, 0);
    if (units === 0) return l;
    const reservedAt = { ...l.reservedAt };
    if (shipment.locationId) reservedAt[shipment.locationId] = (reservedAt[shipment.locationId] ?? 0) + units;
    return { ...l, open: l.open + units, reservedAt };
  });
}

function sameOrConflict(existing: ShipmentRow, plan: ShipmentCheck): ShipmentRow {
  if (plan.ok && createHash("sha256").update(plan.plan.content).digest("hex") === existing.contentHash) return existing;
  throw new AppError("conflict", "SHIPMENT.ID_REUSED", `Shipment ${existing.externalId} is already recorded with other contents; nothing was applied. Use a new id for a new shipment.`);
}

function invalid(problems: string[]): AppError {
  return new AppError("invalid_data", "SHIPMENT.INVALID", `Shipment not recorded: ${problems.join("; ")}`, { problems });
}
