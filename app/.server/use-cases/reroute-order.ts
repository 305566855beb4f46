import { isReallocatable } from "~/domain/orders/status-machine";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { unitsByLine } from "../db/fulfillment-sql";
import { getOrder, orderLines } from "../db/pipeline-sql";
import { AppError } from "../errors";
import { enqueueChannelStockSync } from "../jobs/queue";
import { allocateLines, fillBackorders, releaseOrder, settleStatus, type AllocationContext, type Reallocation } from "./allocate-order";
import { enqueueReallocations } from "./dispatch-reallocations";

// Re-routing an order on request (a Flow action, ADR 0031), the way an edited order is re-routed
// (ingest-channel-order.ts): what it holds is released, what it still has to ship is routed again — here without the
// excluded locations — and the stock it gave back goes to the oldest backorders. Only before picking starts
// (isReallocatable): what may be on a picker's cart is never moved. The channel follows through apply-routing.

export type RerouteOutcome =
  | { kind: "rerouted"; orderId: string; status: string; unitsReserved: number; unitsBackordered: number; locations: string[] }
  | { kind: "not_reroutable"; orderId: string; status: string };

export async function rerouteOrder(shopId: string, orderId: string, opts: { excludeLocationIds?: string[]; actor: string; reason?: string }): Promise<RerouteOutcome> {
  const result = await database().transaction(async (tx) => {
    const order = await getOrder(tx, shopId, orderId); // locked: whoever changes an order's allocations holds its row first
    if (!order) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${orderId}`);
    if (!isReallocatable(order.status)) return { outcome: { kind: "not_reroutable" as const, orderId, status: order.status }, reallocated: [] as Reallocation[] };
    const now = new Date();
    // The exclusion holds for this order through the whole transaction: the backorder fill below must not hand it
    // back the stock it just gave up at an excluded location (other orders may take that stock).
    const ctx: AllocationContext = { tx, shopId, now, actor: opts.actor, excludeLocations: { orderId, locationIds: opts.excludeLocationIds ?? [] } };
    const freed = await releaseOrder(ctx, orderId, "rerouted");
    const units = await unitsByLine(tx, shopId, orderId);
    const toShip = (await orderLines(tx, shopId, orderId)).map((line) => ({ line, quantity: Math.max(0, line.quantity - (units.get(line.id)?.fulfilled ?? 0)) }));
    const summary = await allocateLines(ctx, order, toShip);
    await audit(tx, shopId, opts.actor, "order.rerouted", { type: "order", id: orderId }, {
      excludedLocationIds: opts.excludeLocationIds ?? [], reason: opts.reason ?? null, unitsReserved: summary.unitsReserved, unitsBackordered: summary.unitsBackordered, decisionId: summary.decisionId,
    });
    const status = await settleStatus(ctx, order);
    // What it gave back goes to the oldest backorders (from any location: the exclusion is this order's only).
    const others = await fillBackorders(ctx, freed);
    const locations = [...new Set(summary.decision.shipments.map((s) => s.locationId))].sort();
    return {
      outcome: { kind: "rerouted" as const, orderId, status, unitsReserved: summary.unitsReserved, unitsBackordered: summary.unitsBackordered, locations },
      reallocated: [{ orderId, decisionId: summary.decisionId }, ...others],
    };
  });
  await enqueueReallocations(shopId, result.reallocated);
  if (result.outcome.kind === "rerouted") await enqueueChannelStockSync({ shopId });
  return result.outcome;
}
