// An in-memory model of Shopify's fulfillment-order mutations (move, split, hold, release), used to
// check plans without Shopify: it applies operations to a copy of the FOs and throws wherever Shopify
// would answer with a userError. It is stricter than Shopify in two places, so that plans stay clear
// of behaviour Shopify leaves vague: only OPEN FOs move or get held (a held FO is released first).
import { add, remainingUnits, type Quantities } from "./assign-units";
import type { CurrentFulfillmentOrder, FoRef, FulfillmentHoldInfo, FulfillmentOrderOperation, OperationLine } from "./fulfillment-order-types";

export class SimulationError extends Error {}

type ModelFo = CurrentFulfillmentOrder & { holds: FulfillmentHoldInfo[] };

/** Applies `operations` in order; returns the FOs afterwards (the input is not modified). */
export function simulateOperations(current: CurrentFulfillmentOrder[], operations: FulfillmentOrderOperation[]): CurrentFulfillmentOrder[] {
  const fos: ModelFo[] = current.map((fo) => ({ ...fo, holds: [...(fo.holds ?? [])], lineItems: fo.lineItems.map((l) => ({ ...l })) }));
  const handles = new Map<FoRef, string>();
  let nextId = 1;
  const newId = () => `sim-${nextId++}`;
  const find = (ref: FoRef) => {
    const id = handles.get(ref) ?? ref;
    const fo = fos.find((f) => f.id === id);
    if (!fo) throw new SimulationError(`No fulfillment order ${ref}`);
    return fo;
  };
  const bind = (handle: FoRef | undefined, id: string) => {
    if (handle === undefined) return;
    if (handles.has(handle) || fos.some((f) => f.id === handle)) throw new SimulationError(`Handle ${handle} declared twice`);
    handles.set(handle, id);
  };
  /** Cuts `lines` out of `fo` into a new OPEN FO at `locationId`. */
  const carve = (fo: ModelFo, lines: OperationLine[], locationId: string) => {
    const created: ModelFo = { id: newId(), status: "OPEN", locationId, holds: [], lineItems: [] };
    for (const { lineItemId, quantity } of lines) {
      const line = fo.lineItems.find((l) => l.lineItemId === lineItemId)!;
      line.remainingQuantity -= quantity;
      created.lineItems.push({ id: newId(), lineItemId, remainingQuantity: quantity });
    }
    fo.lineItems = fo.lineItems.filter((l) => l.remainingQuantity > 0);
    fos.push(created);
    return created;
  };

  for (const op of operations) {
    const fo = find(op.fulfillmentOrder);
    switch (op.kind) {
      case "releaseHold":
        if (fo.status !== "ON_HOLD") throw new SimulationError(`${fo.id}: release of a ${fo.status} FO`);
        fo.status = "OPEN";
        fo.holds = [];
        break;
      case "move": {
        if (fo.status !== "OPEN") throw new SimulationError(`${fo.id}: move of a ${fo.status} FO`);
        if (fo.locationId === op.newLocationId) throw new SimulationError(`${fo.id}: move to the location it is at`);
        if (!op.lineItems || takesAll(fo, op.lineItems, "move")) {
          fo.locationId = op.newLocationId;
          bind(op.movedAs, fo.id);
        } else {
          bind(op.movedAs, carve(fo, op.lineItems, op.newLocationId).id);
        }
        break;
      }
      case "split":
        if (fo.status !== "OPEN" && fo.status !== "ON_HOLD") throw new SimulationError(`${fo.id}: split of a ${fo.status} FO`);
        if (op.lineItems.length === 0 || takesAll(fo, op.lineItems, "split")) throw new SimulationError(`${fo.id}: split of everything or nothing`);
        bind(op.splitAs, carve(fo, op.lineItems, fo.locationId).id);
        break;
      case "hold": {
        if (fo.status !== "OPEN") throw new SimulationError(`${fo.id}: hold of a ${fo.status} FO`);
        if (op.lineItems && op.lineItems.length > 0 && !takesAll(fo, op.lineItems, "hold")) {
          const keep: Quantities = new Map();
          for (const l of op.lineItems) add(keep, l.lineItemId, l.quantity);
          const rest = fo.lineItems
            .map((l) => ({ lineItemId: l.lineItemId, quantity: l.remainingQuantity - (keep.get(l.lineItemId) ?? 0) }))
            .filter((l) => l.quantity > 0);
          bind(op.remainingAs, carve(fo, rest, fo.locationId).id);
        }
        fo.status = "ON_HOLD";
        fo.holds.push({ handle: op.handle, reason: op.reason });
        break;
      }
    }
  }
  return fos;
}

/** Validates quantities like Shopify (known lines, 1..remaining) and tells whether they take everything. */
function takesAll(fo: CurrentFulfillmentOrder, lines: OperationLine[], what: string): boolean {
  const asked: Quantities = new Map();
  for (const { lineItemId, quantity } of lines) {
    const line = fo.lineItems.find((l) => l.lineItemId === lineItemId);
    if (!line) throw new SimulationError(`${fo.id}: ${what} names line ${lineItemId}, which it does not hold`);
    add(asked, lineItemId, quantity);
    if (quantity <= 0 || asked.get(lineItemId)! > line.remainingQuantity) throw new SimulationError(`${fo.id}: ${what} of ${quantity} × ${lineItemId}`);
  }
  return fo.lineItems.every((l) => (asked.get(l.lineItemId) ?? 0) === l.remainingQuantity);
}

/**
 * Where the live units are: OPEN (and other unfinished) FOs by location, ON_HOLD FOs under `null`.
 * CLOSED and CANCELLED FOs are left out. Keys are "location id" or "held"; values line → units.
 */
export function placementOf(fos: CurrentFulfillmentOrder[]): Map<string | null, Quantities> {
  const out = new Map<string | null, Quantities>();
  for (const fo of fos) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    const key = fo.status === "ON_HOLD" ? null : fo.locationId;
    const lines = out.get(key) ?? new Map<string, number>();
    for (const [line, units] of remainingUnits(fo)) add(lines, line, units);
    if (lines.size > 0) out.set(key, lines);
  }
  return out;
}
