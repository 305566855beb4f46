// Order batching (issue 13, item 5; ADR 0030): which orders one picker collects together on one cart, under the
// cart's capacity in items, so that the walks add up to as little as possible. Every batch is scored with the
// real route through its pick locations — the exact DP for one and two blocks (ADR 0025), the 2-opt/Or-opt
// heuristic beyond — never with a proxy. Algorithms:
// - "fcfs": orders in the order given, each into the current batch while it fits (the baseline);
// - "seed": a seed order (the longest single walk left), then the order that lengthens the batch's route least,
//   until nothing fits (Henn & Wäscher's seed family, with the real route as the rule);
// - "savings": Clarke & Wright (variant (i)): pair savings d(i) + d(j) − d(i ∪ j) computed once, pairs merged
//   greediest first when the merged batch fits;
// - "ils": iterated local search from the savings solution: first-improvement local search over relocating an
//   order to another batch and swapping two orders between batches, then a perturbation (random feasible moves)
//   and record-to-record acceptance; it starts from the better of savings and FCFS and returns the best solution
//   seen, so it is never worse than either.
// Deterministic given `seed` as long as `timeLimitMs` does not cut the search short (the result says which).
import { createRng, type Rng } from "../routing/seeded-random";
import { exactTourLengthM } from "./exact-route";
import { heuristicTour } from "./heuristic-route";
import { type WarehouseLayout, type WarehouseLocation, MAX_PICKS, geometryOf, locationKey, validatePickInput } from "./layout";
import { EXACT_MAX_BLOCKS, type PickRoute, pickRoute } from "./pick-route";

export interface OrderPick extends WarehouseLocation {
  /** Items picked here (default 1); counts against the cart capacity. */
  quantity?: number;
}

export interface BatchOrder {
  id: string;
  picks: readonly OrderPick[];
}

export type BatchingAlgorithm = "fcfs" | "seed" | "savings" | "ils";

export interface IlsSettings {
  /** Perturbation → local search rounds (the deterministic budget). */
  iterations: number;
  /** Random feasible moves (relocate or swap) per perturbation. */
  perturbationMoves: number;
  /** Accept a perturbed solution when it is within this share of the best one (record-to-record travel). */
  acceptWithin: number;
}

/** Tuned in bench/warehouse/batching.bench.ts on tuning seeds only (ADR 0030). */
export const DEFAULT_ILS: IlsSettings = { iterations: 40, perturbationMoves: 6, acceptWithin: 0 };

export interface BatchingOptions {
  capacityItems: number;
  algorithm?: BatchingAlgorithm;
  /** PRNG seed for the ILS (default 1). */
  seed?: number;
  ils?: Partial<IlsSettings>;
  /** Wall-clock cap on the ILS; when it binds the answer depends on the machine (`stoppedBy: "time"`). */
  timeLimitMs?: number;
  /** Milliseconds, for the time limit (default Date.now). */
  clock?: () => number;
}

export interface PickBatch {
  orderIds: string[];
  items: number;
  lengthM: number;
}

export interface Batching {
  algorithm: BatchingAlgorithm;
  batches: PickBatch[];
  totalLengthM: number;
  /** True when every batch length is the exact optimum route (one or two blocks). */
  exactRoutes: boolean;
  /** Routes computed (cache misses), a measure of the work done. */
  routeEvaluations: number;
  ilsIterations: number;
  stoppedBy: "done" | "iterations" | "time";
}

export const MAX_BATCHING_ORDERS = 300;
export const MAX_CAPACITY_ITEMS = MAX_PICKS;

/** Every problem with a batching request, as "path: what is wrong" (empty when usable). */
export function validateBatchingInput(layout: WarehouseLayout, orders: readonly BatchOrder[], capacityItems: number): string[] {
  const issues = validatePickInput(layout, []);
  const capacityOk = Number.isInteger(capacityItems) && capacityItems >= 1 && capacityItems <= MAX_CAPACITY_ITEMS;
  if (!capacityOk) issues.push(`capacityItems: must be a whole number from 1 to ${MAX_CAPACITY_ITEMS} (got ${capacityItems})`);
  if (orders.length > MAX_BATCHING_ORDERS) return [...issues, `orders: at most ${MAX_BATCHING_ORDERS} orders per request (got ${orders.length})`];
  const seen = new Set<string>();
  orders.forEach((order, i) => {
    if (order.id.trim() === "") issues.push(`orders[${i}].id: must not be empty`);
    else if (seen.has(order.id)) issues.push(`orders[${i}].id: duplicate order id ${JSON.stringify(order.id)}`);
    seen.add(order.id);
    if (order.picks.length === 0) issues.push(`orders[${i}].picks: an order needs at least one pick`);
    const badQuantity = order.picks.findIndex((p) => p.quantity !== undefined && !(Number.isInteger(p.quantity) && p.quantity >= 1));
    if (badQuantity >= 0) issues.push(`orders[${i}].picks[${badQuantity}].quantity: must be a whole number of at least 1 (got ${order.picks[badQuantity].quantity})`);
    for (const issue of validatePickInput(layout, order.picks)) if (issue.startsWith("picks")) issues.push(`orders[${i}].${issue}`);
    const items = itemsOf(order);
    if (capacityOk && badQuantity < 0 && items > capacityItems) issues.push(`orders[${i}]: ${items} items do not fit a cart of ${capacityItems} (split the order first)`);
  });
  return issues;
}

export class InvalidBatchingInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid batching input: ${issues.join("; ")}`);
    this.name = "InvalidBatchingInputError";
  }
}

export const itemsOf = (order: BatchOrder) => order.picks.reduce((n, p) => n + (p.quantity ?? 1), 0);

/** Groups orders into batches. Throws InvalidBatchingInputError on what validateBatchingInput refuses. */
export function batchOrders(layout: WarehouseLayout, orders: readonly BatchOrder[], options: BatchingOptions): Batching {
  const issues = validateBatchingInput(layout, orders, options.capacityItems);
  if (issues.length > 0) throw new InvalidBatchingInputError(issues);
  const algorithm = options.algorithm ?? "ils";
  const scorer = new BatchScorer(layout, orders);
  const cap = options.capacityItems;
  let solution: Solution;
  let ilsIterations = 0;
  let stoppedBy: Batching["stoppedBy"] = "done";
  if (algorithm === "fcfs") solution = fcfs(scorer, cap);
  else if (algorithm === "seed") solution = seedBatches(scorer, cap);
  else if (algorithm === "savings") solution = savings(scorer, cap);
  else {
    const settings = { ...DEFAULT_ILS, ...options.ils };
    const clock = options.clock ?? Date.now;
    const deadline = options.timeLimitMs === undefined ? Infinity : clock() + options.timeLimitMs;
    // Start from the better of savings and FCFS, so the answer is never worse than the baseline either.
    const fromSavings = savings(scorer, cap);
    const fromFcfs = fcfs(scorer, cap);
    const start = fromFcfs.total < fromSavings.total - EPS ? fromFcfs : fromSavings;
    const run = iteratedLocalSearch(scorer, cap, layout.aisleSpacingM, start, settings, createRng(options.seed ?? 1), () => clock() >= deadline);
    solution = run.best;
    ilsIterations = run.iterations;
    stoppedBy = run.stoppedBy;
  }
  return toBatching(algorithm, scorer, solution, ilsIterations, stoppedBy);
}

/** The route through one batch's picks (every pick of every order, in order), each stop tagged with its order. */
export function batchRoute(layout: WarehouseLayout, orders: readonly BatchOrder[]): PickRoute & { stops: { orderId: string; pickIndex: number; aisle: number; yM: number }[] } {
  const picks = orders.flatMap((o) => o.picks.map((p, pickIndex) => ({ aisle: p.aisle, yM: p.yM, orderId: o.id, pickIndex })));
  const route = pickRoute(layout, picks);
  return { ...route, stops: route.sequence.map((s) => ({ orderId: picks[s.index].orderId, pickIndex: picks[s.index].pickIndex, aisle: s.aisle, yM: s.yM })) };
}

// ---------------------------------------------------------------------------------------------------------------

const EPS = 1e-9;

/** Route length of a set of orders (distinct locations, the depot free), cached by the set. */
export class BatchScorer {
  readonly n: number;
  readonly items: number[];
  readonly exact: boolean;
  readonly ids: string[];
  evaluations = 0;
  readonly aisles: number;
  /** Per order, its aisles and the deepest pick in each: [aisle, yM, aisle, yM, …]. */
  readonly profiles: Float64Array[];
  private readonly orderLocations: Int32Array[];
  private readonly locations: WarehouseLocation[] = [];
  private readonly stamp: Int32Array;
  private stampNo = 0;
  private readonly cache = new Map<string, number>();
  private readonly g;
  private readonly depot: WarehouseLocation;

  constructor(layout: WarehouseLayout, orders: readonly BatchOrder[]) {
    this.g = geometryOf(layout);
    this.depot = layout.depot;
    this.exact = this.g.crossYs.length - 1 <= EXACT_MAX_BLOCKS;
    const depotKey = locationKey(layout.depot);
    const ids = new Map<string, number>();
    this.orderLocations = orders.map((o) => {
      const mine = new Set<number>();
      for (const p of o.picks) {
        const key = locationKey(p);
        if (key === depotKey) continue;
        let id = ids.get(key);
        if (id === undefined) {
          id = this.locations.length;
          ids.set(key, id);
          this.locations.push({ aisle: p.aisle, yM: p.yM });
        }
        mine.add(id);
      }
      return Int32Array.from(mine);
    });
    this.aisles = layout.aisles;
    this.profiles = orders.map((o) => {
      const deepest = new Map<number, number>();
      for (const p of o.picks) deepest.set(p.aisle, Math.max(deepest.get(p.aisle) ?? 0, p.yM));
      return Float64Array.from([...deepest.entries()].sort((x, y) => x[0] - y[0]).flat());
    });
    this.items = orders.map(itemsOf);
    this.ids = orders.map((o) => o.id);
    this.n = orders.length;
    this.stamp = new Int32Array(this.locations.length);
  }

  /** `members` must be sorted increasing. */
  lengthOf(members: readonly number[]): number {
    if (members.length === 0) return 0;
    const key = members.join(",");
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    this.stampNo++;
    const locations: WarehouseLocation[] = [];
    for (const m of members) {
      for (const id of this.orderLocations[m]) {
        if (this.stamp[id] === this.stampNo) continue;
        this.stamp[id] = this.stampNo;
        locations.push(this.locations[id]);
      }
    }
    const length = this.exact ? exactTourLengthM(this.g, this.depot, locations) : heuristicTour(this.g, this.depot, locations).lengthM;
    this.evaluations++;
    if (this.cache.size > 400_000) this.cache.clear();
    this.cache.set(key, length);
    return length;
  }
}

interface Solution {
  /** Order indices per batch, each sorted increasing; empty batches allowed while searching. */
  batches: number[][];
  loads: number[];
  lengths: number[];
  total: number;
}

function solutionOf(scorer: BatchScorer, groups: number[][]): Solution {
  const batches = groups.filter((b) => b.length > 0).map((b) => [...b].sort((x, y) => x - y));
  const lengths = batches.map((b) => scorer.lengthOf(b));
  return { batches, loads: batches.map((b) => b.reduce((s, o) => s + scorer.items[o], 0)), lengths, total: lengths.reduce((a, b) => a + b, 0) };
}

const copy = (s: Solution): Solution => ({ batches: s.batches.map((b) => [...b]), loads: [...s.loads], lengths: [...s.lengths], total: s.total });

function toBatching(algorithm: BatchingAlgorithm, scorer: BatchScorer, s: Solution, ilsIterations: number, stoppedBy: Batching["stoppedBy"]): Batching {
  const clean = solutionOf(scorer, s.batches);
  return {
    algorithm,
    batches: clean.batches.map((b, i) => ({ orderIds: b.map((o) => scorer.ids[o]), items: clean.loads[i], lengthM: clean.lengths[i] })),
    totalLengthM: clean.total,
    exactRoutes: scorer.exact,
    routeEvaluations: scorer.evaluations,
    ilsIterations,
    stoppedBy,
  };
}

function fcfs(scorer: BatchScorer, cap: number): Solution {
  const groups: number[][] = [];
  let load = Infinity;
  for (let o = 0; o < scorer.n; o++) {
    if (load + scorer.items[o] > cap) {
      groups.push([]);
      load = 0;
    }
    groups[groups.length - 1].push(o);
    load += scorer.items[o];
  }
  return solutionOf(scorer, groups);
}

function seedBatches(scorer: BatchScorer, cap: number): Solution {
  const left = new Set(Array.from({ length: scorer.n }, (_, o) => o));
  const groups: number[][] = [];
  while (left.size > 0) {
    let seed = -1;
    for (const o of left) if (seed < 0 || scorer.lengthOf([o]) > scorer.lengthOf([seed]) + EPS) seed = o;
    left.delete(seed);
    const batch = [seed];
    let load = scorer.items[seed];
    for (;;) {
      const base = scorer.lengthOf(batch);
      let best = -1;
      let bestAdded = Infinity;
      for (const o of left) {
        if (load + scorer.items[o] > cap) continue;
        const added = scorer.lengthOf(insertSorted(batch, o)) - base;
        if (added < bestAdded - EPS) [best, bestAdded] = [o, added];
      }
      if (best < 0) break;
      left.delete(best);
      batch.splice(0, batch.length, ...insertSorted(batch, best));
      load += scorer.items[best];
    }
    groups.push(batch);
  }
  return solutionOf(scorer, groups);
}

function savings(scorer: BatchScorer, cap: number): Solution {
  const { n, items } = scorer;
  const pairs: { i: number; j: number; saving: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (items[i] + items[j] > cap) continue;
      pairs.push({ i, j, saving: scorer.lengthOf([i]) + scorer.lengthOf([j]) - scorer.lengthOf([i, j]) });
    }
  }
  pairs.sort((a, b) => b.saving - a.saving || a.i - b.i || a.j - b.j);
  const batchOf = new Int32Array(n).fill(-1);
  const groups: number[][] = [];
  const loads: number[] = [];
  for (const { i, j } of pairs) {
    const bi = batchOf[i];
    const bj = batchOf[j];
    if (bi < 0 && bj < 0) {
      batchOf[i] = batchOf[j] = groups.length;
      groups.push([i, j]);
      loads.push(items[i] + items[j]);
    } else if (bi < 0 || bj < 0) {
      const [b, o] = bi < 0 ? [bj, i] : [bi, j];
      if (loads[b] + items[o] > cap) continue;
      groups[b].push(o);
      loads[b] += items[o];
      batchOf[o] = b;
    } else if (bi !== bj && loads[bi] + loads[bj] <= cap) {
      for (const o of groups[bj]) batchOf[o] = bi;
      groups[bi].push(...groups[bj]);
      loads[bi] += loads[bj];
      groups[bj] = [];
      loads[bj] = 0;
    }
  }
  for (let o = 0; o < n; o++) if (batchOf[o] < 0) groups.push([o]);
  return solutionOf(scorer, groups);
}

function iteratedLocalSearch(scorer: BatchScorer, cap: number, spacing: number, start: Solution, settings: IlsSettings, rng: Rng, timeUp: () => boolean) {
  let current = copy(start);
  localSearch(scorer, cap, spacing, current, rng, timeUp);
  let best = copy(current);
  let iterations = 0;
  let stoppedBy: Batching["stoppedBy"] = "iterations";
  while (iterations < settings.iterations) {
    if (timeUp()) {
      stoppedBy = "time";
      break;
    }
    iterations++;
    const candidate = copy(current);
    perturb(scorer, cap, candidate, settings.perturbationMoves, rng);
    localSearch(scorer, cap, spacing, candidate, rng, timeUp);
    if (candidate.total < best.total - EPS) best = copy(candidate);
    if (candidate.total < current.total - EPS || candidate.total <= best.total * (1 + settings.acceptWithin) + EPS) current = candidate;
  }
  if (scorer.n < 2) stoppedBy = "done";
  return { best, iterations, stoppedBy };
}

function insertSorted(batch: readonly number[], o: number): number[] {
  const out: number[] = [];
  let placed = false;
  for (const x of batch) {
    if (!placed && o < x) {
      out.push(o);
      placed = true;
    }
    out.push(x);
  }
  if (!placed) out.push(o);
  return out;
}

const without = (batch: readonly number[], o: number) => batch.filter((x) => x !== o);

function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function set(scorer: BatchScorer, s: Solution, b: number, members: number[]) {
  const length = scorer.lengthOf(members);
  s.total += length - s.lengths[b];
  s.batches[b] = members;
  s.lengths[b] = length;
  s.loads[b] = members.reduce((sum, o) => sum + scorer.items[o], 0);
}

/** Target batches tried per order and pass, ranked by a cheap estimate (ADR 0030); the moves are scored exactly. */
export const CANDIDATE_BATCHES = 8;

/** Per aisle, the deepest pick of a batch's orders (−1: none). */
function profileOf(scorer: BatchScorer, members: readonly number[]): Float64Array {
  const deepest = new Float64Array(scorer.aisles).fill(-1);
  for (const m of members) {
    const p = scorer.profiles[m];
    for (let i = 0; i < p.length; i += 2) if (p[i + 1] > deepest[p[i]]) deepest[p[i]] = p[i + 1];
  }
  return deepest;
}

/**
 * Estimate of what adding an order to a batch costs, for ranking only: the extra depth walked into each aisle
 * (in and back) and the extra width walked across. It ignores the cross aisles and the exact route's shape.
 */
function estimateAdded(scorer: BatchScorer, o: number, deepest: Float64Array, spacing: number): number {
  const p = scorer.profiles[o];
  let added = 0;
  let maxAisleB = -1;
  for (let a = deepest.length - 1; a >= 0; a--) {
    if (deepest[a] >= 0) {
      maxAisleB = a;
      break;
    }
  }
  for (let i = 0; i < p.length; i += 2) {
    const have = deepest[p[i]];
    added += have < 0 ? 2 * p[i + 1] + spacing : Math.max(0, 2 * (p[i + 1] - have));
  }
  return added + 2 * spacing * Math.max(0, p[p.length - 2] - maxAisleB);
}

/**
 * First improvement over relocate and swap moves, orders in random order, until a full pass finds nothing. Each
 * order tries the CANDIDATE_BATCHES batches the estimate ranks best; every move is judged by exact route lengths.
 */
function localSearch(scorer: BatchScorer, cap: number, spacing: number, s: Solution, rng: Rng, timeUp: () => boolean) {
  const { items } = scorer;
  const batchOf = new Int32Array(scorer.n);
  s.batches.forEach((b, i) => b.forEach((o) => (batchOf[o] = i)));
  const profiles = s.batches.map((b) => profileOf(scorer, b));
  const change = (b: number, members: number[]) => {
    set(scorer, s, b, members);
    profiles[b] = profileOf(scorer, members);
  };
  let improved = true;
  while (improved && !timeUp()) {
    improved = false;
    for (const o of shuffled(scorer.n, rng)) {
      const a = batchOf[o];
      const aWithout = without(s.batches[a], o);
      const aWithoutLength = scorer.lengthOf(aWithout);
      const ranked: { b: number; estimate: number }[] = [];
      for (let b = 0; b < s.batches.length; b++) if (b !== a && s.batches[b].length > 0) ranked.push({ b, estimate: estimateAdded(scorer, o, profiles[b], spacing) });
      ranked.sort((x, y) => x.estimate - y.estimate || x.b - y.b);
      let moved = false;
      for (const { b } of ranked.slice(0, CANDIDATE_BATCHES)) {
        // Relocate o to b.
        if (s.loads[b] + items[o] <= cap) {
          const bWith = insertSorted(s.batches[b], o);
          if (aWithoutLength + scorer.lengthOf(bWith) < s.lengths[a] + s.lengths[b] - EPS) {
            change(a, aWithout);
            change(b, bWith);
            batchOf[o] = b;
            moved = true;
            break;
          }
        }
        // Swap o with some p in b.
        for (const p of s.batches[b]) {
          if (s.loads[a] - items[o] + items[p] > cap || s.loads[b] - items[p] + items[o] > cap) continue;
          const aNew = insertSorted(aWithout, p);
          const lengthA = scorer.lengthOf(aNew);
          if (lengthA - s.lengths[a] > s.lengths[b] + EPS) continue; // cannot pay off whatever b becomes
          const bNew = insertSorted(without(s.batches[b], p), o);
          if (lengthA + scorer.lengthOf(bNew) < s.lengths[a] + s.lengths[b] - EPS) {
            change(a, aNew);
            change(b, bNew);
            batchOf[o] = b;
            batchOf[p] = a;
            moved = true;
            break;
          }
        }
        if (moved) break;
      }
      if (moved) improved = true;
    }
  }
  compact(s);
}

function compact(s: Solution) {
  for (let b = s.batches.length - 1; b >= 0; b--) {
    if (s.batches[b].length > 0) continue;
    s.batches.splice(b, 1);
    s.loads.splice(b, 1);
    s.lengths.splice(b, 1);
  }
}

/** `moves` random feasible relocations or swaps between two batches (whatever they cost). */
function perturb(scorer: BatchScorer, cap: number, s: Solution, moves: number, rng: Rng) {
  const { items } = scorer;
  if (s.batches.length < 2) return;
  for (let done = 0, tries = 0; done < moves && tries < moves * 20; tries++) {
    const a = Math.floor(rng.next() * s.batches.length);
    const b = Math.floor(rng.next() * s.batches.length);
    if (a === b || s.batches[a].length === 0 || s.batches[b].length === 0) continue;
    const o = s.batches[a][Math.floor(rng.next() * s.batches[a].length)];
    if (s.loads[b] + items[o] <= cap && rng.next() < 0.5) {
      set(scorer, s, a, without(s.batches[a], o));
      set(scorer, s, b, insertSorted(s.batches[b], o));
      done++;
      continue;
    }
    const p = s.batches[b][Math.floor(rng.next() * s.batches[b].length)];
    if (s.loads[a] - items[o] + items[p] > cap || s.loads[b] - items[p] + items[o] > cap) continue;
    set(scorer, s, a, insertSorted(without(s.batches[a], o), p));
    set(scorer, s, b, insertSorted(without(s.batches[b], p), o));
    done++;
  }
  compact(s);
}
