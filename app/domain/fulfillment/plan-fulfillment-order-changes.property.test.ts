import { describe, expect, it } from "vitest";
import type { CurrentFulfillmentOrder, DesiredPlacement, SkippedChange } from "./fulfillment-order-types";
import { at, desiredAsPlacement, fo, normalise, placementOf, planAndApply } from "./fulfillment-order-test-kit";

// Random orders, random current FOs, random placements: the plan, applied to the in-memory Shopify
// model (which throws on anything Shopify would refuse), must land exactly on the placement, and a
// second plan on the result must be empty. Seeded, so a failure names its seed and reproduces.

const RUNS = 3000;
const LOCATIONS = ["L1", "L2", "L3", "L4"];

/** mulberry32: small, seeded, good enough to pick test data. */
function rng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { int, pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)], chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

/** An order's units spread over 1–3 FOs with the given statuses on offer; some holds are the merchant's. */
function randomCurrent(r: Rng, lines: Record<string, number>, statuses: string[], foreignHolds: number): CurrentFulfillmentOrder[] {
  const shells = Array.from({ length: r.int(1, 3) }, (_, i) => ({ id: `F${i + 1}`, location: r.pick(LOCATIONS), status: r.pick(statuses), lines: {} as Record<string, number> }));
  for (const [line, units] of Object.entries(lines)) {
    for (let u = 0; u < units; u++) {
      const shell = r.pick(shells);
      shell.lines[line] = (shell.lines[line] ?? 0) + 1;
    }
  }
  return shells
    .filter((s) => Object.keys(s.lines).length > 0)
    .map((s) => fo(s.id, s.location, s.lines, s.status, s.status === "ON_HOLD" && r.chance(foreignHolds) ? [{ handle: null, reason: "OTHER" }] : undefined));
}

/** A placement: mostly a perturbation of where units are now (so "keep" paths run), else random. */
function randomDesired(r: Rng, current: CurrentFulfillmentOrder[], lines: Record<string, number>): DesiredPlacement[] {
  const dest = () => (r.chance(0.2) ? null : r.pick(LOCATIONS));
  const units: Array<[string, string | null]> = [];
  if (r.chance(0.5)) {
    for (const f of current) {
      for (const l of f.lineItems) {
        for (let u = 0; u < l.remainingQuantity; u++) units.push([l.lineItemId, r.chance(0.25) ? dest() : f.status === "ON_HOLD" ? null : f.locationId]);
      }
    }
  } else {
    for (const [line, n] of Object.entries(lines)) for (let u = 0; u < n; u++) units.push([line, dest()]);
  }
  const byDest = new Map<string | null, Record<string, number>>();
  for (const [line, d] of units) {
    const bucket = byDest.get(d) ?? {};
    bucket[line] = (bucket[line] ?? 0) + 1;
    byDest.set(d, bucket);
  }
  return [...byDest].map(([d, bucket]) => at(d, bucket));
}

function randomLines(r: Rng): Record<string, number> {
  return Object.fromEntries(["A", "B", "C", "D"].slice(0, r.int(1, 4)).map((l) => [l, r.int(1, 5)]));
}

describe("planFulfillmentOrderChanges (property)", () => {
  it(`reaches every placement over open and backorder-held FOs, in a plan a second run leaves empty (${RUNS} cases)`, () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const r = rng(seed);
      const lines = randomLines(r);
      const current = randomCurrent(r, lines, ["OPEN", "OPEN", "ON_HOLD"], 0);
      const desired = randomDesired(r, current, lines);
      const { plan, after, replan } = planAndApply(current, desired);
      const context = `seed ${seed}`;
      expect(normalise(placementOf(after)), context).toEqual(desiredAsPlacement(desired));
      expect(plan.skipped, context).toEqual([]);
      expect(replan, context).toEqual({ operations: [], skipped: [] });
      // Never more than: release + one move per destination + hold, per FO.
      const destinations = new Set(desired.map((d) => d.locationId)).size;
      expect(plan.operations.length, context).toBeLessThanOrEqual(current.length * (destinations + 2));
      // A single FO going to a single place costs at most a release and a move.
      if (current.length === 1 && desired.length === 1) expect(plan.operations.length, context).toBeLessThanOrEqual(2);
    }
  });

  it(`with locked FOs and placements that ask for more or less: locked FOs untouched, every unit accounted for (${RUNS} cases)`, () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const r = rng(seed * 7919);
      const current = randomCurrent(r, randomLines(r), ["OPEN", "ON_HOLD", "IN_PROGRESS", "CLOSED", "CANCELLED", "SCHEDULED"], 0.3);
      const desired = randomDesired(r, current, randomLines(r));
      const { plan, after, replan } = planAndApply(current, desired);
      const context = `seed ${seed}`;
      for (const untouchable of plan.skipped.filter((s) => s.code === "FULFILLMENT_ORDER_LOCKED" || s.code === "HELD_BY_OTHERS")) {
        const before = current.find((f) => f.id === untouchable.fulfillmentOrderId);
        expect(after.find((f) => f.id === before!.id), context).toEqual(before);
        expect(plan.operations.some((o) => o.fulfillmentOrder === before!.id), context).toBe(false);
      }
      const lockedCount = current.filter((f) => f.status !== "OPEN" && f.status !== "ON_HOLD").length;
      expect(plan.skipped.filter((s) => s.code === "FULFILLMENT_ORDER_LOCKED").length, context).toBe(lockedCount);
      // End state = placement − units nobody could give + units left where they were.
      expect(normalise(placementOf(after)), context).toEqual(expected(desired, plan.skipped));
      expect(replan.operations, context).toEqual([]);
    }
  });
});

function expected(desired: DesiredPlacement[], skipped: SkippedChange[]): Record<string, Record<string, number>> {
  const map = new Map<string | null, Map<string, number>>();
  const add = (key: string | null, line: string, units: number) => {
    const lines = map.get(key) ?? new Map<string, number>();
    lines.set(line, (lines.get(line) ?? 0) + units);
    map.set(key, lines);
  };
  for (const p of desired) for (const l of p.lines) add(p.locationId, l.lineItemId, l.quantity);
  for (const s of skipped) {
    if (s.code === "UNITS_UNAVAILABLE") add(s.locationId!, s.lineItemId!, -s.quantity!);
    if (s.code === "UNITS_NOT_IN_PLACEMENT") add(s.locationId!, s.lineItemId!, s.quantity!);
  }
  return normalise(map);
}
