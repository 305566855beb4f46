import { canTransition, isReallocatable, isShippingStatus, statusAfterShipping, type OrderFacts } from "~/domain/orders/status-machine";
import { lineAllocations, levelOf, moveReserved, reservationsNewestFirst, splitAllocation, unitsByLine } from "../db/fulfillment-sql";
import { auditSql, getOrder, orderLines, setOrderStatus } from "../db/pipeline-sql";
import { newId } from "../db/sql";
import { allocateLines, settleStatus, type AllocationContext, type Reallocation, type Wanted } from "./allocate-order";

// Keeping allocations true after shipments, refunds and stock losses, inside the caller's transaction:
// an order's open allocations fitted to what is still to ship, reservations that no longer fit a
// location's on hand re-routed (newest orders first), and the order's status moved by shipments.

/** Units per state across the order, for the status machine's guards. */
export function shippingFacts(ctx: AllocationContext, orderId: string): OrderFacts {
  const units = unitsByLine(ctx.db, ctx.shopId, orderId);
  const sum = (status: string) => [...units.values()].reduce((s, u) => s + (u[status] ?? 0), 0);
  return {
    unitsOrdered: orderLines(ctx.db, ctx.shopId, orderId).reduce((s, l) => s + l.quantity, 0),
    unitsReserved: sum("reserved"),
    unitsBackordered: sum("backordered"),
    unitsShipped: sum("fulfilled"),
    unitsReturned: sum("returned"),
  };
}

/** Move the order to shipped / partially_shipped / returned (or back, after a cancelled fulfillment) when the machine allows it. */
export function settleShippingStatus(ctx: AllocationContext, orderId: string): string | undefined {
  const order = getOrder(ctx.db, ctx.shopId, orderId);
  if (!order) return undefined;
  const facts = shippingFacts(ctx, orderId);
  const target = statusAfterShipping(facts);
  if (target === order.status || (!isShippingStatus(target) && !isShippingStatus(order.status))) return order.status;
  if (!canTransition(order.status, target, facts).ok) return order.status;
  setOrderStatus(ctx.db, ctx.shopId, orderId, target);
  auditSql(ctx.db, ctx.shopId, ctx.actor, `order.${target}`, { type: "order", id: orderId }, facts);
  return target;
}

/**
 * Fit each line's open allocations (reserved + backordered) to what it still has to ship: its quantity
 * minus units fulfilled. Excess is released — backorder claims first, then the newest reservations;
 * missing units are routed and reserved (or backordered). `trim: false` only tops up.
 * Returns the variants whose stock was freed (for fillBackorders) and the new decision, if any.
 */
export function fitOpenAllocations(ctx: AllocationContext, orderId: string, opts: { trim?: boolean; reason?: string } = {}): { freed: string[]; reallocated: Reallocation[] } {
  const { db, shopId } = ctx;
  const order = getOrder(db, shopId, orderId);
  if (!order || order.status === "cancelled") return { freed: [], reallocated: [] };
  const units = unitsByLine(db, shopId, orderId);
  const freed = new Set<string>();
  const wanted: Wanted[] = [];
  let trimmed = false;
  for (const line of orderLines(db, shopId, orderId)) {
    const u = units.get(line.id) ?? {};
    const target = Math.max(0, line.quantity - (u.fulfilled ?? 0));
    let excess = (u.reserved ?? 0) + (u.backordered ?? 0) - target;
    if (excess < 0) {
      wanted.push({ line, quantity: -excess });
      continue;
    }
    if (excess === 0 || opts.trim === false) continue;
    const open = lineAllocations(db, shopId, line.id, ["backordered", "reserved"]);
    const releaseOrder = [...open.filter((a) => a.status === "backordered"), ...open.filter((a) => a.status === "reserved").reverse()];
    for (const a of releaseOrder) {
      if (excess === 0) break;
      const n = Math.min(excess, a.quantity);
      splitAllocation(db, shopId, a, n, "released", a.locationId);
      trimmed = true;
      if (a.status === "reserved" && a.locationId && line.variantId) {
        moveReserved(db, shopId, line.variantId, a.locationId, -n, opts.reason ?? "quantity_reduced", `release:${a.id}:${newId()}`, { type: "order", id: orderId });
        freed.add(line.variantId);
      }
      excess -= n;
    }
  }
  const reallocated: Reallocation[] = [];
  if (wanted.length > 0) {
    const summary = allocateLines(ctx, order, wanted);
    reallocated.push({ orderId, decisionId: summary.decisionId });
  }
  // Trimming leaves the decision in force (no new apply-routing run), so only a waiting order moves.
  if (wanted.length > 0 || (trimmed && (order.status === "backordered" || order.status === "received"))) settleStatus(ctx, order);
  return { freed: [...freed], reallocated };
}

/**
 * On hand at a location fell below what is reserved there (stock lost, or shipped from here for units
 * reserved elsewhere). The newest orders' reservations at that location give way first: each is released
 * and re-routed (another location, or backordered). Orders already being picked keep theirs.
 */
export function resolveShortfall(ctx: AllocationContext, variantId: string, locationId: string): Reallocation[] {
  const { db, shopId } = ctx;
  const level = levelOf(db, shopId, variantId, locationId);
  let short = level ? level.reserved - level.onHand : 0;
  if (short <= 0) return [];
  const reallocated: Reallocation[] = [];
  for (const a of reservationsNewestFirst(db, shopId, variantId, locationId)) {
    if (short <= 0) break;
    if (!isReallocatable(a.orderStatus) && a.orderStatus !== "partially_shipped") continue;
    const n = Math.min(short, a.quantity);
    splitAllocation(db, shopId, a, n, "released", a.locationId);
    moveReserved(db, shopId, variantId, locationId, -n, "stock_shortfall", `shortfall:${a.id}:${newId()}`, { type: "order", id: a.orderId });
    short -= n;
    const order = getOrder(db, shopId, a.orderId)!;
    const line = orderLines(db, shopId, a.orderId).find((l) => l.id === a.orderLineId)!;
    const summary = allocateLines(ctx, order, [{ line, quantity: n }]);
    reallocated.push({ orderId: a.orderId, decisionId: summary.decisionId });
    auditSql(db, shopId, ctx.actor, "order.rerouted_for_shortfall", { type: "order", id: a.orderId }, { variantId, locationId, units: n, reserved: summary.unitsReserved, backordered: summary.unitsBackordered });
    settleStatus(ctx, order);
  }
  if (short > 0) auditSql(db, shopId, ctx.actor, "inventory.shortfall_unresolved", { type: "variant", id: variantId }, { locationId, units: short });
  return reallocated;
}
