// Builders and checks shared by the planner's tests: compact FOs and placements, and "plan, apply on
// the in-memory Shopify model, compare with the placement, plan again" in one call.
import { BACKORDER_HOLD_HANDLE, type CurrentFulfillmentOrder, type DesiredPlacement, type FulfillmentOrderPlan } from "./fulfillment-order-types";
import { planFulfillmentOrderChanges } from "./plan-fulfillment-order-changes";
import { placementOf, simulateOperations } from "./simulate-operations";

/** An FO with lines given as { lineItemId: remaining units }; ON_HOLD FOs carry this app's hold unless told. */
export function fo(
  id: string, locationId: string, lines: Record<string, number>, status = "OPEN", holds?: CurrentFulfillmentOrder["holds"],
): CurrentFulfillmentOrder {
  return {
    id, status, locationId,
    lineItems: Object.entries(lines).map(([lineItemId, remainingQuantity]) => ({ id: `${id}/${lineItemId}`, lineItemId, remainingQuantity })),
    holds: holds ?? (status === "ON_HOLD" ? [{ handle: BACKORDER_HOLD_HANDLE, reason: "INVENTORY_OUT_OF_STOCK" }] : []),
  };
}

/** A placement with lines given as { lineItemId: units }; `null` = backordered. */
export function at(locationId: string | null, lines: Record<string, number>): DesiredPlacement {
  return { locationId, lines: Object.entries(lines).map(([lineItemId, quantity]) => ({ lineItemId, quantity })) };
}

/** Placement as a plain sorted object, comparable with toEqual: { "L1": { A: 2 }, "held": { B: 1 } }. */
export function normalise(placement: Map<string | null, Map<string, number>>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [key, lines] of placement) {
    for (const [line, units] of lines) {
      if (units === 0) continue;
      const name = key ?? "held";
      out[name] ??= {};
      out[name][line] = (out[name][line] ?? 0) + units;
    }
  }
  return sortKeys(out);
}

export function desiredAsPlacement(desired: DesiredPlacement[]): Record<string, Record<string, number>> {
  const map = new Map<string | null, Map<string, number>>();
  for (const p of desired) {
    const lines = map.get(p.locationId) ?? new Map<string, number>();
    for (const l of p.lines) lines.set(l.lineItemId, (lines.get(l.lineItemId) ?? 0) + l.quantity);
    map.set(p.locationId, lines);
  }
  return normalise(map);
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v && typeof v === "object" ? sortKeys(v as Record<string, unknown>) : v])) as Record<string, T>;
}

export interface Checked {
  plan: FulfillmentOrderPlan;
  after: CurrentFulfillmentOrder[];
  replan: FulfillmentOrderPlan;
}

/** Plans, applies the plan to the model (throws where Shopify would refuse) and plans again on the result. */
export function planAndApply(current: CurrentFulfillmentOrder[], desired: DesiredPlacement[]): Checked {
  const plan = planFulfillmentOrderChanges(current, desired);
  const after = simulateOperations(current, plan.operations);
  return { plan, after, replan: planFulfillmentOrderChanges(after, desired) };
}

export { placementOf };
