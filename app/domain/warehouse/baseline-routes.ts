// The routes pickers walk without software (Hall 1993; Roodbergen & de Koster 2001), as baselines:
// - S-shape (traversal): every aisle holding a pick is walked end to end, alternating up and down; with an odd
//   number of such aisles the last one is entered from the front and left the same way.
// - Largest gap: the leftmost and rightmost pick aisles are walked through; every aisle between is entered
//   from the back on the way out and from the front on the way back, leaving its largest gap unwalked.
// Both use only the front and back cross aisles, so in a layout with middle cross aisles they are still real
// walks (the one-block versions, ignoring the middle cross aisles). The length reported is the walk's own.
import { type Geometry, type WarehouseLocation } from "./layout";

export interface WalkedRoute {
  lengthM: number;
  /** Distinct pick locations in the order the walk first reaches them. */
  order: WarehouseLocation[];
}

class Walk {
  private at: WarehouseLocation;
  lengthM = 0;
  readonly order: WarehouseLocation[] = [];
  constructor(private readonly g: Geometry, start: WarehouseLocation) {
    this.at = start;
  }
  /** Along the current aisle, or (at a cross aisle's y) along the cross aisle. */
  to(aisle: number, yM: number): this {
    if (aisle !== this.at.aisle && yM !== this.at.yM) throw new Error("a walk moves along one aisle or one cross aisle at a time");
    this.lengthM += Math.abs(aisle - this.at.aisle) * this.g.spacing + Math.abs(yM - this.at.yM);
    this.at = { aisle, yM };
    return this;
  }
  visit(stops: WarehouseLocation[]): this {
    this.order.push(...stops);
    return this;
  }
}

function byAisle(locations: readonly WarehouseLocation[]): [number, WarehouseLocation[]][] {
  const groups = new Map<number, WarehouseLocation[]>();
  for (const l of locations) groups.set(l.aisle, [...(groups.get(l.aisle) ?? []), l]);
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([a, ls]) => [a, ls.sort((x, y) => x.yM - y.yM)]);
}

const descending = (ls: WarehouseLocation[]) => [...ls].reverse();

/** From the depot to the front cross aisle (when it is not on it), and the way back at the end. */
function start(g: Geometry, depot: WarehouseLocation): Walk {
  const walk = new Walk(g, depot);
  return depot.yM === 0 ? walk : walk.to(depot.aisle, 0);
}
function finish(walk: Walk, depot: WarehouseLocation): WalkedRoute {
  walk.to(depot.aisle, 0).to(depot.aisle, depot.yM);
  return { lengthM: walk.lengthM, order: walk.order };
}

export function sShapeRoute(g: Geometry, depot: WarehouseLocation, locations: readonly WarehouseLocation[]): WalkedRoute {
  if (locations.length === 0) return { lengthM: 0, order: [] };
  const aisles = byAisle(locations);
  const walk = start(g, depot);
  let atFront = true;
  aisles.forEach(([aisle, stops], i) => {
    walk.to(aisle, atFront ? 0 : g.length);
    if (i === aisles.length - 1 && atFront) {
      // Odd number of pick aisles: in from the front to the farthest pick and back.
      walk.visit(stops).to(aisle, stops[stops.length - 1].yM).to(aisle, 0);
    } else {
      walk.visit(atFront ? stops : descending(stops)).to(aisle, atFront ? g.length : 0);
      atFront = !atFront;
    }
  });
  return finish(walk, depot);
}

export function largestGapRoute(g: Geometry, depot: WarehouseLocation, locations: readonly WarehouseLocation[]): WalkedRoute {
  if (locations.length === 0) return { lengthM: 0, order: [] };
  const aisles = byAisle(locations);
  const walk = start(g, depot);
  if (aisles.length === 1) {
    const [aisle, stops] = aisles[0];
    walk.to(aisle, 0).visit(stops).to(aisle, stops[stops.length - 1].yM).to(aisle, 0);
    return finish(walk, depot);
  }
  const [firstAisle, firstStops] = aisles[0];
  const [lastAisle, lastStops] = aisles[aisles.length - 1];
  const middle = aisles.slice(1, -1).map(([aisle, stops]) => ({ aisle, ...splitAtLargestGap(stops, g.length) }));
  walk.to(firstAisle, 0).visit(firstStops).to(firstAisle, g.length);
  for (const { aisle, fromBack } of middle) {
    walk.to(aisle, g.length);
    if (fromBack.length > 0) walk.visit(descending(fromBack)).to(aisle, fromBack[0].yM).to(aisle, g.length);
  }
  walk.to(lastAisle, g.length).visit(descending(lastStops)).to(lastAisle, 0);
  for (const { aisle, fromFront } of [...middle].reverse()) {
    if (fromFront.length === 0) continue;
    walk.to(aisle, 0).visit(fromFront).to(aisle, fromFront[fromFront.length - 1].yM).to(aisle, 0);
  }
  return finish(walk, depot);
}

/** The picks reached from the front and from the back when the largest gap (ends included) is left unwalked. */
function splitAtLargestGap(stops: WarehouseLocation[], length: number): { fromFront: WarehouseLocation[]; fromBack: WarehouseLocation[] } {
  const ys = [0, ...stops.map((s) => s.yM), length];
  let cut = 0;
  for (let i = 1; i + 1 < ys.length; i++) if (ys[i + 1] - ys[i] > ys[cut + 1] - ys[cut]) cut = i;
  return { fromFront: stops.slice(0, cut), fromBack: stops.slice(cut) };
}
