// Decides which fulfillment order gives which units to which destination, so that the fewest FOs
// change and each changes in the fewest pieces. Greedy in three passes, each "whole FOs first":
//   1. units already where they should be stay (OPEN at the wanted location, ON_HOLD when backordered);
//   2. units that only need a status change stay put (release a held FO in place, hold an open one);
//   3. the rest go where demand is left, an FO preferring one destination that takes all it has.
// Units nobody asked for stay where they are; demand nobody can meet is reported.
import type { CurrentFulfillmentOrder, SkippedChange } from "./fulfillment-order-types";

/** Destination key of backordered units (never a location id: location ids hold no NUL). */
export const HELD = "\u0000held";

/** lineItemId → units. */
export type Quantities = Map<string, number>;

export interface FoAssignment {
  fo: CurrentFulfillmentOrder;
  /** Destination key → units going there. The FO's own state key means "stays as it is". */
  groups: Map<string, Quantities>;
}

/** Where an FO's units count as placed now: its location, or HELD when on hold. */
export function stateKey(fo: CurrentFulfillmentOrder): string {
  return fo.status === "ON_HOLD" ? HELD : fo.locationId;
}

/** The key reached by a status change alone: a held FO released in place, an open FO held in place. */
function statusChangeKey(fo: CurrentFulfillmentOrder): string {
  return fo.status === "ON_HOLD" ? fo.locationId : HELD;
}

export function remainingUnits(fo: CurrentFulfillmentOrder): Quantities {
  const units: Quantities = new Map();
  for (const line of fo.lineItems) {
    if (line.remainingQuantity > 0) add(units, line.lineItemId, line.remainingQuantity);
  }
  return units;
}

export function add(q: Quantities, lineItemId: string, units: number): void {
  q.set(lineItemId, (q.get(lineItemId) ?? 0) + units);
}

export const total = (q: Quantities | undefined): number => [...(q?.values() ?? [])].reduce((s, n) => s + n, 0);

/** Units of `have` that `want` still asks for. */
function overlap(have: Quantities, want: Quantities | undefined): number {
  let units = 0;
  for (const [line, n] of have) units += Math.min(n, want?.get(line) ?? 0);
  return units;
}

/** Moves min(have, want) of every line from `have`/`want` into `into`. */
function takeOverlap(have: Quantities, want: Quantities | undefined, into: Quantities): void {
  if (!want) return;
  for (const [line, n] of have) {
    const units = Math.min(n, want.get(line) ?? 0);
    if (units <= 0) continue;
    have.set(line, n - units);
    want.set(line, (want.get(line) ?? 0) - units);
    add(into, line, units);
  }
}

interface Working {
  assignment: FoAssignment;
  left: Quantities;
}

function give(w: Working, demand: Map<string, Quantities>, key: string): void {
  const group = w.assignment.groups.get(key) ?? new Map<string, number>();
  takeOverlap(w.left, demand.get(key), group);
  if (total(group) > 0) w.assignment.groups.set(key, group);
}

/** One "stay" pass: FOs that can place everything they have left at `keyOf(fo)` go first. */
function placeInPass(work: Working[], demand: Map<string, Quantities>, keyOf: (fo: CurrentFulfillmentOrder) => string): void {
  for (const w of work) {
    if (total(w.left) > 0 && overlap(w.left, demand.get(keyOf(w.assignment.fo))) === total(w.left)) give(w, demand, keyOf(w.assignment.fo));
  }
  for (const w of work) give(w, demand, keyOf(w.assignment.fo));
}

/** Pass 3: an FO takes the destination absorbing most of what it has left (whole FOs first). */
function placeRest(work: Working[], demand: Map<string, Quantities>): void {
  const best = (w: Working): { key: string; units: number } | null => {
    let found: { key: string; units: number } | null = null;
    for (const key of demand.keys()) {
      const units = overlap(w.left, demand.get(key));
      const better = !found || units > found.units || (units === found.units && w.assignment.groups.has(key) && !w.assignment.groups.has(found.key));
      if (units > 0 && better) found = { key, units };
    }
    return found;
  };
  for (const w of work) {
    const pick = best(w);
    if (pick && pick.units === total(w.left)) give(w, demand, pick.key);
  }
  for (const w of work) {
    for (let pick = best(w); pick; pick = best(w)) give(w, demand, pick.key);
  }
}

/**
 * Assigns the units of changeable FOs to the remaining demand (which it consumes). Leftover units stay
 * in their FO's state key and are reported.
 */
export function assignUnits(changeable: CurrentFulfillmentOrder[], demand: Map<string, Quantities>): { assignments: FoAssignment[]; skipped: SkippedChange[] } {
  const work: Working[] = changeable.map((fo) => ({ assignment: { fo, groups: new Map() }, left: remainingUnits(fo) }));
  placeInPass(work, demand, stateKey);
  placeInPass(work, demand, statusChangeKey);
  placeRest(work, demand);
  const skipped: SkippedChange[] = [];
  for (const w of work) {
    const here = stateKey(w.assignment.fo);
    for (const [lineItemId, quantity] of w.left) {
      if (quantity <= 0) continue;
      const group = w.assignment.groups.get(here) ?? new Map<string, number>();
      add(group, lineItemId, quantity);
      w.assignment.groups.set(here, group);
      skipped.push({
        code: "UNITS_NOT_IN_PLACEMENT", fulfillmentOrderId: w.assignment.fo.id, lineItemId, quantity,
        locationId: here === HELD ? null : here, reason: "The placement does not ask for these units; they stay where they are.",
      });
    }
  }
  return { assignments: work.map((w) => w.assignment), skipped };
}
