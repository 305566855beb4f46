// Exact order picking in a parallel-aisle warehouse with one block (Ratliff & Rosenthal 1983) or two blocks
// (Roodbergen & de Koster 2001): a dynamic program over aisles, left to right, on the classes of
// tour-states.ts. Per aisle it chooses the cross-aisle edges coming in (each used 0, 1 or 2 times) and, per
// block, how the aisle is walked: not at all, through once, through twice, in and back from the front, in and
// back from the back, or in and back from both ends leaving the largest gap. Any optimal tour uses each edge
// at most twice and, inside a block, exactly one of these patterns, so the minimum over the DP is the optimum.
// The chosen edges form a connected even multigraph; an Euler circuit from the depot gives the visiting order,
// whose shortest-path length equals the DP value.
import { type Geometry, type WarehouseLocation } from "./layout";
import { VERTICAL, type VerticalOption, tourStateSpace } from "./tour-states";

export interface ExactTour {
  lengthM: number;
  /** Distinct locations in visiting order (the depot excluded). */
  order: WarehouseLocation[];
}

interface Block {
  /** Points strictly inside the block (picks and the depot), increasing, distinct. */
  points: number[];
  options: VerticalOption[];
  cost: number[];
}

function blockOf(points: number[], front: number, back: number): Block {
  const length = back - front;
  const cost = new Array<number>(6).fill(Infinity);
  if (points.length === 0) {
    cost[VERTICAL.none] = 0;
    cost[VERTICAL.traverse] = length;
    cost[VERTICAL.traverseTwice] = 2 * length;
    return { points, options: [VERTICAL.none, VERTICAL.traverse, VERTICAL.traverseTwice], cost };
  }
  const first = points[0];
  const last = points[points.length - 1];
  cost[VERTICAL.traverse] = length;
  cost[VERTICAL.traverseTwice] = 2 * length;
  cost[VERTICAL.fromFront] = 2 * (last - front);
  cost[VERTICAL.fromBack] = 2 * (back - first);
  const options: VerticalOption[] = [VERTICAL.traverse, VERTICAL.traverseTwice, VERTICAL.fromFront, VERTICAL.fromBack];
  if (points.length >= 2) {
    cost[VERTICAL.largestGap] = 2 * (length - largestInnerGap(points).gap);
    options.push(VERTICAL.largestGap);
  }
  return { points, options, cost };
}

/** The points increasing, each once (sorted in place). */
function sortedDistinct(points: number[]): number[] {
  if (points.length < 2) return points;
  points.sort((a, b) => a - b);
  let w = 1;
  for (let r = 1; r < points.length; r++) if (points[r] !== points[w - 1]) points[w++] = points[r];
  points.length = w;
  return points;
}

function largestInnerGap(points: number[]): { gap: number; after: number } {
  let best = { gap: -1, after: 0 };
  for (let i = 0; i + 1 < points.length; i++) if (points[i + 1] - points[i] > best.gap) best = { gap: points[i + 1] - points[i], after: i };
  return best;
}

/**
 * The shortest tour from the depot through every required location, for layouts with one or two blocks.
 * `locations` are distinct and do not include the depot.
 */
export function exactTour(g: Geometry, depot: WarehouseLocation, locations: readonly WarehouseLocation[]): ExactTour {
  return solveExact(g, depot, locations, true);
}

/** The DP value only (no back-tracking, no Euler circuit): about twice as fast, for scoring many candidate batches. */
export function exactTourLengthM(g: Geometry, depot: WarehouseLocation, locations: readonly WarehouseLocation[]): number {
  return solveExact(g, depot, locations, false).lengthM;
}

function solveExact(g: Geometry, depot: WarehouseLocation, locations: readonly WarehouseLocation[], withOrder: boolean): ExactTour {
  const required = [depot, ...locations];
  const ys = g.crossYs;
  const m = ys.length;
  if (m > 3) throw new Error("exactTour handles one or two blocks");
  if (locations.length === 0) return { lengthM: 0, order: [] };
  const blockIndex = (y: number) => {
    for (let k = 0; k + 1 < m; k++) if (y > ys[k] && y < ys[k + 1]) return k;
    return -1;
  };
  // All required points strictly inside one block of one aisle: out and back along it, nothing else.
  const k0 = blockIndex(depot.yM);
  if (k0 >= 0 && required.every((p) => p.aisle === depot.aisle && blockIndex(p.yM) === k0)) {
    const ysIn = required.map((p) => p.yM);
    const below = locations.filter((p) => p.yM <= depot.yM).sort((a, b) => b.yM - a.yM);
    const above = locations.filter((p) => p.yM > depot.yM).sort((a, b) => a.yM - b.yM);
    return { lengthM: 2 * (Math.max(...ysIn) - Math.min(...ysIn)), order: [...below, ...above] };
  }

  // Aisles left of the leftmost and right of the rightmost required point are never worth entering.
  let lo = depot.aisle;
  let hi = depot.aisle;
  for (const p of locations) {
    if (p.aisle < lo) lo = p.aisle;
    if (p.aisle > hi) hi = p.aisle;
  }
  const aisles = hi - lo + 1;
  const inner: number[][][] = Array.from({ length: aisles }, () => Array.from({ length: m - 1 }, () => [] as number[]));
  const requiredMask = new Array<number>(aisles).fill(0);
  for (const p of required) {
    const v = ys.indexOf(p.yM);
    if (v >= 0) requiredMask[p.aisle - lo] |= 1 << v;
    else inner[p.aisle - lo][blockIndex(p.yM)].push(p.yM);
  }
  const blocks = inner.map((perAisle) => perAisle.map((pts, k) => blockOf(sortedDistinct(pts), ys[k], ys[k + 1])));

  const space = tourStateSpace(m);
  const S = space.size;
  // Per step (each aisle: the cross step into it, then one step per block), each class's best predecessor and
  // the option that led there; the steps run in plain loops over typed arrays (this is the hot path).
  const steps = aisles * m;
  // Back-pointers only when the visiting order is wanted (the length alone needs none).
  const prev = new Int32Array(withOrder ? steps * S : 0).fill(-1);
  const via = new Int32Array(withOrder ? steps * S : 0);
  let cost = new Float64Array(S).fill(Infinity);
  let next = new Float64Array(S);
  cost[space.notStarted] = 0;
  for (let a = 0; a < aisles; a++) {
    let base = a * m * S;
    next.fill(Infinity);
    if (a === 0) {
      for (let id = 0; id < S; id++) {
        if (cost[id] === Infinity) continue;
        next[id] = cost[id];
        if (withOrder) prev[base + id] = id;
      }
    } else {
      for (let id = 0; id < S; id++) {
        const here = cost[id];
        if (here === Infinity) continue;
        const moves = space.crossMoves(id, requiredMask[a - 1]);
        for (let i = 0; i < moves.length; i += 2) {
          const to = moves[i + 1];
          const c = here + space.crossUnits[moves[i]] * g.spacing;
          if (c < next[to]) {
            next[to] = c;
            if (withOrder) {
              prev[base + to] = id;
              via[base + to] = moves[i];
            }
          }
        }
      }
    }
    [cost, next] = [next, cost];
    for (let k = 0; k + 1 < m; k++) {
      base += S;
      const block = blocks[a][k];
      next.fill(Infinity);
      for (let id = 0; id < S; id++) {
        const here = cost[id];
        if (here === Infinity) continue;
        for (const option of block.options) {
          const to = space.vertical(id, k, option);
          if (to < 0) continue;
          const c = here + block.cost[option];
          if (c < next[to]) {
            next[to] = c;
            if (withOrder) {
              prev[base + to] = id;
              via[base + to] = option;
            }
          }
        }
      }
      [cost, next] = [next, cost];
    }
  }
  let best = -1;
  let bestCost = Infinity;
  for (let id = 0; id < S; id++) if (cost[id] < bestCost && space.isComplete(id, requiredMask[aisles - 1])) [best, bestCost] = [id, cost[id]];
  if (best < 0) throw new Error("no tour found (unreachable for valid input)");
  if (!withOrder) return { lengthM: bestCost, order: [] };

  // Walk the choices back, then turn them into edges.
  const crossChoice = new Array<number>(aisles).fill(0);
  const verticalChoice: VerticalOption[][] = Array.from({ length: aisles }, () => []);
  let state = best;
  for (let step = steps - 1; step >= 0; step--) {
    const a = Math.floor(step / m);
    const k = (step % m) - 1; // −1: the cross step into aisle a
    if (k >= 0) verticalChoice[a][k] = via[step * S + state] as VerticalOption;
    else crossChoice[a] = via[step * S + state];
    state = prev[step * S + state];
  }
  // Nodes: per aisle its stations front to back (cross aisles and the points between them), numbered in a row.
  const stations: number[][] = blocks.map((perAisle) => [ys[0], ...perAisle.flatMap((b, k) => [...b.points, ys[k + 1]])]);
  const crossStation: number[][] = blocks.map((perAisle) => {
    const at = [0];
    perAisle.forEach((b) => at.push(at[at.length - 1] + b.points.length + 1));
    return at;
  });
  const offset: number[] = [0];
  stations.forEach((st) => offset.push(offset[offset.length - 1] + st.length));
  const nodeOf = (l: WarehouseLocation) => offset[l.aisle - lo] + stations[l.aisle - lo].indexOf(l.yM);
  const from: number[] = [];
  const to: number[] = [];
  const run = (aisleIndex: number, first: number, last: number, times: number) => {
    for (let t = 0; t < times; t++) {
      for (let i = first; i < last; i++) {
        from.push(offset[aisleIndex] + i);
        to.push(offset[aisleIndex] + i + 1);
      }
    }
  };
  for (let a = 0; a < aisles; a++) {
    if (a > 0) {
      for (let v = 0; v < m; v++) {
        for (let t = space.crossMultiplicity(crossChoice[a], v); t > 0; t--) {
          from.push(offset[a - 1] + crossStation[a - 1][v]);
          to.push(offset[a] + crossStation[a][v]);
        }
      }
    }
    for (let k = 0; k + 1 < m; k++) {
      const front = crossStation[a][k];
      const back = crossStation[a][k + 1];
      const option = verticalChoice[a][k];
      if (option === VERTICAL.traverse || option === VERTICAL.traverseTwice) run(a, front, back, option === VERTICAL.traverse ? 1 : 2);
      else if (option === VERTICAL.fromFront) run(a, front, back - 1, 2);
      else if (option === VERTICAL.fromBack) run(a, front + 1, back, 2);
      else if (option === VERTICAL.largestGap) {
        const { after } = largestInnerGap(blocks[a][k].points);
        run(a, front, front + 1 + after, 2);
        run(a, front + 2 + after, back, 2);
      }
    }
  }
  const pickAt = new Array<WarehouseLocation | undefined>(offset[aisles]);
  for (const l of locations) pickAt[nodeOf(l)] = l;
  const order: WarehouseLocation[] = [];
  for (const node of eulerCircuit(offset[aisles], from, to, nodeOf(depot))) {
    const l = pickAt[node];
    if (l) {
      order.push(l);
      pickAt[node] = undefined;
    }
  }
  return { lengthM: bestCost, order };
}

/** Hierholzer's algorithm: an Euler circuit (as nodes) of a connected multigraph with even degrees, from `start`. */
function eulerCircuit(nodes: number, from: number[], to: number[], start: number): number[] {
  const degree = new Int32Array(nodes + 1);
  for (let e = 0; e < from.length; e++) {
    degree[from[e] + 1]++;
    degree[to[e] + 1]++;
  }
  for (let n = 0; n < nodes; n++) degree[n + 1] += degree[n];
  const first = degree; // first[n]..first[n+1]: n's incident edges
  const incident = new Int32Array(2 * from.length);
  const fill = first.slice(0, nodes);
  for (let e = 0; e < from.length; e++) {
    incident[fill[from[e]]++] = e;
    incident[fill[to[e]]++] = e;
  }
  const nextEdge = first.slice(0, nodes);
  const used = new Uint8Array(from.length);
  const stack = [start];
  const circuit: number[] = [];
  while (stack.length > 0) {
    const n = stack[stack.length - 1];
    while (nextEdge[n] < first[n + 1] && used[incident[nextEdge[n]]]) nextEdge[n]++;
    if (nextEdge[n] === first[n + 1]) {
      circuit.push(stack.pop()!);
      continue;
    }
    const e = incident[nextEdge[n]];
    used[e] = 1;
    stack.push(from[e] === n ? to[e] : from[e]);
  }
  return circuit.reverse();
}
