import { planShortfall } from "~/domain/inventory/shortfall";
import { canTransition, isShippingStatus, statusAfterShipping, type OrderFacts } from "~/domain/orders/status-machine";
import { audit } from "../db/audit";
import { lineAllocations, levelOf, moveReserved, reservationsNewestFirst, splitAllocation, unitsByLine } from "../db/fulfillment-sql";
import { getOrder, orderLines, setOrderStatus } from "../db/pipeline-sql";
import { allocateLines, settleStatus, type AllocationContext, type Reallocation, type Wanted } from "./allocate-order";

// Keeping allocations true after shipments, refunds and stock losses, inside the caller's transaction:
// an order's open allocations fitted to what is still to ship, reservations that no longer fit a
// location's on hand re-routed (newest orders first), and the order's status moved by shipments.

/** Units per state across the order, for the status machine's guards. */
export async function shippingFacts(ctx: AllocationContext, orderId: string): Promise<OrderFacts> {
  const units = await unitsByLine(ctx.tx, ctx.shopId, orderId);
  const sum = (status: string) => [...units.values()].reduce((s, u) => s + (u[status] ?? 0), 0);
  return {
    unitsOrdered: (await orderLines(ctx.tx, ctx.shopId, orderId)).reduce((s, l) => s + l.quantity, 0),
    unitsReserved: sum("reserved"),
    unitsBackordered: sum("backordered"),
    unitsShipped: sum("fulfilled"),
    unitsReturned: sum("returned"),
  };
}

/** Move the order to shipped / partially_shipped / returned (or back, after a cancelled fulfillment) when the machine allows it. */
export async function settleShippingStatus(ctx: AllocationContext, orderId: string): Promise<string | undefined> {
  const order = await getOrder(ctx.tx, ctx.shopId, orderId);
  if (!order) return undefined;
  const facts = await shippingFacts(ctx, orderId);
  const target = statusAfterShipping(facts);
  if (target === order.status || (!isShippingStatus(target) && !isShippingStatus(order.status))) return order.status;
  if (!canTransition(order.status, target, facts).ok) return order.status;
  await setOrderStatus(ctx.tx, ctx.shopId, orderId, target);
  await audit(ctx.tx, ctx.shopId, ctx.actor, `order.${target}`, { type: "order", id: orderId }, facts);
  return target;
}

/**
 * Fit each line's open allocations (reserved + backordered) to what it still has to ship: its quantity
 * minus units fulfilled. Excess is released — backorder claims first, then the newest reservations;
 * missing units are routed and reserved (or backordered). `trim: false` only tops up.
 * Returns the variants whose stock was freed (for fillBackorders) and the new decision, if any.
 */
export async function fitOpenAllocations(ctx: AllocationContext, orderId: string, opts: { trim?: boolean; reason?: string } = {}): Promise<{ freed: string[]; reallocated: Reallocation[] }> {
  const { tx, shopId } = ctx;
  const order = await getOrder(tx, shopId, orderId);
  if (!order || order.status === "cancelled") return { freed: [], reallocated: [] };
  const units = await unitsByLine(tx, shopId, orderId);
  const freed = new Set<string>();
  const wanted: Wanted[] = [];
  let trimmed = false;
  for (const line of await orderLines(tx, shopId, orderId)) {
    const u = units.get(line.id) ?? {};
    const target = Math.max(0, line.quantity - (u.fulfilled ?? 0));
    let excess = (u.reserved ?? 0) + (u.backordered ?? 0) - target;
    if (excess < 0) {
      wanted.push({ line, quantity: -excess });
      continue;
    }
    if (excess === 0 || opts.trim === false) continue;
    const open = await lineAllocations(tx, shopId, line.id, ["backordered", "reserved"]);
    const releaseOrder = [...open.filter((a) => a.status === "backordered"), ...open.filter((a) => a.status === "reserved").reverse()];
    for (const a of releaseOrder) {
      if (excess === 0) break;
      const n = Math.min(excess, a.quantity);
      const released = await splitAllocation(tx, shopId, a, n, "released", a.locationId);
      trimmed = true;
      if (a.status === "reserved" && a.locationId && line.variantId) {
        await moveReserved(tx, shopId, line.variantId, a.locationId, -n, opts.reason ?? "quantity_reduced", `release:${released}`, { type: "order", id: orderId });
        freed.add(line.variantId);
      }
      excess -= n;
    }
  }
  const reallocated: Reallocation[] = [];
  if (wanted.length > 0) {
    const summary = await allocateLines(ctx, order, wanted);
    reallocated.push({ orderId, decisionId: summary.decisionId });
  }
  // Trimming leaves the decision in force (no new apply-routing run), so only a waiting order moves.
  if (wanted.length > 0 || (trimmed && (order.status === "backordered" || order.status === "received"))) await settleStatus(ctx, order);
  return { freed: [...freed], reallocated };
}

/**
 * On hand at a location fell below what is reserved there (stock lost, or shipped from here for units
 * reserved elsewhere). The newest orders' reservations at that location give way first
 * (app/domain/inventory/shortfall.ts): each is released and re-routed (another location, or backordered).
 */
export async function resolveShortfall(ctx: AllocationContext, variantId: string, locationId: string): Promise<Reallocation[]> {
  const { tx, shopId } = ctx;
  const level = await levelOf(tx, shopId, variantId, locationId);
  const held = await reservationsNewestFirst(tx, shopId, variantId, locationId);
  const plan = planShortfall(level ? level.reserved - level.onHand : 0, held.map((a) => ({ allocationId: a.id, orderId: a.orderId, orderStatus: a.orderStatus, quantity: a.quantity })));
  const byId = new Map(held.map((a) => [a.id, a]));
  const reallocated: Reallocation[] = [];
  for (const give of plan.giveWay) {
    const a = byId.get(give.allocationId)!;
    const order = await getOrder(tx, shopId, a.orderId);
    if (!order) continue;
    const released = await splitAllocation(tx, shopId, a, give.units, "released", a.locationId);
    await moveReserved(tx, shopId, variantId, locationId, -give.units, "stock_shortfall", `release:${released}`, { type: "order", id: a.orderId });
    const line = (await orderLines(tx, shopId, a.orderId)).find((l) => l.id === a.orderLineId)!;
    const summary = await allocateLines(ctx, order, [{ line, quantity: give.units }]);
    reallocated.push({ orderId: a.orderId, decisionId: summary.decisionId });
    await audit(tx, shopId, ctx.actor, "order.rerouted_for_shortfall", { type: "order", id: a.orderId }, { variantId, locationId, units: give.units, reserved: summary.unitsReserved, backordered: summary.unitsBackordered });
    await settleStatus(ctx, order);
  }
  if (plan.unresolved > 0) await audit(tx, shopId, ctx.actor, "inventory.shortfall_unresolved", { type: "variant", id: variantId }, { locationId, units: plan.unresolved });
  return reallocated;
}
