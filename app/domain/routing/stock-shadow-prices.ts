// Opportunity cost of stock ("shadow prices") for inventory-aware routing. Routing one order at a time
// spends the cheapest stock first; when that stock cannot last until replenishment, later orders pay more
// (a dearer location, or an extra package). A planning job can price this once a day: per SKU, solve the
// transportation problem "forecast demand by region ← stock by location" at least cost, and read each
// location's dual value — how much more the plan costs with one unit less there. Passed to route() as
// `stockShadowPriceMinor`, it is added to the per-unit landed cost used for ranking (never to real cost),
// so an order only takes scarce stock when it gains more than the stock is worth to the forecast.
// The duals are scaled by `priceScale` (default 1.4, an empirical calibration: see ADR 0003).
import { locationTerms, unitLandedMinor, type LocationTerms } from "./costing";
import type { Destination, FulfillmentLocation, RateTable } from "./types";

export interface DemandForecast {
  sku: string;
  weightGrams: number;
  destination: Destination;
  /** Expected units until the next replenishment (fractions allowed). */
  units: number;
}

export interface ShadowPriceInput {
  locations: FulfillmentLocation[];
  rateTable: RateTable;
  forecast: DemandForecast[];
  /** Expected units per shipment, to spread a shipment's fixed cost over its units. */
  unitsPerShipment: number;
  /** Cost of a forecast unit that no stock can serve (a lost or late sale). */
  unservedCostMinor: number;
  /**
   * Multiplier on the transportation duals (default 1.4, see ADR 0003). The fluid plan spreads a
   * shipment's fixed cost over `unitsPerShipment` units, but a later order that loses a unit here often
   * pays a whole extra package for it, so the plain dual understates what consuming the unit costs.
   */
  priceScale?: number;
}

/** Default `priceScale`: calibrated on the 10,000-order replay (ADR 0003), checked on two held-out seeds. */
export const DEFAULT_SHADOW_PRICE_SCALE = 1.4;

export type ShadowPrices = Record<string, Record<string, number>>;

export function stockShadowPrices(input: ShadowPriceInput): ShadowPrices {
  const prices: ShadowPrices = {};
  const scale = input.priceScale ?? DEFAULT_SHADOW_PRICE_SCALE;
  for (const loc of input.locations) prices[loc.id] = {};
  const bySku = new Map<string, DemandForecast[]>();
  for (const f of input.forecast) {
    if (f.units <= 0) continue;
    const list = bySku.get(f.sku);
    if (list) list.push(f);
    else bySku.set(f.sku, [f]);
  }
  // Shipping terms per (location, destination) do not depend on the SKU: compute them once.
  const terms = new Map<Destination, (LocationTerms | null)[]>();
  const termsFor = (d: Destination) => {
    let row = terms.get(d);
    if (!row) {
      const order = { lines: [], destination: d, placedAt: "2025-01-01T00:00:00Z", promisedBy: null };
      row = input.locations.map((l) => locationTerms(l, order, input.rateTable, false));
      terms.set(d, row);
    }
    return row;
  };
  for (const [sku, demand] of bySku) {
    const supply = input.locations.map((l) => Math.max(0, l.stock[sku] ?? 0));
    if (supply.every((s) => s === 0)) continue;
    const cost = input.locations.map((_, j) =>
      demand.map((f) => {
        const t = termsFor(f.destination)[j];
        return t ? unitLandedMinor(t, f.weightGrams) + t.fixedMinor / input.unitsPerShipment : Infinity;
      }),
    );
    if (cheapestFits(supply, demand, cost)) continue; // every region gets its cheapest location: no scarcity
    const duals = supplyDuals(supply, demand.map((f) => f.units), cost, input.unservedCostMinor);
    input.locations.forEach((l, j) => {
      if (supply[j] > 0 && duals[j] > 0) prices[l.id][sku] = Math.round(scale * duals[j]);
    });
  }
  return prices;
}

/** True when sending every region's demand to its cheapest location exceeds no location's stock. */
function cheapestFits(supply: number[], demand: DemandForecast[], cost: number[][]): boolean {
  const load = supply.map(() => 0);
  demand.forEach((f, r) => {
    let best = -1;
    for (let j = 0; j < supply.length; j += 1) {
      if (supply[j] > 0 && (best < 0 || cost[j][r] < cost[best][r])) best = j;
    }
    if (best >= 0) load[best] += f.units;
  });
  return load.every((units, j) => units <= supply[j]);
}

/**
 * Min-cost transportation (supplies → demands, plus an unlimited "unserved" supply at `unservedCost`)
 * by successive shortest paths; returns each supply's dual: the shortest residual distance from the
 * source to it, i.e. the cheapest way to replace one of its units in the plan — what consuming a unit
 * there now costs the forecast (0 when it has spare stock).
 */
export function supplyDuals(supply: number[], demand: number[], cost: number[][], unservedCost: number): number[] {
  const L = supply.length;
  const R = demand.length;
  // Nodes: 0 source, 1..L supplies, L+1 unserved, L+2..L+1+R demands, L+2+R sink.
  const source = 0;
  const unserved = L + 1;
  const sink = L + 2 + R;
  const to: number[] = [];
  const cap: number[] = [];
  const w: number[] = [];
  const adj: number[][] = Array.from({ length: sink + 1 }, () => []);
  const edge = (u: number, v: number, c: number, cost_: number) => {
    adj[u].push(to.length); to.push(v); cap.push(c); w.push(cost_);
    adj[v].push(to.length); to.push(u); cap.push(0); w.push(-cost_);
  };
  supply.forEach((s, j) => edge(source, 1 + j, s, 0));
  edge(source, unserved, Infinity, 0);
  for (let r = 0; r < R; r += 1) {
    for (let j = 0; j < L; j += 1) if (Number.isFinite(cost[j][r])) edge(1 + j, L + 2 + r, Infinity, cost[j][r]);
    edge(unserved, L + 2 + r, Infinity, unservedCost);
    edge(L + 2 + r, sink, demand[r], 0);
  }
  const EPS = 1e-9;
  // Shortest residual distances from the source (queue-based Bellman-Ford; no negative cycles under SSP).
  const distances = () => {
    const dist = new Array<number>(sink + 1).fill(Infinity);
    const via = new Array<number>(sink + 1).fill(-1);
    const queued = new Uint8Array(sink + 1);
    const queue = [source];
    dist[source] = 0;
    for (let head = 0; head < queue.length; head += 1) {
      const u = queue[head];
      queued[u] = 0;
      for (const e of adj[u]) {
        const v = to[e];
        if (cap[e] > EPS && dist[u] + w[e] < dist[v] - EPS) {
          dist[v] = dist[u] + w[e];
          via[v] = e;
          if (!queued[v]) {
            queued[v] = 1;
            queue.push(v);
          }
        }
      }
    }
    return { dist, via };
  };
  for (;;) {
    const { dist, via } = distances();
    if (dist[sink] === Infinity) break;
    let push = Infinity;
    for (let v = sink; v !== source; v = to[via[v] ^ 1]) push = Math.min(push, cap[via[v]]);
    for (let v = sink; v !== source; v = to[via[v] ^ 1]) {
      cap[via[v]] -= push;
      cap[via[v] ^ 1] += push;
    }
  }
  const { dist } = distances();
  return supply.map((_, j) => Math.max(0, dist[1 + j]));
}
