// Plans the Shopify fulfillment-order mutations that make an order's FOs match a routing decision.
// Pure: current FOs + desired placement in, an ordered list of operations (and what was skipped) out.
//
// Per changed FO the operations come in this order, all naming the FO itself (its id never changes:
// a partial move or a hold with lines leaves the original FO in place and creates a new one):
//   releaseHold (when on hold and any unit must leave the hold)
//   → one move per other location (partial; the last one whole when nothing else stays)
//   → hold (the whole rest, or only the backordered lines when others stay open here).
// An FO already matching its share of the placement gets nothing, so a second run plans nothing.
import { assignUnits, HELD, add, remainingUnits, stateKey, total, type FoAssignment, type Quantities } from "./assign-units";
import {
  BACKORDER_HOLD_HANDLE, BACKORDER_HOLD_REASON, type CurrentFulfillmentOrder, type DesiredPlacement, type FulfillmentOrderOperation,
  type FulfillmentOrderPlan, type OperationLine, type SkippedChange,
} from "./fulfillment-order-types";

export const BACKORDER_HOLD_NOTES = "Backordered: no location has stock for these units yet (Open OMS routing).";

const CHANGEABLE = new Set(["OPEN", "ON_HOLD"]);
/** Statuses whose units are void (fulfilled or cancelled): they count nowhere. */
const FINISHED = new Set(["CLOSED", "CANCELLED"]);

export function planFulfillmentOrderChanges(current: CurrentFulfillmentOrder[], desired: DesiredPlacement[]): FulfillmentOrderPlan {
  const demand = demandOf(desired);
  const destinationOrder = [...demand.keys()]; // placement order, for a stable order of moves
  const skipped: SkippedChange[] = [];
  const changeable: CurrentFulfillmentOrder[] = [];
  for (const fo of current) {
    const blocker = blockerOf(fo);
    if (!blocker) {
      changeable.push(fo);
      continue;
    }
    skipped.push({ fulfillmentOrderId: fo.id, status: fo.status, ...blocker });
    if (!FINISHED.has(fo.status)) skipped.push(...consumeLocked(fo, demand));
  }
  const assigned = assignUnits(changeable, demand);
  skipped.push(...assigned.skipped, ...unmetDemand(demand));

  const handles = { next: 1 };
  const operations = assigned.assignments.flatMap((a) => operationsFor(a, destinationOrder, handles));
  return { operations, skipped };
}

/** Desired placements as destination key → line → units (same location listed twice: summed). */
function demandOf(desired: DesiredPlacement[]): Map<string, Quantities> {
  const demand = new Map<string, Quantities>();
  for (const placement of desired) {
    if (placement.locationId === HELD || placement.locationId === "") throw new RangeError(`Invalid location id ${JSON.stringify(placement.locationId)}`);
    const key = placement.locationId ?? HELD;
    const lines = demand.get(key) ?? new Map<string, number>();
    for (const { lineItemId, quantity } of placement.lines) {
      if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`Invalid quantity ${quantity} for line item ${lineItemId}`);
      if (quantity > 0) add(lines, lineItemId, quantity);
    }
    demand.set(key, lines);
  }
  return demand;
}

function blockerOf(fo: CurrentFulfillmentOrder): Pick<SkippedChange, "code" | "reason"> | null {
  if (!CHANGEABLE.has(fo.status)) {
    return { code: "FULFILLMENT_ORDER_LOCKED", reason: `A fulfillment order with status ${fo.status} cannot be moved or held.` };
  }
  const foreign = fo.status === "ON_HOLD" ? (fo.holds ?? []).filter((h) => h.handle !== BACKORDER_HOLD_HANDLE) : [];
  if (foreign.length > 0) {
    return { code: "HELD_BY_OTHERS", reason: `On hold for ${foreign.map((h) => h.reason).join(", ")}; only holds this app placed are released.` };
  }
  return null;
}

/** A locked FO's units count where they are; what the placement wants elsewhere is reported. */
function consumeLocked(fo: CurrentFulfillmentOrder, demand: Map<string, Quantities>): SkippedChange[] {
  const key = stateKey(fo);
  const want = demand.get(key);
  const out: SkippedChange[] = [];
  for (const [lineItemId, units] of remainingUnits(fo)) {
    const used = Math.min(units, want?.get(lineItemId) ?? 0);
    if (used > 0) want!.set(lineItemId, want!.get(lineItemId)! - used);
    if (units > used) {
      out.push({
        code: "UNITS_NOT_IN_PLACEMENT", fulfillmentOrderId: fo.id, lineItemId, quantity: units - used, locationId: key === HELD ? null : key,
        reason: `These units sit in a fulfillment order that cannot be changed (${fo.status}); the placement wants them elsewhere.`,
      });
    }
  }
  return out;
}

function unmetDemand(demand: Map<string, Quantities>): SkippedChange[] {
  const out: SkippedChange[] = [];
  for (const [key, lines] of demand) {
    for (const [lineItemId, quantity] of lines) {
      if (quantity <= 0) continue;
      out.push({
        code: "UNITS_UNAVAILABLE", lineItemId, quantity, locationId: key === HELD ? null : key,
        reason: "No open or backorder-held fulfillment order has these units to give.",
      });
    }
  }
  return out;
}

/** The operations for one FO, from its destination groups (see the header for the order). */
function operationsFor(a: FoAssignment, destinationOrder: string[], handles: { next: number }): FulfillmentOrderOperation[] {
  const { fo, groups } = a;
  const ref = fo.id;
  const held = groups.get(HELD);
  const stays = groups.get(fo.locationId);
  const moves = destinationOrder.filter((key) => key !== HELD && key !== fo.locationId && total(groups.get(key)) > 0);
  const ops: FulfillmentOrderOperation[] = [];
  if (fo.status === "ON_HOLD") {
    if (moves.length === 0 && total(stays) === 0) return []; // everything stays held
    ops.push({ kind: "releaseHold", fulfillmentOrder: ref });
  } else if (moves.length === 0 && total(held) === 0) {
    return []; // everything stays open here
  }
  moves.forEach((key, i) => {
    const whole = i === moves.length - 1 && total(stays) === 0 && total(held) === 0;
    ops.push(whole
      ? { kind: "move", fulfillmentOrder: ref, newLocationId: key }
      : { kind: "move", fulfillmentOrder: ref, newLocationId: key, lineItems: linesOf(fo, groups.get(key)!), movedAs: `@${handles.next++}` });
  });
  if (total(held) > 0) {
    const hold = { kind: "hold", fulfillmentOrder: ref, reason: BACKORDER_HOLD_REASON, handle: BACKORDER_HOLD_HANDLE, notes: BACKORDER_HOLD_NOTES } as const;
    ops.push(total(stays) > 0 ? { ...hold, lineItems: linesOf(fo, held!), remainingAs: `@${handles.next++}` } : hold);
  }
  return ops;
}

/** Lines in the FO's own line order. */
function linesOf(fo: CurrentFulfillmentOrder, units: Quantities): OperationLine[] {
  const seen = new Set<string>();
  const lines: OperationLine[] = [];
  for (const { lineItemId } of fo.lineItems) {
    const quantity = units.get(lineItemId) ?? 0;
    if (quantity > 0 && !seen.has(lineItemId)) lines.push({ lineItemId, quantity });
    seen.add(lineItemId);
  }
  return lines;
}
